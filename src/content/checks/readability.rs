//! How hard a text is to read: the Flesch-Kincaid grade and SMOG, the two formulas health
//! writers are held to (MedlinePlus aims at grade 6-7, the NHS at a reading age of 9-11), for
//! the whole text, each paragraph, and the sentences that pull the grade up.
//!
//! The counting follows Python's `textstat` (the reference our figures are checked against, see
//! `tests/fixtures/readability/`): words are runs of letters and digits, a sentence ends at `.`,
//! `!` or `?`, sentences of two words or fewer do not count, and syllables are vowel groups with
//! English's silent endings taken off.

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
    readability_counting(paragraphs, |sentence: &str| Cow::Borrowed(sentence))
}

/// `readability`, counting each sentence as `counted` leaves it (without its citations, say);
/// hard sentences are listed as written.
pub fn readability_counting<T: AsRef<str>>(
    paragraphs: &[T],
    counted: impl Fn(&str) -> Cow<'_, str>,
) -> Readability {
    let mut total = Counts::default();
    let mut grades = Vec::new();
    let mut hard = Vec::new();
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let paragraph = paragraph.as_ref();
        let mut in_paragraph = Counts::default();
        for sentence in sentences(paragraph) {
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

/// The first few words of a paragraph, to name it in the panel.
fn opening(paragraph: &str) -> String {
    let words: Vec<&str> = paragraph.split_whitespace().take(8).collect();
    let more = paragraph.split_whitespace().nth(8).is_some();
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
pub fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '/' || c == '—' || c == '–')
        .map(|token| token.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|token| token.chars().any(char::is_alphanumeric))
        .collect()
}

/// English syllables in `word`, by vowel groups, corrected for English's silent and doubled
/// sounds: a silent final "e" (but "-le" after a consonant is a syllable), "-es"/"-ed" that add
/// no sound, vowel pairs that are two sounds ("-ia-", "quiet", "fluid"), endings that are one
/// ("-tion", "-cial", "-ior"), and a few common patterns ("-ely", "-ement", "some-", "-ism").
/// Acronyms ("MRI", "PTSD") are read letter by letter. Checked against the CMU pronouncing
/// dictionary through `textstat` (see `tests/fixtures/readability/`).
pub fn syllables(word: &str) -> usize {
    // Lower-cased ASCII letters in a buffer on the stack: this runs for every word of every
    // keystroke's preview. Other letters (rare in English text) count as consonants.
    let mut buffer = [0u8; 64];
    let mut n = 0;
    let (mut upper, mut all) = (0, 0);
    for c in word.chars().filter(|c| c.is_alphabetic()) {
        all += 1;
        upper += usize::from(c.is_uppercase());
        if n < buffer.len() {
            buffer[n] = if c.is_ascii() {
                c.to_ascii_lowercase() as u8
            } else {
                b'x'
            };
            n += 1;
        }
    }
    if all == 0 {
        // A number: textstat counts it as one syllable.
        return 1;
    }
    if (2..=5).contains(&all) && upper == all && all == word.chars().count() {
        // An acronym, read letter by letter ("W" is three: double-u).
        return buffer[..n]
            .iter()
            .map(|&c| if c == b'w' { 3 } else { 1 })
            .sum();
    }
    if n <= 3 {
        return 1;
    }
    let lower = &buffer[..n];
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let consonant_at = |i: usize| !vowel(lower[i]);
    let ends = |suffix: &str| lower.ends_with(suffix.as_bytes());
    let starts = |prefix: &str| lower.starts_with(prefix.as_bytes());
    let mut count: isize = 0;
    let mut previous_vowel = false;
    for &c in lower {
        if vowel(c) && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel(c);
    }
    count += vowel_pair_correction(lower);
    let mut add = |condition: bool, by: isize| {
        if condition {
            count += by;
        }
    };
    // Silent final e: "make", "mine"; but "-le" after a consonant is a syllable ("table").
    let silent_e = ends("e") && !ends("ee") && !ends("ie");
    let syllabic_le = ends("le") && consonant_at(n - 3);
    add(silent_e && !syllabic_le, -1);
    // "-es" and "-ed" add a syllable only after the sounds that need one ("wishes", "wanted").
    let sounded_es = ["ses", "ces", "zes", "shes", "ches", "ges", "les"];
    let silent_ending = (ends("es") && !sounded_es.iter().any(|e| ends(e)))
        || (ends("ed") && !ends("ted") && !ends("ded"));
    add(silent_ending && consonant_at(n - 3), -1);
    // "being", "trying": the vowel before "-ing" is its own syllable.
    add(ends("ing") && vowel(lower[n - 4]), 1);
    // "battling", "startled": the "-le" they were made from is still a syllable.
    let ending = if ends("ling") { 4 } else { 3 };
    let syllabic_l = (ends("ling") || ends("led") || ends("les")) && n > 5 && {
        let before = lower[n - ending - 1];
        !vowel(before) && before != b'l' && before != b'r'
    };
    add(syllabic_l, 1);
    add(ends("ely") && consonant_at(n - 4), -1);
    add((ends("ement") || ends("ements")) && n > 6, -1);
    add(starts("some") && n > 5 && consonant_at(4), -1);
    add(ends("ism") || ends("isms"), 1);
    add(ends("ire") || ends("ires") || ends("ired"), 1);
    add(
        matches!(lower, b"our" | b"ours") || ends("hour") || ends("hours") || ends("sour"),
        1,
    );
    count.max(1) as usize
}

/// Vowel pairs that are two sounds ("-ia-", "-io-", "quiet", "easier", "science", "fluid"),
/// less endings where they are one ("-tion", "-sion", "-gion", "-cious", "-tious", "-gious",
/// "-cial", "-tial", "-ior"). One pass over the word: it runs for every word.
fn vowel_pair_correction(lower: &[u8]) -> isize {
    let at = |i: usize| lower.get(i).copied().unwrap_or(0);
    let mut correction = 0;
    for i in 0..lower.len().saturating_sub(1) {
        let before = if i == 0 { 0 } else { lower[i - 1] };
        correction += match (lower[i], at(i + 1)) {
            (b'i', b'a') => 1 - isize::from(at(i + 2) == b'l' && matches!(before, b'c' | b't')),
            (b'i', b'o') => {
                let one_sound = (at(i + 2) == b'n' && matches!(before, b't' | b's' | b'g'))
                    || (at(i + 2) == b'u'
                        && at(i + 3) == b's'
                        && matches!(before, b'c' | b't' | b'g'))
                    || at(i + 2) == b'r';
                1 - isize::from(one_sound)
            }
            (b'u', b'a' | b'o') | (b'i', b'u') => 1,
            (b'i', b'e') => isize::from(
                matches!(at(i + 2), b't' | b'r') || (at(i + 2) == b'n' && at(i + 3) == b'c'),
            ),
            (b'u', b'i') => isize::from(matches!(at(i + 2), b'd' | b'c')),
            _ => 0,
        };
    }
    correction
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_of_common_words() {
        for (word, expected) in [
            ("the", 1),
            ("brain", 1),
            ("ketamine", 3),
            ("table", 2),
            ("depression", 3),
            ("wanted", 2),
            ("helped", 1),
            ("make", 1),
            ("plasticity", 4),
            ("immediate", 4),
            ("2012", 1),
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }

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
