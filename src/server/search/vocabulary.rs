//! The index's vocabulary read by a Levenshtein automaton: the terms of a field within so many
//! typos of a word, found by a walk of the field's term dictionary (a trie) that only visits near
//! terms, never a scan of it. "Did you mean" picks from them; snippets mark the ones a query
//! matched.

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// How many near terms one look-up gives at most.
const MAX_NEAR_TERMS: usize = 256;

/// Calls `found` with each term of `field` within `typos` of `text` (a swap of two letters is
/// one typo), and how many articles use it, segment by segment (a term in two segments comes
/// twice); at most `MAX_NEAR_TERMS`.
pub fn near_terms(
    searcher: &Searcher,
    field: Field,
    text: &str,
    typos: u8,
    mut found: impl FnMut(&str, u32),
) {
    let Ok(automaton) =
        FuzzyTermQuery::new(Term::from_field_text(field, text), typos, true).automaton()
    else {
        return;
    };
    let mut left = MAX_NEAR_TERMS;
    for segment in searcher.segment_readers() {
        let Ok(index) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = index.terms().search(&automaton).into_stream() else {
            continue;
        };
        while left > 0 && stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                found(term, stream.value().doc_freq);
                left -= 1;
            }
        }
    }
}

/// Calls `found` with each term of `field` that starts with `prefix` (at most
/// `MAX_NEAR_TERMS`, segment by segment: a term in two segments comes twice).
pub fn terms_starting(
    searcher: &Searcher,
    field: Field,
    prefix: &str,
    mut found: impl FnMut(&str),
) {
    // The first string after every string that starts with `prefix`: `prefix` with its last
    // byte raised (a letter's last byte is below 0xFF).
    let mut end = prefix.as_bytes().to_vec();
    match end.last_mut() {
        Some(last) if *last < 0xFF => *last += 1,
        _ => return,
    }
    let mut left = MAX_NEAR_TERMS;
    for segment in searcher.segment_readers() {
        let Ok(index) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = index.terms().range().ge(prefix).lt(&end).into_stream() else {
            continue;
        };
        while left > 0 && stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                found(term);
                left -= 1;
            }
        }
    }
}
