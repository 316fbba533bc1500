//! The review gate: what a reviewer must give before the submitted text reaches patients.
//! Every error of the checks fixed; every open warning acknowledged with a reason; every
//! reference ticked as checked (the NHS content standard re-checks the evidence at each
//! review). The editor's review fields are `ack-KEY` (a reason, per warning), `checked-ref-N`
//! (per reference, from 0), `review_months`, and for a request for changes `review_note` and
//! `review_quote`.

use super::super::{FormError, FormFields};
use super::editor_form::EditorForm;
use crate::content::checks::finding_anchor;
use crate::content::checks::{CheckReport, Severity, check_article};
use crate::content::editing::{EditableArticle, FieldErrors};
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
/// listing each item still open as a link to its field (or to its finding in the checks), each
/// field marked with what it needs, and everything the reviewer typed kept.
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
        let count = open.len();
        let things = if count == 1 {
            "One thing is".to_owned()
        } else {
            format!("{count} things are")
        };
        let message = format!(
            "Nothing was published. {things} still open: each is listed below, linked to where to fix it."
        );
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return Err(form.said_with(&message, open, status).into());
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

/// `problem` (a finding's words) as the end of a sentence.
fn sentence_end(problem: &str) -> String {
    format!("{}.", problem.trim_end_matches('.'))
}

/// What no acknowledgement clears: checks that could not run (linked to the checks panel), and
/// every error (linked to its finding there).
fn errors_open(checks: &CheckReport) -> FieldErrors {
    let mut open = FieldErrors::new();
    if !checks.unavailable.is_empty() {
        let names: Vec<&str> = checks.unavailable.iter().map(|c| c.label()).collect();
        open.insert(
            "checks".to_owned(),
            format!(
                "These checks could not run, so the text cannot be cleared: {}. Try again in a moment.",
                names.join(", ")
            ),
        );
    }
    for finding in &checks.findings {
        if finding.severity == Severity::Error {
            open.insert(
                finding_anchor(&finding.key),
                format!(
                    "Fix this error in the text: {}",
                    sentence_end(&finding.problem)
                ),
            );
        }
    }
    open
}

/// Each open warning's reason, as the approval keeps it (its key, the finding as shown, the
/// reason); a warning with no reason, or too long a one, is added to `open` under its field.
fn acknowledgements(
    fields: &FormFields,
    checks: &CheckReport,
    open: &mut FieldErrors,
) -> Vec<(String, String, String)> {
    let mut acknowledgements = Vec::new();
    let warnings = checks
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Warning);
    for finding in warnings {
        let field = format!("ack-{}", finding.key);
        let reason = fields.get(&field);
        let reason = reason.trim();
        if reason.is_empty() {
            let problem = sentence_end(&finding.problem);
            open.insert(
                field,
                format!("Fix this warning, or give your reason to publish with it: {problem}"),
            );
        } else if reason.chars().count() > MAX_NOTE_CHARS {
            open.insert(
                field,
                format!(
                    "Shorten your reason to publish with \u{201c}{}\u{201d} to {MAX_NOTE_CHARS} characters.",
                    finding.problem
                ),
            );
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
/// `open` under its tick box.
fn checked_references(
    fields: &FormFields,
    article: &EditableArticle,
    open: &mut FieldErrors,
) -> Vec<(i64, String)> {
    let mut checked = Vec::new();
    for (index, reference) in article.draft.references.iter().enumerate() {
        let field = format!("checked-ref-{index}");
        if fields.get(&field).is_empty() {
            open.insert(
                field,
                format!(
                    "Tick reference {} (\u{201c}{}\u{201d}) once you have checked that it supports what the article says.",
                    index + 1,
                    reference.title
                ),
            );
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
