//! The HTML shell and the route table (its URL areas are in `crate::area`).

use crate::admin::account::AccountPage;
use crate::admin::audit::AuditLogPage;
use crate::admin::dashboard::DashboardPage;
use crate::admin::editor::{EditArticlePage, NewArticlePage};
use crate::admin::glossary::{GlossaryAdminPage, GlossaryTermPage};
use crate::admin::history::HistoryPage;
use crate::admin::login::LoginPage;
use crate::admin::setup::SetupPage;
use crate::admin::staff::StaffPage;
use crate::admin::synonyms::SynonymsPage;
use crate::admin::topics::{TopicEditPage, TopicsAdminPage};
use crate::admin::two_factor::TwoFactorPage;
use crate::admin::welcome::WelcomePage;
use crate::components::response::{is_staff_page, send_page_policy};
use crate::components::site::{SiteFooter, SiteHeader, SiteInfo};
use crate::pages::article::ArticlePage;
use crate::pages::glossary::GlossaryPage;
use crate::pages::help_now::HelpNowPage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::search::SearchPage;
use crate::pages::topics::{TopicArticlesPage, TopicsPage};
use leptos::prelude::*;
use leptos_meta::{MetaTags, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

/// The document around every page. Rendered on the server only; the stylesheet is a plain
/// `<link>` (not leptos_meta's `<Stylesheet>`, which would not match on hydration). Only staff
/// pages load the WebAssembly: no public page has an island, so patients download none.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let site = use_context::<SiteInfo>().unwrap_or_default();
    send_page_policy();
    let hydration = is_staff_page().then(|| view! { <HydrationScripts options islands=true/> });
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="stylesheet" href=site.stylesheet_href/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {hydration}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Every page: the public ones, then the staff pages under `/admin`. Pages render in `Async` mode: the whole page, with its status code and
/// `<head>` tags, is ready before the first byte goes out, and no streaming scripts are needed.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("articles"), ParamSegment("slug"))
                        view=ArticlePage
                        ssr=SsrMode::Async
                    />
                    <Route path=StaticSegment("help-now") view=HelpNowPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("glossary") view=GlossaryPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("topics") view=TopicsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("topics"), ParamSegment("slug")) view=TopicArticlesPage ssr=SsrMode::Async/>
                    <Route path=StaticSegment("admin") view=DashboardPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("login")) view=LoginPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("setup")) view=SetupPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("welcome")) view=WelcomePage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("two-factor")) view=TwoFactorPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("account")) view=AccountPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("staff")) view=StaffPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=AuditLogPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("glossary")) view=GlossaryAdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("synonyms")) view=SynonymsPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("topics")) view=TopicsAdminPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("admin"), StaticSegment("topics"), ParamSegment("id")) view=TopicEditPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("glossary"), ParamSegment("id"))
                        view=GlossaryTermPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("articles"), StaticSegment("new"))
                        view=NewArticlePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("articles"), ParamSegment("id"))
                        view=EditArticlePage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=(StaticSegment("admin"), StaticSegment("articles"), ParamSegment("id"), StaticSegment("history"))
                        view=HistoryPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}
