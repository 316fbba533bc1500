//! The sitemap (sitemaps.org 0.9) and the Atom feed (RFC 4287) as text: pure functions of the
//! published articles and the public origin, so the tests can check them element by element.

use crate::components::site::{FEED_TITLE, SITE_NAME};
use crate::pages::FIXED_PAGES;
use crate::server::db::ListedArticle;
use chrono::{DateTime, SecondsFormat, Utc};
use std::fmt::Write;

/// The most URLs one sitemap file may hold (sitemaps.org); the articles past it are left out,
/// newest kept (a site that size needs a sitemap index, which 50,000 articles is far from).
pub const MAX_SITEMAP_URLS: usize = 50_000;

/// How many articles the feed carries: the newest.
pub const FEED_ENTRIES: u32 = 20;

/// How many articles the sitemap asks the database for.
pub const SITEMAP_ARTICLES: u32 = (MAX_SITEMAP_URLS - FIXED_PAGES.len()) as u32;

/// `text` escaped for XML text and double-quoted attributes, without the characters XML 1.0
/// cannot carry at all (C0 controls other than tab and line breaks, lone surrogates cannot
/// occur in a `str`, U+FFFE and U+FFFF): a parser would reject the whole document for one.
fn push_text(out: &mut String, text: &str) {
    let allowed = |c: &char| {
        matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    let clean: String = text.chars().filter(allowed).collect();
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, &clean);
}

fn element(out: &mut String, name: &str, text: &str) {
    let _ = write!(out, "<{name}>");
    push_text(out, text);
    let _ = write!(out, "</{name}>");
}

fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `/sitemap.xml`: the fixed pages (`pages::FIXED_PAGES`; the home page's `lastmod` is the newest
/// change of any article), and every published article (at most `MAX_SITEMAP_URLS` in all).
pub fn sitemap(origin: &str, articles: &[ListedArticle], topics: &[String]) -> String {
    let mut out = String::with_capacity(200 + articles.len() * 120);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let newest = articles.iter().map(|article| article.updated).max();
    let url = |out: &mut String, path: &str, lastmod: Option<DateTime<Utc>>| {
        out.push_str("<url>");
        element(out, "loc", &format!("{origin}{path}"));
        if let Some(at) = lastmod {
            element(out, "lastmod", &at.date_naive().to_string());
        }
        out.push_str("</url>\n");
    };
    url(&mut out, FIXED_PAGES[0], newest);
    for path in &FIXED_PAGES[1..] {
        url(&mut out, path, None);
    }
    // Topic pages (those with published articles), without a date: a topic's page changes
    // whenever any of its articles does.
    for slug in topics {
        url(&mut out, &crate::content::topics::topic_href(slug), None);
    }
    for article in articles
        .iter()
        .take(MAX_SITEMAP_URLS - FIXED_PAGES.len() - topics.len())
    {
        url(
            &mut out,
            &format!("/articles/{}", article.slug),
            Some(article.updated),
        );
    }
    out.push_str("</urlset>\n");
    out
}

/// `/feed.xml`: the newest articles as an Atom feed, the feed's `updated` the newest of
/// theirs (the Unix epoch for an empty site, so every instance writes the same bytes). An
/// entry's id is its address: an article given a new slug appears once more, as new.
pub fn atom(origin: &str, articles: &[ListedArticle]) -> String {
    let mut out = String::with_capacity(600 + articles.len() * 600);
    let updated = articles
        .iter()
        .map(|article| article.updated)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    element(&mut out, "id", &format!("{origin}/"));
    element(&mut out, "title", FEED_TITLE);
    element(&mut out, "updated", &instant(updated));
    out.push_str("<author>");
    element(&mut out, "name", SITE_NAME);
    out.push_str("</author>\n");
    link(&mut out, "self", &format!("{origin}/feed.xml"));
    link(&mut out, "alternate", &format!("{origin}/"));
    for article in articles {
        let url = format!("{origin}/articles/{}", article.slug);
        out.push_str("<entry>");
        element(&mut out, "id", &url);
        element(&mut out, "title", &article.title);
        element(&mut out, "published", &instant(article.published));
        element(&mut out, "updated", &instant(article.updated));
        link(&mut out, "alternate", &url);
        element(&mut out, "summary", &article.summary);
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// A `<link>` to `href`, a page (`text/html`) or, for `self`, this feed.
fn link(out: &mut String, rel: &str, href: &str) {
    let kind = if rel == "self" {
        "application/atom+xml"
    } else {
        "text/html"
    };
    out.push_str("<link rel=\"");
    push_text(out, rel);
    out.push_str("\" type=\"");
    out.push_str(kind);
    out.push_str("\" href=\"");
    push_text(out, href);
    out.push_str("\"/>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(slug: &str, title: &str) -> ListedArticle {
        let at = DateTime::parse_from_rfc3339("2026-12-01T09:30:00Z")
            .unwrap()
            .to_utc();
        ListedArticle {
            slug: slug.into(),
            title: title.into(),
            summary: "A summary.".into(),
            published: at,
            updated: at,
        }
    }

    #[test]
    fn text_that_looks_like_markup_stays_text_and_forbidden_characters_are_dropped() {
        let mut out = String::new();
        push_text(&mut out, "a </title><x y=\"1\"> & 'b'\u{1}\u{FFFF}\tc");
        assert_eq!(
            out,
            "a &lt;/title&gt;&lt;x y=&quot;1&quot;&gt; &amp; &#39;b&#39;\tc"
        );
    }

    #[test]
    fn the_feed_lists_the_articles_newest_first_with_their_times() {
        let feed = atom("https://clinic.example", &[article("a", "A & B")]);
        assert!(feed.contains("<title>A &amp; B</title>"), "{feed}");
        assert!(
            feed.contains("<updated>2026-12-01T09:30:00Z</updated>"),
            "{feed}"
        );
        assert!(
            feed.contains("href=\"https://clinic.example/articles/a\""),
            "{feed}"
        );
    }

    #[test]
    fn an_empty_site_still_has_a_valid_feed_and_sitemap() {
        assert!(atom("https://c.example", &[]).contains("<updated>1970-01-01T00:00:00Z</updated>"));
        let map = sitemap("https://c.example", &[], &[]);
        assert!(map.contains("<loc>https://c.example/</loc>"), "{map}");
        assert!(!map.contains("<lastmod>"), "{map}");
    }
}
