//! Title, description, canonical URL and OpenGraph tags for a page, placed in `<head>`.

use super::raw_text::title_text;
use super::site::{FEED_TITLE, SITE_NAME, SiteInfo};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

#[component]
pub fn PageMeta(
    /// The page's own title; the site name is appended.
    #[prop(into)]
    title: String,
    #[prop(into)] description: String,
    /// Path of the canonical URL, e.g. `/articles/ketamine-and-brain-plasticity`.
    #[prop(into)]
    path: String,
    /// OpenGraph type: `website`, or `article` for an article.
    #[prop(default = "website")]
    og_type: &'static str,
    /// Asks search engines not to index the page (search results: what strangers type).
    #[prop(optional)]
    noindex: bool,
) -> impl IntoView {
    let site = use_context::<SiteInfo>().unwrap_or_default();
    let url = site.url(&path);
    let full_title = if title == SITE_NAME {
        title.clone()
    } else {
        format!("{title} | {SITE_NAME}")
    };
    view! {
        <Title text=title_text(&full_title)/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <Meta property="og:site_name" content=SITE_NAME/>
        <Meta property="og:type" content=og_type/>
        <Meta property="og:title" content=title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=url/>
        <Link rel="alternate" type_="application/atom+xml" href="/feed.xml" title=FEED_TITLE/>
        {noindex.then(|| view! { <Meta name="robots" content="noindex"/> })}
    }
}
