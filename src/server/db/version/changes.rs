//! What each change of the public content touched: recorded with the version bump, in the same
//! transaction, and read by every instance whose cache is behind (see `page_cache`).

use super::super::{Db, for_each_backend, on_pool};

/// How many versions of change records are kept: an instance further behind than this drops
/// every page instead.
const KEPT_CHANGES: i64 = 10_000;

/// Writes that run inside a transaction, the same SQL on both backends (see `for_each_backend!`).
pub(in crate::server::db) trait WriteTx {
    /// Marks the public content as changed (see `Db::content_version`) and records what
    /// changed (see `Db::content_changes`).
    async fn bump_content_version(&mut self, changed: &Changes) -> Result<(), sqlx::Error>;
}

for_each_backend! {
    impl WriteTx for Conn {
        async fn bump_content_version(&mut self, changed: &Changes) -> Result<(), sqlx::Error> {
            // The update takes the row's lock (SQLite: the database's), so versions are handed
            // out one at a time and each commits with its records.
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO app_meta (key, value) VALUES ('content_version', '1')
                 ON CONFLICT (key) DO UPDATE
                 SET value = CAST(CAST(app_meta.value AS BIGINT) + 1 AS TEXT)
                 RETURNING CAST(value AS BIGINT)",
            )
            .fetch_one(&mut *self)
            .await?;
            // At least one row per version, so a complete record can be told from a pruned one
            // (no slug: everything; an empty list of articles is recorded so, never too little).
            let slugs: Vec<Option<&str>> = match changed {
                Changes::Articles(slugs) if !slugs.is_empty() => {
                    slugs.iter().map(|slug| Some(slug.as_str())).collect()
                }
                Changes::EveryPage(slugs) => slugs
                    .iter()
                    .map(|slug| Some(slug.as_str()))
                    .chain([Some(EVERY_PAGE)])
                    .collect(),
                Changes::Search => vec![Some(SEARCH_ONLY)],
                _ => vec![None],
            };
            for slug in slugs {
                sqlx::query("INSERT INTO content_changes (version, slug) VALUES ($1, $2)")
                    .bind(version)
                    .bind(slug)
                    .execute(&mut *self)
                    .await?;
            }
            sqlx::query("DELETE FROM content_changes WHERE version <= $1")
                .bind(version - KEPT_CHANGES)
                .execute(&mut *self)
                .await?;
            Ok(())
        }
    }
}

/// Recorded for a change every page may show though no article's text changed (the glossary:
/// every article may link a term). Not a slug: slugs are letters, digits and hyphens.
const EVERY_PAGE: &str = "*";

/// Recorded for a change only searches see (the synonyms), no page.
const SEARCH_ONLY: &str = "~";

/// What one change of the public content, or the changes between two versions, changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Changes {
    /// These articles' pages (by every slug they were or are published under) and the list
    /// pages.
    Articles(Vec<String>),
    /// Every page, but of the articles' own words only these articles' (the glossary changed,
    /// and perhaps these articles too).
    EveryPage(Vec<String>),
    /// No page; only what searches match (the search synonyms).
    Search,
    /// Possibly any page: an import, or records no longer kept.
    Everything,
}

impl Db {
    /// What the changes after version `after`, up to and including `upto`, touched.
    pub async fn content_changes(&self, after: i64, upto: i64) -> Result<Changes, sqlx::Error> {
        if upto <= after {
            return Ok(Changes::Everything);
        }
        let rows: Vec<(i64, Option<String>)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT version, slug FROM content_changes WHERE version > $1 AND version <= $2"
        )
        .bind(after)
        .bind(upto)
        .fetch_all(pool)
        .await)?;
        let versions: std::collections::HashSet<i64> =
            rows.iter().map(|(version, _)| *version).collect();
        let complete = i64::try_from(versions.len()).is_ok_and(|count| count == upto - after);
        let slugs: Option<Vec<String>> = rows.into_iter().map(|(_, slug)| slug).collect();
        let Some(mut slugs) = slugs.filter(|_| complete) else {
            return Ok(Changes::Everything);
        };
        let every_page = slugs.iter().any(|slug| slug == EVERY_PAGE);
        let search_only = slugs.iter().any(|slug| slug == SEARCH_ONLY);
        slugs.retain(|slug| slug != EVERY_PAGE && slug != SEARCH_ONLY);
        slugs.sort_unstable();
        slugs.dedup();
        Ok(if every_page {
            Changes::EveryPage(slugs)
        } else if search_only && slugs.is_empty() {
            Changes::Search
        } else {
            Changes::Articles(slugs)
        })
    }
}
