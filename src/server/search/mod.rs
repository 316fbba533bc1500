//! `/search`: full text over the published articles, forgiving typos, stems and the clinic's
//! synonyms (see `query`), ranked by BM25 (tantivy), with snippets and "Did you mean".
//!
//! Each instance holds its own index, in memory. It is built from the database at start (in
//! the background: pages are answered meanwhile; a search waits for it) and kept current from
//! the same change records the page cache follows (`db::version`): a search first reads the
//! content version, as every public request does, and when it is newer than the index's, the
//! index first takes in what changed (the articles published, unpublished or moved; the whole
//! of it after an import). So once a publish has committed, the next search on any instance
//! sees it, and an unpublished article is never found again. The database stays the source of
//! truth: results are read back from it (published only) before they are shown. One engine on
//! both backends, so SQLite and PostgreSQL answer alike.
//!
//! What a stranger can make it spend is bounded: the query's length and words
//! (`content::search`), the pages of results (10), and two searches at a time
//! (`bounded::SEARCH_WORK`). Search pages are never stored in the page cache: it must not grow
//! with what people type.

mod analysis;
mod crisis;
mod definitions;
mod engine;
mod query;
mod snippet;
mod suggest;
mod vocabulary;

use super::bounded::SEARCH_WORK;
use super::db::{Changes, Db, SearchArticle};
use crate::content::checks::reader_text;
use crate::content::search::{RESULTS_PER_PAGE, SearchHit, SearchResults, clean_query};
use crate::error::AppError;
use definitions::Definitions;
use engine::{Document, Engine, Fields};
use query::{Plan, Synonyms};
use std::sync::{Arc, Mutex, RwLock};
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Searcher};

pub use crisis::is_crisis;

/// The synonym list a new database starts with (migration 0013 writes it).
pub const SEED_SYNONYMS: &str = "ketamine, Ketalar
esketamine, Spravato
PTSD, post-traumatic stress, post-traumatic stress disorder
depression, major depressive disorder
treatment-resistant depression, TRD";

/// How many articles a full build reads from the database at a time.
const BUILD_BATCH: u32 = 250;

/// The search index of this instance; clones share it.
#[derive(Clone, Default)]
pub struct SearchIndex(Arc<Inner>);

#[derive(Default)]
struct Inner {
    /// Held while the index takes in changes (one at a time; searches that need them wait).
    catching_up: tokio::sync::Mutex<()>,
    engine: Arc<Mutex<Option<Engine>>>,
    /// What searches read: the index as of a content version.
    current: RwLock<Option<Arc<Current>>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("version", &self.version())
            .finish_non_exhaustive()
    }
}

/// The index as of one content version, with the synonyms of that version.
struct Current {
    version: i64,
    searcher: Searcher,
    fields: Fields,
    synonyms: Synonyms,
    definitions: Definitions,
}

impl Current {
    /// The plan of `query` against this index.
    fn plan(&self, query: &str) -> Plan {
        let mut plan = Plan::new(query, &self.synonyms);
        plan.forgive_only_misspellings(&self.searcher, &self.fields);
        plan
    }
}

/// What the index found for one page of a search.
#[derive(Default)]
struct Found {
    slugs: Vec<String>,
    total: usize,
    marks: snippet::Marks,
    cut: bool,
    suggestion: Option<String>,
    definitions: Vec<crate::content::glossary::GlossaryTerm>,
}

impl SearchIndex {
    /// The content version the index is at (`None` before its first build).
    pub fn version(&self) -> Option<i64> {
        self.read().map(|current| current.version)
    }

    /// Builds the index (at start, in the background); logs how long it took.
    pub async fn prepare(&self, db: &Db) {
        let started = std::time::Instant::now();
        match self.current(db).await {
            Ok(current) => {
                let articles = current.searcher.num_docs();
                let ms = started.elapsed().as_millis();
                tracing::info!(articles, ms, "search index built");
            }
            Err(error) => tracing::error!(?error, "search index not built; searches will retry"),
        }
    }

