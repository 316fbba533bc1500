//! The history's side of an article: `POST /admin/articles/{id}/history` ("Restore" an old
//! version as the newest), and the record of each review step the history lists.

use super::super::{FormResult, SamePage, StaffRequest, not_found, problem, see_other};
use super::subject;
use crate::admin::form::Done;
use crate::content::review::EventKind;
use crate::content::staff::Role;
use crate::error::AppError;
use crate::server::db::{AuditAction, SaveError};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// Records a review step for article `id`'s history; a failure is logged (the step itself has
/// happened).
pub(super) async fn record_event(
    state: &AppState,
    id: i64,
    revision: i64,
    kind: EventKind,
    staff_id: i64,
    note: &str,
) {
    if let Err(error) = state
        .db
        .record_event(id, revision, kind, staff_id, note)
        .await
    {
        tracing::error!(%error, article = id, "could not record a review step");
    }
}

/// `POST /admin/articles/{id}/history`: saves an old revision again as the newest one, if the
/// article has not changed since the history page was opened. Writers and up.
pub async fn restore(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: StaffRequest,
) -> FormResult {
    let sent = request.allow(Role::Writer).await?;
    let form = &sent.fields;
    let (Some(base), Some(revision)) = (form.number("base_revision"), form.number("revision"))
    else {
        let choose = problem("Choose a revision to restore.");
        return Err(SamePage::new(choose, StatusCode::UNPROCESSABLE_ENTITY).into());
    };
    let draft = state
        .db
        .revision_draft(id, revision)
        .await
        .map_err(|error| AppError::internal("load revision", error))?
        .ok_or_else(not_found)?;
    let number = state
        .db
        .revisions(id)
        .await
        .map_err(|error| AppError::internal("load revisions", error))?
        .into_iter()
        .find(|listed| listed.id == revision)
        .map_or(revision, |listed| listed.number);
    let note = format!("Restored version {number}");
    let me = sent.me.staff.id;
    match state.db.save_revision(id, base, &draft, me, &note).await {
        Ok(_) => {
            let action = AuditAction::RestoredRevision(revision);
            sent.record(&state, action, &subject(id, &draft.title))
                .await;
            let history = format!("/admin/articles/{id}/history");
            Ok(see_other(&Done::Restored.on(&history)))
        }
        Err(SaveError::Conflict { .. }) => {
            let message = problem(
                "Someone saved this article after you opened its history, so nothing was \
                 restored. The list below is now up to date: check it and try again.",
            );
            Err(SamePage::new(message, StatusCode::CONFLICT).into())
        }
        Err(SaveError::NotFound(_)) => Err(not_found().into()),
        Err(error) => Err(AppError::internal("restore revision", error).into()),
    }
}
