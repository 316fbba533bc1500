//! `plasticity export DIR` and `plasticity import DIR`: the whole portal as plain files, to move
//! it between machines or from SQLite to PostgreSQL, and to read or keep without the program.
//!
//! ```text
//! DIR/plasticity-export.toml            format version, program version, when
//! DIR/staff.toml                        accounts, without password hashes (second factors sealed)
//! DIR/audit.toml                        the audit log
//! DIR/glossary.toml                     the glossary's terms (absent in older exports)
//! DIR/synonyms.toml                     the search synonyms (absent in older exports)
//! DIR/topics.toml                       the topics (absent in older exports)
//! DIR/articles/0001-SLUG/article.toml   status, review dates, which revision is live
//! DIR/articles/0001-SLUG/revision-00001.md   TOML front matter (title, summary, author,
//!                                       references, who saved it and when), then the Markdown
//! ```

use crate::content::Author;
use crate::content::editing::{ArticleDraft, check_slug, validate_draft};
use crate::content::front_matter::{FrontMatterError, split_front_matter};
use crate::content::read_next::MAX_READ_NEXT;
use crate::server::db::{
    ArticleRecord, AuditLine, Db, DbError, RestoreError, RevisionRecord, Snapshot, StaffRecord,
};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod glossary;
mod synonyms;
mod topics;

/// The layout version `export` writes and `import` accepts.
const FORMAT: u32 = 1;
const MANIFEST: &str = "plasticity-export.toml";

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("{0}")]
    Restore(#[from] RestoreError),
    #[error("{0} exists and is not empty: export into a new folder")]
    NotEmpty(String),
    #[error("{0} is not a Plasticity export (it has no {MANIFEST})")]
    NotAnExport(String),
    #[error("{path} uses export format {found}; this version reads format {FORMAT}")]
    Format { path: String, found: u32 },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source} (check that the folder is writable)")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not valid: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: u32,
    program_version: String,
    exported_at: chrono::DateTime<chrono::Utc>,
    articles: usize,
    revisions: usize,
    staff: usize,
    audit_lines: usize,
}

#[derive(Serialize, Deserialize)]
struct StaffFile {
    #[serde(default)]
    staff: Vec<StaffRecord>,
}

#[derive(Serialize, Deserialize)]
struct AuditFile {
    #[serde(default)]
    line: Vec<AuditLine>,
}

/// What an export or import moved, for the closing line.
pub struct Moved {
    pub articles: usize,
    pub revisions: usize,
    pub staff: usize,
}

impl Moved {
    fn of(snapshot: &Snapshot) -> Moved {
        Moved {
            articles: snapshot.articles.len(),
            revisions: snapshot.articles.iter().map(|a| a.revisions.len()).sum(),
            staff: snapshot.staff.len(),
        }
    }
}

impl std::fmt::Display for Moved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} articles ({} revisions), {} staff accounts",
            self.articles, self.revisions, self.staff
        )
    }
}

/// Writes everything in the database at `url` under `dir` (new or empty).
pub async fn export(url: &str, dir: &Path) -> Result<Moved, TransferError> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(TransferError::NotEmpty(dir.display().to_string()));
    }
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let snapshot = db.snapshot().await;
    db.close().await;
    let snapshot = snapshot?;
    write_snapshot(&snapshot, dir)
}

/// Reads the export in `dir` into the (empty) database at `url`.
pub async fn import(url: &str, dir: &Path) -> Result<Moved, TransferError> {
    let snapshot = read_snapshot(dir)?;
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let result = db.restore(&snapshot).await;
    db.close().await;
    result?;
    Ok(Moved::of(&snapshot))
}

