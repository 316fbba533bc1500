//! Topics: the seed article in "How ketamine treatment works"; `/topics` and `/topics/{slug}`
//! paged by keyset; each article names its topics and suggests what to read next; a draft's
//! topics change nothing public until it is published; staff manage topics, audited, with
//! conflicts; the search finds articles by their topic's name.

use crate::support;

use plasticity::content::ArticleStatus;
use plasticity::content::staff::Role;
use support::{TestApp, TestDb, article_file, location};

const TOPIC: &str = "how-ketamine-treatment-works";
const SEED: &str = "ketamine-and-brain-plasticity";

/// An article listed under the topic with `slug`s.
fn listed(slug: &str, topics: &[&str]) -> plasticity::content::front_matter::ArticleFile {
    let mut file = article_file(slug, "Words about treatment.");
    file.topics = topics.iter().map(|topic| (*topic).to_owned()).collect();
    file
}

#[tokio::test]
async fn patients_browse_topics_and_read_next() {
    let app = TestApp::spawn().await;
    let topics = app.get("/topics").await.text().await.unwrap();
    assert!(
        topics.contains(
            r#"<a href="/topics/how-ketamine-treatment-works">How ketamine treatment works</a>"#
        ),
        "{topics}"
    );
    assert!(topics.contains("1 article"));
    let home = app.get("/").await.text().await.unwrap();
    let (search, browse, newest) = (
        home.find(r#"id="home-search""#).expect("search box"),
        home.find("Browse by topic").expect("topics"),
        home.find("Newest articles").expect("articles"),
    );
    assert!(
        search < browse && browse < newest,
        "search, then topics, then articles"
    );
    let seed = app
        .get(&format!("/articles/{SEED}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(seed.contains(
        r#"<a href="/topics/how-ketamine-treatment-works">How ketamine treatment works</a>"#
    ));
    assert!(
        !seed.contains("Read next"),
        "nothing else shares its topic yet"
    );

    for n in 0..22 {
        app.db
            .insert_article(
                &listed(&format!("more-{n:02}"), &[TOPIC]),
                ArticleStatus::Published,
            )
            .await
            .unwrap();
    }
    app.db
        .insert_article(&listed("elsewhere", &[]), ArticleStatus::Published)
        .await
        .unwrap();
    let page = app
        .get(&format!("/topics/{TOPIC}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("/articles/more-21") && !page.contains("/articles/elsewhere"));
    assert!(
        page.contains(&format!(r#"href="/topics/{TOPIC}?before=more-02""#)),
        "older link"
    );
    let older = app.get(&format!("/topics/{TOPIC}?before=more-02")).await;
    assert_eq!(older.status(), 200);
    let older = older.text().await.unwrap();
    assert!(older.contains("/articles/more-01") && older.contains(&format!("/articles/{SEED}")));
    for path in [
        format!("/topics/{TOPIC}?before={SEED}"),
        format!("/topics/{TOPIC}?before=no-such"),
        format!("/topics/{TOPIC}?before=%3Cb%3E"),
        "/topics/no-such-topic".to_owned(),
    ] {
        let answer = app.get(&path).await;
        assert_eq!(answer.status(), 404, "{path}");
        assert!(answer.headers().get("etag").is_none(), "{path} stored");
    }
    // Read next: the newest three others of the same topic.
    let seed = app
        .get(&format!("/articles/{SEED}"))
        .await
        .text()
        .await
        .unwrap();
    let next = &seed[seed.find("Read next").expect("read next")..];
    for slug in ["more-21", "more-20", "more-19"] {
        assert!(next.contains(&format!("/articles/{slug}")), "{slug}");
    }
    assert!(!next.contains("more-18") && !next.contains("elsewhere"));
    // The sitemap lists the topic pages that have articles.
    let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(
        sitemap.contains(&format!("/topics/{TOPIC}</loc>")) && sitemap.contains("/topics</loc>")
    );
    // Search finds articles by their topic's name.
    let found = app
        .call_json("search", "q=how+treatment+works&page=1")
        .await;
    assert!(found["total"].as_u64().unwrap() >= 20, "{found}");
}

on_both_backends! {
    async fn a_drafts_topics_change_nothing_public_until_it_is_published(t: &TestDb) {
        use plasticity::content::review::Approval;
        let writer = support::add_staff(&t.db, "w@clinic.example", "W", Role::Writer).await;
        let reviewer = support::add_staff(&t.db, "r@clinic.example", "R", Role::Reviewer).await;
        t.db.insert_article(&listed("neighbour", &[TOPIC]), ArticleStatus::Published).await.unwrap();
        let id = t.db.insert_article(&listed("sleep", &[]), ArticleStatus::Published).await.unwrap();
        let topic = t.db.topics().await.unwrap()[0].id;
        let mut draft = t.db.editable_article(id).await.unwrap().unwrap();
        let version = t.db.content_version().await.unwrap();
        draft.draft.topics = vec![topic];
        t.db.save_revision(id, draft.head_revision_id, &draft.draft, writer.id, "").await.unwrap();
        assert_eq!(t.db.content_version().await.unwrap(), version, "a draft save changes no page");
        assert!(t.db.published_topic_links(id).await.unwrap().is_empty());
        let head = t.db.editable_article(id).await.unwrap().unwrap();
        assert_eq!(head.draft.topics, vec![topic], "the draft keeps its topics");
        t.db.submit_for_review(id, head.head_revision_id, writer.id).await.unwrap();
        let author = plasticity::content::Author { name: reviewer.name.clone(), credentials: "MD".into() };
        let approval = Approval { interval_months: 6, ..Approval::default() };
        let today = chrono::Utc::now().date_naive();
        let before = t.db.content_version().await.unwrap();
        t.db.approve_and_publish(id, head.head_revision_id, (reviewer.id, &author), today, &approval)
            .await
            .unwrap();
        // The publish touched its own page and its new neighbour's, whose "Read next" lists it.
        let after = t.db.content_version().await.unwrap();
        assert_eq!(
            t.db.content_changes(before, after).await.unwrap(),
            plasticity::server::db::Changes::Articles(vec!["neighbour".into(), "sleep".into()])
        );
        assert_eq!(t.db.read_next(id).await.unwrap()[0].slug, "neighbour");
        let links = t.db.published_topic_links(id).await.unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].slug, TOPIC);
        assert_eq!(t.db.topic_articles(topic, 10, None).await.unwrap()[0].slug, "sleep");
        // Unpublished, it leaves its neighbour's "Read next" too.
        let before = t.db.content_version().await.unwrap();
        t.db.unpublish(id).await.unwrap();
        let after = t.db.content_version().await.unwrap();
        assert_eq!(
            t.db.content_changes(before, after).await.unwrap(),
            plasticity::server::db::Changes::Articles(vec!["neighbour".into(), "sleep".into()])
        );
    }
}

#[tokio::test]
async fn reviewers_manage_topics_with_conflicts_and_an_audit() {
    let app = TestApp::spawn().await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let added = app
        .post_form(
            "/admin/topics",
            Some(&reviewer),
            &[
                ("intent", "add"),
                ("name", "Side effects & safety"),
                ("description", "What to expect."),
            ],
        )
        .await;
    assert_eq!(location(&added), "/admin/topics?done=topic-added");
    let topic = app
        .db
        .topic_by_slug("side-effects-safety")
        .await
        .unwrap()
        .expect("added");
    assert_eq!(
        app.db.audit_entries(1, 0).await.unwrap()[0].action,
        "added a topic"
    );
    // The same address again: refused, naming the topic that has it.
    let again = app
        .post_form(
            "/admin/topics",
            Some(&reviewer),
            &[("intent", "add"), ("name", "Side effects: safety")],
        )
        .await;
    assert_eq!(again.status(), 422);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("“Side effects &amp; safety” already has this address")
    );
    // The seed article's public page names a renamed topic at once.
    let path = "/admin/topics/1";
    let save = |name: &'static str, version: &'static str| {
        let app = &app;
        let reviewer = reviewer.clone();
        async move {
            app.post_form(
                path,
                Some(&reviewer),
                &[
                    ("intent", "save"),
                    ("version", version),
                    ("name", name),
                    ("slug", TOPIC),
                ],
            )
            .await
        }
    };
    assert_eq!(app.get(&format!("/articles/{SEED}")).await.status(), 200);
    assert_eq!(save("How the treatment works", "1").await.status(), 303);
    let seed = app
        .get(&format!("/articles/{SEED}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        seed.contains(">How the treatment works</a>"),
        "the stored page was dropped"
    );
    let stale = save("Mine", "1").await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(html.contains("value=\"Mine\"") && html.contains("How the treatment works"));
    // Removing asks first, then the topic goes and its articles stay.
    let ask = app
        .post_form(
            &format!("/admin/topics/{}", topic.id),
            Some(&reviewer),
            &[
                ("intent", "remove"),
                ("version", "1"),
                ("name", "Side effects & safety"),
            ],
        )
        .await;
    assert!(
        ask.text()
            .await
            .unwrap()
            .contains("Remove the topic “Side effects &amp; safety”?")
    );
    let removed = app
        .post_form(
            &format!("/admin/topics/{}", topic.id),
            Some(&reviewer),
            &[("intent", "remove"), ("version", "1"), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(location(&removed), "/admin/topics?done=topic-removed");
    assert!(app.db.topic(topic.id).await.unwrap().is_none());
    assert_eq!(
        app.get(&format!("/topics/{}", topic.slug)).await.status(),
        404
    );
    assert_eq!(
        app.db.audit_entries(1, 0).await.unwrap()[0].action,
        "removed a topic"
    );
}

/// The editor lists every topic as a checkbox; what a writer ticks is saved with the draft.
#[tokio::test]
async fn writers_choose_topics_in_the_editor() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let editor = app.html_as("/admin/articles/new", Some(&writer)).await;
    assert!(
        editor.contains(r#"name="topic" value="1""#),
        "a checkbox per topic"
    );
    let created = app
        .post_form(
            "/admin/articles/new",
            Some(&writer),
            &[
                ("intent", "save"),
                ("base_revision", ""),
                ("title", "Ketamine and sleep"),
                ("slug", ""),
                ("summary", "How treatment can affect sleep."),
                ("body", "Sleep text."),
                ("author_name", "Kim Writer"),
                ("author_credentials", "RN"),
                ("topic", "1"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let id = support::editing::created_id(&created);
    let saved = app.db.editable_article(id).await.unwrap().unwrap();
    assert_eq!(saved.draft.topics, vec![1]);
    let editor = app
        .html_as(&format!("/admin/articles/{id}"), Some(&writer))
        .await;
    assert!(
        editor.contains(r#"name="topic" value="1" checked"#),
        "{}",
        &editor[editor.find("topic-1").unwrap_or(0)..][..300]
    );
}
