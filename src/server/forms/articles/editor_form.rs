//! What the editor's form sent, read into a draft and the button pressed, and the editor page
//! it comes back to when the form cannot be taken as it is.

use super::super::{FormError, FormFields, FormResult, SamePage};
use crate::admin::form::EditorOutcome;
use crate::content::editing::{ArticleDraft, EditableArticle, FieldErrors, MAX_REFERENCES};
use crate::content::read_next::read_next_from_fields;
use crate::content::{Author, Reference};
use axum::http::StatusCode;
use std::collections::BTreeMap;

/// The editor's buttons (the form's `intent`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Show the body as patients would see it; nothing is saved.
    Preview,
    /// Save the text as a new revision.
    Save,
    /// Save, then ask a reviewer to approve it.
    Submit,
    /// Approve the submitted revision and publish it (reviewers).
    Publish,
    /// Take the article off the public site (reviewers).
    Unpublish,
    /// Send the submitted revision back with a note (reviewers).
    RequestChanges,
    /// Show one more empty reference group; nothing is saved.
    AddReference,
}

impl Intent {
    fn parse(intent: &str) -> Option<Intent> {
        Some(match intent {
            "preview" => Intent::Preview,
            "save" => Intent::Save,
            "submit" => Intent::Submit,
            "publish" => Intent::Publish,
            "unpublish" => Intent::Unpublish,
            "request_changes" => Intent::RequestChanges,
            "add_reference" => Intent::AddReference,
            _ => return None,
        })
    }
}

/// What the editor form sent.
pub struct EditorForm {
    intent: String,
    pub base: Option<i64>,
    pub note: String,
    pub draft: ArticleDraft,
    /// The reviewer's fields (acknowledgements, reference ticks, interval, change request),
    /// kept so a refused publish shows them as typed.
    pub review: BTreeMap<String, String>,
    /// How many empty reference groups the form sent (at least one is shown again).
    pub blank_references: usize,
}

/// The slug as typed; when left empty, the one the title suggests (issue 30: every first save
/// of a new article failed on the empty slug).
fn slug_or_title(form: &FormFields) -> String {
    match form.get("slug").trim() {
        "" => crate::content::slug::slug_from_title(form.get("title").trim()),
        typed => typed.to_owned(),
    }
}

/// The references the form sends (`content::editing::references_from_fields`).
fn references(form: &FormFields) -> Vec<Reference> {
    crate::content::editing::references_from_fields(form.fields())
}

impl EditorForm {
    /// Reads the editor's fields (the references through `references`).
    pub fn read(form: &FormFields) -> EditorForm {
        let references = references(form);
        let review = form
            .fields()
            .filter(|(name, _)| {
                name.starts_with("ack-")
                    || name.starts_with("checked-ref-")
                    || name.starts_with("review_")
            })
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        let blank_references =
            crate::content::editing::blank_reference_groups(form.fields()).min(MAX_REFERENCES);
        EditorForm {
            review,
            blank_references,
            intent: form.get("intent"),
            base: form.number("base_revision"),
            note: form.get("note").trim().to_owned(),
            draft: ArticleDraft {
                slug: slug_or_title(form),
                title: form.get("title").trim().to_owned(),
                summary: form.get("summary").trim().to_owned(),
                body: form.get("body").replace("\r\n", "\n"),
                author: Author {
                    name: form.get("author_name").trim().to_owned(),
                    credentials: form.get("author_credentials").trim().to_owned(),
                },
                references,
                topics: form
                    .all("topic")
                    .iter()
                    .filter_map(|id| id.trim().parse().ok())
                    .collect(),
                read_next: read_next_from_fields(form.all("read_next").iter().map(String::as_str)),
            },
        }
    }

    /// The button pressed; a form that names none of them gets the editor back (400) with a
    /// sentence saying so.
    pub fn intent(&self) -> Result<Intent, FormError> {
        Intent::parse(&self.intent).ok_or_else(|| {
            let message = format!(
                "The form asked for `{}`, which the editor does not do. Use one of its buttons.",
                self.intent
            );
            self.said(&message, StatusCode::BAD_REQUEST).into()
        })
    }

    /// The editor rendered again with this submission in it.
    fn outcome(&self, message: Option<String>, errors: FieldErrors) -> EditorOutcome {
        EditorOutcome {
            draft: self.draft.clone(),
            base: self.base,
            note: self.note.clone(),
            errors,
            message,
            conflict: None,
            review: self.review.clone(),
            blank_references: self.blank_references.max(1),
        }
    }

