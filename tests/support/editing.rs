//! The editor form, for the tests that write, review and publish through it.

use super::{TestApp, location};

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
    let id: i64 = location(&response)
        .trim_start_matches("/admin/articles/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (id, head_revision(app, id).await)
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
