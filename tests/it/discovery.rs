//! What crawlers and feed readers find: `/sitemap.xml` (sitemaps.org 0.9), `/feed.xml` (Atom,
//! RFC 4287) and `/robots.txt`, parsed as XML and checked for the elements their specifications
//! require; both follow every publish and unpublish, on every instance.

use crate::support;

use plasticity::content::ArticleStatus;
use plasticity::content::front_matter::parse_article_file;
use support::{Served, TestApp, TestDb, get_as};

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SEED: &str = "ketamine-and-brain-plasticity";
const ORIGIN: &str = "http://learn.clinic.example";

/// The text of `node`'s child element `name` in `ns`, which must be there.
fn child_text<'a>(node: roxmltree::Node<'a, 'a>, ns: &str, name: &str) -> &'a str {
    node.children()
        .find(|child| child.has_tag_name((ns, name)))
        .unwrap_or_else(|| panic!("<{}> has no <{name}>", node.tag_name().name()))
        .text()
        .unwrap_or_default()
}

/// The sitemap's URLs, each checked for what the protocol requires: a `<loc>` that is an
/// absolute URL on this site, and a `<lastmod>` in W3C date form when there is one.
fn sitemap_locs(xml: &str, origin: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("the sitemap is well-formed XML");
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP_NS, "urlset")), "{xml}");
    let urls: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert!(urls.len() <= 50_000);
    urls.iter()
        .map(|url| {
            assert!(url.has_tag_name((SITEMAP_NS, "url")));
            let loc = child_text(*url, SITEMAP_NS, "loc");
            assert!(loc.starts_with(origin), "{loc}");
            if let Some(lastmod) = url.children().find(|n| n.has_tag_name("lastmod")) {
                let day = lastmod.text().unwrap();
                chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a W3C date");
            }
            loc.trim_start_matches(origin).to_owned()
        })
        .collect()
}

/// The feed's entries (title, link), each checked for RFC 4287's required elements, as is the
/// feed itself (id, title, updated, an author, a link to itself).
fn feed_entries(xml: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(xml).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM_NS, "feed")), "{xml}");
    let instant = |text: &str| chrono::DateTime::parse_from_rfc3339(text).expect("RFC 3339");
    assert!(!child_text(feed, ATOM_NS, "id").is_empty());
    assert!(!child_text(feed, ATOM_NS, "title").is_empty());
    instant(child_text(feed, ATOM_NS, "updated"));
    let author = feed
        .children()
        .find(|n| n.has_tag_name((ATOM_NS, "author")))
        .expect("a feed author (its entries have none of their own)");
    assert!(!child_text(author, ATOM_NS, "name").is_empty());
    assert!(feed.children().any(|n| n.has_tag_name((ATOM_NS, "link"))
        && n.attribute("rel") == Some("self")
        && n.attribute("href").unwrap().ends_with("/feed.xml")));
    feed.children()
        .filter(|n| n.has_tag_name((ATOM_NS, "entry")))
        .map(|entry| {
            assert!(!child_text(entry, ATOM_NS, "id").is_empty());
            instant(child_text(entry, ATOM_NS, "updated"));
            let link = entry
                .children()
                .find(|n| {
                    n.has_tag_name((ATOM_NS, "link")) && n.attribute("rel") == Some("alternate")
                })
                .expect("an entry without content links to it");
            (
                child_text(entry, ATOM_NS, "title").to_owned(),
                link.attribute("href").unwrap().to_owned(),
            )
        })
        .collect()
}

fn titled(slug: &str, title: &str) -> plasticity::content::front_matter::ArticleFile {
    let text = format!(
        "+++\nslug = \"{slug}\"\ntitle = '''{title}'''\nsummary = \"Summary of {slug}\"\n\
         [author]\nname = \"A. Writer\"\ncredentials = \"RN\"\n+++\nWords.\n"
    );
    parse_article_file(&text).expect("test article file")
}

