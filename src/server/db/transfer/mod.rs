//! Moving a whole installation: `Db::snapshot` reads everything worth keeping (staff without
//! password hashes, every article with every revision and its references, the audit log), and
//! `Db::restore` writes such a snapshot into an empty database, ids included, so history numbers
//! and audit subjects still point at the same things. The glossary goes too (`glossary.rs`). Second factors go too, their secrets still
//! sealed. Sessions, sign-in counters and setup links are left behind: they are short-lived by
//! design.

mod glossary;
mod staff;
mod synonyms;
mod topics;

pub use glossary::GlossaryRecord;
pub use staff::{PasskeyRecord, SecondFactorRecord, StaffRecord};
pub use synonyms::SynonymsRecord;
pub use topics::TopicRecord;

use super::articles::ArticleTx;
use super::read_next::ReadNextTx;
use super::topics::TopicTx;
use super::{Backend, BeginWrite, Changes, Db, WriteTx, on_pool};
use crate::content::Reference;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use glossary::GlossaryTransfer;
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use staff::StaffTransfer;
use std::collections::HashMap;
use synonyms::SynonymsTransfer;
use topics::TopicsTransfer;

/// An article's own facts; its words are in `revisions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromRow)]
pub struct ArticleRecord {
    pub id: i64,
    pub slug: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub head_revision_id: Option<i64>,
    pub published_revision_id: Option<i64>,
    pub published_at: Option<DateTime<Utc>>,
    pub last_reviewed: Option<NaiveDate>,
    pub next_review_due: Option<NaiveDate>,
    pub reviewer_name: Option<String>,
    pub reviewer_credentials: Option<String>,
    pub submitted_revision_id: Option<i64>,
    pub submitted_by: Option<i64>,
    /// Addresses this article was published under before, which redirect to it.
    #[serde(default)]
    #[sqlx(skip)]
    pub old_slugs: Vec<String>,
    #[serde(skip)]
    #[sqlx(skip)]
    pub revisions: Vec<RevisionRecord>,
}

/// One saved version of an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromRow)]
pub struct RevisionRecord {
    pub id: i64,
    pub article_id: i64,
    pub title: String,
    pub summary: String,
    pub author_name: String,
    pub author_credentials: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub saved_by: Option<i64>,
    /// The slug this revision proposes (`None` in exports made before revisions had one: the
    /// article's slug then).
    #[serde(default)]
    pub slug: Option<String>,
    /// The ids of the topics it is listed under (none in exports made before topics existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[sqlx(skip)]
    pub topics: Vec<i64>,
    /// The ids of the articles it suggests reading next, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[sqlx(skip)]
    pub read_next: Vec<i64>,
    #[serde(default)]
    #[sqlx(skip)]
    pub references: Vec<Reference>,
    #[serde(skip)]
    pub body: String,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromRow)]
pub struct AuditLine {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub staff_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub address: String,
}

/// Everything `plasticity export` writes and `plasticity import` reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub staff: Vec<StaffRecord>,
    pub articles: Vec<ArticleRecord>,
    pub audit: Vec<AuditLine>,
    /// `None` in an export made before the glossary existed (the new database keeps the terms
    /// its migration seeded).
    pub glossary: Option<Vec<GlossaryRecord>>,
    /// The search synonyms; `None` in an export made before they existed (the new database
    /// keeps the list its migration seeded).
    pub synonyms: Option<SynonymsRecord>,
    /// `None` in an export made before topics existed (the new database keeps the topic its
    /// migration seeded).
    pub topics: Option<Vec<TopicRecord>>,
}

/// Why a snapshot could not be restored.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error(
        "the database already holds {0}: import only into an empty database (a new SQLite file, or a new PostgreSQL database)"
    )]
    NotEmpty(String),
    #[error("the export is not consistent: {0}")]
    Inconsistent(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(FromRow)]
struct ReferenceRow {
    revision_id: i64,
    #[sqlx(flatten)]
    reference: Reference,
}

/// PostgreSQL keeps times to the microsecond, SQLite as written: exports keep microseconds, so an
/// export reads the same from either.
fn micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

