//! Topics, and which revisions are listed under them. A change to a topic bumps the content
//! version in the same transaction, first (which also takes the lock that makes the cap and the
//! slug check one step with the write): every page may name a topic, and the articles listed
//! under it are recorded so the search index takes in the new name.

use super::read_next::ReadNextTx;
use super::version::WriteTx;
use super::{BeginWrite, Changes, Db, for_each_backend, on_pool};
use crate::content::topics::{MAX_ARTICLE_TOPICS, MAX_TOPICS, Topic, TopicDraft};
use chrono::Utc;
use sqlx::FromRow;

#[derive(FromRow)]
struct TopicRow {
    id: i64,
    name: String,
    slug: String,
    description: String,
    version: i64,
}

impl From<TopicRow> for Topic {
    fn from(row: TopicRow) -> Topic {
        Topic {
            id: row.id,
            name: row.name,
            slug: row.slug,
            description: row.description,
            version: row.version,
        }
    }
}

/// Why a topic change was not made.
pub type TopicError = super::entries::EntryError<Topic>;

const COLUMNS: &str = "id, name, slug, description, version";

/// The published articles listed under a topic: the topic's, through its published revision.
pub(super) const PUBLISHED_UNDER: &str = "FROM articles a
     JOIN revisions r ON r.id = a.published_revision_id
     JOIN revision_topics rt ON rt.revision_id = a.published_revision_id
     WHERE a.status = 'published' AND rt.topic_id = $1";

/// Topic reads and writes inside a transaction, the same SQL on both backends.
pub(super) trait TopicTx {
    /// The topic, other than `other_than`, that has `slug`: its name.
    async fn slug_taken(
        &mut self,
        slug: &str,
        other_than: i64,
    ) -> Result<Option<String>, sqlx::Error>;

    /// The slugs of the published articles listed under topic `id`.
    async fn published_under(&mut self, id: i64) -> Result<Vec<String>, sqlx::Error>;

    /// Lists revision `revision_id` under `topics` (those that exist; at most
    /// `MAX_ARTICLE_TOPICS`).
    async fn insert_revision_topics(
        &mut self,
        revision_id: i64,
        topics: &[i64],
    ) -> Result<(), sqlx::Error>;

    /// The ids of the topics with `slugs` (an article file names its topics by slug).
    async fn topic_ids(&mut self, slugs: &[String]) -> Result<Vec<i64>, sqlx::Error>;

    /// What a publish or an unpublish of article `id` changes (see `Db::read_next`): its
    /// `slugs`, and the pages whose "Read next" may now list it or drop it: every published
    /// article sharing a topic with its published revision as it was (`before`) or is now, and
    /// every one whose published revision suggests it. Past `MAX_NEIGHBOURS` of them, every
    /// page.
    async fn publish_changes(
        &mut self,
        id: i64,
        before: Option<i64>,
        slugs: Vec<String>,
    ) -> Result<Changes, sqlx::Error>;
}

/// How many neighbours' pages a publish names one by one; more, and it drops every page.
const MAX_NEIGHBOURS: usize = 1_000;