    /// Page `page` (1-based, at most `MAX_RESULT_PAGES`) of the results for `raw`.
    pub async fn search(&self, db: &Db, raw: &str, page: u32) -> Result<SearchResults, AppError> {
        let (query, cut) = clean_query(raw);
        let mut results = SearchResults {
            crisis: is_crisis(&query),
            query: query.clone(),
            cut,
            page,
            ..SearchResults::default()
        };
        if query.is_empty() {
            return Ok(results);
        }
        let current = self.current(db).await?;
        let found = SEARCH_WORK
            .run(move || find(&current, &query, page))
            .await
            .map_err(AppError::busy)?
            .map_err(|error| AppError::internal("search", error))?;
        results.cut |= found.cut;
        results.total = found.total;
        results.more = found.total > page as usize * RESULTS_PER_PAGE
            && page < crate::content::search::MAX_RESULT_PAGES;
        results.suggestion = found.suggestion;
        results.definitions = found.definitions;
        let articles = db.search_articles_at(&found.slugs).await?;
        results.hits = SEARCH_WORK
            .run(move || hits(articles, &found.slugs, &found.marks))
            .await
            .map_err(AppError::busy)?;
        Ok(results)
    }

    fn read(&self) -> Option<Arc<Current>> {
        self.0
            .current
            .read()
            .ok()
            .and_then(|current| current.clone())
    }

    /// The index as of the content version now (see the module's doc).
    async fn current(&self, db: &Db) -> Result<Arc<Current>, AppError> {
        let version = db.content_version().await?;
        let fresh = |current: Option<Arc<Current>>| current.filter(|c| c.version >= version);
        if let Some(current) = fresh(self.read()) {
            return Ok(current);
        }
        let _one_at_a_time = self.0.catching_up.lock().await;
        let at = self.read();
        if let Some(current) = fresh(at.clone()) {
            return Ok(current);
        }
        let changes = match at.as_ref().map(|current| current.version) {
            None => Changes::Everything,
            Some(at) => db
                .content_changes(at, version)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "cannot read what changed; indexing everything again");
                    Changes::Everything
                }),
        };
        let synonyms = Synonyms::parse(&db.search_synonyms().await?.list);
        let definitions = Definitions::new(db.glossary().await?);
        match changes {
            Changes::Everything => self.rebuild(db).await?,
            Changes::Articles(slugs) | Changes::EveryPage(slugs) => {
                let articles = documents(db, db.search_articles_at(&slugs).await?).await?;
                run_blocking(&self.0.engine, move |engine| {
                    for slug in &slugs {
                        engine.remove(slug);
                    }
                    for article in &articles {
                        engine.add(article)?;
                    }
                    engine.commit()
                })
                .await?;
            }
            Changes::Search => {}
        }
        let engine = self.0.engine.lock().map_err(|_| poisoned())?;
        let engine = engine.as_ref().ok_or_else(poisoned)?;
        let current = Arc::new(Current {
            version,
            searcher: engine.reader.searcher(),
            fields: engine.fields,
            synonyms,
            definitions,
        });
        *self.0.current.write().map_err(|_| poisoned())? = Some(current.clone());
        Ok(current)
    }

    /// A new index of every published article, read a batch at a time, then put in place.
    async fn rebuild(&self, db: &Db) -> Result<(), AppError> {
        let engine = Arc::new(Mutex::new(Some(Engine::new().map_err(search_error)?)));
        let mut after = 0;
        loop {
            let batch = db.search_articles(after, BUILD_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            let batch = documents(db, batch).await?;
            run_blocking(&engine, move |engine| {
                batch.iter().try_for_each(|doc| engine.add(doc))
            })
            .await?;
        }
        run_blocking(&engine, Engine::commit).await?;
        let built = engine.lock().map_err(|_| poisoned())?.take();
        *self.0.engine.lock().map_err(|_| poisoned())? = built;
        Ok(())
    }
}

/// Runs `work` on the engine in `engine`, on the blocking pool (indexing and commits are CPU
/// work, and a commit waits for the indexing thread).
async fn run_blocking<F>(engine: &Arc<Mutex<Option<Engine>>>, work: F) -> Result<(), AppError>
where
    F: FnOnce(&mut Engine) -> tantivy::Result<()> + Send + 'static,
{
    let engine = engine.clone();
    tokio::task::spawn_blocking(move || {
        let mut engine = engine.lock().map_err(|_| poisoned())?;
        let engine = engine.as_mut().ok_or_else(poisoned)?;
        work(engine).map_err(search_error)
    })
    .await
    .map_err(|error| AppError::internal("search index", error))?
}

