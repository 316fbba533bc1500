//! `/articles/{slug}`: one published article.

use crate::api::public::{article_moved_to, get_published_article};
use crate::components::article_parts::{
    ArticleCard, ArticleJsonLd, MedicalDisclaimer, ReferenceList, ReviewDates, ReviewedBy,
};
use crate::components::crisis::CrisisHelpBlock;
use crate::components::loaded::loaded_once;
use crate::components::page_meta::PageMeta;
use crate::components::print_button::PrintButton;
use crate::components::response::redirect_permanently;
use crate::components::site::SiteInfo;
use crate::content::reading_time::reading_minutes;
use crate::content::safety::mentions_suicide;
use crate::content::topics::{TopicLink, topic_href};
use crate::content::{ArticleSummary, RenderedArticle};
use crate::pages::not_found::{ErrorPage, NotFoundPage};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ArticlePage() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    view! {
        <Suspense fallback=|| view! { <p>"Loading the article…"</p> }>
            {loaded_once(
                async move {
                    match get_published_article(slug.clone()).await {
                        Ok(None) => (Ok(None), article_moved_to(slug).await.ok().flatten()),
                        found => (found, None),
                    }
                },
                |(found, moved)| match (found, moved) {
                    (Ok(Some(rendered)), _) => view! { <ArticleView rendered/> }.into_any(),
                    (Ok(None), Some(new_slug)) => {
                        let path = format!("/articles/{new_slug}");
                        redirect_permanently(&path);
                        view! { <p>"This article has moved to "<a href=path.clone()>{path.clone()}</a>"."</p> }.into_any()
                    }
                    (Ok(None), None) => view! { <NotFoundPage/> }.into_any(),
                    (Err(error), _) => view! { <ErrorPage error/> }.into_any(),
                },
            )}
        </Suspense>
    }
}

#[component]
fn ArticleView(rendered: RenderedArticle) -> impl IntoView {
    let RenderedArticle {
        article,
        body_html,
        today,
        topics,
        read_next,
    } = rendered;
    let path = format!("/articles/{}", article.slug);
    let url = use_context::<SiteInfo>().unwrap_or_default().url(&path);
    let crisis = mentions_suicide(&article.body);
    let minutes = reading_minutes(&article.body);
    view! {
        <PageMeta title=article.title.clone() description=article.summary.clone() path og_type="article"/>
        <ArticleJsonLd article=article.clone() url/>
        <article class="article">
            <header class="article-header">
                <h1>{article.title}</h1>
                <p class="byline">{format!("By {}", article.author.byline())}</p>
                <ReviewedBy review=article.review.clone()/>
                <p class="article-meta">{format!("{minutes} min read")}</p>
                <TopicLinks topics/>
            </header>
            {crisis.then(|| view! { <CrisisHelpBlock/> })}
            // The main message before any scrolling (the CDC Clear Communication Index asks
            // for it): the summary the writer gave, as the article's key points.
            <section class="key-points" aria-labelledby="key-points-heading">
                <h2 id="key-points-heading">"Key points"</h2>
                <p>{article.summary.clone()}</p>
            </section>
            <div class="article-body" inner_html=body_html></div>
            <ReferenceList references=article.references/>
            <MedicalDisclaimer/>
            <ReviewDates review=article.review.clone() today/>
            <PrintButton/>
        </article>
        <ReadNext articles=read_next/>
    }
}

/// The topics the article is listed under, each a link to its page.
#[component]
fn TopicLinks(topics: Vec<TopicLink>) -> impl IntoView {
    (!topics.is_empty()).then(|| {
        view! {
            <nav class="article-topics" aria-label="Topics">
                <span>"Topics: "</span>
                <ul>
                    {topics.into_iter().map(|topic| view! {
                        <li><a href=topic_href(&topic.slug)>{topic.name}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
        }
    })
}

/// "Read next": other articles that share a topic with this one.
#[component]
fn ReadNext(articles: Vec<ArticleSummary>) -> impl IntoView {
    (!articles.is_empty()).then(|| {
        view! {
            <section class="read-next" aria-labelledby="read-next-heading">
                <h2 id="read-next-heading">"Read next"</h2>
                <ul class="article-list">
                    {articles.into_iter().map(|article| view! { <ArticleCard article/> }).collect_view()}
                </ul>
            </section>
        }
    })
}
