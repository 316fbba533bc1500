//! "Read next" chosen by the editor: up to three articles, in the editor's order, then articles
//! sharing a topic; typed as an address, a pasted link or a title from the list; refused with a
//! message that keeps what was typed; followed by the page cache when a chosen article is
//! unpublished; stored by article id, so a chosen article that moves is still suggested.

use crate::storage::{create, day, draft, staff};
use crate::support::editing::{article_fields, created_id};
use crate::support::{TestApp, TestDb, article_file};
use plasticity::content::review::Approval;
use plasticity::content::staff::Role;
use plasticity::content::{ArticleStatus, Author};
use plasticity::server::db::{Changes, Db};

/// Publishes the newest revision of article `id`, as a reviewer who wrote none of it.
async fn publish(db: &Db, id: i64, writer: i64) {
    let reviewer = staff(db, &format!("reviewer-{id}@clinic.example"), Role::Reviewer).await;
    let head = db
        .editable_article(id)
        .await
        .unwrap()
        .unwrap()
        .head_revision_id;
    db.submit_for_review(id, head, writer).await.unwrap();
    let author = Author {
        name: reviewer.name.clone(),
        credentials: "MD".into(),
    };
    db.approve_and_publish(
        id,
        head,
        (reviewer.id, &author),
        day("2026-12-07"),
        &Approval::default(),
    )
    .await
    .unwrap();
}

/// The editor's fields for a new article, "Ketamine and sleep", saved as a draft.
fn new_article() -> Vec<(&'static str, &'static str)> {
    article_fields(
        "save",
        "",
        "Ketamine and sleep",
        "ketamine-and-sleep",
        "Sleep.",
    )
}

