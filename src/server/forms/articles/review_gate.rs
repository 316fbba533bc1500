//! The review gate: what a reviewer must give before the submitted text reaches patients.
//! Every error of the checks fixed; every open warning acknowledged with a reason; every
//! reference ticked as checked (the NHS content standard re-checks the evidence at each
//! review). The editor's review fields are `ack-KEY` (a reason, per warning), `checked-ref-N`
//! (per reference, from 0), `review_months`, and for a request for changes `review_note` and
//! `review_quote`.

use super::super::{FormError, FormFields};
use super::editor_form::EditorForm;
use crate::content::checks::{CheckReport, Severity, check_article};
use crate::content::editing::EditableArticle;
use crate::content::review::{Approval, MAX_NOTE_CHARS};
use crate::content::{DEFAULT_REVIEW_MONTHS, REVIEW_INTERVALS};
use crate::error::AppError;
use crate::server::bounded::EDITOR_WORK;
use axum::http::StatusCode;

/// The checks of the text about to be published (bounded like all editor work).
pub async fn checks_of(article: &EditableArticle) -> Result<CheckReport, FormError> {
    let (body, references) = (article.draft.body.clone(), article.draft.references.clone());
    EDITOR_WORK
        .run(move || check_article(&body, &references))
        .await
        .map_err(|refused| AppError::busy(refused).into())
}

/// The approval the form gives for `article` with its `checks`, or the editor again (422)
/// saying exactly what is still open, with everything the reviewer typed kept.
pub fn approval(
    form: &EditorForm,
    fields: &FormFields,
    article: &EditableArticle,
    checks: &CheckReport,
) -> Result<Approval, FormError> {
    let mut open = errors_open(checks);
    let acknowledgements = acknowledgements(fields, checks, &mut open);
    let checked_references = checked_references(fields, article, &mut open);
    if !open.is_empty() {
        let message = format!("Nothing was published. Still open: {}.", open.join("; "));
        return Err(form.said(&message, StatusCode::UNPROCESSABLE_ENTITY).into());
    }
    let interval_months = fields
        .number("review_months")
        .and_then(|months| u32::try_from(months).ok())
        .filter(|months| REVIEW_INTERVALS.contains(months))
        .unwrap_or(DEFAULT_REVIEW_MONTHS);
    Ok(Approval {
        acknowledgements,
        checked_references,
        interval_months,
    })
}

/// What no acknowledgement clears: checks that could not run, and every error.
fn errors_open(checks: &CheckReport) -> Vec<String> {
    let mut open = Vec::new();
    if !checks.unavailable.is_empty() {
        let names: Vec<&str> = checks.unavailable.iter().map(|c| c.label()).collect();
        open.push(format!(
            "these checks could not run, so the text cannot be cleared: {}",
            names.join(", ")
        ));
    }
    let errors = checks
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .map(|finding| format!("fix: {}", finding.problem));
    open.extend(errors);
    open
}

/// Each open warning's reason, as the approval keeps it (its key, the finding as shown, the
/// reason); a warning with no reason, or too long a one, is added to `open`.
fn acknowledgements(
    fields: &FormFields,
    checks: &CheckReport,
    open: &mut Vec<String>,
) -> Vec<(String, String, String)> {
    let mut acknowledgements = Vec::new();
    let warnings = checks
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Warning);
    for finding in warnings {
        let reason = fields.get(&format!("ack-{}", finding.key));
        let reason = reason.trim();
        if reason.is_empty() {
            open.push(format!(
                "fix, or acknowledge with a reason: {}",
                finding.problem
            ));
        } else if reason.chars().count() > MAX_NOTE_CHARS {
            open.push(format!(
                "shorten the reason for \u{201c}{}\u{201d} to {MAX_NOTE_CHARS} characters",
                finding.problem
            ));
        } else {
            let shown = if finding.quote.is_empty() {
                finding.problem.clone()
            } else {
                format!(
                    "{} \u{2014} \u{201c}{}\u{201d}",
                    finding.problem, finding.quote
                )
            };
            acknowledgements.push((finding.key.clone(), shown, reason.to_owned()));
        }
    }
    acknowledgements
}

/// The references ticked as checked (position from 1, title); each one not ticked is added to
/// `open`.
fn checked_references(
    fields: &FormFields,
    article: &EditableArticle,
    open: &mut Vec<String>,
) -> Vec<(i64, String)> {
    let mut checked = Vec::new();
    for (index, reference) in article.draft.references.iter().enumerate() {
        if fields.get(&format!("checked-ref-{index}")).is_empty() {
            open.push(format!(
                "tick reference {} as checked ({})",
                index + 1,
                reference.title
            ));
        } else {
            checked.push((index as i64 + 1, reference.title.clone()));
        }
    }
    checked
}

/// The note of a request for changes, and the passage it quotes; the editor again (422) when
/// the note is empty or too long.
pub fn change_request(
    form: &EditorForm,
    fields: &FormFields,
) -> Result<(String, String), FormError> {
    let note = fields.get("review_note").trim().to_owned();
    let quote = fields.get("review_quote").trim().to_owned();
    let problem = if note.is_empty() {
        Some("Write what should change in \u{201c}Changes requested\u{201d}: the writer sees it in the editor.".to_owned())
    } else if note.chars().count() > MAX_NOTE_CHARS || quote.chars().count() > MAX_NOTE_CHARS {
        Some(format!(
            "Shorten the note and the quoted passage to {MAX_NOTE_CHARS} characters each."
        ))
    } else {
        None
    };
    match problem {
        Some(message) => Err(form.said(&message, StatusCode::UNPROCESSABLE_ENTITY).into()),
        None => Ok((quote, note)),
    }
}
