//! `POST /admin/articles/{id}/review-notes`: a reviewer marks a request for changes resolved
//! (the one-button form beside each open note in the editor). Reviewers only: a writer cannot
//! close a clinician's note. Either way it answers with the editor again, whose notice says
//! what happened (the form has nothing typed to keep).

use super::super::{FormResult, StaffRequest, see_other};
use super::subject;
use crate::admin::form::Done;
use crate::content::staff::Role;
use crate::error::AppError;
use crate::server::db::AuditAction;
use crate::server::state::AppState;
use axum::extract::{Path, State};

pub async fn resolve_note(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: StaffRequest,
) -> FormResult {
    let sent = request.allow(Role::Reviewer).await?;
    let note_id = sent.fields.number("note").unwrap_or(0);
    let resolved = state
        .db
        .resolve_review_note(id, note_id, sent.me.staff.id)
        .await
        .map_err(|error| AppError::internal("resolve review note", error))?;
    if !resolved {
        let editor = format!("/admin/articles/{id}");
        return Ok(see_other(&Done::NoteNotOpen.on(&editor)));
    }
    let action = AuditAction::ResolvedReviewNote(note_id);
    sent.record(&state, action, &subject(id, "")).await;
    let editor = format!("/admin/articles/{id}");
    Ok(see_other(&Done::NoteResolved.on(&editor)))
}
