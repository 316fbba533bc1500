//! What a staff action costs the page cache: a draft save nothing, a publish or unpublish the
//! pages that show the article (its own page, the list pages, and the pages whose "Read next"
//! may list it: none here, as these articles have no topic), and no other page.

use crate::support;

use plasticity::content::ArticleStatus;
use plasticity::content::review::Approval;
use plasticity::content::staff::Role;
use plasticity::server::page_cache::CacheCounts;
use support::TestApp;
use support::editing::{article_fields, create, head_revision};

const SEED: &str = "/articles/ketamine-and-brain-plasticity";

/// Every public page of a site with the seed and articles `a` and `b` (neither listed under a
/// topic).
const PAGES: [&str; 8] = [
    "/",
    "/topics",
    "/topics/how-ketamine-treatment-works",
    "/help-now",
    "/glossary",
    SEED,
    "/articles/a",
    "/articles/b",
];

/// Waits until the cache holds `stored` pages (rendering ahead runs in the background).
async fn settled(app: &TestApp, stored: usize) -> CacheCounts {
    for _ in 0..200 {
        let counts = app.state().pages.counts();
        if counts.stored == stored {
            // Nothing else is on its way: the pass renders only what is missing.
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            return app.state().pages.counts();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!(
        "the cache never held {stored} pages: {:?}",
        app.state().pages.counts()
    );
}

/// A site with the seed and two more published articles (`a` and `b`, their ids returned),
/// every public page stored.
async fn warm_site() -> (TestApp, [i64; 2], CacheCounts) {
    let app = TestApp::spawn().await;
    let a = app
        .add_article("a", "About a.", ArticleStatus::Published)
        .await;
    let b = app
        .add_article("b", "About b.", ArticleStatus::Published)
        .await;
    assert_eq!(app.get("/help-now").await.status(), 200);
    let counts = settled(&app, PAGES.len()).await;
    for page in PAGES {
        assert!(app.state().pages.is_stored(page), "{page}");
    }
    (app, [a, b], counts)
}

#[tokio::test]
async fn a_draft_save_and_a_submission_leave_every_stored_page_in_place() {
    let (app, [a, _], before) = warm_site().await;
    let writer = app.signed_in(Role::Writer).await;
    // A new article, and a new draft of a published one, saved and submitted through the forms.
    create(&app, &writer, "c", "A draft about c.").await;
    let head = head_revision(&app, a).await.to_string();
    let saved = app
        .post_form(
            &format!("/admin/articles/{a}"),
            Some(&writer),
            &article_fields("submit", &head, "A, revised", "a", "About a, revised."),
        )
        .await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    assert!(head_revision(&app, a).await > head.parse().unwrap());
    for page in PAGES {
        assert_eq!(app.get(page).await.status(), 200, "{page}");
    }
    assert!(
        !app.get("/articles/a")
            .await
            .text()
            .await
            .unwrap()
            .contains("revised"),
        "the draft is not live"
    );
    // (Bytes may still shrink as the background recompression finishes: not compared.)
    let after = app.state().pages.counts();
    assert_eq!(
        (after.version, after.stored, after.rendered, after.dropped),
        (
            before.version,
            before.stored,
            before.rendered,
            before.dropped
        ),
        "nothing dropped or rendered"
    );
}

#[tokio::test]
async fn a_publish_renders_the_article_and_the_list_pages_and_nothing_else() {
    let (app, [a, b], before) = warm_site().await;
    let writer = app.add_staff("w@clinic.example", "W", Role::Writer).await;
    let reviewer = app
        .add_staff("r@clinic.example", "Dr R", Role::Reviewer)
        .await;
    let author = plasticity::content::Author {
        name: reviewer.name.clone(),
        credentials: "MD".into(),
    };
    let today = chrono::Utc::now().date_naive();
    let mut draft = app.db.editable_article(a).await.unwrap().unwrap().draft;
    draft.body = "About a, now reviewed.".into();
    let head = app
        .db
        .save_revision(a, head_revision(&app, a).await, &draft, writer.id, "")
        .await
        .unwrap();
    app.db.submit_for_review(a, head, writer.id).await.unwrap();
    app.db
        .approve_and_publish(a, head, (reviewer.id, &author), today, &Approval::default())
        .await
        .unwrap();

    // The next request sees the change; a stored page is still answered from the cache.
    assert_eq!(app.get("/help-now").await.status(), 200);
    let after = settled(&app, PAGES.len()).await;
    // Its page and the list pages: home, the topics (which counts each topic's articles) and
    // each topic's page.
    assert_eq!(after.dropped - before.dropped, 4, "{after:?}");
    assert_eq!(after.rendered - before.rendered, 4, "{after:?}");
    let page = app.get("/articles/a").await.text().await.unwrap();
    assert!(page.contains("now reviewed"));

    // Unpublishing drops the article's page and the list pages; the page is not stored again.
    app.db.unpublish(b).await.unwrap();
    assert_eq!(app.get("/articles/b").await.status(), 404);
    let gone = settled(&app, PAGES.len() - 1).await;
    assert_eq!(gone.dropped - after.dropped, 4, "{gone:?}");
    assert_eq!(
        gone.rendered - after.rendered,
        3,
        "the list pages only: {gone:?}"
    );
    assert!(
        !app.get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("/articles/b")
    );
    for kept in ["/help-now", SEED, "/articles/a"] {
        assert!(app.state().pages.is_stored(kept), "{kept}");
    }
}

/// The nice value of each of this process's threads called `name` (Linux: /proc).
fn nice_of_threads(name: &str) -> Vec<i64> {
    let mut nices = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        let path = task.path();
        let comm = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        if comm.trim() != name {
            continue;
        }
        let stat = std::fs::read_to_string(path.join("stat")).unwrap_or_default();
        // After "pid (comm) ": state, ppid, … priority, nice (the 17th field after the name).
        let after_name = stat.rsplit_once(") ").map(|(_, rest)| rest).unwrap_or("");
        if let Some(nice) = after_name.split_whitespace().nth(16) {
            nices.push(nice.parse().unwrap());
        }
    }
    nices
}

#[tokio::test]
async fn pages_are_rendered_ahead_on_a_thread_of_the_lowest_priority() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/").await.status(), 200);
    let nices = nice_of_threads("render-ahead");
    assert!(!nices.is_empty(), "a render-ahead thread");
    assert!(nices.iter().all(|nice| *nice == 19), "{nices:?}");
    // The threads that answer patients keep the normal priority. (This checked the shared
    // runtime's `tokio-runtime-w` threads, which a current-thread test runtime does not have:
    // `all` over none could not fail.)
    let serving: Vec<i64> = ["serve-0", "serve-1"]
        .into_iter()
        .flat_map(nice_of_threads)
        .collect();
    assert!(!serving.is_empty(), "the serving threads");
    assert!(serving.iter().all(|nice| *nice == 0), "{serving:?}");
}
