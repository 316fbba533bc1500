//! The editor's clinical review parts: the open requests for changes (everyone sees them; a
//! reviewer can mark one resolved), and the reviewer's fields inside the editor form for a
//! submitted article: a reason per open warning, a tick per reference, the review interval,
//! and a request for changes.

use super::form::{TextArea, TextField};
use super::time::admin_time;
use crate::content::checks::{CheckReport, Severity};
use crate::content::editing::FieldErrors;
use crate::content::review::ReviewNote;
use crate::content::{DEFAULT_REVIEW_MONTHS, REVIEW_INTERVALS, Reference};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The open review notes of article `id`, newest first. A reviewer sees a "Mark resolved"
/// button (its own small form) beside each.
#[component]
pub fn ReviewNotes(id: i64, notes: Vec<ReviewNote>, reviewer: bool) -> impl IntoView {
    (!notes.is_empty()).then(|| {
        let action = format!("/admin/articles/{id}/review-notes");
        view! {
            <section class="review-notes" aria-labelledby="review-notes-heading">
                <h2 id="review-notes-heading">"Changes requested"</h2>
                <ul>
                    {notes.into_iter().map(|note| {
                        let quote = (!note.quote.is_empty()).then(|| view! { <blockquote>{note.quote}</blockquote> });
                        let resolve = reviewer.then(|| view! {
                            <form method="post" action=action.clone() class="inline-form">
                                <input type="hidden" name="note" value=note.id.to_string()/>
                                <button type="submit" class="button button--secondary">"Mark resolved"</button>
                            </form>
                        });
                        view! {
                            <li class="review-note">
                                <p class="review-note-meta">{format!("{}, {} (on revision #{})", note.by, admin_time(&note.at), note.revision_id)}</p>
                                {quote}
                                <p>{note.note}</p>
                                {resolve}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The reviewer's fields for publishing the submitted text (inside the editor form): what the
/// review gate asks for, filled from `typed` when the form comes back.
#[component]
pub fn ReviewFields(
    checks: CheckReport,
    references: Vec<Reference>,
    typed: BTreeMap<String, String>,
    /// What a refused publish still needs, by field (`ack-KEY`, `checked-ref-N`).
    errors: FieldErrors,
) -> impl IntoView {
    let value = |name: &str| typed.get(name).cloned().unwrap_or_default();
    let error = |name: &str| errors.get(name).cloned();
    let warnings: Vec<_> = checks
        .findings
        .into_iter()
        .filter(|finding| finding.severity == Severity::Warning)
        .collect();
    let acknowledgements = (!warnings.is_empty()).then(|| {
        let fields = warnings
            .into_iter()
            .map(|finding| {
                let name = format!("ack-{}", finding.key);
                let label = format!("Reason to publish with: {}", finding.problem);
                view! { <TextField name=name.clone() label value=value(&name) error=error(&name)/> }
            })
            .collect_view();
        view! {
            <fieldset class="stack">
                <legend>"Warnings: fix each, or give your reason to publish with it"</legend>
                {fields}
            </fieldset>
        }
    });
    let ticks = (!references.is_empty()).then(|| {
        let boxes = references
            .iter()
            .enumerate()
            .map(|(index, reference)| {
                let name = format!("checked-ref-{index}");
                let checked = !value(&name).is_empty();
                let needs = error(&name);
                let error_id = format!("{name}-error");
                let describedby = needs.is_some().then(|| error_id.clone());
                let invalid = needs.is_some();
                let label = format!(
                    "Reference {}: {} ({}), {}",
                    index + 1,
                    reference.authors,
                    reference.year,
                    reference.title
                );
                view! {
                    <div class="checkbox" class:field--invalid=invalid>
                        {needs.map(|needs| view! { <p class="field-error" id=error_id>{needs}</p> })}
                        <input type="checkbox" id=name.clone() name=name.clone() value="1" checked=checked aria-describedby=describedby/>
                        <label for=name>{label}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset class="stack">
                <legend>"References: tick each one you checked supports what the article says"</legend>
                {boxes}
            </fieldset>
        }
    });
    let chosen = typed
        .get("review_months")
        .and_then(|months| months.parse::<u32>().ok())
        .unwrap_or(DEFAULT_REVIEW_MONTHS);
    let intervals = REVIEW_INTERVALS
        .iter()
        .map(|&months| {
            view! {
                <option value=months.to_string() selected={months == chosen}>{format!("{months} months")}</option>
            }
        })
        .collect_view();
    view! {
        <fieldset class="stack review-fields" id="review">
            <legend>"Clinical review"</legend>
            {acknowledgements}
            {ticks}
            <div class="field">
                <label for="review_months">"Review again in"</label>
                <select id="review_months" name="review_months">{intervals}</select>
            </div>
            <TextArea
                name="review_note"
                label="Changes requested (to send the text back)"
                value=value("review_note")
                hint="What should change and why. The writers see it in the editor until a reviewer marks it resolved."
            />
            <TextField
                name="review_quote"
                label="The passage it is about (optional)"
                value=value("review_quote")
                hint="Copy the words from the text, e.g. \u{201c}ketamine causes new neurons\u{201d}."
            />
            <div class="button-row">
                <button type="submit" name="intent" value="request_changes" class="button button--secondary">"Request changes"</button>
            </div>
        </fieldset>
    }
}