for_each_backend! {
    impl TopicTx for Conn {
        async fn slug_taken(&mut self, slug: &str, other_than: i64) -> Result<Option<String>, sqlx::Error> {
            sqlx::query_scalar("SELECT name FROM topics WHERE slug = $1 AND id <> $2")
                .bind(slug)
                .bind(other_than)
                .fetch_optional(&mut *self)
                .await
        }

        async fn published_under(&mut self, id: i64) -> Result<Vec<String>, sqlx::Error> {
            sqlx::query_scalar(&format!("SELECT a.slug {PUBLISHED_UNDER}"))
                .bind(id)
                .fetch_all(&mut *self)
                .await
        }

        async fn insert_revision_topics(&mut self, revision_id: i64, topics: &[i64]) -> Result<(), sqlx::Error> {
            for topic in topics.iter().take(MAX_ARTICLE_TOPICS) {
                sqlx::query(
                    "INSERT INTO revision_topics (revision_id, topic_id)
                     SELECT $1, id FROM topics WHERE id = $2
                     ON CONFLICT DO NOTHING",
                )
                .bind(revision_id)
                .bind(topic)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }

        async fn topic_ids(&mut self, slugs: &[String]) -> Result<Vec<i64>, sqlx::Error> {
            let mut ids = Vec::new();
            for slug in slugs {
                let id: Option<i64> = sqlx::query_scalar("SELECT id FROM topics WHERE slug = $1")
                    .bind(slug)
                    .fetch_optional(&mut *self)
                    .await?;
                ids.extend(id);
            }
            ids.sort_unstable();
            ids.dedup();
            Ok(ids)
        }

        async fn publish_changes(
            &mut self,
            id: i64,
            before: Option<i64>,
            mut slugs: Vec<String>,
        ) -> Result<Changes, sqlx::Error> {
            let neighbours: Vec<String> = sqlx::query_scalar(
                "SELECT DISTINCT a.slug FROM articles a
                 JOIN revision_topics theirs ON theirs.revision_id = a.published_revision_id
                 JOIN revision_topics mine ON mine.topic_id = theirs.topic_id
                 WHERE a.status = 'published' AND a.id <> $1
                   AND (mine.revision_id = $2
                        OR mine.revision_id = (SELECT published_revision_id FROM articles WHERE id = $1))
                 LIMIT $3",
            )
            .bind(id)
            .bind(before.unwrap_or(0))
            .bind(MAX_NEIGHBOURS as i64 + 1)
            .fetch_all(&mut *self)
            .await?;
            let suggesting = self.suggesting(id, MAX_NEIGHBOURS as i64 + 1).await?;
            if neighbours.len() + suggesting.len() > MAX_NEIGHBOURS {
                return Ok(Changes::EveryPage(slugs));
            }
            for slug in neighbours.into_iter().chain(suggesting) {
                if !slugs.contains(&slug) {
                    slugs.push(slug);
                }
            }
            Ok(Changes::Articles(slugs))
        }
    }
}

impl Db {
    /// Every topic, by name (at most `MAX_TOPICS`).
    pub async fn topics(&self) -> Result<Vec<Topic>, sqlx::Error> {
        let rows: Vec<TopicRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM topics ORDER BY LOWER(name), id LIMIT $1"
        ))
        .bind(MAX_TOPICS as i64)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(Topic::from).collect())
    }

    pub async fn topic(&self, id: i64) -> Result<Option<Topic>, sqlx::Error> {
        let row: Option<TopicRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM topics WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(Topic::from))
    }

    pub async fn topic_by_slug(&self, slug: &str) -> Result<Option<Topic>, sqlx::Error> {
        let row: Option<TopicRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM topics WHERE slug = $1"
        ))
        .bind(slug)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(Topic::from))
    }

    /// The ids of the topics revision `revision_id` is listed under.
    pub async fn revision_topics(&self, revision_id: i64) -> Result<Vec<i64>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT topic_id FROM revision_topics WHERE revision_id = $1 ORDER BY topic_id"
        )
        .bind(revision_id)
        .fetch_all(pool)
        .await)
    }

    /// Adds `draft` (already checked) as a topic, by staff member `by`; returns its id.
    pub async fn add_topic(&self, draft: &TopicDraft, by: i64) -> Result<i64, TopicError> {
        let slug = draft.slug();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            tx.bump_content_version(&Changes::EveryPage(Vec::new()))
                .await?;
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM topics")
                .fetch_one(&mut *tx)
                .await?;
            if count >= MAX_TOPICS as i64 {
                return Err(TopicError::Full);
            }
            if let Some(other) = tx.slug_taken(&slug, 0).await? {
                return Err(TopicError::Taken(other));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO topics (name, slug, description, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(draft.name.trim())
            .bind(&slug)
            .bind(draft.description.trim())
            .bind(Utc::now())
            .bind(by)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Saves `draft` over topic `id` if it is still at `base_version`.
    pub async fn save_topic(
        &self,
        id: i64,
        base_version: i64,
        draft: &TopicDraft,
        by: i64,
    ) -> Result<(), TopicError> {
        let slug = draft.slug();
        let saved = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let listed = tx.published_under(id).await?;
            tx.bump_content_version(&Changes::EveryPage(listed)).await?;
            if let Some(other) = tx.slug_taken(&slug, id).await? {
                return Err(TopicError::Taken(other));
            }
            let changed = sqlx::query(
                "UPDATE topics SET name = $1, slug = $2, description = $3, updated_at = $4,
                     updated_by = $5, version = version + 1
                 WHERE id = $6 AND version = $7",
            )
            .bind(draft.name.trim())
            .bind(&slug)
            .bind(draft.description.trim())
            .bind(Utc::now())
            .bind(by)
            .bind(id)
            .bind(base_version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 1 {
                tx.commit().await?;
            }
            Ok::<_, TopicError>(changed == 1)
        })?;
        if saved {
            Ok(())
        } else {
            Err(self.why_not_topic(id).await)
        }
    }

    /// Removes topic `id` if it is still at `base_version` (its articles are no longer listed
    /// under it, in any revision); returns its name.
    pub async fn remove_topic(&self, id: i64, base_version: i64) -> Result<String, TopicError> {
        let removed: Option<String> = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let listed = tx.published_under(id).await?;
            tx.bump_content_version(&Changes::EveryPage(listed)).await?;
            sqlx::query(
                "DELETE FROM revision_topics WHERE topic_id = $1 AND EXISTS (
                    SELECT 1 FROM topics WHERE id = $1 AND version = $2)",
            )
            .bind(id)
            .bind(base_version)
            .execute(&mut *tx)
            .await?;
            let name: Option<String> = sqlx::query_scalar(
                "DELETE FROM topics WHERE id = $1 AND version = $2 RETURNING name",
            )
            .bind(id)
            .bind(base_version)
            .fetch_optional(&mut *tx)
            .await?;
            if name.is_some() {
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(name)
        })?;
        match removed {
            Some(name) => Ok(name),
            None => Err(self.why_not_topic(id).await),
        }
    }

    async fn why_not_topic(&self, id: i64) -> TopicError {
        TopicError::not_at_version(self.topic(id).await)
    }
}