impl Db {
    /// Reads the whole installation (see the module's note).
    pub async fn snapshot(&self) -> Result<Snapshot, sqlx::Error> {
        let (staff, mut articles, revisions, references, redirects, mut audit, words) =
            on_pool!(self, |pool| {
                let mut tx = pool.begin().await?;
                let staff = tx.read_staff().await?;
                let words = (
                    tx.read_glossary().await?,
                    tx.read_synonyms().await?,
                    tx.read_topics().await?,
                    tx.read_revision_topics().await?,
                    tx.read_revision_read_next().await?,
                );
                let articles: Vec<ArticleRecord> = sqlx::query_as(
                    "SELECT id, slug, status, created_at, head_revision_id, published_revision_id,
                            published_at, last_reviewed, next_review_due, reviewer_name,
                            reviewer_credentials, submitted_revision_id, submitted_by
                     FROM articles ORDER BY id",
                )
                .fetch_all(&mut *tx)
                .await?;
                let revisions: Vec<RevisionRecord> = sqlx::query_as(
                    "SELECT id, article_id, title, summary, body, author_name, author_credentials,
                            note, created_at, saved_by, slug
                     FROM revisions ORDER BY id",
                )
                .fetch_all(&mut *tx)
                .await?;
                let references: Vec<ReferenceRow> = sqlx::query_as(
                    "SELECT revision_id, authors, year, title, journal, volume, issue, pages, doi
                     FROM revision_references ORDER BY revision_id, position",
                )
                .fetch_all(&mut *tx)
                .await?;
                let redirects: Vec<(String, i64)> =
                    sqlx::query_as("SELECT slug, article_id FROM slug_redirects ORDER BY slug")
                        .fetch_all(&mut *tx)
                        .await?;
                let audit: Vec<AuditLine> = sqlx::query_as(
                    "SELECT id, at, staff_id, actor, action, subject, address
                     FROM audit_log ORDER BY id",
                )
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>((
                    staff, articles, revisions, references, redirects, audit, words,
                ))
            })?;
        for line in &mut audit {
            line.at = micros(line.at);
        }
        // Grouped by owner, not merged in id order: revisions of different articles interleave
        // whenever two articles are edited in turn.
        let mut references_of: HashMap<i64, Vec<Reference>> = HashMap::new();
        for row in references {
            references_of
                .entry(row.revision_id)
                .or_default()
                .push(row.reference);
        }
        let (mut topics_of, mut read_next_of) = (HashMap::new(), HashMap::new());
        for (revision, topic) in words.3 {
            topics_of
                .entry(revision)
                .or_insert_with(Vec::new)
                .push(topic);
        }
        for (revision, article) in words.4 {
            read_next_of
                .entry(revision)
                .or_insert_with(Vec::new)
                .push(article);
        }
        let mut revisions_of: HashMap<i64, Vec<RevisionRecord>> = HashMap::new();
        for mut revision in revisions {
            revision.topics = topics_of.remove(&revision.id).unwrap_or_default();
            revision.read_next = read_next_of.remove(&revision.id).unwrap_or_default();
            revision.created_at = micros(revision.created_at);
            revision.references = references_of.remove(&revision.id).unwrap_or_default();
            revisions_of
                .entry(revision.article_id)
                .or_default()
                .push(revision);
        }
        let mut redirects_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (slug, article_id) in redirects {
            redirects_of.entry(article_id).or_default().push(slug);
        }
        for article in &mut articles {
            article.created_at = micros(article.created_at);
            article.published_at = article.published_at.map(micros);
            article.revisions = revisions_of.remove(&article.id).unwrap_or_default();
            article.old_slugs = redirects_of.remove(&article.id).unwrap_or_default();
        }
        // Anything left over belongs to no article (impossible with foreign keys).
        if let Some(orphan) = revisions_of.values().flatten().next() {
            return Err(sqlx::Error::Protocol(format!(
                "revision {} belongs to no exported article",
                orphan.id
            )));
        }
        Ok(Snapshot {
            staff,
            articles,
            audit,
            glossary: Some(words.0),
            synonyms: words.1,
            topics: Some(words.2),
        })
    }