fn search_error(error: tantivy::TantivyError) -> AppError {
    AppError::internal("search index", error)
}

fn poisoned() -> AppError {
    AppError::internal("search index", "unavailable after a failed update")
}

/// What is indexed of `articles`: each with the names of its topics.
async fn documents(db: &Db, articles: Vec<SearchArticle>) -> Result<Vec<Document>, AppError> {
    let revisions: Vec<i64> = articles.iter().map(|article| article.revision_id).collect();
    let mut names: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for (revision, name) in db.topic_names(&revisions).await? {
        names.entry(revision).or_default().push(name);
    }
    Ok(articles
        .into_iter()
        .map(|article| Document {
            topics: names
                .remove(&article.revision_id)
                .unwrap_or_default()
                .join("\n"),
            body: article.body,
            slug: article.slug,
            title: article.title,
            summary: article.summary,
        })
        .collect())
}

/// One page of results for `query` in `current`: all of its words first, any of them if that
/// finds nothing; a respelling when neither finds anything.
fn find(current: &Current, query: &str, page: u32) -> tantivy::Result<Found> {
    let plan = current.plan(query);
    let (slugs, total) = ranked(current, &plan, page)?;
    let suggestion = match total {
        0 => suggest::respell(query, &current.searcher, &current.fields).filter(|respelled| {
            ranked(current, &current.plan(respelled), 1).is_ok_and(|(_, total)| total > 0)
        }),
        _ => None,
    };
    // Only a page with results shows snippets.
    let marks = match slugs.is_empty() {
        true => snippet::Marks::default(),
        false => snippet::Marks::of(&current.searcher, &current.fields, plan.words()),
    };
    let words: Vec<&analysis::Word> = plan.words().collect();
    Ok(Found {
        definitions: current.definitions.named_by(&words),
        slugs,
        total,
        marks,
        cut: plan.cut,
        suggestion,
    })
}

/// The slugs of page `page` of `plan`'s results, best first, and how many match in all.
fn ranked(current: &Current, plan: &Plan, page: u32) -> tantivy::Result<(Vec<String>, usize)> {
    if plan.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let offset = (page.max(1) as usize - 1) * RESULTS_PER_PAGE;
    let collector = (
        TopDocs::with_limit(RESULTS_PER_PAGE)
            .and_offset(offset)
            .order_by_score(),
        Count,
    );
    let search = |all: bool| {
        current
            .searcher
            .search(&*plan.query(&current.fields, all), &collector)
    };
    let (mut top, mut total) = search(true)?;
    if total == 0 && plan.has_alternatives() {
        (top, total) = search(false)?;
    }
    let slugs = top
        .into_iter()
        .map(|(_, address)| slug(current, address))
        .collect::<tantivy::Result<_>>()?;
    Ok((slugs, total))
}

fn slug(current: &Current, address: DocAddress) -> tantivy::Result<String> {
    engine::slug(&current.searcher, current.fields, address)
}

/// The results for `slugs` (in that order) from the `articles` read back (a slug unpublished
/// since is left out), each with its snippet.
fn hits(articles: Vec<SearchArticle>, slugs: &[String], marks: &snippet::Marks) -> Vec<SearchHit> {
    let mut by_slug: std::collections::HashMap<String, SearchArticle> = articles
        .into_iter()
        .map(|article| (article.slug.clone(), article))
        .collect();
    slugs
        .iter()
        .filter_map(|slug| by_slug.remove(slug))
        .map(|article| SearchHit {
            snippet: snippet::snippet(&reader_text(snippet::scanned(&article.body)), marks),
            slug: article.slug,
            title: article.title,
            summary: article.summary,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_migrations_seed_the_synonyms_search_starts_with() {
        for migration in [
            include_str!("../../../migrations/sqlite/0013_search_synonyms.sql"),
            include_str!("../../../migrations/postgres/0013_search_synonyms.sql"),
        ] {
            assert!(migration.contains(super::SEED_SYNONYMS));
        }
    }
}
