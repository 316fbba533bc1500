//! `/admin/glossary` and `/admin/glossary/{id}` (reviewers and admins): add a term; save or
//! remove one. A save or removal names the version it was made from, and is refused (409, the
//! text kept, what is saved now shown beside it) when someone else saved in between.

use super::entries::{ListEntry, Removal, invalid, not_removed, refused};
use super::{FormError, FormResult, SamePage, StaffForm, StaffRequest, see_other};
use crate::admin::form::{CONFIRMED_FIELD, Done, FormOutcome};
use crate::admin::glossary::{TermConflict, as_saved};
use crate::api::glossary::GLOSSARY_ROLE;
use crate::content::glossary::{GlossaryTerm, TermDraft};
use crate::error::AppError;
use crate::server::db::AuditAction;
use crate::server::state::AppState;
use axum::extract::{Path, State};

/// The term as typed, and the outcome that shows it again.
fn typed(sent: &StaffForm) -> (TermDraft, FormOutcome) {
    let form = &sent.fields;
    let draft = TermDraft {
        term: form.get("term"),
        definition: form.get("definition"),
        also: form.get("also"),
    };
    let outcome = FormOutcome {
        values: ["term", "definition", "also", "version"]
            .into_iter()
            .map(|name| (name.to_owned(), form.get(name)))
            .collect(),
        ..FormOutcome::default()
    };
    (draft, outcome)
}

impl ListEntry for GlossaryTerm {
    const NOUN: &'static str = "term";

    fn full() -> String {
        format!(
            "The glossary holds its most terms ({}): remove one before adding another.",
            crate::content::glossary::MAX_TERMS
        )
    }

    fn taken(other: &str) -> (&'static str, String) {
        (
            "term",
            format!(
                "\u{201c}{other}\u{201d} is already in the glossary: change that term instead."
            ),
        )
    }

    fn as_saved(&self) -> FormOutcome {
        as_saved(self)
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn show_beside(self, page: &mut SamePage) {
        page.also(TermConflict(self));
    }
}

/// `POST /admin/glossary`: adds a term.
pub async fn add(State(state): State<AppState>, request: StaffRequest) -> FormResult {
    let sent = request.allow(GLOSSARY_ROLE).await?;
    if sent.fields.get("intent") != "add" {
        return Err(super::unknown_intent(&sent.fields.get("intent")));
    }
    let (draft, outcome) = typed(&sent);
    draft
        .check()
        .map_err(|errors| invalid(outcome.clone(), errors))?;
    state
        .db
        .add_glossary_term(&draft, sent.me.staff.id)
        .await
        .map_err(|error| refused(error, outcome))?;
    sent.record(&state, AuditAction::AddedGlossaryTerm, draft.term.trim())
        .await;
    Ok(see_other(&Done::TermAdded.on("/admin/glossary")))
}

/// `POST /admin/glossary/{id}`: saves or removes term `id`.
pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: StaffRequest,
) -> FormResult {
    let sent = request.allow(GLOSSARY_ROLE).await?;
    let (draft, outcome) = typed(&sent);
    let Some(version) = sent.fields.number("version") else {
        return Err(AppError::BadRequest("The form is missing the term's version.".into()).into());
    };
    match sent.fields.get("intent").as_str() {
        "save" => {
            draft
                .check()
                .map_err(|errors| invalid(outcome.clone(), errors))?;
            state
                .db
                .save_glossary_term(id, version, &draft, sent.me.staff.id)
                .await
                .map_err(|error| refused(error, outcome))?;
            sent.record(&state, AuditAction::ChangedGlossaryTerm, draft.term.trim())
                .await;
            Ok(see_other(&Done::TermSaved.on("/admin/glossary")))
        }
        "remove" => {
            if sent.fields.get(CONFIRMED_FIELD) != "yes" {
                return Err(confirm_removal(id, version, &draft));
            }
            let term = state
                .db
                .remove_glossary_term(id, version)
                .await
                .map_err(|error| not_removed(error, outcome))?;
            sent.record(&state, AuditAction::RemovedGlossaryTerm, &term)
                .await;
            Ok(see_other(&Done::TermRemoved.on("/admin/glossary")))
        }
        other => Err(super::unknown_intent(other)),
    }
}

/// The question before a removal (nothing removed yet).
fn confirm_removal(id: i64, version: i64, draft: &TermDraft) -> FormError {
    let term = draft.term.trim();
    Removal {
        action: format!("/admin/glossary/{id}"),
        version,
        name_field: "term",
        name: term,
        question: format!("Remove \u{201c}{term}\u{201d} from the glossary?"),
        consequence: "Articles stop linking it, and its entry leaves the glossary page. Adding it again later starts it afresh.",
    }
    .ask()
}