    /// Writes `snapshot` into this database, which must hold no staff and no articles, in one
    /// transaction: either everything is imported or nothing is.
    pub async fn restore(&self, snapshot: &Snapshot) -> Result<(), RestoreError> {
        let backend = self.backend();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let (staff, articles): (i64, i64) = sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM staff), (SELECT COUNT(*) FROM articles)",
            )
            .fetch_one(&mut *tx)
            .await?;
            if staff > 0 || articles > 0 {
                return Err(RestoreError::NotEmpty(format!(
                    "{staff} staff accounts and {articles} articles"
                )));
            }
            tx.write_staff(&snapshot.staff).await?;
            if let Some(topics) = &snapshot.topics {
                tx.write_topics(topics).await?;
            }
            for article in &snapshot.articles {
                // The article first without its revision pointers, then its revisions, then
                // the pointers: each row refers only to rows already there.
                sqlx::query(
                    "INSERT INTO articles (id, slug, status, created_at) VALUES ($1, $2, 'draft', $3)",
                )
                .bind(article.id)
                .bind(&article.slug)
                .bind(article.created_at)
                .execute(&mut *tx)
                .await?;
                for revision in &article.revisions {
                    if revision.article_id != article.id {
                        return Err(RestoreError::Inconsistent(format!(
                            "revision {} is filed under article {} but belongs to {}",
                            revision.id, article.id, revision.article_id
                        )));
                    }
                    sqlx::query(
                        "INSERT INTO revisions (id, article_id, title, summary, body, author_name,
                                                author_credentials, note, created_at, saved_by, slug)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    )
                    .bind(revision.id)
                    .bind(article.id)
                    .bind(&revision.title)
                    .bind(&revision.summary)
                    .bind(&revision.body)
                    .bind(&revision.author_name)
                    .bind(&revision.author_credentials)
                    .bind(&revision.note)
                    .bind(revision.created_at)
                    .bind(revision.saved_by)
                    .bind(revision.slug.as_deref().unwrap_or(&article.slug))
                    .execute(&mut *tx)
                    .await?;
                    tx.insert_references(revision.id, &revision.references)
                        .await?;
                    tx.insert_revision_topics(revision.id, &revision.topics)
                        .await?;
                }
                sqlx::query(
                    "UPDATE articles
                     SET status = $2, head_revision_id = $3, published_revision_id = $4,
                         published_at = $5, last_reviewed = $6, next_review_due = $7,
                         reviewer_name = $8, reviewer_credentials = $9,
                         submitted_revision_id = $10, submitted_by = $11
                     WHERE id = $1",
                )
                .bind(article.id)
                .bind(&article.status)
                .bind(article.head_revision_id)
                .bind(article.published_revision_id)
                .bind(article.published_at)
                .bind(article.last_reviewed)
                .bind(article.next_review_due)
                .bind(&article.reviewer_name)
                .bind(&article.reviewer_credentials)
                .bind(article.submitted_revision_id)
                .bind(article.submitted_by)
                .execute(&mut *tx)
                .await?;
                for old_slug in &article.old_slugs {
                    sqlx::query("INSERT INTO slug_redirects (slug, article_id) VALUES ($1, $2)")
                        .bind(old_slug)
                        .bind(article.id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            // A suggestion may name an article later in the file: stored once all of them are.
            for revision in snapshot.articles.iter().flat_map(|a| &a.revisions) {
                tx.insert_read_next(revision.id, &revision.read_next)
                    .await?;
            }
            for line in &snapshot.audit {
                sqlx::query(
                    "INSERT INTO audit_log (id, at, staff_id, actor, action, subject, address)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(line.id)
                .bind(line.at)
                .bind(line.staff_id)
                .bind(&line.actor)
                .bind(&line.action)
                .bind(&line.subject)
                .bind(&line.address)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(glossary) = &snapshot.glossary {
                tx.write_glossary(glossary).await?;
            }
            if let Some(synonyms) = &snapshot.synonyms {
                tx.write_synonyms(synonyms).await?;
            }
            if backend == Backend::Postgres {
                // Rows came with their ids: move each id generator past them.
                for table in [
                    "staff",
                    "articles",
                    "revisions",
                    "audit_log",
                    "glossary_terms",
                    "topics",
                ] {
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                       COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.bump_content_version(&Changes::Everything).await?;
            tx.commit().await?;
            Ok::<(), RestoreError>(())
        })?;
        self.refresh_statistics().await?;
        Ok(())
    }
}
