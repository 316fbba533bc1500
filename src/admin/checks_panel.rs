//! The editor's checks panel, `<section id="checks">`: the counts and grade first, then every
//! finding with the words it is about, why it matters and what to do, then readability in
//! detail. Rendered by the server with the editor, and again by the live-preview island as the
//! writer types (so it is a plain component both builds compile).

use crate::content::checks::readability::TARGET_GRADE;
use crate::content::checks::{CheckReport, Finding, Readability, Severity, finding_anchor};
use leptos::prelude::*;

#[component]
pub fn ChecksPanel(report: CheckReport) -> impl IntoView {
    let summary = report.summary();
    let unavailable = (!report.unavailable.is_empty()).then(|| {
        let names: Vec<&str> = report.unavailable.iter().map(|check| check.label()).collect();
        view! {
            <p class="check-unavailable">
                {format!("Check unavailable: {}. The other checks ran; try again, and tell an admin if it stays.", names.join(", "))}
            </p>
        }
    });
    let crisis = report.crisis_help.then(|| {
        view! {
            <p class="check-note">
                "This article mentions suicide, self-harm or overdose, so patients see the crisis-help "
                "block at its top (shown in the preview). It is required and added for you."
            </p>
        }
    });
    let findings = report.findings.clone();
    let none = findings
        .is_empty()
        .then(|| view! { <p class="check-note">"No errors or warnings."</p> });
    view! {
        <section id="checks" class="checks" aria-labelledby="checks-heading">
            <h2 id="checks-heading">"Checks"</h2>
            <p class="checks-summary" role="status">{summary}</p>
            {unavailable}
            {crisis}
            {none}
            <ol class="findings">
                {findings.into_iter().map(|finding| view! { <FindingItem finding/> }).collect_view()}
            </ol>
            {report.readability.map(|readability| view! { <ReadabilityDetails readability/> })}
            <UnfamiliarWords words=report.unfamiliar_words/>
        </section>
    }
}

/// The suggestion: words a patient may not know that the glossary does not define.
#[component]
fn UnfamiliarWords(words: Vec<String>) -> impl IntoView {
    (!words.is_empty()).then(|| {
        let count = words.len();
        view! {
            <details class="unfamiliar-words">
                <summary>{format!("Suggestion: {count} word(s) a patient may not know")}</summary>
                <p>
                    "Long words most readers do not know by grade 4 (the Dale-Chall familiar-word list), "
                    "and abbreviations, that the glossary does not define. Say each in plainer words, "
                    "explain it where it first appears, or ask a reviewer to add it to the glossary. "
                    "Publishing does not ask about these."
                </p>
                <ul class="word-list">
                    {words.into_iter().map(|word| view! { <li>{word}</li> }).collect_view()}
                </ul>
            </details>
        }
    })
}

#[component]
fn FindingItem(finding: Finding) -> impl IntoView {
    let (class, severity) = match finding.severity {
        Severity::Error => ("finding finding--error", "Error"),
        Severity::Warning => ("finding finding--warning", "Warning"),
    };
    let quote =
        (!finding.quote.is_empty()).then(|| view! { <blockquote>{finding.quote}</blockquote> });
    view! {
        <li class=class id=finding_anchor(&finding.key) data-key=finding.key>
            <p class="finding-problem">
                <span class="finding-severity">{severity}</span>
                {format!(" · {}: ", finding.check.label())}
                {finding.problem}
            </p>
            {quote}
            <p><strong>"Why it matters: "</strong>{finding.why}</p>
            <p><strong>"What to do: "</strong>{finding.fix}</p>
        </li>
    }
}

/// Grade and SMOG for the whole text, the paragraphs above the target, and the hardest
/// sentences (also marked in the preview).
#[component]
fn ReadabilityDetails(readability: Readability) -> impl IntoView {
    let hard_paragraphs: Vec<_> = readability
        .paragraphs
        .into_iter()
        .filter(|paragraph| paragraph.grade > TARGET_GRADE)
        .collect();
    let paragraphs = (!hard_paragraphs.is_empty()).then(|| {
        view! {
            <h3>"Paragraphs above grade 8"</h3>
            <ul>
                {hard_paragraphs.into_iter().map(|paragraph| view! {
                    <li>{format!("Paragraph {} (\u{201c}{}\u{201d}): grade {:.1}", paragraph.paragraph, paragraph.opening, paragraph.grade)}</li>
                }).collect_view()}
            </ul>
        }
    });
    let shown = readability.hard_sentences.len();
    let sentences = (shown > 0).then(|| {
        let heading = if readability.hard_total > shown {
            format!(
                "The {shown} hardest of {} hard sentences",
                readability.hard_total
            )
        } else {
            "Hard sentences (over 25 words, or over grade 10)".to_owned()
        };
        view! {
            <h3>{heading}</h3>
            <ul>
                {readability.hard_sentences.into_iter().map(|sentence| view! {
                    <li>
                        <q>{sentence.text}</q>
                        {format!(" (grade {:.1}, {} words)", sentence.grade, sentence.words)}
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let open = readability.grade > TARGET_GRADE;
    view! {
        <details class="readability" open=open>
            <summary>
                {format!(
                    "Readability: grade {:.1}, SMOG {:.1}, {} words in {} sentences (target: grade {TARGET_GRADE} or below)",
                    readability.grade, readability.smog, readability.words, readability.sentences
                )}
            </summary>
            {paragraphs}
            {sentences}
        </details>
    }
}
