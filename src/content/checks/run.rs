//! Runs every check on one article body. A check that fails (a rule file that does not read,
//! or a bug that panics) is reported as unavailable and logged; the others still report, and
//! the page that asked still renders.

use super::readability::{TARGET_GRADE, readability_counting};
use super::rules::{RuleSet, SAFE_MESSAGING, TREATMENT_CLAIMS, Text};
use super::{
    Check, CheckReport, Finding, HardSentence, MAX_FINDINGS_PER_CHECK, Severity, accessibility,
    citation_check, prose,
};
use crate::content::Reference;
use crate::content::markdown::render_article_body;
use crate::content::safety::mentions_suicide;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::LazyLock;

/// Every check on `body` with its `references`. Errors come first, then warnings, each in the
/// order they appear in the text.
pub fn check_article(body: &str, references: &[Reference]) -> CheckReport {
    let mut report = CheckReport {
        crisis_help: mentions_suicide(body),
        ..CheckReport::default()
    };
    let blocks = guarded(Check::Readability, || prose::blocks(body)).unwrap_or_default();
    let mut findings = Vec::new();
    match guarded(Check::Citations, || {
        citation_check::findings(body, references)
    }) {
        Some((found, more)) => findings.extend(capped(Check::Citations, found, more)),
        None => report.unavailable.push(Check::Citations),
    }
    // The sentences, split once for readability and the rules.
    let text = guarded(Check::Readability, || Text::new(&blocks, &WATCHED));
    let measured = text.as_ref().and_then(|text| {
        guarded(Check::Readability, || {
            readability_counting(text.paragraphs(), prose::without_citations)
        })
    });
    match measured {
        Some(measured) => {
            if measured.grade > TARGET_GRADE {
                findings.push(grade_finding(measured.grade, measured.hard_total));
            }
            report.readability = Some(measured);
        }
        None => report.unavailable.push(Check::Readability),
    }
    for (check, rules) in [
        (Check::SafeMessaging, &*SAFE_MESSAGING),
        (Check::TreatmentClaims, &*TREATMENT_CLAIMS),
    ] {
        match (rules, &text) {
            (Ok(rules), Some(text)) => match guarded(check, || RuleSet::findings(rules, text)) {
                Some(found) => findings.extend(capped(check, found, 0)),
                None => report.unavailable.push(check),
            },
            (Err(why), _) => {
                tracing::error!(check = check.label(), %why, "a rule file does not read");
                report.unavailable.push(check);
            }
            (Ok(_), None) => report.unavailable.push(check),
        }
    }
    match guarded(Check::Accessibility, || accessibility::findings(body)) {
        Some(found) => findings.extend(capped(Check::Accessibility, found, 0)),
        None => report.unavailable.push(Check::Accessibility),
    }
    // A stable sort: errors first, the text's order kept within each.
    findings.sort_by_key(|finding| finding.severity);
    report.findings = findings;
    report
}

/// `found` cut to the first `MAX_FINDINGS_PER_CHECK`, and then, if any were cut or `more` were
/// only counted, one error that says how many more there are: what a check reports stays small
/// whatever the text, and an article with that many problems is not published until they are
/// fixed (none goes unseen into an acknowledgement).
fn capped(check: Check, mut found: Vec<Finding>, more: usize) -> Vec<Finding> {
    let more = more + found.len().saturating_sub(MAX_FINDINGS_PER_CHECK);
    found.truncate(MAX_FINDINGS_PER_CHECK);
    if more > 0 {
        found.push(Finding {
            key: format!("more:{check:?}"),
            check,
            severity: Severity::Error,
            quote: String::new(),
            problem: format!(
                "And {more} more like these, not listed: the list shows the first {MAX_FINDINGS_PER_CHECK}."
            ),
            why: "So many problems of one kind usually come from one cause, such as a pasted \
                  reference list in another style."
                .into(),
            fix: "Fix the ones listed, then check again: the rest are shown as these go.".into(),
        });
    }
    found
}

