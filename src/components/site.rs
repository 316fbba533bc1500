//! The frame around every page: a skip link, the header with the always-visible crisis link, and
//! the footer.

use super::crisis::CrisisHelpLink;
use super::response::is_staff_page;
use crate::content::search::MAX_QUERY_CHARS;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The portal's name, in titles and the header.
pub const SITE_NAME: &str = "Plasticity";

/// The Atom feed's title (`/feed.xml`), also on each public page's link to it.
pub const FEED_TITLE: &str = "Plasticity: new and updated articles";

/// Facts about this installation that pages need, provided as context by the server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// Origin for canonical and OpenGraph URLs, without a trailing slash.
    pub public_origin: String,
    /// The stylesheet's URL (content-hashed in release builds).
    pub stylesheet_href: String,
}

impl SiteInfo {
    /// The absolute URL of `path` (which starts with `/`) on the public origin.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public_origin)
    }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <span class="brand__name">{SITE_NAME}</span>
                    <span class="brand__tagline">"Ketamine treatment, explained"</span>
                </a>
                {(!is_staff_page()).then(|| view! { <SearchBox/> })}
                <CrisisHelpLink/>
            </div>
        </header>
    }
}

/// The search box in every public page's header: a plain form (no script), to `/search`.
#[component]
fn SearchBox() -> impl IntoView {
    view! {
        <form class="site-search" role="search" aria-label="Site" action="/search" method="get">
            <label class="visually-hidden" for="site-search">"Search the articles"</label>
            <input id="site-search" type="search" name="q" maxlength=MAX_QUERY_CHARS
                enterkeyhint="search" autocomplete="off"/>
            <button type="submit">"Search"</button>
        </form>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Plasticity is patient information from your clinic. It supports, and does not "
                "replace, care and advice from your clinician."
            </p>
            {(!is_staff_page()).then(|| view! {
                <p>"Reading here is private: no cookies, no tracking, nothing loaded from other sites."</p>
            })}
            <nav aria-label="Footer">
                <ul class="footer-links">
                    <li><a href="/">"All articles"</a></li>
                    <li><a href="/search">"Search"</a></li>
                    <li><a href="/glossary">"Glossary"</a></li>
                    <li><a href="/help-now">"Get help now"</a></li>
                </ul>
            </nav>
        </footer>
    }
}
