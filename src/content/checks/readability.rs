//! How hard a text is to read: the Flesch-Kincaid grade and SMOG, the two formulas health
//! writers are held to (MedlinePlus aims at grade 6-7, the NHS at a reading age of 9-11), for
//! the whole text, each paragraph, and the sentences that pull the grade up.
//!
//! The counting follows Python's `textstat` (the reference our figures are checked against, see
//! `tests/fixtures/readability/`): words are runs of letters and digits, a sentence ends at `.`,
//! `!` or `?`, sentences of two words or fewer do not count, and syllables are vowel groups with
//! English's silent endings taken off.

use super::syllables::syllables;
use super::{HardSentence, ParagraphGrade, Readability};
use std::borrow::Cow;

/// The grade patient material should not go above.
pub const TARGET_GRADE: f32 = 8.0;
/// A sentence longer than this is hard whatever its words.
pub const LONG_SENTENCE_WORDS: usize = 25;
/// A sentence whose own grade is above this is hard.
pub const HARD_SENTENCE_GRADE: f32 = 10.0;
/// How many hard sentences the panel lists (the hardest first).
pub const HARD_SENTENCES_SHOWN: usize = 10;

/// Counts for a stretch of text.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counts {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// Words of three syllables or more (SMOG's measure).
    pub polysyllables: usize,
}

impl Counts {
    pub fn of(text: &str) -> Counts {
        let mut counts = Counts::default();
        for sentence in sentences(text) {
            counts.add(Counts::of_sentence(sentence));
        }
        counts
    }

    /// The counts of one sentence. textstat drops sentences of two words or fewer from the
    /// sentence count (not their words).
    fn of_sentence(sentence: &str) -> Counts {
        let mut counts = Counts::default();
        for word in words(sentence) {
            let syllables = syllables(word);
            counts.words += 1;
            counts.syllables += syllables;
            counts.polysyllables += usize::from(syllables >= 3);
        }
        counts.sentences = usize::from(counts.words > 2);
        counts
    }

    fn add(&mut self, other: Counts) {
        self.words += other.words;
        self.sentences += other.sentences;
        self.syllables += other.syllables;
        self.polysyllables += other.polysyllables;
    }

    /// Flesch-Kincaid grade level, to one decimal; 0 for no words.
    pub fn grade(self) -> f32 {
        if self.words == 0 {
            return 0.0;
        }
        let per_sentence = self.words as f32 / self.sentences.max(1) as f32;
        let per_word = self.syllables as f32 / self.words as f32;
        round1(0.39 * per_sentence + 11.8 * per_word - 15.59)
    }

    /// SMOG grade, to one decimal (meant for 30 sentences or more; on fewer it is a rough
    /// guide, as `textstat` also gives it); 0 for no words.
    pub fn smog(self) -> f32 {
        if self.words == 0 {
            return 0.0;
        }
        let per_30 = self.polysyllables as f32 * 30.0 / self.sentences.max(1) as f32;
        round1(1.043 * per_30.sqrt() + 3.1291)
    }
}

fn round1(value: f32) -> f32 {
    (value * 10.0).round() / 10.0
}

/// The readability of `paragraphs` (prose only: no headings or addresses).
pub fn readability<T: AsRef<str>>(paragraphs: &[T]) -> Readability {
    let split: Vec<Vec<&str>> = paragraphs
        .iter()
        .map(|paragraph| sentences(paragraph.as_ref()))
        .collect();
    readability_counting(split.iter().map(Vec::as_slice), |sentence: &str| {
        Cow::Borrowed(sentence)
    })
}

/// `readability` of paragraphs already split into sentences, counting each sentence as
/// `counted` leaves it (without its citations, say); hard sentences are listed as written.
pub fn readability_counting<'a>(
    paragraphs: impl Iterator<Item = &'a [&'a str]>,
    counted: impl Fn(&str) -> Cow<'_, str>,
) -> Readability {
    let mut total = Counts::default();
    let mut grades = Vec::new();
    let mut hard = Vec::new();
    for (index, paragraph) in paragraphs.enumerate() {
        let mut in_paragraph = Counts::default();
        for &sentence in paragraph {
            let counts = Counts::of_sentence(&counted(sentence));
            in_paragraph.add(counts);
            let grade = Counts {
                sentences: 1,
                ..counts
            }
            .grade();
            if counts.words > LONG_SENTENCE_WORDS || grade > HARD_SENTENCE_GRADE {
                hard.push((grade, counts.words, sentence));
            }
        }
        if in_paragraph.words == 0 {
            continue;
        }
        total.add(in_paragraph);
        grades.push(ParagraphGrade {
            paragraph: index + 1,
            opening: opening(paragraph),
            grade: in_paragraph.grade(),
        });
    }
    hard.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hard_total = hard.len();
    let hard = hard
        .into_iter()
        .take(HARD_SENTENCES_SHOWN)
        .map(|(grade, words, text)| HardSentence {
            text: text.to_owned(),
            words,
            grade,
        })
        .collect();
    Readability {
        grade: total.grade(),
        smog: total.smog(),
        words: total.words,
        sentences: total.sentences,
        paragraphs: grades,
        hard_sentences: hard,
        hard_total,
    }
}

