//! The editor's and the history's forms: create, save, preview, submit for review, approve and
//! publish, unpublish, restore; one function per button. Writers may save and submit;
//! publishing and unpublishing need a reviewer who wrote none of the changes since the last
//! approved revision (the database checks that inside the publishing statement).

mod editor_form;
mod history;
mod notes;
mod review_gate;

use super::{FormError, FormResult, StaffForm, StaffRequest, not_found, see_other};
use crate::admin::form::{CONFIRMED_FIELD, ConfirmStep, Done};
use crate::content::Author;
use crate::content::editing::{EditableArticle, FieldErrors, validate_draft};
use crate::content::review::EventKind;
use crate::content::staff::Role;
use crate::error::AppError;
use crate::server::db::AuditAction;
use crate::server::db::{ReviewError, SaveError};
use crate::server::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use editor_form::{EditorForm, Intent};
use history::record_event;
pub use history::restore;
pub use notes::resolve_note;

fn subject(id: i64, title: &str) -> String {
    format!("article #{id} \u{201c}{title}\u{201d}")
}

/// `POST /admin/articles/new`: creates the article from its first draft (and submits it when
/// the "Submit for review" button was used). Writers and up.
pub async fn create(State(state): State<AppState>, request: StaffRequest) -> FormResult {
    let sent = request.allow(Role::Writer).await?;
    let form = EditorForm::read(&sent.fields);
    let intent = form.intent()?;
    match intent {
        Intent::Preview => return form.preview(),
        Intent::AddReference => return form.more_references(),
        _ => {}
    }
    validate_draft(&form.draft).map_err(|errors| form.invalid(errors))?;
    let note = match form.note.trim() {
        "" => "Created",
        note => note,
    };
    let me = sent.me.staff.id;
    let (id, head) = match state.db.create_article(&form.draft, me, note).await {
        Ok(created) => created,
        Err(SaveError::SlugTaken(_)) => return Err(form.slug_taken().into()),
        Err(SaveError::UnknownReadNext(slug)) => return Err(form.unknown_read_next(&slug).into()),
        Err(error) => return Err(AppError::internal("create article", error).into()),
    };
    let about = subject(id, &form.draft.title);
    sent.record(&state, AuditAction::CreatedArticle, &about)
        .await;
    if intent != Intent::Submit {
        return Ok(see_other(
            &Done::Created.on(&format!("/admin/articles/{id}")),
        ));
    }
    state
        .db
        .submit_for_review(id, head, me)
        .await
        .map_err(|error| AppError::internal("submit new article", error))?;
    record_event(&state, id, head, EventKind::Submitted, me, "").await;
    sent.record(&state, AuditAction::SubmittedForReview, &about)
        .await;
    Ok(see_other(
        &Done::Submitted.on(&format!("/admin/articles/{id}")),
    ))
}

/// `POST /admin/articles/{id}`: the editor's buttons. Writers and up; see each button's rule.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: StaffRequest,
) -> FormResult {
    let sent = request.allow(Role::Writer).await?;
    let form = EditorForm::read(&sent.fields);
    let intent = form.intent()?;
    let current = state
        .db
        .editable_article(id)
        .await
        .map_err(|error| AppError::internal("load article", error))?
        .ok_or_else(not_found)?;
    let editing = Editing {
        state: &state,
        id,
        sent: &sent,
        form,
        current,
    };
    match intent {
        Intent::Preview => editing.form.preview(),
        Intent::AddReference => editing.form.more_references(),
        Intent::Save => {
            editing.save().await?;
            Ok(see_other(&Done::Saved.on(&format!("/admin/articles/{id}"))))
        }
        Intent::Submit => editing.submit().await,
        Intent::Publish => editing.publish().await,
        Intent::Unpublish => editing.unpublish().await,
        Intent::RequestChanges => editing.request_changes().await,
    }
}

/// One editor submission for an existing article.
struct Editing<'a> {
    state: &'a AppState,
    id: i64,
    sent: &'a StaffForm,
    form: EditorForm,
    /// The article as it was when the request came.
    current: EditableArticle,
}