/// Writes `snapshot` as files under `dir`; says what it wrote.
pub fn write_snapshot(snapshot: &Snapshot, dir: &Path) -> Result<Moved, TransferError> {
    let moved = Moved::of(snapshot);
    let manifest = Manifest {
        format: FORMAT,
        program_version: env!("CARGO_PKG_VERSION").to_owned(),
        exported_at: chrono::Utc::now(),
        articles: moved.articles,
        revisions: moved.revisions,
        staff: moved.staff,
        audit_lines: snapshot.audit.len(),
    };
    let articles_dir = dir.join("articles");
    create_dir(&articles_dir)?;
    write_toml(&dir.join(MANIFEST), &manifest)?;
    write_toml(
        &dir.join("staff.toml"),
        &StaffFile {
            staff: snapshot.staff.clone(),
        },
    )?;
    write_toml(
        &dir.join("audit.toml"),
        &AuditFile {
            line: snapshot.audit.clone(),
        },
    )?;
    if let Some(glossary) = &snapshot.glossary {
        glossary::write_glossary(dir, glossary)?;
    }
    if let Some(synonyms) = &snapshot.synonyms {
        synonyms::write_synonyms(dir, synonyms)?;
    }
    if let Some(topics) = &snapshot.topics {
        topics::write_topics(dir, topics)?;
    }
    for article in &snapshot.articles {
        // The folder's name is built from the slug: only a valid slug (letters, digits and
        // hyphens) may become part of a path.
        check_slug(&article.slug).map_err(|message| TransferError::Invalid {
            path: format!("article {}", article.id),
            message: format!(
                "its slug `{}` cannot name a folder: {message}",
                article.slug
            ),
        })?;
        let folder = articles_dir.join(format!("{:04}-{}", article.id, article.slug));
        create_dir(&folder)?;
        write_toml(&folder.join("article.toml"), article)?;
        for revision in &article.revisions {
            let front = to_toml(revision, &folder)?;
            // A blank line between the front matter and the body, which follows unchanged.
            let text = format!("+++\n{front}+++\n\n{}", revision.body);
            let path = folder.join(format!("revision-{:05}.md", revision.id));
            write_file(&path, &text)?;
        }
    }
    Ok(moved)
}

/// Reads an export written by `write_snapshot`.
pub fn read_snapshot(dir: &Path) -> Result<Snapshot, TransferError> {
    let manifest_path = dir.join(MANIFEST);
    if !manifest_path.is_file() {
        return Err(TransferError::NotAnExport(dir.display().to_string()));
    }
    let manifest: Manifest = read_toml(&manifest_path)?;
    if manifest.format != FORMAT {
        return Err(TransferError::Format {
            path: manifest_path.display().to_string(),
            found: manifest.format,
        });
    }
    let staff: StaffFile = read_toml(&dir.join("staff.toml"))?;
    let audit: AuditFile = read_toml(&dir.join("audit.toml"))?;
    let glossary = glossary::read_glossary(dir)?;
    let synonyms = synonyms::read_synonyms(dir)?;
    let topics = topics::read_topics(dir)?;
    let mut articles = Vec::new();
    for folder in sorted_entries(&dir.join("articles"), |path| path.is_dir())? {
        let mut article: ArticleRecord = read_toml(&folder.join("article.toml"))?;
        let revisions = sorted_entries(&folder, |path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("revision-") && name.ends_with(".md"))
        })?;
        for path in revisions {
            let text = read_file(&path)?;
            let invalid = |error: FrontMatterError| TransferError::Invalid {
                path: path.display().to_string(),
                message: error.to_string(),
            };
            let (front, rest) = split_front_matter(&text).map_err(invalid)?;
            let mut revision: RevisionRecord =
                toml::from_str(front).map_err(|error| invalid(error.into()))?;
            revision.body = rest.strip_prefix('\n').unwrap_or(rest).to_owned();
            validate_revision(&article, &revision).map_err(|message| TransferError::Invalid {
                path: path.display().to_string(),
                message,
            })?;
            article.revisions.push(revision);
        }
        for slug in std::iter::once(&article.slug).chain(&article.old_slugs) {
            check_slug(slug).map_err(|message| TransferError::Invalid {
                path: folder.join("article.toml").display().to_string(),
                message: format!("slug `{slug}`: {message}"),
            })?;
        }
        articles.push(article);
    }
    if articles.len() != manifest.articles {
        return Err(TransferError::Invalid {
            path: manifest_path.display().to_string(),
            message: format!(
                "it lists {} articles but the folder holds {}",
                manifest.articles,
                articles.len()
            ),
        });
    }
    Ok(Snapshot {
        staff: staff.staff,
        articles,
        audit: audit.line,
        glossary,
        synonyms,
        topics,
    })
}