/// The words any rule's phrase starts with, in either rule file.
static WATCHED: LazyLock<HashSet<String>> = LazyLock::new(|| {
    [&*SAFE_MESSAGING, &*TREATMENT_CLAIMS]
        .into_iter()
        .filter_map(|rules| rules.as_ref().ok())
        .flat_map(RuleSet::first_words)
        .map(str::to_owned)
        .collect()
});

/// The editor's preview of `body`: rendered as on the public page (glossary terms linked), with
/// the hardest sentences marked, and the checks' report.
pub fn preview(
    body: &str,
    references: &[Reference],
    glossary: &[crate::content::glossary::GlossaryTerm],
) -> crate::api::admin::Preview {
    let mut checks = check_article(body, references);
    checks.unfamiliar_words = super::jargon::unfamiliar_words(body, glossary);
    let terms = crate::content::glossary_marks::TermMarks::new(glossary);
    let html = crate::content::markdown::render_with_terms(body, references, &terms);
    let html = match &checks.readability {
        Some(readability) => mark_hard_sentences(html, &readability.hard_sentences, references),
        None => html,
    };
    crate::api::admin::Preview { html, checks }
}

/// `html` with each of `hard` sentences inside `<mark class="hard-sentence">`, where the
/// sentence appears as one run of text (a sentence with emphasis or a link inside stays
/// unmarked; the panel still lists it). The sentence is rendered by the same code as the page,
/// so its citations and escaping match.
fn mark_hard_sentences(
    mut html: String,
    hard: &[HardSentence],
    references: &[Reference],
) -> String {
    for sentence in hard {
        let rendered = render_article_body(&sentence.text, references);
        let Some(inner) = rendered
            .trim()
            .strip_prefix("<p>")
            .and_then(|rest| rest.strip_suffix("</p>"))
        else {
            continue;
        };
        if inner.is_empty() || html.contains(&format!("<mark class=\"hard-sentence\">{inner}")) {
            continue;
        }
        if let Some(at) = html.find(inner) {
            let title = format!(
                "Grade {:.1}, {} words: consider splitting this sentence",
                sentence.grade, sentence.words
            );
            let marked = format!("<mark class=\"hard-sentence\" title=\"{title}\">{inner}</mark>");
            html.replace_range(at..at + inner.len(), &marked);
        }
    }
    html
}

/// `check()`, or `None` (logged) if it panicked.
fn guarded<T>(check: Check, run: impl FnOnce() -> T) -> Option<T> {
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(value) => Some(value),
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(check = check.label(), %why, "an editor check failed");
            None
        }
    }
}

