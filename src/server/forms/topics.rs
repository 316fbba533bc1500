//! `/admin/topics` and `/admin/topics/{id}` (reviewers and admins): add a topic; save or remove
//! one. A save or removal names the version it was made from, and is refused (409, the text
//! kept, what is saved now shown beside it) when someone else saved in between.

use super::{FormError, FormResult, SamePage, StaffForm, StaffRequest, see_other};
use crate::admin::form::{CONFIRMED_FIELD, ConfirmStep, Done, FormOutcome};
use crate::admin::topics::{TopicConflict, as_saved};
use crate::api::topics::TOPICS_ROLE;
use crate::content::topics::{MAX_TOPICS, Topic, TopicDraft};
use crate::error::AppError;
use crate::server::db::{AuditAction, TopicError};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;

/// The topic as typed, and the outcome that shows it again.
fn typed(sent: &StaffForm) -> (TopicDraft, FormOutcome) {
    let form = &sent.fields;
    let draft = TopicDraft {
        name: form.get("name"),
        slug: form.get("slug"),
        description: form.get("description"),
    };
    let outcome = FormOutcome {
        values: ["name", "slug", "description", "version"]
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
fn refused(error: TopicError, mut outcome: FormOutcome) -> FormError {
    match error {
        TopicError::Full => {
            outcome.message = Some(format!(
                "There are as many topics as there can be ({MAX_TOPICS}): remove one before adding another."
            ));
            SamePage::new(outcome, StatusCode::CONFLICT).into()
        }
        TopicError::Taken(other) => invalid(
            outcome,
            [(
                "slug".to_owned(),
                format!("\u{201c}{other}\u{201d} already has this address: choose another."),
            )]
            .into(),
        ),
        TopicError::Stale(now) => conflict(outcome, *now),
        TopicError::Gone => {
            outcome.message =
                Some("This topic was removed by someone else; nothing was saved.".into());
            SamePage::new(outcome, StatusCode::NOT_FOUND).into()
        }
        TopicError::Db(error) => AppError::internal("topics", error).into(),
    }
}

/// 409: someone saved first. The text stays as typed; the next save is based on their version.
fn conflict(mut outcome: FormOutcome, now: Topic) -> FormError {
    outcome.message = Some(
        "Someone else changed this topic since you opened it, so nothing was saved. What is saved now is shown below; your text is still in the form. Save again to replace theirs with yours.".into(),
    );
    outcome
        .values
        .insert("version".into(), now.version.to_string());
    let mut page = SamePage::new(outcome, StatusCode::CONFLICT);
    page.also(TopicConflict(now));
    page.into()
}

/// `POST /admin/topics`: adds a topic.
pub async fn add(State(state): State<AppState>, request: StaffRequest) -> FormResult {
    let sent = request.allow(TOPICS_ROLE).await?;
    if sent.fields.get("intent") != "add" {
        return Err(super::unknown_intent(&sent.fields.get("intent")));
    }
    let (draft, outcome) = typed(&sent);
    draft
        .check()
        .map_err(|errors| invalid(outcome.clone(), errors))?;
    state
        .db
        .add_topic(&draft, sent.me.staff.id)
        .await
        .map_err(|error| refused(error, outcome))?;
    sent.record(&state, AuditAction::AddedTopic, draft.name.trim())
        .await;
    Ok(see_other(&Done::TopicAdded.on("/admin/topics")))
}

/// `POST /admin/topics/{id}`: saves or removes topic `id`.
pub async fn change(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: StaffRequest,
) -> FormResult {
    let sent = request.allow(TOPICS_ROLE).await?;
    let (draft, outcome) = typed(&sent);
    let Some(version) = sent.fields.number("version") else {
        return Err(AppError::BadRequest("The form is missing the topic's version.".into()).into());
    };
    match sent.fields.get("intent").as_str() {
        "save" => {
            draft
                .check()
                .map_err(|errors| invalid(outcome.clone(), errors))?;
            state
                .db
                .save_topic(id, version, &draft, sent.me.staff.id)
                .await
                .map_err(|error| refused(error, outcome))?;
            sent.record(&state, AuditAction::ChangedTopic, draft.name.trim())
                .await;
            Ok(see_other(&Done::TopicSaved.on("/admin/topics")))
        }
        "remove" => {
            if sent.fields.get(CONFIRMED_FIELD) != "yes" {
                return Err(confirm_removal(id, version, &draft));
            }
            let name = state
                .db
                .remove_topic(id, version)
                .await
                .map_err(|error| match error {
                    TopicError::Stale(now) => not_removed(*now),
                    other => refused(other, outcome),
                })?;
            sent.record(&state, AuditAction::RemovedTopic, &name).await;
            Ok(see_other(&Done::TopicRemoved.on("/admin/topics")))
        }
        other => Err(super::unknown_intent(other)),
    }
}

/// 409 for a removal from an older version: nothing removed; the form shows the topic as it is
/// now, to look at before removing it (again) or keeping it.
fn not_removed(now: Topic) -> FormError {
    let outcome = FormOutcome {
        message: Some(
            "Someone else changed this topic since you opened it, so it was not removed. It is shown below as it is now: remove it again if it should still go.".into(),
        ),
        ..as_saved(&now)
    };
    SamePage::new(outcome, StatusCode::CONFLICT).into()
}

/// The question before a removal (nothing removed yet).
fn confirm_removal(id: i64, version: i64, draft: &TopicDraft) -> FormError {
    let name = draft.name.trim();
    let action = format!("/admin/topics/{id}");
    let step = ConfirmStep {
        question: format!("Remove the topic \u{201c}{name}\u{201d}?"),
        consequence: "Its page goes, and no article is listed under it any more, in any version. The articles themselves stay.".into(),
        action: action.clone(),
        fields: vec![
            ("intent".into(), "remove".into()),
            ("version".into(), version.to_string()),
            ("name".into(), name.to_owned()),
        ],
        confirm: format!("Yes, remove \u{201c}{name}\u{201d}"),
        cancel: action,
    };
    SamePage::new(step, StatusCode::OK).into()
}
