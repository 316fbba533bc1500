//! The editor form, for the tests that write, review and publish through it.

use super::{PASSWORD, TestApp, location};
use plasticity::content::Reference;
use plasticity::content::checks::{Severity, check_article};
use plasticity::content::staff::Role;

/// The editor form's fields, as a browser sends them.
pub fn article_fields<'a>(
    intent: &'a str,
    base: &'a str,
    title: &'a str,
    slug: &'a str,
    body: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("intent", intent),
        ("base_revision", base),
        ("title", title),
        ("slug", slug),
        ("summary", "A short summary for the list."),
        ("body", body),
        ("author_name", "Kim Writer"),
        ("author_credentials", "RN"),
        ("ref-0-authors", "Duman, R. S., & Aghajanian, G. K."),
        ("ref-0-year", "2012"),
        ("ref-0-title", "Synaptic dysfunction in depression"),
        ("ref-0-journal", "Science"),
        ("ref-0-doi", "10.1126/science.1222939"),
        ("note", "First go"),
    ]
}

/// Signs in a second reviewer, Dr Sam Lee, who wrote none of the text.
pub async fn second_reviewer(app: &TestApp) -> String {
    app.add_staff("dr.lee@clinic.example", "Dr Sam Lee", Role::Reviewer)
        .await;
    app.sign_in("dr.lee@clinic.example", PASSWORD).await
}

/// Creates an article through the form as `cookie`; returns its id and newest revision.
pub async fn create(app: &TestApp, cookie: &str, slug: &str, body: &str) -> (i64, i64) {
    let response = app
        .post_form(
            "/admin/articles/new",
            Some(cookie),
            &article_fields("save", "", "Ketamine and sleep", slug, body),
        )
        .await;
    assert_eq!(
        response.status(),
        303,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let id = created_id(&response);
    (id, head_revision(app, id).await)
}

/// The id of the article a "create" answer (303 to its editor) made.
pub fn created_id(response: &reqwest::Response) -> i64 {
    location(response)
        .trim_start_matches("/admin/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The newest revision of article `id`.
pub async fn head_revision(app: &TestApp, id: i64) -> i64 {
    app.db
        .editable_article(id)
        .await
        .unwrap()
        .unwrap()
        .head_revision_id
}

/// `fields` (an editor form that publishes) with what the review gate asks of a reviewer: a
/// reason for every warning the checks give on its text, and a tick for every reference. The
/// checks are the application's own, so the keys are the ones the editor shows.
pub fn approving(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| (*value).to_owned())
            .unwrap_or_default()
    };
    let references: Vec<Reference> = (0..20)
        .map(|index| {
            let field = |name: &str| get(&format!("ref-{index}-{name}"));
            Reference {
                authors: field("authors"),
                year: field("year"),
                title: field("title"),
                journal: field("journal"),
                doi: Some(field("doi")).filter(|doi| !doi.is_empty()),
                ..Reference::default()
            }
        })
        .take_while(|reference| !reference.authors.is_empty())
        .collect();
    let report = check_article(&get("body"), &references);
    let mut approved: Vec<(String, String)> = fields
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
    for finding in report
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Warning)
    {
        approved.push((
            format!("ack-{}", finding.key),
            "Checked with the clinical lead.".to_owned(),
        ));
    }
    for index in 0..references.len() {
        approved.push((format!("checked-ref-{index}"), "1".to_owned()));
    }
    approved
}

/// Owned form fields as the pairs `post_form` takes.
pub fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect()
}

/// A writer's new article with `body`, submitted for review: its id and editor path.
pub async fn submitted(app: &TestApp, writer: &str, body: &str) -> (i64, String) {
    let (id, _) = create(app, writer, "ketamine-and-sleep", body).await;
    let path = format!("/admin/articles/{id}");
    submit(app, writer, &path, id, body).await;
    (id, path)
}

/// `writer` presses "Submit for review" on article `id` (at `path`) with `body`.
pub async fn submit(app: &TestApp, writer: &str, path: &str, id: i64, body: &str) {
    let head = head_revision(app, id).await.to_string();
    let fields = article_fields(
        "submit",
        &head,
        "Ketamine and sleep",
        "ketamine-and-sleep",
        body,
    );
    assert_eq!(
        app.post_form(path, Some(writer), &fields).await.status(),
        303
    );
}
