//! The editor's checks panel over HTTP: on the editor page as the server renders it, on the
//! no-JavaScript "Preview", and in the live preview's answer.

use crate::support;

use plasticity::content::staff::Role;
use support::TestApp;
use support::editing::article_fields;

const SEED_ID: i64 = 1;

#[tokio::test]
async fn the_seed_opens_with_its_two_unmatched_citations_and_their_hints() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let html = app
        .get_as(&format!("/admin/articles/{SEED_ID}"), Some(&writer))
        .await
        .text()
        .await
        .unwrap();
    let panel = &html[html
        .find("<section id=\"checks\"")
        .expect("the checks panel")..];
    let panel = &panel[..panel.find("</section>").unwrap()];
    assert!(panel.contains("2 errors, "), "{panel}");
    assert!(panel.contains("(target 8)"));
    assert!(panel.contains("did you mean Collo et al. (2019)?"));
    assert!(panel.contains("the reference list has Duman et al. (2012)."));
    assert!(panel.contains("crisis-help"));
    // The preview shows the body as patients will, with the crisis block where they see it.
    assert!(html.contains("class=\"crisis-help\""));
    assert!(html.contains("<mark class=\"hard-sentence\""));
}

#[tokio::test]
async fn preview_without_javascript_shows_the_checks_of_the_typed_text_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let before = app.db.revisions(SEED_ID).await.unwrap().len();
    let head = support::editing::head_revision(&app, SEED_ID)
        .await
        .to_string();
    let fields = article_fields(
        "preview",
        &head,
        "Ketamine",
        "ketamine-and-brain-plasticity",
        "Her cousin committed suicide last year.",
    );
    let response = app
        .post_form(
            &format!("/admin/articles/{SEED_ID}"),
            Some(&writer),
            &fields,
        )
        .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("\u{201c}Committed suicide\u{201d}: \u{201c}committed suicide\u{201d}."),
        "{html}"
    );
    assert!(html.contains("died by suicide"));
    // The reference the form carries is cited nowhere in this text.
    assert!(html.contains("Reference 1 is not cited anywhere in the text."));
    assert_eq!(app.db.revisions(SEED_ID).await.unwrap().len(), before);
}

#[tokio::test]
async fn the_preview_reports_the_checks_findings() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let body = serde_json::json!({
        "body": "Ketamine cures depression (Smith et al., 2020). He committed suicide.\n\n\
                 More at [click here](https://clinic.example/more).",
        "references": [{"authors": "Smyth, A.", "year": "2020", "title": "T", "journal": "J"}],
    });
    let response = app
        .call_as("admin/preview", Some(&writer), &body.to_string())
        .await;
    assert_eq!(response.status(), 200);
    let preview = support::json(&response.text().await.unwrap());
    let checks = &preview["checks"];
    let problems: Vec<&str> = checks["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["problem"].as_str().unwrap())
        .collect();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(
        problems[0].contains("did you mean Smyth (2020)?"),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("cures")));
    assert!(problems.iter().any(|p| p.contains("committed suicide")));
    assert!(problems.contains(&"This link's words do not say where it goes."));
    assert_eq!(checks["crisis_help"], true);
}
