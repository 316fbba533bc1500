//! What the forms of the staff-kept lists (glossary terms, topics) answer alike: a field to fix,
//! a full list, an address another entry has, an entry someone else changed or removed first,
//! and the question before a removal. Each list says its own words (`ListEntry`).

use super::{FormError, SamePage};
use crate::admin::form::{ConfirmStep, FormOutcome};
use crate::content::editing::FieldErrors;
use crate::error::AppError;
use crate::server::db::EntryError;
use axum::http::StatusCode;

/// One list's entry, as its forms speak of it.
pub(super) trait ListEntry: std::fmt::Debug + Sized {
    /// What the messages call one: "term", "topic".
    const NOUN: &'static str;

    /// Said when the list is full.
    fn full() -> String;

    /// The field to fix, and what to say, when another entry (`other`) has the same address.
    fn taken(other: &str) -> (&'static str, String);

    /// Its form filled with it as saved (its version the one the next change is from).
    fn as_saved(&self) -> FormOutcome;

    fn version(&self) -> i64;

    /// Puts it, as saved now, beside the form of a refused save.
    fn show_beside(self, page: &mut SamePage);
}

/// The page again (422) with the fields' problems, nothing changed.
pub(super) fn invalid(mut outcome: FormOutcome, errors: FieldErrors) -> FormError {
    outcome.message =
        Some("Nothing was saved. Fix the fields below; your text is still here.".into());
    outcome.errors = errors;
    SamePage::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into()
}

/// What a refused change says, on the page it came from.
pub(super) fn refused<E: ListEntry>(error: EntryError<E>, mut outcome: FormOutcome) -> FormError {
    match error {
        EntryError::Full => {
            outcome.message = Some(E::full());
            SamePage::new(outcome, StatusCode::CONFLICT).into()
        }
        EntryError::Taken(other) => {
            let (field, message) = E::taken(&other);
            invalid(outcome, [(field.to_owned(), message)].into())
        }
        EntryError::Stale(now) => conflict(outcome, *now),
        EntryError::Gone => {
            outcome.message = Some(format!(
                "This {} was removed by someone else; nothing was saved.",
                E::NOUN
            ));
            SamePage::new(outcome, StatusCode::NOT_FOUND).into()
        }
        EntryError::Db(error) => AppError::internal(E::NOUN, error).into(),
    }
}

/// 409: someone saved first. The text stays as typed; the next save is based on their version.
fn conflict<E: ListEntry>(mut outcome: FormOutcome, now: E) -> FormError {
    outcome.message = Some(format!(
        "Someone else changed this {} since you opened it, so nothing was saved. What is saved now is shown below; your text is still in the form. Save again to replace theirs with yours.",
        E::NOUN
    ));
    outcome
        .values
        .insert("version".into(), now.version().to_string());
    let mut page = SamePage::new(outcome, StatusCode::CONFLICT);
    now.show_beside(&mut page);
    page.into()
}

/// What a refused removal says: 409 for one from an older version (nothing removed; the form
/// shows the entry as it is now, to look at before removing it again or keeping it); anything
/// else as a refused change.
pub(super) fn not_removed<E: ListEntry>(error: EntryError<E>, outcome: FormOutcome) -> FormError {
    match error {
        EntryError::Stale(now) => {
            let outcome = FormOutcome {
                message: Some(format!(
                    "Someone else changed this {} since you opened it, so it was not removed. It is shown below as it is now: remove it again if it should still go.",
                    E::NOUN
                )),
                ..now.as_saved()
            };
            SamePage::new(outcome, StatusCode::CONFLICT).into()
        }
        other => refused(other, outcome),
    }
}

/// The question before a removal (nothing removed yet), posting to `action` again with
/// `confirmed`; `name` goes back in the field `name_field`.
pub(super) struct Removal<'a> {
    pub action: String,
    pub version: i64,
    pub name_field: &'a str,
    pub name: &'a str,
    pub question: String,
    pub consequence: &'a str,
}

impl Removal<'_> {
    pub(super) fn ask(self) -> FormError {
        let step = ConfirmStep {
            question: self.question,
            consequence: self.consequence.to_owned(),
            action: self.action.clone(),
            fields: vec![
                ("intent".into(), "remove".into()),
                ("version".into(), self.version.to_string()),
                (self.name_field.into(), self.name.to_owned()),
            ],
            confirm: format!("Yes, remove \u{201c}{}\u{201d}", self.name),
            cancel: self.action,
        };
        SamePage::new(step, StatusCode::OK).into()
    }
}
