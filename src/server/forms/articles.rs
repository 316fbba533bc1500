//! The editor's and the history's forms: create, save, preview, submit for review, approve and
//! publish, unpublish, restore. Writers may save and submit; publishing and unpublishing need a
//! reviewer, who may not approve what they submitted themselves.

use super::{FormFields, accept, busy, internal, record, render_again, see_other};
use crate::admin::form::{EditorOutcome, FormOutcome};
use crate::content::editing::{
    ArticleDraft, EditableArticle, FieldErrors, months_after, validate_draft,
};
use crate::content::markdown::render_article_body;
use crate::content::staff::Role;
use crate::content::{Author, Reference};
use crate::server::auth::session::SignedIn;
use crate::server::bounded::EDITOR_WORK;
use crate::server::db::{ReviewError, SaveError};
use crate::server::state::AppState;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::collections::BTreeMap;

/// How long a clinical review lasts before the article is due for another.
pub const REVIEW_VALID_MONTHS: u32 = 12;

/// What the editor form sent.
struct EditorForm {
    intent: String,
    base: Option<i64>,
    note: String,
    draft: ArticleDraft,
}

/// Reads the editor's fields. References come as `ref-N-FIELD`; a group marked "remove" or left
/// wholly empty is dropped.
fn editor_form(form: &FormFields) -> EditorForm {
    let mut groups: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
    for (name, value) in form.fields() {
        let Some(rest) = name.strip_prefix("ref-") else {
            continue;
        };
        let Some((index, field)) = rest.split_once('-') else {
            continue;
        };
        let Ok(index) = index.parse::<usize>() else {
            continue;
        };
        groups
            .entry(index)
            .or_default()
            .insert(field.to_owned(), value.trim().to_owned());
    }
    let references = groups
        .into_values()
        .filter(|group| !group.contains_key("remove"))
        .filter(|group| group.values().any(|value| !value.is_empty()))
        .map(|mut group| {
            let mut take = |name: &str| group.remove(name).unwrap_or_default();
            let optional = |value: String| (!value.is_empty()).then_some(value);
            Reference {
                authors: take("authors"),
                year: take("year"),
                title: take("title"),
                journal: take("journal"),
                volume: optional(take("volume")),
                issue: optional(take("issue")),
                pages: optional(take("pages")),
                doi: optional(take("doi")),
            }
        })
        .collect();
    EditorForm {
        intent: form.get("intent"),
        base: form.number("base_revision"),
        note: form.get("note").trim().to_owned(),
        draft: ArticleDraft {
            title: form.get("title").trim().to_owned(),
            slug: form.get("slug").trim().to_owned(),
            summary: form.get("summary").trim().to_owned(),
            body: form.get("body").replace("\r\n", "\n"),
            author: Author {
                name: form.get("author_name").trim().to_owned(),
                credentials: form.get("author_credentials").trim().to_owned(),
            },
            references,
        },
    }
}

impl EditorForm {
    /// The editor rendered again with this submission in it.
    fn outcome(&self, message: Option<String>, errors: FieldErrors) -> EditorOutcome {
        EditorOutcome {
            draft: self.draft.clone(),
            base: self.base,
            note: self.note.clone(),
            errors,
            message,
            conflict: None,
            preview_html: None,
        }
    }

    /// The editor with the body rendered as patients would see it (bounded editor work: a
    /// body the size limit has not been checked on yet may be large).
    async fn preview(&self) -> Result<EditorOutcome, Response> {
        let (body, references) = (self.draft.body.clone(), self.draft.references.clone());
        let html = EDITOR_WORK
            .run(move || render_article_body(&body, &references))
            .await
            .map_err(busy)?;
        Ok(EditorOutcome {
            preview_html: Some(html),
            ..self.outcome(None, FieldErrors::new())
        })
    }

    fn invalid(&self, errors: FieldErrors) -> EditorOutcome {
        self.outcome(
            Some("Nothing was saved. Fix the fields below; your text is still here.".into()),
            errors,
        )
    }

    fn slug_taken(&self) -> EditorOutcome {
        self.invalid(
            [(
                "slug".to_owned(),
                "Another article already uses this slug: choose another.".to_owned(),
            )]
            .into(),
        )
    }

    /// The conflict view: this text as typed, beside `current`; the next save is based on it.
    fn conflict(&self, current: EditableArticle) -> EditorOutcome {
        EditorOutcome {
            base: Some(current.head_revision_id),
            conflict: Some(current),
            ..self.outcome(
                Some(
                    "Someone else saved this article after you opened it, so your text was not \
                     saved. Both versions are below."
                        .into(),
                ),
                FieldErrors::new(),
            )
        }
    }
}

fn subject(id: i64, title: &str) -> String {
    format!("article #{id} \u{201c}{title}\u{201d}")
}

