//! `/admin/glossary` and `/admin/glossary/{id}` (reviewers and admins): add a term; save or
//! remove one. A save or removal names the version it was made from, and is refused (409, the
//! text kept, what is saved now shown beside it) when someone else saved in between.

use super::{FormError, FormResult, SamePage, StaffForm, StaffRequest, see_other};
use crate::admin::form::{CONFIRMED_FIELD, ConfirmStep, Done, FormOutcome};
use crate::admin::glossary::{TermConflict, as_saved};
use crate::api::glossary::GLOSSARY_ROLE;
use crate::content::glossary::{GlossaryTerm, TermDraft};
use crate::error::AppError;
use crate::server::db::{AuditAction, GlossaryError};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;

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

/// The page again (422) with the fields' problems, nothing changed.
fn invalid(mut outcome: FormOutcome, errors: crate::content::editing::FieldErrors) -> FormError {
    outcome.message =
        Some("Nothing was saved. Fix the fields below; your text is still here.".into());
    outcome.errors = errors;
    SamePage::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into()
}

/// What a refused change says, on the page it came from.
fn refused(error: GlossaryError, mut outcome: FormOutcome) -> FormError {
    match error {
        GlossaryError::Full => {
            outcome.message = Some(format!(
                "The glossary holds its most terms ({}): remove one before adding another.",
                crate::content::glossary::MAX_TERMS
            ));
            SamePage::new(outcome, StatusCode::CONFLICT).into()
        }
        GlossaryError::Taken(other) => invalid(
            outcome,
            [(
                "term".to_owned(),
                format!(
                    "\u{201c}{other}\u{201d} is already in the glossary: change that term instead."
                ),
            )]
            .into(),
        ),
        GlossaryError::Stale(now) => conflict(outcome, *now),
        GlossaryError::Gone => {
            outcome.message =
                Some("This term was removed by someone else; nothing was saved.".into());
            SamePage::new(outcome, StatusCode::NOT_FOUND).into()
        }
        GlossaryError::Db(error) => AppError::internal("glossary", error).into(),
    }
}

/// 409: someone saved first. The text stays as typed; the next save is based on their version.
fn conflict(mut outcome: FormOutcome, now: GlossaryTerm) -> FormError {
    outcome.message = Some(
        "Someone else changed this term since you opened it, so nothing was saved. What is saved now is shown below; your text is still in the form. Save again to replace theirs with yours.".into(),
    );
    outcome
        .values
        .insert("version".into(), now.version.to_string());
    let mut page = SamePage::new(outcome, StatusCode::CONFLICT);
    page.also(TermConflict(now));
    page.into()
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
            let term =
                state
                    .db
                    .remove_glossary_term(id, version)
                    .await
                    .map_err(|error| match error {
                        GlossaryError::Stale(now) => not_removed(*now),
                        other => refused(other, outcome),
                    })?;
            sent.record(&state, AuditAction::RemovedGlossaryTerm, &term)
                .await;
            Ok(see_other(&Done::TermRemoved.on("/admin/glossary")))
        }
        other => Err(super::unknown_intent(other)),
    }
}

/// 409 for a removal from an older version: nothing removed; the form shows the term as it is
/// now, to look at before removing it (again) or keeping it.
fn not_removed(now: GlossaryTerm) -> FormError {
    let outcome = FormOutcome {
        message: Some(
            "Someone else changed this term since you opened it, so it was not removed. It is shown below as it is now: remove it again if it should still go.".into(),
        ),
        ..as_saved(&now)
    };
    SamePage::new(outcome, StatusCode::CONFLICT).into()
}

/// The question before a removal (nothing removed yet).
fn confirm_removal(id: i64, version: i64, draft: &TermDraft) -> FormError {
    let term = draft.term.trim();
    let action = format!("/admin/glossary/{id}");
    let step = ConfirmStep {
        question: format!("Remove \u{201c}{term}\u{201d} from the glossary?"),
        consequence: "Articles stop linking it, and its entry leaves the glossary page. Adding it again later starts it afresh.".into(),
        action: action.clone(),
        fields: vec![
            ("intent".into(), "remove".into()),
            ("version".into(), version.to_string()),
            ("term".into(), term.to_owned()),
        ],
        confirm: format!("Yes, remove \u{201c}{term}\u{201d}"),
        cancel: action,
    };
    SamePage::new(step, StatusCode::OK).into()
}