/// The slugs a page's "Read next" lists, in order.
fn read_next_on(page: &str) -> Vec<String> {
    let Some(start) = page.find(r#"id="read-next-heading""#) else {
        return Vec::new();
    };
    let section = &page[start
        ..page[start..]
            .find("</section>")
            .map_or(page.len(), |end| start + end)];
    section
        .split(r#"href="/articles/"#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_editor_chooses_read_next_and_patients_see_it_in_that_order() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for slug in ["first", "second", "third"] {
        ids.push(
            app.add_article(slug, "Words.", ArticleStatus::Published)
                .await,
        );
    }
    let writer = app.signed_in(Role::Writer).await;
    let mut fields = new_article();
    // An address, a pasted link, an empty field.
    fields.extend([
        ("read_next", "third"),
        ("read_next", "https://clinic.example/articles/first/"),
        ("read_next", ""),
    ]);
    let created = app
        .post_form("/admin/articles/new", Some(&writer), &fields)
        .await;
    assert_eq!(created.status(), 303, "{}", created.text().await.unwrap());
    let id = created_id(&created);

    // The editor shows the choices in order, and offers every article by title.
    let editor = app
        .html_as(&format!("/admin/articles/{id}"), Some(&writer))
        .await;
    let (third, first) = (
        editor.find(r#"value="third""#).unwrap(),
        editor.find(r#"value="first""#).unwrap(),
    );
    assert!(third < first && editor.contains(r#"id="read-next-1""#));
    assert!(
        editor.contains(r#"<option value="second">Title of second</option>"#),
        "{editor}"
    );
    assert!(editor.contains(r#"list="article-addresses""#));

    let email = format!("{}@clinic.example", Role::Writer);
    let writer_id = app.db.staff_by_email(&email).await.unwrap().unwrap().id;
    publish(&app.db, id, writer_id).await;
    let shown = || async {
        let page = app.get("/articles/ketamine-and-sleep").await;
        read_next_on(&page.text().await.unwrap())
    };
    assert_eq!(shown().await, ["third", "first"]);

    // Unpublished, a chosen article leaves the page (stored pages that suggested it are dropped).
    app.db.unpublish(ids[2]).await.unwrap();
    assert_eq!(shown().await, ["first"]);
}

#[tokio::test]
async fn a_choice_that_names_no_article_is_refused_and_kept_as_typed() {
    let app = TestApp::spawn().await;
    app.add_article("first", "Words.", ArticleStatus::Published)
        .await;
    let writer = app.signed_in(Role::Writer).await;
    let cases: [(&[&str], &str); 4] = [
        (
            &["first", "no-such-article"],
            "No article has the address \u{201c}no-such-article\u{201d}",
        ),
        (&["ketamine-and-sleep"], "An article cannot suggest itself"),
        (&["first", "first"], "is chosen twice"),
        (&["a", "b", "c", "d"], "Choose at most 3 articles"),
    ];
    for (chosen, message) in cases {
        let mut fields = new_article();
        fields.extend(chosen.iter().map(|slug| ("read_next", *slug)));
        let refused = app
            .post_form("/admin/articles/new", Some(&writer), &fields)
            .await;
        assert_eq!(refused.status(), 422, "{chosen:?}");
        let page = refused.text().await.unwrap();
        assert!(page.contains(message), "{chosen:?}: {page}");
        assert!(
            page.contains(&format!(r#"value="{}""#, chosen[0])),
            "what was typed is kept"
        );
        assert!(
            page.contains(r##"href="#read_next""##),
            "the summary links the field"
        );
    }
    // Markup typed into the field stays text.
    let mut fields = new_article();
    fields.push(("read_next", r#""><script>alert(1)</script>"#));
    let page = app
        .post_form("/admin/articles/new", Some(&writer), &fields)
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(page.contains("is not an article"));
    let saved = app.db.article_addresses().await.unwrap();
    assert!(
        saved
            .iter()
            .all(|address| address.slug != "ketamine-and-sleep"),
        "nothing saved"
    );
}

on_both_backends! {
    async fn chosen_first_then_the_topic_and_a_moved_article_is_still_chosen(t: &TestDb) {
        let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
        let mut neighbour = article_file("neighbour", "Words.");
        neighbour.topics = vec!["how-ketamine-treatment-works".into()];
        t.db.insert_article(&neighbour, ArticleStatus::Published).await.unwrap();
        let chosen = t.db.insert_article(&article_file("chosen", "Words."), ArticleStatus::Published).await.unwrap();
        let unpublished = t.db.insert_article(&article_file("hidden", "Words."), ArticleStatus::Draft).await.unwrap();
        let mut mine = draft("mine", "Mine.");
        mine.topics = vec![t.db.topics().await.unwrap()[0].id];
        mine.read_next = vec!["hidden".into(), "chosen".into()];
        let (id, _) = create(&t.db, &mine, writer.id).await;
        publish(&t.db, id, writer.id).await;
        let slugs = |list: Vec<plasticity::content::ArticleSummary>| -> Vec<String> {
            list.into_iter().map(|summary| summary.slug).collect()
        };
        // The draft is not shown; the chosen one comes first, then the topic's.
        assert_eq!(slugs(t.db.read_next(id).await.unwrap()), ["chosen", "neighbour"]);

        // Publishing the hidden one changes this page too (it now suggests it).
        let version = t.db.content_version().await.unwrap();
        publish(&t.db, unpublished, writer.id).await;
        let changes = t.db.content_changes(version, t.db.content_version().await.unwrap()).await.unwrap();
        let Changes::Articles(pages) = changes else { panic!("{changes:?}") };
        assert!(pages.contains(&"mine".to_owned()) && pages.contains(&"hidden".to_owned()), "{pages:?}");
        assert_eq!(slugs(t.db.read_next(id).await.unwrap()), ["hidden", "chosen", "neighbour"]);

        // The chosen article moves to a new address: still suggested, shown at the new one.
        let moved = t.db.editable_article(chosen).await.unwrap().unwrap();
        let renamed = plasticity::content::editing::ArticleDraft { slug: "chosen-moved".into(), ..moved.draft };
        t.db.save_revision(chosen, moved.head_revision_id, &renamed, writer.id, "").await.unwrap();
        publish(&t.db, chosen, writer.id).await;
        assert_eq!(slugs(t.db.read_next(id).await.unwrap())[1], "chosen-moved");
        let editor = t.db.editable_article(id).await.unwrap().unwrap();
        assert_eq!(editor.draft.read_next, ["hidden", "chosen-moved"]);
        // An old address still names the article it was.
        let again = plasticity::content::editing::ArticleDraft {
            read_next: vec!["chosen".into()],
            ..editor.draft.clone()
        };
        t.db.save_revision(id, editor.head_revision_id, &again, writer.id, "").await.unwrap();
        let saved = t.db.editable_article(id).await.unwrap().unwrap();
        assert_eq!(saved.draft.read_next, ["chosen-moved"]);
    }
}
