//! `/topics`: every topic, with its description and how many articles it lists; and
//! `/topics/{slug}`: one topic's articles, newest first, a page at a time by key
//! (`?before=SLUG`, as the home list).

use crate::api::public::{topic_articles, topic_list};
use crate::components::article_parts::ArticleCard;
use crate::components::loaded::loaded_once;
use crate::components::page_meta::PageMeta;
use crate::content::list_cursor;
use crate::content::topics::{TopicPage, TopicSummary, topic_href};
use crate::pages::not_found::ErrorPage;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TopicsPage() -> impl IntoView {
    view! {
        <PageMeta
            title="Topics"
            description="Every subject our articles cover, from how ketamine treatment works to what to expect."
            path="/topics"
        />
        <h1>"Topics"</h1>
        <p class="lead">"Find articles by subject."</p>
        <Suspense fallback=|| view! { <p>"Loading the topics…"</p> }>
            {loaded_once(topic_list(), |topics| match topics {
                Ok(topics) => view! { <TopicCards topics/> }.into_any(),
                Err(error) => view! { <ErrorPage error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The topics as cards: name (a link), description, how many articles. Also the home page's,
/// where they sit under a heading of their own (`nested`: each card's heading one level down).
#[component]
pub fn TopicCards(topics: Vec<TopicSummary>, #[prop(optional)] nested: bool) -> impl IntoView {
    let topics: Vec<TopicSummary> = topics.into_iter().filter(|t| t.articles > 0).collect();
    if topics.is_empty() {
        return view! { <p>"There are no topics here yet."</p> }.into_any();
    }
    view! {
        <ul class="topic-list">
            {topics.into_iter().map(|summary| {
                let count = match summary.articles {
                    1 => "1 article".to_owned(),
                    n => format!("{n} articles"),
                };
                let href = summary.topic.href();
                let topic = summary.topic;
                view! {
                    <li class="topic-card">
                        {match nested {
                            false => view! { <h2><a href=href>{topic.name}</a></h2> }.into_any(),
                            true => view! { <h3><a href=href>{topic.name}</a></h3> }.into_any(),
                        }}
                        {(!topic.description.is_empty()).then(|| view! {
                            <p>{topic.description}</p>
                        })}
                        <p class="article-card__meta">{count}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
pub fn TopicArticlesPage() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let before = use_query_map().with_untracked(|query| query.get("before"));
    view! {
        <Suspense fallback=|| view! { <p>"Loading the topic…"</p> }>
            {loaded_once(topic_articles(slug, before), |page| match page {
                Ok(page) => view! { <Topic page/> }.into_any(),
                Err(error) => view! { <ErrorPage error/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Topic(page: TopicPage) -> impl IntoView {
    let TopicPage {
        topic,
        articles,
        before,
        next,
    } = page;
    let href = topic.href();
    let path = match before.as_deref().and_then(list_cursor) {
        Some(slug) => format!("{href}?before={slug}"),
        None => href.clone(),
    };
    let description = match topic.description.is_empty() {
        true => format!("Articles about {}.", topic.name),
        false => topic.description.clone(),
    };
    view! {
        <PageMeta title=topic.name.clone() description=description path/>
        <p><a href="/topics">"All topics"</a></p>
        <h1>{topic.name}</h1>
        {(!topic.description.is_empty()).then(|| view! { <p class="lead">{topic.description}</p> })}
        <h2 class="visually-hidden">"Articles"</h2>
        {articles.is_empty().then(|| view! { <p>"There are no articles on this topic yet."</p> })}
        <ul class="article-list">
            {articles.into_iter().map(|article| view! { <ArticleCard article/> }).collect_view()}
        </ul>
        {(before.is_some() || next.is_some()).then(|| view! {
            <nav class="pagination" aria-label="More articles on this topic">
                {before.is_some().then(|| view! { <a href=href.clone()>"Newest articles"</a> })}
                {next.map(|slug| view! {
                    <a rel="next" href=format!("{}?before={slug}", topic_href(&topic.slug))>"Older articles"</a>
                })}
            </nav>
        })}
    }
}
