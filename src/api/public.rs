//! What anyone may read: published articles only. Drafts, articles in review and archived ones are
//! invisible here, whoever asks.

use crate::content::{ArticleList, RenderedArticle};
use crate::error::AppError;
use leptos::prelude::*;

/// One page (1-based) of the published articles, most recently published first.
#[server(prefix = "/api", endpoint = "articles/list")]
pub async fn list_published_articles(page: u32) -> Result<ArticleList, AppError> {
    let db = crate::server::state::db()?;
    let paging = crate::content::Paging::new(page, crate::content::ARTICLES_PER_PAGE);
    let (limit, offset) = paging.rows();
    let (articles, has_next) = paging.take(db.published_articles(limit, offset).await?);
    Ok(ArticleList {
        articles,
        page: paging.page,
        has_next,
    })
}

/// The published article at `slug`, its body rendered and sanitised; `None` when no published
/// article has that slug (a draft at that slug is still `None`).
#[server(prefix = "/api", endpoint = "articles/get")]
pub async fn get_published_article(slug: String) -> Result<Option<RenderedArticle>, AppError> {
    let db = crate::server::state::db()?;
    let Some(article) = db.published_article(&slug).await? else {
        return Ok(None);
    };
    let body_html =
        crate::content::markdown::render_article_body(&article.body, &article.references);
    let today = chrono::Utc::now().date_naive();
    Ok(Some(RenderedArticle {
        article,
        body_html,
        today,
    }))
}

/// Where the article that was published at `slug` lives now, if it moved (its slug changed when
/// a new revision was published) and is still published: the old address answers 301 to it.
#[server(prefix = "/api", endpoint = "articles/moved")]
pub async fn article_moved_to(slug: String) -> Result<Option<String>, AppError> {
    Ok(crate::server::state::db()?.redirected_slug(&slug).await?)
}
