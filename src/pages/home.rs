//! `/`: the newest published articles, then older ones a page at a time (`?before=SLUG`, see
//! `ArticleList`). The numbered pages this list once had (`?page=N`) answer 301 to `/`.

use crate::api::public::{list_published_articles, topic_list};
use crate::components::article_parts::ArticleCard;
use crate::components::loaded::loaded_once;
use crate::components::page_meta::PageMeta;
use crate::components::response::redirect_permanently;
use crate::components::site::SITE_NAME;
use crate::content::{ArticleList, list_cursor};
use crate::pages::not_found::{ErrorPage, NotFoundPage};
use crate::pages::search::SearchForm;
use crate::pages::topics::TopicCards;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let (before, numbered) = query.with_untracked(|query| (query.get("before"), query.get("page")));
    if numbered.is_some() {
        // An old numbered page: the list starts at the newest now (a redirect, never a scan).
        redirect_permanently("/");
        return view! { <p>"The articles are listed on "<a href="/">"the home page"</a>"."</p> }
            .into_any();
    }
    // Each page of the list is its own canonical address (a well-formed cursor only).
    // The first page leads with search and the topics; later pages are the archive.
    let first = before.is_none();
    let path = match before.as_deref().and_then(list_cursor) {
        Some(slug) => format!("/?before={slug}"),
        None => "/".to_owned(),
    };
    view! {
        <PageMeta
            title=SITE_NAME
            description="Plain-language information about ketamine treatment for depression, anxiety and PTSD, from your clinic. Each article says whether, and when, a clinician reviewed it."
            path
        />
        <h1>"Understanding ketamine treatment"</h1>
        <p class="lead">
            "Clear, trustworthy information about ketamine treatment for depression, anxiety and "
            "PTSD, and about how the brain can heal and change."
        </p>
        {first.then(|| view! {
            <SearchForm id="home-search"/>
            <section class="home-topics" aria-labelledby="home-topics-heading">
                <h2 id="home-topics-heading">"Browse by topic"</h2>
                <Suspense fallback=|| view! { <p>"Loading topics…"</p> }>
                    {loaded_once(topic_list(), |topics| match topics {
                        Ok(topics) => view! {
                            <TopicCards topics nested=true/>
                            <p><a href="/topics">"All topics"</a></p>
                        }.into_any(),
                        Err(error) => view! { <ErrorPage error/> }.into_any(),
                    })}
                </Suspense>
            </section>
        })}
        <Suspense fallback=|| view! { <p>"Loading articles…"</p> }>
            {loaded_once(list_published_articles(before), |list| match list {
                // A page past the last one, or after an article that is not published, does not
                // exist (and so is never stored).
                Ok(list) if list.before.is_some() && list.articles.is_empty() => {
                    view! { <NotFoundPage/> }.into_any()
                }
                Ok(list) => view! { <ArticleListing list/> }.into_any(),
                Err(error) => view! { <ErrorPage error/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn ArticleListing(list: ArticleList) -> impl IntoView {
    let ArticleList {
        articles,
        before,
        next,
    } = list;
    let empty = articles.is_empty();
    view! {
        <h2>{if before.is_some() { "Older articles" } else { "Newest articles" }}</h2>
        {empty.then(|| view! { <p>"There are no articles here yet."</p> })}
        <ul class="article-list">
            {articles.into_iter().map(|article| view! { <ArticleCard article/> }).collect_view()}
        </ul>
        {(before.is_some() || next.is_some()).then(|| view! {
            <nav class="pagination" aria-label="More articles">
                {before.is_some().then(|| view! { <a href="/">"Newest articles"</a> })}
                {next.map(|slug| view! { <a rel="next" href=format!("/?before={slug}")>"Older articles"</a> })}
            </nav>
        })}
    }
}
