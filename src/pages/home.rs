//! `/`: the published articles, a page at a time (`?page=N`).

use crate::api::public::list_published_articles;
use crate::components::loaded::loaded_once;
use crate::components::page_meta::PageMeta;
use crate::components::site::SITE_NAME;
use crate::content::{ArticleList, ArticleSummary, format_date};
use crate::pages::not_found::{ErrorPage, NotFoundPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let page = query
        .read_untracked()
        .get("page")
        .and_then(|page| page.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    view! {
        <PageMeta
            title=SITE_NAME
            description="Plain-language information about ketamine treatment for depression, anxiety and PTSD, from your clinic. Each article says whether, and when, a clinician reviewed it."
            path="/"
        />
        <h1>"Understanding ketamine treatment"</h1>
        <p class="lead">
            "Clear, trustworthy information about ketamine treatment for depression, anxiety and "
            "PTSD, and about how the brain can heal and change."
        </p>
        <Suspense fallback=|| view! { <p>"Loading articles…"</p> }>
            {loaded_once(list_published_articles(page), |list| match list {
                // A page past the last one does not exist (and so is never stored).
                Ok(list) if list.page > 1 && list.articles.is_empty() => {
                    view! { <NotFoundPage/> }.into_any()
                }
                Ok(list) => view! { <ArticleListing list/> }.into_any(),
                Err(error) => view! { <ErrorPage error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn ArticleListing(list: ArticleList) -> impl IntoView {
    let ArticleList {
        articles,
        page,
        has_next,
    } = list;
    let empty = articles.is_empty();
    view! {
        <h2 class="visually-hidden">"Articles"</h2>
        {empty.then(|| view! { <p>"There are no articles here yet."</p> })}
        <ul class="article-list">
            {articles.into_iter().map(|article| view! { <ArticleCard article/> }).collect_view()}
        </ul>
        {(page > 1 || has_next).then(|| view! {
            <nav class="pagination" aria-label="More articles">
                {(page > 1).then(|| view! { <a rel="prev" href=format!("/?page={}", page - 1)>"Newer articles"</a> })}
                {has_next.then(|| view! { <a rel="next" href=format!("/?page={}", page + 1)>"Older articles"</a> })}
            </nav>
        })}
    }
}

#[component]
fn ArticleCard(article: ArticleSummary) -> impl IntoView {
    let href = format!("/articles/{}", article.slug);
    view! {
        <li class="article-card">
            <h3><a href=href>{article.title}</a></h3>
            <p>{article.summary}</p>
            <p class="article-card__meta">
                {format!("{} min read", article.reading_minutes)}
                {match article.last_reviewed {
                    Some(day) => view! {
                        " · Last reviewed "
                        <time datetime=day.to_string()>{format_date(day)}</time>
                    }.into_any(),
                    None => view! { " · Not yet clinically reviewed" }.into_any(),
                }}
            </p>
        </li>
    }
}
