//! How text becomes searchable words: split at anything not a letter or digit, lower-cased,
//! accents folded ("médico" is "medico", ready for Spanish), English stop words out, and each
//! word cut to its stem ("treatments" and "treatment" are "treatment"). Queries, articles,
//! synonyms and snippets all go through the same analyzer, so they meet on the same stems.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

/// The analyzer of the searched fields.
pub const STEMMED: &str = "plasticity_stemmed";
/// The analyzer of the vocabulary "Did you mean" suggests from: whole words.
pub const WORDS: &str = "plasticity_words";

/// Words longer than this (in bytes) are not indexed: no patient types them.
const LONGEST_WORD: usize = 40;

/// Both analyzers, by name, for the index to register.
pub fn analyzers() -> [(&'static str, TextAnalyzer); 2] {
    [(STEMMED, stemmed()), (WORDS, words())]
}

thread_local! {
    /// Each thread's analyzers, made once: making one (its stop-word set, its stemmer) cost more
    /// than analyzing a snippet's words (0.16 ms of a 400-word snippet, measured).
    static STEMMED_ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(stemmed());
    static WORDS_ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(words());
}

fn stemmed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::new(Language::English).expect("tantivy has English stop words"))
        .filter(Stemmer::new(Language::English))
        .build()
}

fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// One word of a text, as analyzed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// Its stem, as indexed.
    pub stem: String,
    /// The whole word, lower-cased: a misspelt word can stem apart from the word meant
    /// ("neuroplasticty" and "neuroplasticity"), so typos are also forgiven on whole words.
    pub whole: String,
    /// How many typos it forgives (see `typos_forgiven`).
    pub typos: u8,
    /// Its place among the text's words (stop words count), for phrases.
    pub position: usize,
    /// Where it is in the text (bytes).
    pub start: usize,
    pub end: usize,
}

/// The words of `text`, stop words left out.
pub fn stems(text: &str) -> Vec<Word> {
    STEMMED_ANALYZER.with_borrow_mut(|analyzer| stems_with(analyzer, text))
}

fn stems_with(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Word> {
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        let written = &text[token.offset_from..token.offset_to];
        words.push(Word {
            stem: token.text.clone(),
            whole: written.to_lowercase(),
            typos: typos_forgiven(written),
            position: token.position,
            start: token.offset_from,
            end: token.offset_to,
        });
    }
    words
}

/// A word of a text as the vocabulary holds it (lower-cased, folded), and where it is (bytes).
pub struct Span {
    pub whole: String,
    pub start: usize,
    pub end: usize,
}

/// The first `max` words of `text` (stop words included), unstemmed.
pub fn spans(text: &str, max: usize) -> Vec<Span> {
    WORDS_ANALYZER.with_borrow_mut(|analyzer| spans_with(analyzer, text, max))
}

fn spans_with(analyzer: &mut TextAnalyzer, text: &str, max: usize) -> Vec<Span> {
    let mut stream = analyzer.token_stream(text);
    let mut spans = Vec::new();
    while spans.len() < max
        && let Some(token) = stream.next()
    {
        spans.push(Span {
            whole: token.text.clone(),
            start: token.offset_from,
            end: token.offset_to,
        });
    }
    spans
}

/// The stem of one `word`; `None` for a stop word.
pub fn stem(word: &str) -> Option<String> {
    STEMMED_ANALYZER.with_borrow_mut(|analyzer| {
        let mut stream = analyzer.token_stream(word);
        stream.next().map(|token| token.text.clone())
    })
}

/// The whole words of `text`, lower-cased and folded as the vocabulary holds them.
pub fn whole_words(text: &str) -> Vec<String> {
    WORDS_ANALYZER.with_borrow_mut(|analyzer| whole_words_with(analyzer, text))
}

fn whole_words_with(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    words
}

/// How many typos a word as written forgives: none up to 4 letters ("ptsd" is not "pts"), one
/// from 5 to 8 ("ketamin"), two from 9 ("synaptogensis").
pub fn typos_forgiven(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Whether `typed` (a query's word) is `known` (a stem in an article, a synonym's word) with at
/// most the typos both forgive; a swap of two letters is one typo.
pub fn near(typed: &Word, known: &Word) -> bool {
    let typos = usize::from(typed.typos.min(known.typos));
    let within = |a: &str, b: &str| {
        a.len().abs_diff(b.len()) <= typos && strsim::osa_distance(a, b) <= typos
    };
    typed.stem == known.stem
        || (typos > 0 && (within(&typed.stem, &known.stem) || within(&typed.whole, &known.whole)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_meet_on_their_stems() {
        let stem = |text: &str| stems(text).into_iter().map(|w| w.stem).collect::<Vec<_>>();
        assert_eq!(stem("Treatments"), stem("treatment"));
        assert_eq!(stem("the Médico"), vec!["medico"]);
        assert_eq!(
            stem("post-traumatic stress"),
            vec!["post", "traumat", "stress"]
        );
    }

    #[test]
    fn typos_are_forgiven_by_length() {
        assert_eq!(typos_forgiven("ptsd"), 0);
        assert_eq!(typos_forgiven("ketamin"), 1);
        assert_eq!(typos_forgiven("synaptogensis"), 2);
        let word = |text: &str| stems(text).remove(0);
        assert!(near(&word("spravado"), &word("Spravato")));
        assert!(near(&word("synaptogensis"), &word("synaptogenesis")));
        assert!(!near(&word("ptsf"), &word("ptsd")));
        assert!(!near(&word("ketamine"), &word("esketamine")));
        assert!(near(&word("neuroplasticty"), &word("neuroplasticity")));
    }
}