impl Editing<'_> {
    /// "Save draft": a new revision when the text changed (or was based on an older revision);
    /// answers the newest revision's id. A save based on an older revision is a conflict.
    async fn save(&self) -> Result<i64, FormError> {
        validate_draft(&self.form.draft).map_err(|errors| self.form.invalid(errors))?;
        let base = self.form.base.unwrap_or(0);
        let unchanged = self.form.draft.same_text(&self.current.draft);
        if unchanged && base == self.current.head_revision_id {
            return Ok(base);
        }
        let note = match self.form.note.as_str() {
            "" => "Saved",
            note => note,
        };
        let saved = self
            .state
            .db
            .save_revision(self.id, base, &self.form.draft, self.sent.me.staff.id, note)
            .await;
        match saved {
            Ok(head) => {
                let about = subject(self.id, &self.form.draft.title);
                self.sent
                    .record(self.state, AuditAction::SavedDraft, &about)
                    .await;
                Ok(head)
            }
            Err(SaveError::Conflict { .. }) => Err(self.conflict().await),
            Err(SaveError::SlugTaken(_)) => Err(self.form.slug_taken().into()),
            Err(SaveError::UnknownReadNext(slug)) => Err(self.form.unknown_read_next(&slug).into()),
            Err(error) => Err(AppError::internal("save article", error).into()),
        }
    }

    /// "Submit for review": saves, then marks the newest revision as waiting for a reviewer.
    async fn submit(&self) -> FormResult {
        let head = self.save().await?;
        let me = self.sent.me.staff.id;
        match self.state.db.submit_for_review(self.id, head, me).await {
            Ok(()) => {
                // A new revision holds the note; unchanged text has only this step to hold it.
                let unchanged = head == self.current.head_revision_id;
                let note = if unchanged { self.form.note.trim() } else { "" };
                self.event(EventKind::Submitted, head, note).await;
                let title = &self.form.draft.title;
                Ok(self
                    .done(AuditAction::SubmittedForReview, title, Done::Submitted)
                    .await)
            }
            Err(ReviewError::Stale) => Err(self.conflict().await),
            Err(error) => Err(AppError::internal("submit", error).into()),
        }
    }

    /// "Approve and publish": reviewers only, the submitted text as it stands, and never by
    /// someone who wrote any of it since the last approval.
    async fn publish(&self) -> FormResult {
        self.sent.require(Role::Reviewer)?;
        if self.form.base != Some(self.current.head_revision_id) {
            return Err(self.form.conflict(self.current.clone()).into());
        }
        if !self.form.draft.same_text(&self.current.draft) {
            let message = "You changed the text, so it cannot be published as it stands: save \
                           and submit it for review; another reviewer then approves it.";
            return Err(self
                .form
                .said(message, StatusCode::UNPROCESSABLE_ENTITY)
                .into());
        }
        let me = &self.sent.me.staff;
        let head = self.current.head_revision_id;
        // Who may approve comes first: the gate's findings matter only to someone who may.
        let published = match self.state.db.check_approver(self.id, head, me.id).await {
            Ok(()) => {
                let checks = review_gate::checks_of(&self.current).await?;
                let approval =
                    review_gate::approval(&self.form, &self.sent.fields, &self.current, &checks)?;
                let today = chrono::Utc::now().date_naive();
                let reviewer = Author {
                    name: me.name.clone(),
                    credentials: me.credentials.clone(),
                };
                self.state
                    .db
                    .approve_and_publish(self.id, head, (me.id, &reviewer), today, &approval)
                    .await
                    .map(|()| approval)
            }
            Err(refused) => Err(refused),
        };
        match published {
            Ok(approval) => {
                self.event(EventKind::Published, head, self.form.note.trim())
                    .await;
                let title = &self.current.draft.title;
                let about = subject(self.id, title);
                for (_, finding, reason) in &approval.acknowledgements {
                    let action = AuditAction::AcknowledgedWarning {
                        finding: finding.clone(),
                        reason: reason.clone(),
                    };
                    self.sent.record(self.state, action, &about).await;
                }
                let checked = approval.checked_references.len();
                if checked > 0 {
                    let action = AuditAction::CheckedReferences(checked);
                    self.sent.record(self.state, action, &about).await;
                }
                Ok(self
                    .done(AuditAction::ApprovedAndPublished, title, Done::Published)
                    .await)
            }
            Err(ReviewError::Stale) => Err(self.conflict().await),
            Err(why) => Err(self.not_published(why)),
        }
    }

    /// Why a reviewer's publish did not happen, said on the editor (a stale base is a conflict,
    /// answered by the caller).
    fn not_published(&self, why: ReviewError) -> FormError {
        let refused = |message: &str, status| self.form.said(message, status).into();
        match why {
            ReviewError::OwnSubmission => refused(
                "You submitted this version yourself. Another reviewer must approve and publish it.",
                StatusCode::FORBIDDEN,
            ),
            ReviewError::OwnChanges => refused(
                "You wrote some of the changes since the last approved version. A reviewer who \
                 wrote none of them must approve and publish it.",
                StatusCode::FORBIDDEN,
            ),
            ReviewError::NotSubmitted => refused(
                "This version has not been submitted for review. Use \"Submit for review\" \
                 first; another reviewer then approves it.",
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            ReviewError::OpenNotes => refused(
                "Nothing was published: a request for changes is still open (see \"Changes \
                 requested\" above the text). If this version answers it, press \"Mark resolved\" \
                 beside it, then approve and publish.",
                StatusCode::CONFLICT,
            ),
            ReviewError::SlugTaken(slug) => {
                let errors: FieldErrors = [(
                    "slug".to_owned(),
                    format!(
                        "Another article uses the address /articles/{slug}, or did: choose \
                         another slug, save and submit again."
                    ),
                )]
                .into();
                let message = "Nothing was published: the new address is taken.";
                self.form
                    .said_with(message, errors, StatusCode::CONFLICT)
                    .into()
            }
            error => AppError::internal("publish", error).into(),
        }
    }

    /// "Request changes": reviewers only, on the submitted text as it stands; the note goes to
    /// the writers, and the article goes back to draft.
    async fn request_changes(&self) -> FormResult {
        self.sent.require(Role::Reviewer)?;
        let (quote, note) = review_gate::change_request(&self.form, &self.sent.fields)?;
        if self.form.base != Some(self.current.head_revision_id) {
            return Err(self.form.conflict(self.current.clone()).into());
        }
        if !self.form.draft.same_text(&self.current.draft) {
            let message = "Nothing was sent back: you changed the text, and a request for \
                           changes does not save it. Save your changes (they are still below), \
                           or undo them, then request changes.";
            return Err(self
                .form
                .said(message, StatusCode::UNPROCESSABLE_ENTITY)
                .into());
        }
        let head = self.current.head_revision_id;
        let me = self.sent.me.staff.id;
        match self
            .state
            .db
            .request_changes(self.id, head, me, &quote, &note)
            .await
        {
            Ok(_) => {
                self.event(EventKind::ChangesRequested, head, &note).await;
                let title = &self.current.draft.title;
                Ok(self
                    .done(AuditAction::RequestedChanges, title, Done::ChangesRequested)
                    .await)
            }
            Err(ReviewError::Stale) => Err(self.conflict().await),
            Err(ReviewError::NotSubmitted) => Err(self
                .form
                .said(
                    "This version is not waiting for review, so there is nothing to send back.",
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .into()),
            Err(error) => Err(AppError::internal("request changes", error).into()),
        }
    }

    /// "Unpublish": reviewers only; the article leaves the public site at once.
    async fn unpublish(&self) -> FormResult {
        self.sent.require(Role::Reviewer)?;
        if self.sent.fields.get(CONFIRMED_FIELD) != "yes" {
            let title = &self.current.draft.title;
            let step = ConfirmStep {
                question: format!("Unpublish \u{201c}{title}\u{201d}?"),
                consequence: "Patients can no longer read it: its address answers \u{201c}not found\u{201d} \
                              from the next request. Its text and history stay, and it can be published \
                              again after a review."
                    .into(),
                action: format!("/admin/articles/{}", self.id),
                fields: vec![
                    ("intent".into(), "unpublish".into()),
                    ("note".into(), self.form.note.clone()),
                ],
                confirm: "Yes, unpublish it".into(),
                cancel: format!("/admin/articles/{}", self.id),
            };
            let mut page = self.form.as_typed();
            page.also(step);
            return Err(page.into());
        }
        match self.state.db.unpublish(self.id).await {
            Ok(()) => {
                let head = self.current.head_revision_id;
                self.event(EventKind::Unpublished, head, self.form.note.trim())
                    .await;
                let title = &self.current.draft.title;
                Ok(self
                    .done(AuditAction::Unpublished, title, Done::Unpublished)
                    .await)
            }
            Err(ReviewError::NotPublished) => Err(self
                .form
                .said(
                    "This article is not published, so there is nothing to unpublish.",
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .into()),
            Err(error) => Err(AppError::internal("unpublish", error).into()),
        }
    }

    /// A review step, recorded for the article's history.
    async fn event(&self, kind: EventKind, revision: i64, note: &str) {
        let me = self.sent.me.staff.id;
        record_event(self.state, self.id, revision, kind, me, note).await;
    }

    /// After `action` on the article titled `title`: recorded in the audit log, and back to the
    /// editor with the `done` notice.
    async fn done(&self, action: AuditAction, title: &str, done: Done) -> Response {
        let about = subject(self.id, title);
        self.sent.record(self.state, action, &about).await;
        see_other(&done.on(&format!("/admin/articles/{}", self.id)))
    }

    /// The conflict view against the article as it is now (someone saved since this form's
    /// revision).
    async fn conflict(&self) -> FormError {
        match self.state.db.editable_article(self.id).await {
            Ok(Some(now)) => self.form.conflict(now).into(),
            Ok(None) => not_found().into(),
            Err(error) => AppError::internal("load article", error).into(),
        }
    }
}
