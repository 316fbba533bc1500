//! The topics as patients browse them: each topic's count and published articles (by keyset),
//! an article's topics, and what it suggests reading next. Published revisions only.

use super::articles::{SUMMARY_COLUMNS, SummaryRow, published_before};
use super::topics::PUBLISHED_UNDER;
use super::{Db, on_pool};
use crate::content::ArticleSummary;
use crate::content::read_next::MAX_READ_NEXT;
use crate::content::topics::{TopicLink, TopicSummary};

impl Db {
    /// Every topic, by name, with how many published articles it lists.
    pub async fn topic_summaries(&self) -> Result<Vec<TopicSummary>, sqlx::Error> {
        let counts: Vec<(i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT rt.topic_id, COUNT(*) FROM articles a
             JOIN revision_topics rt ON rt.revision_id = a.published_revision_id
             WHERE a.status = 'published'
             GROUP BY rt.topic_id"
        )
        .fetch_all(pool)
        .await)?;
        let counts: std::collections::HashMap<i64, i64> = counts.into_iter().collect();
        Ok(self
            .topics()
            .await?
            .into_iter()
            .map(|topic| TopicSummary {
                articles: counts.get(&topic.id).copied().unwrap_or(0),
                topic,
            })
            .collect())
    }

    /// Topic `topic`'s published articles, newest first: the first `limit`, or those published
    /// before the published article at `before` (keyset, as `published_articles`).
    pub async fn topic_articles(
        &self,
        topic: i64,
        limit: u32,
        before: Option<&str>,
    ) -> Result<Vec<ArticleSummary>, sqlx::Error> {
        let after = published_before("$3", before);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}
             {PUBLISHED_UNDER} {after}
             ORDER BY a.published_at DESC, a.id DESC
             LIMIT $2"
        );
        self.summaries_page(&sql, Some(topic), limit, before).await
    }

    /// The topics the published revision of article `article_id` is listed under, by name.
    pub async fn published_topic_links(
        &self,
        article_id: i64,
    ) -> Result<Vec<TopicLink>, sqlx::Error> {
        let rows: Vec<(String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT t.name, t.slug FROM articles a
             JOIN revision_topics rt ON rt.revision_id = a.published_revision_id
             JOIN topics t ON t.id = rt.topic_id
             WHERE a.id = $1 ORDER BY LOWER(t.name), t.id"
        )
        .bind(article_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(name, slug)| TopicLink { name, slug })
            .collect())
    }

    /// "Read next" for the published article `article_id`: the published articles its
    /// published revision suggests, in the editor's order, then (up to `MAX_READ_NEXT` in all)
    /// other published articles listed under any of its topics, newest first.
    pub async fn read_next(&self, article_id: i64) -> Result<Vec<ArticleSummary>, sqlx::Error> {
        let limit = MAX_READ_NEXT as i64;
        let rows: Vec<SummaryRow> = on_pool!(self, |pool| {
            let mut chosen: Vec<SummaryRow> = sqlx::query_as(&format!(
                "SELECT {SUMMARY_COLUMNS}
                 FROM articles me
                 JOIN revision_read_next rn ON rn.revision_id = me.published_revision_id
                 JOIN articles a ON a.id = rn.article_id
                 JOIN revisions r ON r.id = a.published_revision_id
                 WHERE me.id = $1 AND a.status = 'published' AND a.id <> $1
                 ORDER BY rn.position
                 LIMIT $2"
            ))
            .bind(article_id)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            let sharing: Vec<SummaryRow> = sqlx::query_as(&format!(
                "SELECT {SUMMARY_COLUMNS}
                 FROM articles a JOIN revisions r ON r.id = a.published_revision_id
                 WHERE a.status = 'published' AND a.id <> $1
                   AND a.id NOT IN (
                       SELECT rn.article_id FROM articles me
                       JOIN revision_read_next rn ON rn.revision_id = me.published_revision_id
                       WHERE me.id = $1)
                   AND EXISTS (
                       SELECT 1 FROM articles me
                       JOIN revision_topics mine ON mine.revision_id = me.published_revision_id
                       JOIN revision_topics theirs ON theirs.topic_id = mine.topic_id
                       WHERE me.id = $1 AND theirs.revision_id = a.published_revision_id)
                 ORDER BY a.published_at DESC, a.id DESC
                 LIMIT $2"
            ))
            .bind(article_id)
            .bind(limit - chosen.len() as i64)
            .fetch_all(pool)
            .await?;
            chosen.extend(sharing);
            Ok::<_, sqlx::Error>(chosen)
        })?;
        Ok(rows.into_iter().map(ArticleSummary::from).collect())
    }
}
