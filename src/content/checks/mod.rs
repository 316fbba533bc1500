//! The editor's checks: what a clinic wants caught before patients read an article. Citations
//! that name no reference, readability, safe messaging about suicide, treatment claims, and
//! content accessibility.
//! The same `check_article` runs for the editor page, its live preview, the no-JavaScript
//! "Preview", and the review gate at publishing, so they never disagree.
//!
//! Each check is a pure function of the text. The report types are shared with the browser
//! build (the live preview shows them); running the checks needs the server's Markdown parser
//! and rule files, so that part is server-only.

pub mod readability;
mod syllables;

#[cfg(feature = "ssr")]
mod accessibility;
#[cfg(feature = "ssr")]
mod citation_check;
#[cfg(feature = "ssr")]
pub mod jargon;
#[cfg(feature = "ssr")]
mod prose;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
mod run;
#[cfg(feature = "ssr")]
mod text;

#[cfg(feature = "ssr")]
pub use run::{check_article, preview};

/// The words of an article body as a reader meets them, a block a line: no Markdown, code or
/// addresses, nothing after a "References" heading (what search indexes and quotes).
#[cfg(feature = "ssr")]
pub fn reader_text(markdown: &str) -> String {
    let blocks = prose::blocks(markdown);
    let mut text = String::with_capacity(markdown.len());
    for block in blocks {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&block.text);
    }
    text
}

use serde::{Deserialize, Serialize};

/// The most findings one check lists for one text; past it, one more finding says how many
/// were left out. A real article has a few; the bound keeps what a check builds, and the answer
/// of a preview, a small multiple of its text (a 150 KB body of distinct unmatched citations
/// answered 1.5 GB before it).
pub const MAX_FINDINGS_PER_CHECK: usize = 100;

/// Must be fixed before publishing, or may be published once a reviewer has acknowledged it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

/// Which check found something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    Citations,
    Readability,
    SafeMessaging,
    TreatmentClaims,
    CrisisHelp,
    /// Headings, links, images, tables and lists a screen reader or a scanning eye trips on.
    Accessibility,
}

impl Check {
    pub fn label(self) -> &'static str {
        match self {
            Check::Citations => "Citations",
            Check::Readability => "Readability",
            Check::SafeMessaging => "Safe messaging",
            Check::TreatmentClaims => "Treatment claims",
            Check::CrisisHelp => "Crisis help",
            Check::Accessibility => "Accessibility",
        }
    }
}

/// One thing the checks found: the words it is about, why it matters, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable for the same finding in the same text (which check, which rule, which words), so
    /// a reviewer's acknowledgement stays attached to it across page loads.
    pub key: String,
    pub check: Check,
    pub severity: Severity,
    /// The sentence or citation it is about, as written.
    pub quote: String,
    pub problem: String,
    pub why: String,
    pub fix: String,
}

/// One paragraph's grade, named by its opening words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParagraphGrade {
    /// 1-based, counting prose paragraphs only.
    pub paragraph: usize,
    pub opening: String,
    pub grade: f32,
}

/// A sentence that is long (over 25 words) or hard (over grade 10).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HardSentence {
    pub text: String,
    pub words: usize,
    pub grade: f32,
}

/// Readability of the prose (headings, citations, addresses and the reference list left out).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Readability {
    /// Flesch-Kincaid grade level.
    pub grade: f32,
    pub smog: f32,
    pub words: usize,
    pub sentences: usize,
    pub paragraphs: Vec<ParagraphGrade>,
    /// The hardest sentences, hardest first (at most `HARD_SENTENCES_SHOWN`).
    pub hard_sentences: Vec<HardSentence>,
    /// How many sentences are hard in all.
    pub hard_total: usize,
}

/// Everything the checks say about one text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// Errors first, then warnings, each in the order they appear in the text.
    pub findings: Vec<Finding>,
    /// `None` when the readability check could not run.
    pub readability: Option<Readability>,
    /// The article mentions suicide, self-harm or overdose, so patients see the crisis-help
    /// block near its top (added automatically; the preview shows it there).
    pub crisis_help: bool,
    /// Checks that failed to run (logged on the server); the rest still report.
    pub unavailable: Vec<Check>,
    /// Words a patient may not know that the glossary does not define (`jargon`): a
    /// suggestion, which publishing does not ask about.
    #[serde(default)]
    pub unfamiliar_words: Vec<String>,
}

impl CheckReport {
    /// The report when no check could run (the body was not checked at all).
    pub fn not_run() -> CheckReport {
        CheckReport {
            unavailable: vec![
                Check::Citations,
                Check::Readability,
                Check::SafeMessaging,
                Check::TreatmentClaims,
                Check::Accessibility,
            ],
            ..CheckReport::default()
        }
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    }

    /// "2 errors, 3 warnings, grade 11.2 (target 8)", the panel's first line.
    pub fn summary(&self) -> String {
        let plural = |n: usize, one: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {one}s")
            }
        };
        let mut parts = vec![
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning"),
        ];
        if let Some(readability) = &self.readability {
            parts.push(format!(
                "grade {:.1} (target {})",
                readability.grade,
                readability::TARGET_GRADE
            ));
        }
        parts.join(", ")
    }
}

/// A short, stable fingerprint of `text` (FNV-1a, 64 bits, hex): keys findings by their words.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The id of a finding's entry in the editor's checks panel (a refused publish links to it).
pub fn finding_anchor(key: &str) -> String {
    format!("finding-{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_errors_and_warnings_and_gives_the_grade() {
        let finding = |severity| Finding {
            key: String::new(),
            check: Check::Citations,
            severity,
            quote: String::new(),
            problem: String::new(),
            why: String::new(),
            fix: String::new(),
        };
        let report = CheckReport {
            findings: vec![
                finding(Severity::Error),
                finding(Severity::Error),
                finding(Severity::Warning),
            ],
            readability: Some(readability::readability(&[
                "Pharmacological interventions demonstrate considerable therapeutic potential."
                    .to_owned(),
            ])),
            ..CheckReport::default()
        };
        assert!(
            report.summary().starts_with("2 errors, 1 warning, grade "),
            "{}",
            report.summary()
        );
        assert!(report.summary().ends_with("(target 8)"));
    }

    #[test]
    fn fingerprints_differ_by_text_and_repeat_for_the_same_text() {
        assert_eq!(fingerprint("a"), fingerprint("a"));
        assert_ne!(fingerprint("a"), fingerprint("b"));
        assert_eq!(fingerprint("a").len(), 16);
    }
}
