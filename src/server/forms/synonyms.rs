//! `/admin/synonyms` (admins): saves the search synonyms. A save names the version it was made
//! from, and is refused (409, the text kept, what is saved now shown beside it) when someone
//! else saved in between.

use super::{FormResult, SamePage, StaffRequest, see_other};
use crate::admin::form::{Done, FormOutcome};
use crate::admin::synonyms::SynonymsConflict;
use crate::api::search::SYNONYMS_ROLE;
use crate::content::search::check_synonyms;
use crate::error::AppError;
use crate::server::db::{AuditAction, SynonymsError};
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// `POST /admin/synonyms`: saves the list.
pub async fn save(State(state): State<AppState>, request: StaffRequest) -> FormResult {
    let sent = request.allow(SYNONYMS_ROLE).await?;
    let form = &sent.fields;
    let mut outcome = FormOutcome {
        values: ["list", "version"]
            .into_iter()
            .map(|name| (name.to_owned(), form.get(name)))
            .collect(),
        ..FormOutcome::default()
    };
    let Some(version) = form.number("version") else {
        return Err(AppError::BadRequest("The form is missing the list's version.".into()).into());
    };
    let list = match check_synonyms(&form.get("list")) {
        Ok(list) => list,
        Err(problem) => {
            outcome.message =
                Some("Nothing was saved. Fix the list below; your text is still here.".into());
            outcome.errors = [("list".to_owned(), problem)].into();
            return Err(SamePage::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into());
        }
    };
    match state
        .db
        .save_search_synonyms(&list, version, Some(sent.me.staff.id))
        .await
    {
        Ok(()) => {}
        Err(SynonymsError::Stale(now)) => {
            outcome.message = Some(
                "Someone else changed the synonyms since you opened them, so nothing was saved. What is saved now is shown below; your text is still in the form. Save again to replace theirs with yours.".into(),
            );
            outcome
                .values
                .insert("version".into(), now.version.to_string());
            let mut page = SamePage::new(outcome, StatusCode::CONFLICT);
            page.also(SynonymsConflict(*now));
            return Err(page.into());
        }
        Err(SynonymsError::Db(error)) => return Err(AppError::internal("synonyms", error).into()),
    }
    let groups = list.lines().count();
    sent.record(
        &state,
        AuditAction::ChangedSearchSynonyms,
        &format!("{groups} group(s)"),
    )
    .await;
    Ok(see_other(&Done::SynonymsSaved.on("/admin/synonyms")))
}