/// An imported revision must pass the editor's own checks (`validate_draft`): an export is
/// input like any other.
fn validate_revision(article: &ArticleRecord, revision: &RevisionRecord) -> Result<(), String> {
    let draft = ArticleDraft {
        title: revision.title.clone(),
        slug: revision
            .slug
            .clone()
            .unwrap_or_else(|| article.slug.clone()),
        summary: revision.summary.clone(),
        body: revision.body.clone(),
        author: Author {
            name: revision.author_name.clone(),
            credentials: revision.author_credentials.clone(),
        },
        references: revision.references.clone(),
        topics: revision.topics.clone(),
        // By article id here: the database checks that each is an article.
        read_next: Vec::new(),
    };
    let mut errors = validate_draft(&draft).err().unwrap_or_default();
    if revision.read_next.len() > MAX_READ_NEXT {
        let most = format!("suggests more than {MAX_READ_NEXT} articles to read next");
        errors.insert("read_next".into(), most);
    }
    if errors.is_empty() {
        return Ok(());
    }
    let problems: Vec<String> = errors
        .into_iter()
        .map(|(field, message)| format!("{field}: {message}"))
        .collect();
    Err(format!(
        "revision {} is not valid ({})",
        revision.id,
        problems.join("; ")
    ))
}

/// Refuses a symbolic link: an export holds plain files and folders only, so that reading one
/// never follows a link out of it.
fn refuse_link(path: &Path) -> Result<(), TransferError> {
    let metadata = std::fs::symlink_metadata(path).map_err(|source| TransferError::Read {
        path: path.display().to_string(),
        source,
    })?;
    if metadata.file_type().is_symlink() {
        return Err(TransferError::Invalid {
            path: path.display().to_string(),
            message: "it is a symbolic link; an export holds only plain files and folders".into(),
        });
    }
    Ok(())
}

fn sorted_entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Result<Vec<PathBuf>, TransferError> {
    refuse_link(dir)?;
    let read_error = |source| TransferError::Read {
        path: dir.display().to_string(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        refuse_link(&path)?;
        if keep(&path) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn to_toml(value: &impl Serialize, path: &Path) -> Result<String, TransferError> {
    toml::to_string(value).map_err(|error| TransferError::Invalid {
        path: path.display().to_string(),
        message: error.to_string(),
    })
}

fn write_toml(path: &Path, value: &impl Serialize) -> Result<(), TransferError> {
    write_file(path, &to_toml(value, path)?)
}

fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, TransferError> {
    toml::from_str(&read_file(path)?).map_err(|error| TransferError::Invalid {
        path: path.display().to_string(),
        message: error.to_string(),
    })
}

fn create_dir(path: &Path) -> Result<(), TransferError> {
    std::fs::create_dir_all(path).map_err(|source| TransferError::Write {
        path: path.display().to_string(),
        source,
    })
}

fn write_file(path: &Path, text: &str) -> Result<(), TransferError> {
    std::fs::write(path, text).map_err(|source| TransferError::Write {
        path: path.display().to_string(),
        source,
    })
}

fn read_file(path: &Path) -> Result<String, TransferError> {
    refuse_link(path)?;
    std::fs::read_to_string(path).map_err(|source| TransferError::Read {
        path: path.display().to_string(),
        source,
    })
}
