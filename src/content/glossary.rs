//! The glossary: words articles use that a patient may not know, each with a plain-language
//! definition (grade 6 or below asked for) and the other forms it goes by. The first use of a
//! term in an article links to its entry on `/glossary` (see `glossary_marks`, server only).

use super::checks::readability::Counts;
use super::editing::FieldErrors;
use serde::{Deserialize, Serialize};

/// One term as stored and shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlossaryTerm {
    pub id: i64,
    pub term: String,
    /// Its entry's fragment on `/glossary`: `/glossary#nmda-receptor`.
    pub anchor: String,
    pub definition: String,
    /// Other forms it goes by (plurals, abbreviations, the long name).
    pub also: Vec<String>,
    /// Counts saves: a save from an older version is refused.
    pub version: i64,
}

impl GlossaryTerm {
    /// Every form the term is found by in an article: the term, then its other forms.
    pub fn forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str()).chain(self.also.iter().map(String::as_str))
    }

    /// The letter the term is listed under (A-Z; `#` for one that starts otherwise).
    pub fn letter(&self) -> char {
        self.term
            .chars()
            .next()
            .map(|c| c.to_ascii_uppercase())
            .filter(char::is_ascii_alphabetic)
            .unwrap_or('#')
    }
}

/// The most terms the glossary holds: each article's render reads them all, so this bounds it.
pub const MAX_TERMS: usize = 500;
pub const MAX_TERM_CHARS: usize = 80;
pub const MAX_DEFINITION_CHARS: usize = 600;
/// Other forms per term, at most.
pub const MAX_ALSO: usize = 10;

/// The grade a definition should read at, or below (the editor's readability check).
pub const DEFINITION_GRADE: f32 = 6.0;

/// A term as typed into the staff form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermDraft {
    pub term: String,
    pub definition: String,
    /// Other forms, one per line as typed.
    pub also: String,
}

impl TermDraft {
    /// The other forms: one per non-empty line, trimmed.
    pub fn also_forms(&self) -> Vec<String> {
        self.also
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// What is wrong with the draft, by field: each message says what to do.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let term = self.term.trim();
        if term.is_empty() {
            errors.insert("term".into(), "Enter the term, like synapse.".into());
        } else if term.chars().count() > MAX_TERM_CHARS {
            errors.insert(
                "term".into(),
                format!("Shorten the term to {MAX_TERM_CHARS} characters or fewer."),
            );
        } else if anchor_for(term).is_empty() {
            errors.insert(
                "term".into(),
                "Use at least one letter or digit in the term.".into(),
            );
        }
        let definition = self.definition.trim();
        if definition.is_empty() {
            errors.insert(
                "definition".into(),
                "Enter a definition in plain words, as you would say it to a patient.".into(),
            );
        } else if definition.chars().count() > MAX_DEFINITION_CHARS {
            errors.insert(
                "definition".into(),
                format!("Shorten the definition to {MAX_DEFINITION_CHARS} characters or fewer."),
            );
        }
        let also = self.also_forms();
        if also.len() > MAX_ALSO {
            errors.insert(
                "also".into(),
                format!("List at most {MAX_ALSO} other forms, one per line."),
            );
        } else if let Some(long) = also.iter().find(|f| f.chars().count() > MAX_TERM_CHARS) {
            errors.insert(
                "also".into(),
                format!("Shorten \u{201c}{long}\u{201d} to {MAX_TERM_CHARS} characters or fewer."),
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The anchor a term gets: its slug (lower-case letters, digits and hyphens).
pub fn anchor_for(term: &str) -> String {
    super::slug::slug_from_title(term)
}

/// The reading grade of a definition (Flesch-Kincaid, as the editor's readability check counts
/// it); `None` for one too short to judge.
pub fn definition_grade(definition: &str) -> Option<f32> {
    let counts = Counts::of(definition);
    (counts.words >= 3).then(|| counts.grade().max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_says_what_each_field_needs() {
        let errors = TermDraft::default().check().unwrap_err();
        assert!(errors["term"].contains("Enter the term"));
        assert!(errors["definition"].contains("plain words"));
        let many = TermDraft {
            term: "synapse".into(),
            definition: "A gap.".into(),
            also: "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk".into(),
        };
        assert!(many.check().unwrap_err()["also"].contains("at most 10"));
        let fine = TermDraft {
            term: " NMDA receptor ".into(),
            definition: "A spot on nerve cells.".into(),
            also: "\n NMDA receptors \n\n".into(),
        };
        assert_eq!(fine.check(), Ok(()));
        assert_eq!(fine.also_forms(), ["NMDA receptors"]);
        assert_eq!(anchor_for("NMDA receptor"), "nmda-receptor");
    }
}