fn grade_finding(grade: f32, hard: usize) -> Finding {
    Finding {
        key: "readability:grade".into(),
        check: Check::Readability,
        severity: Severity::Warning,
        quote: String::new(),
        problem: match hard {
            0 => format!(
                "The text reads at grade {grade:.1}; the target is {TARGET_GRADE} or below."
            ),
            1 => format!(
                "The text reads at grade {grade:.1}; the target is {TARGET_GRADE} or below (1 hard sentence)."
            ),
            _ => format!(
                "The text reads at grade {grade:.1}; the target is {TARGET_GRADE} or below ({hard} hard sentences)."
            ),
        },
        why: "Many patients read best at grade 6-8, and fewer still when they are unwell or \
              anxious (MedlinePlus aims at 6-7, the NHS at a reading age of 9-11)."
            .into(),
        fix: "Split the hardest sentences (highlighted in the preview) and use shorter words."
            .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::parse_article_file;

    /// At least `bytes` of author-year citations that each name another author and match no
    /// reference, without a sentence break; and how many there are.
    pub(super) fn distinct_unmatched_citations(bytes: usize) -> (String, usize) {
        let mut body = String::new();
        let mut n = 0;
        while body.len() < bytes {
            body.push_str(&format!("(Author{n} et al., 2019) "));
            n += 1;
        }
        (body, n)
    }

    /// The size of a preview's answer as the browser receives it (JSON).
    fn answer_bytes(body: &str, references: &[Reference]) -> usize {
        serde_json::to_string(&preview(body, references, &[]))
            .expect("a preview serialises")
            .len()
    }

    /// Issue 28, item 2: what a writer can send (150 KB of distinct citations that match
    /// nothing, without a sentence break) gets a preview whose answer is a small multiple of it,
    /// each check listing at most its cap and saying how many more there are.
    #[test]
    fn a_body_of_distinct_unmatched_citations_gets_a_small_answer() {
        let (body, n) = distinct_unmatched_citations(150 * 1024);
        let report = check_article(&body, &[]);
        let citations: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.check == Check::Citations)
            .collect();
        assert_eq!(citations.len(), MAX_FINDINGS_PER_CHECK + 1);
        let more = citations.last().expect("the count of the rest");
        assert_eq!(
            more.problem,
            format!(
                "And {} more like these, not listed: the list shows the first {MAX_FINDINGS_PER_CHECK}.",
                n - MAX_FINDINGS_PER_CHECK
            )
        );
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.quote.len() <= 2 * 200 + 64)
        );
        let answer = answer_bytes(&body, &[]);
        assert!(answer < 4 * body.len(), "{answer} bytes for {}", body.len());
    }

    #[test]
    fn numbered_citations_past_the_list_are_capped_too() {
        let body: String = (0..5_000)
            .map(|n| format!("[{}] ", n % 9_000 + 2))
            .collect();
        let report = check_article(&body, &[]);
        let citations = report
            .findings
            .iter()
            .filter(|f| f.check == Check::Citations);
        assert_eq!(citations.count(), MAX_FINDINGS_PER_CHECK + 1);
        let answer = answer_bytes(&body, &[]);
        assert!(answer < 8 * body.len(), "{answer} bytes for {}", body.len());
    }

    #[test]
    fn the_seed_has_two_unmatched_citations_with_hints_and_needs_crisis_help() {
        let seed = parse_article_file(include_str!(
            "../../../seed/ketamine-and-brain-plasticity.md"
        ))
        .expect("the seed reads");
        let report = check_article(&seed.body, &seed.references);
        let errors: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.problem.as_str())
            .collect();
        assert_eq!(
            errors,
            [
                "\u{201c}Duman et al., 2021\u{201d} matches no reference: the reference list has Duman et al. (2012).",
                "\u{201c}Colo et al., 2019\u{201d} matches no reference: did you mean Collo et al. (2019)?",
            ]
        );
        assert!(report.crisis_help);
        assert!(report.unavailable.is_empty());
        let readability = report.readability.as_ref().expect("readability runs");
        assert!(
            (12.0..15.0).contains(&readability.grade),
            "seed grade {}",
            readability.grade
        );
        assert!(
            report.summary().starts_with("2 errors, "),
            "{}",
            report.summary()
        );
        // Every warning is readability's (the grade); no reference is uncited once the hint
        // names Collo as the one meant.
        assert!(
            report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Warning)
                .all(|f| f.check == Check::Readability),
            "{:?}",
            report.findings
        );
    }

    #[test]
    fn the_preview_marks_hard_sentences_once_and_keeps_citation_links() {
        let references = [Reference {
            authors: "Duman, R. S.".into(),
            year: "2012".into(),
            title: "T".into(),
            journal: "J".into(),
            ..Reference::default()
        }];
        let hard = "Pharmacological interventions targeting glutamatergic neurotransmission \
                    demonstrate considerable therapeutic potential (Duman, 2012).";
        let body = format!("Short and clear. {hard}\n\nAnother *easy* one.");
        let preview = preview(&body, &references, &[]);
        assert_eq!(
            preview
                .html
                .matches("<mark class=\"hard-sentence\"")
                .count(),
            1,
            "{}",
            preview.html
        );
        assert!(
            preview.html.contains("Duman, 2012</a>).</mark>"),
            "{}",
            preview.html
        );
        assert!(preview.html.contains("<p>Short and clear. <mark"));
    }

    #[test]
    fn a_panicking_check_is_reported_not_raised() {
        assert_eq!(guarded(Check::Citations, || -> u8 { panic!("boom") }), None);
        assert_eq!(guarded(Check::Citations, || 1), Some(1));
    }
}

/// The benchmarks `bench/checks.sh` runs in the release build.
#[cfg(test)]
mod bench;