    /// "Add another reference": the editor again with this text and one more empty reference
    /// group (up to the most an article may have); nothing saved.
    pub fn more_references(&self) -> FormResult {
        let room = MAX_REFERENCES.saturating_sub(self.draft.references.len());
        let outcome = EditorOutcome {
            blank_references: (self.blank_references + 1).clamp(1, room.max(1)),
            ..self.outcome(None, FieldErrors::new())
        };
        SamePage::page(outcome)
    }

    /// The editor again with this submission and `message` above it, under `status`.
    pub fn said(&self, message: &str, status: StatusCode) -> SamePage {
        self.said_with(message, FieldErrors::new(), status)
    }

    /// `said`, with problems shown on their fields.
    pub fn said_with(&self, message: &str, errors: FieldErrors, status: StatusCode) -> SamePage {
        SamePage::new(self.outcome(Some(message.to_owned()), errors), status)
    }

    /// The editor again with this text as typed (200), nothing saved and nothing wrong: the page
    /// behind a question asked before a step (`ConfirmStep` beside it).
    pub fn as_typed(&self) -> SamePage {
        SamePage::new(self.outcome(None, FieldErrors::new()), StatusCode::OK)
    }

    /// The editor again with this text, nothing saved: the page renders the preview and runs
    /// the checks on it, as it does for every editor page.
    pub fn preview(&self) -> FormResult {
        SamePage::page(self.outcome(None, FieldErrors::new()))
    }

    /// Nothing saved: the fields' problems, with the text as typed (422).
    pub fn invalid(&self, errors: FieldErrors) -> SamePage {
        let message = "Nothing was saved. Fix the fields below; your text is still here.";
        SamePage::new(
            self.outcome(Some(message.into()), errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    }

    pub fn slug_taken(&self) -> SamePage {
        let message = "Another article already uses this slug: choose another.";
        self.invalid([("slug".to_owned(), message.to_owned())].into())
    }

    /// "Read next" names `slug`, which is no article's address.
    pub fn unknown_read_next(&self, slug: &str) -> SamePage {
        let message = format!(
            "No article has the address \u{201c}{slug}\u{201d}. Choose one from the list, or paste a link to it."
        );
        self.invalid([("read_next".to_owned(), message)].into())
    }

    /// The conflict view (409): this text as typed, beside `current`; the next save is based on
    /// it.
    pub fn conflict(&self, current: EditableArticle) -> SamePage {
        let message = "Someone else saved this article after you opened it, so your text was \
                       not saved. Both versions are below.";
        let outcome = EditorOutcome {
            base: Some(current.head_revision_id),
            conflict: Some(current),
            ..self.outcome(Some(message.into()), FieldErrors::new())
        };
        SamePage::new(outcome, StatusCode::CONFLICT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> FormFields {
        FormFields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn references_are_read_in_order_and_empty_or_removed_ones_dropped() {
        let form = EditorForm::read(&fields(&[
            ("title", " T "),
            ("body", "a\r\nb"),
            ("ref-0-authors", "Duman, R. S."),
            ("ref-0-year", "2012"),
            ("ref-0-doi", ""),
            ("ref-1-authors", "Gone, A."),
            ("ref-1-remove", "1"),
            ("ref-2-authors", ""),
            ("ref-2-year", ""),
            ("ref-10-authors", "Later, B."),
            ("ref-x-authors", "Not a group"),
        ]));
        assert_eq!(form.draft.title, "T");
        assert_eq!(form.draft.body, "a\nb");
        let authors: Vec<&str> = form
            .draft
            .references
            .iter()
            .map(|r| r.authors.as_str())
            .collect();
        assert_eq!(authors, ["Duman, R. S.", "Later, B."]);
        assert_eq!(form.draft.references[0].doi, None);
    }

    #[test]
    fn only_the_editor_buttons_are_intents() {
        for (sent, intent) in [
            ("preview", Intent::Preview),
            ("save", Intent::Save),
            ("submit", Intent::Submit),
            ("publish", Intent::Publish),
            ("unpublish", Intent::Unpublish),
            ("request_changes", Intent::RequestChanges),
            ("add_reference", Intent::AddReference),
        ] {
            assert_eq!(Intent::parse(sent), Some(intent));
        }
        assert_eq!(Intent::parse("delete"), None);
        assert_eq!(Intent::parse(""), None);
    }
}
