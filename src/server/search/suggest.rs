//! "Did you mean …?": when a query finds nothing, each of its words that no article uses is
//! replaced by the most used word of the articles within two typos of it (one for a word of
//! three or four letters), read from the index's vocabulary by a Levenshtein automaton (a walk
//! of the vocabulary's trie that only visits near words, not a scan of it).

use super::analysis::whole_words;
use super::engine::Fields;
use super::vocabulary::near_terms;
use tantivy::{Searcher, Term};

/// The query with its unknown words respelled, if any was; `None` when no word changed.
pub fn respell(query: &str, searcher: &Searcher, fields: &Fields) -> Option<String> {
    let mut changed = false;
    let words: Vec<String> = whole_words(query)
        .into_iter()
        .map(|word| {
            if used(searcher, fields, &word) {
                return word;
            }
            match nearest(searcher, fields, &word) {
                Some(better) => {
                    changed = true;
                    better
                }
                None => word,
            }
        })
        .collect();
    changed.then(|| words.join(" "))
}

/// Whether any article uses `word` (a removed one may still count until its segment merges).
fn used(searcher: &Searcher, fields: &Fields, word: &str) -> bool {
    let term = Term::from_field_text(fields.words, word);
    searcher.doc_freq(&term).is_ok_and(|count| count > 0)
}

/// The most used word within the typos `word`'s length allows; the nearer on a tie.
fn nearest(searcher: &Searcher, fields: &Fields, word: &str) -> Option<String> {
    let typos = match word.chars().count() {
        0..=2 => return None,
        3..=4 => 1,
        _ => 2,
    };
    let mut best: Option<(u32, std::cmp::Reverse<usize>, String)> = None;
    near_terms(searcher, fields.words, word, typos, |candidate, used| {
        let key = (
            used,
            std::cmp::Reverse(strsim::osa_distance(word, candidate)),
        );
        if best.as_ref().is_none_or(|best| key > (best.0, best.1)) {
            best = Some((key.0, key.1, candidate.to_owned()));
        }
    });
    best.map(|(_, _, word)| word)
}
