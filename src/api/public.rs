//! What anyone may read: published articles only. Drafts, articles in review and archived ones are
//! invisible here, whoever asks.

use crate::content::glossary::GlossaryTerm;
use crate::content::search::SearchResults;
use crate::content::topics::{TopicPage, TopicSummary};
use crate::content::{ArticleList, RenderedArticle};
use crate::error::AppError;
use leptos::prelude::*;

/// A page of the published articles, most recently published first: the newest, or with
/// `before`, those published before the article at that slug (see `ArticleList`).
#[server(prefix = "/api", endpoint = "articles/list")]
pub async fn list_published_articles(before: Option<String>) -> Result<ArticleList, AppError> {
    let db = crate::server::state::db()?;
    // No article has a malformed slug, so the page after one is empty (which the home page
    // answers 404).
    let (articles, next) = keyset_page(before.as_deref(), |limit, cursor| {
        db.published_articles(limit, cursor)
    })
    .await?;
    Ok(ArticleList {
        articles,
        before,
        next,
    })
}

/// The page of a list of published articles that continues after the slug `before` (the first
/// page without it), read by `read(limit, before)` one row more than a page; with the slug the
/// next page continues after, when there is one. A malformed `before` reads nothing: an empty
/// page.
#[cfg(feature = "ssr")]
async fn keyset_page<'a, F, R>(
    before: Option<&'a str>,
    read: F,
) -> Result<(Vec<crate::content::ArticleSummary>, Option<String>), AppError>
where
    F: FnOnce(u32, Option<&'a str>) -> R,
    R: Future<Output = Result<Vec<crate::content::ArticleSummary>, sqlx::Error>>,
{
    use crate::content::{ARTICLES_PER_PAGE, Paging, list_cursor};
    if before.is_some_and(|slug| list_cursor(slug).is_none()) {
        return Ok((Vec::new(), None));
    }
    let paging = Paging::new(1, ARTICLES_PER_PAGE);
    let (limit, _) = paging.rows();
    let (articles, more) = paging.take(read(limit, before).await?);
    let next = more
        .then(|| articles.last().map(|last| last.slug.clone()))
        .flatten();
    Ok((articles, next))
}

/// The published article at `slug`, its body rendered and sanitised; `None` when no published
/// article has that slug (a draft at that slug is still `None`).
#[server(prefix = "/api", endpoint = "articles/get")]
pub async fn get_published_article(slug: String) -> Result<Option<RenderedArticle>, AppError> {
    let db = crate::server::state::db()?;
    let Some(article) = db.published_article(&slug).await? else {
        return Ok(None);
    };
    let terms = crate::content::glossary_marks::TermMarks::new(&db.glossary().await?);
    let body_html =
        crate::content::markdown::render_with_terms(&article.body, &article.references, &terms);
    let today = chrono::Utc::now().date_naive();
    let topics = db.published_topic_links(article.id).await?;
    let read_next = db.read_next(article.id).await?;
    Ok(Some(RenderedArticle {
        article,
        body_html,
        today,
        topics,
        read_next,
    }))
}

/// Every glossary term, A-Z, for `/glossary` (the glossary is public: it is what articles link).
#[server(prefix = "/api", endpoint = "glossary")]
pub async fn glossary() -> Result<Vec<GlossaryTerm>, AppError> {
    Ok(crate::server::state::db()?.glossary().await?)
}

/// Where the article that was published at `slug` lives now, if it moved (its slug changed when
/// a new revision was published) and is still published: the old address answers 301 to it.
#[server(prefix = "/api", endpoint = "articles/moved")]
pub async fn article_moved_to(slug: String) -> Result<Option<String>, AppError> {
    Ok(crate::server::state::db()?.redirected_slug(&slug).await?)
}

/// Page `page` of the published articles that match `q` (see `server::search`): a bad page
/// number is not found; any `q` is searched, cut to its limit.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search_articles(q: String, page: u32) -> Result<SearchResults, AppError> {
    use crate::content::search::MAX_RESULT_PAGES;
    if !(1..=MAX_RESULT_PAGES).contains(&page) {
        return Err(AppError::NotFound);
    }
    let state = crate::server::state::app_state()?;
    state.search.search(&state.db, &q, page).await
}

/// Every topic, by name, with how many published articles it lists (`/topics`).
#[server(prefix = "/api", endpoint = "topics")]
pub async fn topic_list() -> Result<Vec<TopicSummary>, AppError> {
    Ok(crate::server::state::db()?.topic_summaries().await?)
}

/// A page of the topic at `slug`: its newest published articles, or with `before`, those
/// published before that article. Not found for no such topic, and for a page past the end (a
/// malformed or unknown `before`, or one after the last article).
#[server(prefix = "/api", endpoint = "topic")]
pub async fn topic_articles(slug: String, before: Option<String>) -> Result<TopicPage, AppError> {
    let db = crate::server::state::db()?;
    let Some(topic) = db.topic_by_slug(&slug).await? else {
        return Err(AppError::NotFound);
    };
    let (articles, next) = keyset_page(before.as_deref(), |limit, cursor| {
        db.topic_articles(topic.id, limit, cursor)
    })
    .await?;
    if before.is_some() && articles.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(TopicPage {
        topic,
        articles,
        before,
        next,
    })
}
