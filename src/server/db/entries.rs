//! What the staff-kept lists (glossary terms, topics) share: why a change to an entry was not
//! made. An entry is saved or removed from the version its form was opened at, so a refusal
//! names the entry as it is now.

/// Why a change to an entry of type `T` was not made.
#[derive(Debug, thiserror::Error)]
pub enum EntryError<T: std::fmt::Debug> {
    /// The list holds its most entries.
    #[error("the list holds its most entries")]
    Full,
    /// Another entry has the same anchor or address: its name.
    #[error("another entry has this address: {0}")]
    Taken(String),
    /// Changed since the form was opened: the entry as it is now.
    #[error("changed since it was opened")]
    Stale(Box<T>),
    #[error("no such entry")]
    Gone,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl<T: std::fmt::Debug> EntryError<T> {
    /// Why a change from an older version did not happen, from a read of the entry now: it
    /// changed (`Stale`), it is gone, or the read failed.
    pub(super) fn not_at_version(now: Result<Option<T>, sqlx::Error>) -> EntryError<T> {
        match now {
            Ok(Some(now)) => EntryError::Stale(Box::new(now)),
            Ok(None) => EntryError::Gone,
            Err(error) => EntryError::Db(error),
        }
    }
}