#[tokio::test]
async fn the_sitemap_and_feed_list_the_published_articles_and_text_stays_text() {
    let app = TestApp::spawn().await;
    let origin = app.base_url.clone();
    // A title that would break out of the XML if it were not escaped.
    let title = "Sleep </title><script>alert(1)</script> & \"dreams\" 'too'";
    app.db
        .insert_article(&titled("sleep", title), ArticleStatus::Published)
        .await
        .unwrap();
    app.add_article("a-draft", "Draft words.", ArticleStatus::Draft)
        .await;

    let sitemap = app.get("/sitemap.xml").await;
    assert_eq!(sitemap.status(), 200);
    assert_eq!(
        sitemap.headers()["content-type"],
        "application/xml; charset=utf-8"
    );
    let locs = sitemap_locs(&sitemap.text().await.unwrap(), &origin);
    assert_eq!(
        locs,
        [
            "/",
            "/topics",
            "/help-now",
            "/glossary",
            "/topics/how-ketamine-treatment-works",
            "/articles/sleep",
            &format!("/articles/{SEED}")
        ]
    );

    let feed = app.get("/feed.xml").await;
    assert_eq!(
        feed.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let entries = feed_entries(&feed.text().await.unwrap());
    assert_eq!(
        entries,
        [
            (title.to_owned(), format!("{origin}/articles/sleep")),
            (
                "Ketamine and Brain Plasticity".to_owned(),
                format!("{origin}/articles/{SEED}")
            ),
        ]
    );

    let robots = app.get("/robots.txt").await.text().await.unwrap();
    assert!(
        robots.contains(&format!("\nSitemap: {origin}/sitemap.xml\n")),
        "{robots}"
    );
    assert!(robots.contains("Disallow: /admin\n"), "{robots}");
    // Every public page names the feed.
    for page in ["/", "/glossary", "/help-now", &format!("/articles/{SEED}")] {
        let html = app.get(page).await.text().await.unwrap();
        assert!(
            html.contains(
                r#"<link href="/feed.xml" rel="alternate" title="Plasticity: new and updated articles" type="application/atom+xml">"#
            ),
            "{page}: {html}"
        );
    }
}

#[tokio::test]
async fn an_unchanged_document_answers_304_and_a_change_is_in_the_next_one() {
    let app = TestApp::spawn().await;
    let first = app.get("/feed.xml").await;
    let etag = first.headers()["etag"].clone();
    let again = TestApp::client()
        .get(format!("{}/feed.xml", app.base_url))
        .header("if-none-match", etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    app.db.unpublish(1).await.unwrap();
    let after = app.get("/feed.xml").await;
    assert_ne!(after.headers()["etag"], etag);
    assert!(feed_entries(&after.text().await.unwrap()).is_empty());
    let locs = sitemap_locs(
        &app.get("/sitemap.xml").await.text().await.unwrap(),
        &app.base_url,
    );
    assert_eq!(locs, ["/", "/topics", "/help-now", "/glossary"]);
}

/// Two instances on one PostgreSQL database: what is published or unpublished through the
/// database is in the next sitemap and feed either serves, though both had built theirs before.
#[tokio::test]
async fn every_instance_serves_the_change_next() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    // Behind one public address, as behind a load balancer.
    let public = [("PLASTICITY_PUBLIC_URL", ORIGIN)];
    let (a, b) = (
        Served::start(&t.url, &public),
        Served::start(&t.url, &public),
    );
    for base in [&a.base_url, &b.base_url] {
        let feed = get_as(base, "/feed.xml", None).await.text().await.unwrap();
        assert_eq!(feed_entries(&feed).len(), 1, "the seed, on {base}");
    }
    t.db.insert_article(
        &titled("sleep", "Ketamine and sleep"),
        ArticleStatus::Published,
    )
    .await
    .unwrap();
    t.db.unpublish(1).await.unwrap();
    for base in [&a.base_url, &b.base_url] {
        let feed = get_as(base, "/feed.xml", None).await.text().await.unwrap();
        let titles: Vec<String> = feed_entries(&feed).into_iter().map(|(t, _)| t).collect();
        assert_eq!(titles, ["Ketamine and sleep"], "{base}");
        let sitemap = get_as(base, "/sitemap.xml", None)
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(
            sitemap_locs(&sitemap, ORIGIN),
            ["/", "/topics", "/help-now", "/glossary", "/articles/sleep"],
            "{base}"
        );
    }
}