/// `POST /admin/articles/new`: creates the article from its first draft (and submits it when
/// the "Submit for review" button was used).
pub async fn create(State(state): State<AppState>, me: SignedIn, request: Request) -> Response {
    let (parts, form) = match accept(&me, Role::Writer, request).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let form = editor_form(&form);
    if form.intent == "preview" {
        return match form.preview().await {
            Ok(preview) => render_again(&state, parts, preview, StatusCode::OK).await,
            Err(refused) => refused,
        };
    }
    if let Err(errors) = validate_draft(&form.draft) {
        return render_again(
            &state,
            parts,
            form.invalid(errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (id, head) = match state.db.create_article(&form.draft, me.staff.id).await {
        Ok(created) => created,
        Err(SaveError::SlugTaken(_)) => {
            return render_again(
                &state,
                parts,
                form.slug_taken(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(error) => return internal("create article", error),
    };
    let about = subject(id, &form.draft.title);
    record(&state, &parts, &me, "created an article", &about).await;
    if form.intent == "submit" {
        if let Err(error) = state.db.submit_for_review(id, head, me.staff.id).await {
            return internal("submit new article", error);
        }
        record(&state, &parts, &me, "submitted for review", &about).await;
        return see_other(&format!("/admin/articles/{id}?done=submitted"));
    }
    see_other(&format!("/admin/articles/{id}?done=created"))
}

/// `POST /admin/articles/{id}`: the editor's buttons.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    me: SignedIn,
    request: Request,
) -> Response {
    let (parts, form) = match accept(&me, Role::Writer, request).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let form = editor_form(&form);
    let current = match state.db.editable_article(id).await {
        Ok(Some(current)) => current,
        Ok(None) => {
            return render_again(&state, parts, FormOutcome::default(), StatusCode::NOT_FOUND)
                .await;
        }
        Err(error) => return internal("load article", error),
    };
    let about = subject(id, &current.draft.title);
    match form.intent.as_str() {
        "preview" => match form.preview().await {
            Ok(preview) => render_again(&state, parts, preview, StatusCode::OK).await,
            Err(refused) => refused,
        },
        "publish" => {
            if let Some(refused) = me.refuse_below(Role::Reviewer) {
                return refused;
            }
            if form.base != Some(current.head_revision_id) {
                return render_again(&state, parts, form.conflict(current), StatusCode::CONFLICT)
                    .await;
            }
            if !form.draft.same_text(&current.draft) {
                let message = "You changed the text, so it cannot be published as it stands: save \
                               and submit it for review; another reviewer then approves it.";
                return render_again(
                    &state,
                    parts,
                    form.outcome(Some(message.into()), FieldErrors::new()),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
            let today = chrono::Utc::now().date_naive();
            let reviewer = Author {
                name: me.staff.name.clone(),
                credentials: me.staff.credentials.clone(),
            };
            let due = months_after(today, REVIEW_VALID_MONTHS);
            match state
                .db
                .approve_and_publish(
                    id,
                    current.head_revision_id,
                    (me.staff.id, &reviewer),
                    today,
                    due,
                )
                .await
            {
                Ok(()) => {
                    record(&state, &parts, &me, "approved and published", &about).await;
                    see_other(&format!("/admin/articles/{id}?done=published"))
                }
                Err(ReviewError::Stale) => {
                    let current = state
                        .db
                        .editable_article(id)
                        .await
                        .ok()
                        .flatten()
                        .unwrap_or(current);
                    render_again(&state, parts, form.conflict(current), StatusCode::CONFLICT).await
                }
                Err(own @ (ReviewError::OwnSubmission | ReviewError::OwnChanges)) => {
                    let message = if matches!(own, ReviewError::OwnSubmission) {
                        "You submitted this version yourself. Another reviewer must approve and publish it."
                    } else {
                        "You wrote some of the changes since the last approved version. A reviewer who wrote none of them must approve and publish it."
                    };
                    render_again(
                        &state,
                        parts,
                        form.outcome(Some(message.into()), FieldErrors::new()),
                        StatusCode::FORBIDDEN,
                    )
                    .await
                }
                Err(ReviewError::NotSubmitted) => {
                    let message = "This version has not been submitted for review. Use \"Submit for review\" first; another reviewer then approves it.";
                    render_again(
                        &state,
                        parts,
                        form.outcome(Some(message.into()), FieldErrors::new()),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(ReviewError::SlugTaken(slug)) => {
                    let mut errors = FieldErrors::new();
                    errors.insert(
                        "slug".into(),
                        format!("Another article uses the address /articles/{slug}, or did: choose another slug, save and submit again."),
                    );
                    let message = "Nothing was published: the new address is taken.";
                    render_again(
                        &state,
                        parts,
                        form.outcome(Some(message.into()), errors),
                        StatusCode::CONFLICT,
                    )
                    .await
                }
                Err(error) => internal("publish", error),
            }
        }
        "unpublish" => {
            if let Some(refused) = me.refuse_below(Role::Reviewer) {
                return refused;
            }
            match state.db.unpublish(id).await {
                Ok(()) => {
                    record(&state, &parts, &me, "unpublished", &about).await;
                    see_other(&format!("/admin/articles/{id}?done=unpublished"))
                }
                Err(ReviewError::NotPublished) => {
                    let message =
                        "This article is not published, so there is nothing to unpublish.";
                    render_again(
                        &state,
                        parts,
                        form.outcome(Some(message.into()), FieldErrors::new()),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                Err(error) => internal("unpublish", error),
            }
        }
        "save" | "submit" => {
            if let Err(errors) = validate_draft(&form.draft) {
                return render_again(
                    &state,
                    parts,
                    form.invalid(errors),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
            let base = form.base.unwrap_or(0);
            let changed = !form.draft.same_text(&current.draft);
            let head = if changed || base != current.head_revision_id {
                let note = if form.note.is_empty() {
                    "Saved"
                } else {
                    form.note.as_str()
                };
                match state
                    .db
                    .save_revision(id, base, &form.draft, me.staff.id, note)
                    .await
                {
                    Ok(head) => {
                        record(
                            &state,
                            &parts,
                            &me,
                            "saved a draft",
                            &subject(id, &form.draft.title),
                        )
                        .await;
                        head
                    }
                    Err(SaveError::Conflict { .. }) => {
                        let current = match state.db.editable_article(id).await {
                            Ok(Some(current)) => current,
                            Ok(None) => {
                                return render_again(
                                    &state,
                                    parts,
                                    FormOutcome::default(),
                                    StatusCode::NOT_FOUND,
                                )
                                .await;
                            }
                            Err(error) => return internal("load article", error),
                        };
                        return render_again(
                            &state,
                            parts,
                            form.conflict(current),
                            StatusCode::CONFLICT,
                        )
                        .await;
                    }
                    Err(SaveError::SlugTaken(_)) => {
                        return render_again(
                            &state,
                            parts,
                            form.slug_taken(),
                            StatusCode::UNPROCESSABLE_ENTITY,
                        )
                        .await;
                    }
                    Err(error) => return internal("save article", error),
                }
            } else {
                current.head_revision_id
            };
            if form.intent == "submit" {
                match state.db.submit_for_review(id, head, me.staff.id).await {
                    Ok(()) => {
                        record(
                            &state,
                            &parts,
                            &me,
                            "submitted for review",
                            &subject(id, &form.draft.title),
                        )
                        .await
                    }
                    Err(ReviewError::Stale) => {
                        let current = state
                            .db
                            .editable_article(id)
                            .await
                            .ok()
                            .flatten()
                            .unwrap_or(current);
                        return render_again(
                            &state,
                            parts,
                            form.conflict(current),
                            StatusCode::CONFLICT,
                        )
                        .await;
                    }
                    Err(error) => return internal("submit", error),
                }
                return see_other(&format!("/admin/articles/{id}?done=submitted"));
            }
            see_other(&format!("/admin/articles/{id}?done=saved"))
        }
        other => {
            let message = format!(
                "The form asked for `{other}`, which the editor does not do. Use one of its buttons."
            );
            render_again(
                &state,
                parts,
                form.outcome(Some(message), FieldErrors::new()),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

/// `POST /admin/articles/{id}/history`: saves an old revision again as the newest one, if the
/// article has not changed since the history page was opened.
pub async fn restore(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    me: SignedIn,
    request: Request,
) -> Response {
    let (parts, form) = match accept(&me, Role::Writer, request).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let (Some(base), Some(revision)) = (form.number("base_revision"), form.number("revision"))
    else {
        return render_again(
            &state,
            parts,
            FormOutcome {
                message: Some("Choose a revision to restore.".into()),
                ..FormOutcome::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let draft = match state.db.revision_draft(id, revision).await {
        Ok(Some(draft)) => draft,
        Ok(None) => {
            return render_again(&state, parts, FormOutcome::default(), StatusCode::NOT_FOUND)
                .await;
        }
        Err(error) => return internal("load revision", error),
    };
    let note = format!("Restored revision #{revision}");
    match state
        .db
        .save_revision(id, base, &draft, me.staff.id, &note)
        .await
    {
        Ok(_) => {
            record(
                &state,
                &parts,
                &me,
                &format!("restored revision #{revision}"),
                &subject(id, &draft.title),
            )
            .await;
            see_other(&format!("/admin/articles/{id}/history?done=restored"))
        }
        Err(SaveError::Conflict { .. }) => {
            let message = "Someone saved this article after you opened its history, so nothing was restored. The list below is now up to date: check it and try again.";
            render_again(
                &state,
                parts,
                FormOutcome {
                    message: Some(message.into()),
                    ..FormOutcome::default()
                },
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(SaveError::NotFound(_)) => {
            render_again(&state, parts, FormOutcome::default(), StatusCode::NOT_FOUND).await
        }
        Err(error) => internal("restore revision", error),
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
        let form = editor_form(&fields(&[
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
}
