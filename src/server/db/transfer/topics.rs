//! Topics in an export, and which revisions are listed under them, read and written inside the
//! export's or the import's transaction. An import that carries topics replaces the ones the
//! new database was made with (its migration seeds one); an export made before topics existed
//! carries none, and the seeded topic stays.

use super::micros;
use crate::server::db::for_each_backend;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;

/// A topic as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow)]
pub struct TopicRecord {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<i64>,
}

pub(super) trait TopicsTransfer {
    async fn read_topics(&mut self) -> Result<Vec<TopicRecord>, sqlx::Error>;

    /// Every (revision, topic) pair.
    async fn read_revision_topics(&mut self) -> Result<Vec<(i64, i64)>, sqlx::Error>;

    /// Replaces the topics with `topics`, ids included.
    async fn write_topics(&mut self, topics: &[TopicRecord]) -> Result<(), sqlx::Error>;
}

for_each_backend! {
    impl TopicsTransfer for Conn {
        async fn read_topics(&mut self) -> Result<Vec<TopicRecord>, sqlx::Error> {
            let mut topics: Vec<TopicRecord> = sqlx::query_as(
                "SELECT id, name, slug, description, version, updated_at, updated_by
                 FROM topics ORDER BY id",
            )
            .fetch_all(&mut *self)
            .await?;
            for topic in &mut topics {
                topic.updated_at = micros(topic.updated_at);
            }
            Ok(topics)
        }

        async fn read_revision_topics(&mut self) -> Result<Vec<(i64, i64)>, sqlx::Error> {
            sqlx::query_as(
                "SELECT revision_id, topic_id FROM revision_topics ORDER BY revision_id, topic_id",
            )
            .fetch_all(&mut *self)
            .await
        }

        async fn write_topics(&mut self, topics: &[TopicRecord]) -> Result<(), sqlx::Error> {
            sqlx::query("DELETE FROM topics").execute(&mut *self).await?;
            for topic in topics {
                sqlx::query(
                    "INSERT INTO topics (id, name, slug, description, version, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(topic.id)
                .bind(&topic.name)
                .bind(&topic.slug)
                .bind(&topic.description)
                .bind(topic.version)
                .bind(topic.updated_at)
                .bind(topic.updated_by)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }
    }
}
