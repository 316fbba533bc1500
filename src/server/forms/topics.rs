//! `/admin/topics` and `/admin/topics/{id}` (reviewers and admins): add a topic; save or remove
//! one. A save or removal names the version it was made from, and is refused (409, the text
//! kept, what is saved now shown beside it) when someone else saved in between.

use super::entries::{ListEntry, Removal, invalid, not_removed, refused};
use super::{FormError, FormResult, SamePage, StaffForm, StaffRequest, see_other};
use crate::admin::form::{CONFIRMED_FIELD, Done, FormOutcome};
use crate::admin::topics::{TopicConflict, as_saved};
use crate::api::topics::TOPICS_ROLE;
use crate::content::topics::{MAX_TOPICS, Topic, TopicDraft};
use crate::error::AppError;
use crate::server::db::AuditAction;
use crate::server::state::AppState;
use axum::extract::{Path, State};

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

impl ListEntry for Topic {
    const NOUN: &'static str = "topic";

    fn full() -> String {
        format!(
            "There are as many topics as there can be ({MAX_TOPICS}): remove one before adding another."
        )
    }

    fn taken(other: &str) -> (&'static str, String) {
        (
            "slug",
            format!("\u{201c}{other}\u{201d} already has this address: choose another."),
        )
    }

    fn as_saved(&self) -> FormOutcome {
        as_saved(self)
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn show_beside(self, page: &mut SamePage) {
        page.also(TopicConflict(self));
    }
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
                .map_err(|error| not_removed(error, outcome))?;
            sent.record(&state, AuditAction::RemovedTopic, &name).await;
            Ok(see_other(&Done::TopicRemoved.on("/admin/topics")))
        }
        other => Err(super::unknown_intent(other)),
    }
}

/// The question before a removal (nothing removed yet).
fn confirm_removal(id: i64, version: i64, draft: &TopicDraft) -> FormError {
    let name = draft.name.trim();
    Removal {
        action: format!("/admin/topics/{id}"),
        version,
        name_field: "name",
        name,
        question: format!("Remove the topic \u{201c}{name}\u{201d}?"),
        consequence: "Its page goes, and no article is listed under it any more, in any version. The articles themselves stay.",
    }
    .ask()
}