/// The first few words of a paragraph (given as its sentences), to name it in the panel.
fn opening(paragraph: &[&str]) -> String {
    let mut all = paragraph
        .iter()
        .flat_map(|sentence| sentence.split_whitespace());
    let words: Vec<&str> = all.by_ref().take(8).collect();
    let more = all.next().is_some();
    format!("{}{}", words.join(" "), if more { "…" } else { "" })
}

/// The sentences of `text`: each ends at a run of `.`, `!` or `?` (with any closing quote or
/// bracket after it) followed by a space or the end. A full stop inside a number ("2.5"), an
/// initial or "e.g." does not end one.
pub fn sentences(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..]
        .iter()
        .position(|b| matches!(b, b'.' | b'!' | b'?'))
    {
        let at = i + offset;
        let mut j = at + 1;
        // Further stops, closing quotes and brackets belong to this sentence.
        loop {
            match bytes.get(j) {
                Some(b'.' | b'!' | b'?' | b'"' | b')') => j += 1,
                // U+201D and U+2019, the closing quotes.
                Some(0xE2) if matches!(bytes.get(j + 1..j + 3), Some([0x80, 0x9D | 0x99])) => {
                    j += 3
                }
                _ => break,
            }
        }
        i = j;
        let ends = text[j..].chars().next().is_none_or(char::is_whitespace);
        if ends && !(bytes[at] == b'.' && is_abbreviation(&text[start..at])) {
            if !text[start..j].trim().is_empty() {
                found.push(text[start..j].trim());
            }
            start = j;
        }
    }
    if !text[start..].trim().is_empty() {
        found.push(text[start..].trim());
    }
    found
}

/// Whether the text before a full stop ends with an abbreviation that does not end a sentence.
fn is_abbreviation(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    const SHORT: &[&str] = &[
        "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "vs", "al", "approx",
    ];
    SHORT.iter().any(|short| short.eq_ignore_ascii_case(last))
        || (last.chars().count() == 1 && last.chars().all(char::is_uppercase))
}

/// The words of `text`: runs of letters, digits and inner apostrophes or hyphens.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == '/' || c == '—' || c == '–')
        .map(|token| token.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|token| !token.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_stops_not_at_numbers_or_abbreviations() {
        let text = "Ketamine works fast. It lasts 2.5 weeks, e.g. in trials (Duman et al. 2012)! Really? Yes.";
        assert_eq!(
            sentences(text),
            [
                "Ketamine works fast.",
                "It lasts 2.5 weeks, e.g. in trials (Duman et al. 2012)!",
                "Really?",
                "Yes."
            ]
        );
    }

    #[test]
    fn short_sentences_add_words_but_not_sentences() {
        let counts = Counts::of("Yes. The cat sat on the mat.");
        assert_eq!((counts.words, counts.sentences), (7, 1));
    }

    #[test]
    fn plain_text_grades_low_and_dense_text_grades_high() {
        let plain = Counts::of("The cat sat on the mat. The dog ran to the park. We had fun.");
        let dense = Counts::of(
            "Pharmacological interventions targeting glutamatergic neurotransmission demonstrate \
             considerable therapeutic potential regarding treatment-resistant depressive disorders.",
        );
        assert!(plain.grade() < 3.0, "{}", plain.grade());
        assert!(dense.grade() > 16.0, "{}", dense.grade());
    }

    #[test]
    fn hard_sentences_are_listed_hardest_first() {
        let report = readability(&[
            "Short and clear. Pharmacological interventions targeting glutamatergic \
             neurotransmission demonstrate considerable therapeutic potential."
                .to_owned(),
        ]);
        assert_eq!(report.hard_total, 1);
        assert!(report.hard_sentences[0].text.starts_with("Pharmacological"));
        assert_eq!(report.paragraphs.len(), 1);
    }
}

/// Our figures against Python's `textstat` on the fixture texts (`tests/fixtures/readability/`,
/// computed by its `compute.py`): within one grade on every one.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod reference_figures {
    use super::*;

    #[test]
    fn grades_agree_with_textstat_within_one_grade() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/readability");
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{folder}/expected.json")).expect("expected.json"),
        )
        .expect("expected.json is JSON");
        let texts = expected["texts"].as_array().expect("a list of texts");
        assert_eq!(texts.len(), 20);
        let (mut report, mut failed) = (Vec::new(), Vec::new());
        for text in texts {
            let file = text["file"].as_str().expect("file");
            let words = std::fs::read_to_string(format!("{folder}/{file}")).expect("fixture");
            let counts = Counts::of(&words);
            let (grade, smog) = (counts.grade(), counts.smog());
            let theirs = |name: &str| text[name].as_f64().expect("a figure") as f32;
            let (their_grade, their_smog) = (theirs("flesch_kincaid_grade"), theirs("smog_index"));
            report.push(format!(
                "{file}: grade {grade} / {their_grade}, SMOG {smog} / {their_smog} ({counts:?})"
            ));
            let off = (grade - their_grade).abs() > 1.0 || (smog - their_smog).abs() > 1.0;
            if off {
                failed.push(file.to_owned());
            }
        }
        assert!(
            failed.is_empty(),
            "{failed:?} differ by more than a grade:\n{}",
            report.join("\n")
        );
        println!("{}", report.join("\n"));
    }
}
