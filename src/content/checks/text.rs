//! An article's sentences indexed by the words rules watch for, so each rule looks only at the
//! sentences that could hold one of its phrases.

use super::prose::Block;
use super::readability::sentences;
use std::collections::{HashMap, HashSet};

/// An article's sentences, with the sentences each watched word is in (the words rule phrases
/// start with): made once per check run and shared by every rule file. Sentences are
/// lower-cased only where a rule looks closer.
pub struct Text<'a> {
    pub(super) sentences: Vec<&'a str>,
    /// Each block's sentences (a range of `sentences`), and whether it is a heading.
    blocks: Vec<(bool, std::ops::Range<usize>)>,
    /// Watched word → the sentences (indices, ascending) that hold it.
    pub(super) index: HashMap<String, Vec<usize>>,
}

impl<'a> Text<'a> {
    pub fn new(blocks: &'a [Block], watched: &HashSet<String>) -> Text<'a> {
        let mut all = Vec::new();
        let mut ranges = Vec::with_capacity(blocks.len());
        for block in blocks {
            let start = all.len();
            all.extend(sentences(&block.text));
            ranges.push((block.heading, start..all.len()));
        }
        let sentences = all;
        // Most words are not watched: a table of (length, first letter) pairs that some
        // watched word has settles them without hashing.
        let mut maybe = [[false; 256]; 16];
        for word in watched {
            maybe[word.len().min(15)][usize::from(word.as_bytes()[0])] = true;
        }
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, sentence) in sentences.iter().enumerate() {
            for token in tokens(sentence) {
                let first = token.as_bytes()[0].to_ascii_lowercase();
                if !maybe[token.len().min(15)][usize::from(first)] {
                    continue;
                }
                let token = token.to_lowercase();
                if !watched.contains(&token) {
                    continue;
                }
                let places = index.entry(token).or_default();
                if places.last() != Some(&at) {
                    places.push(at);
                }
            }
        }
        Text {
            sentences,
            blocks: ranges,
            index,
        }
    }

    /// The prose paragraphs (not headings), each as its sentences: what readability measures.
    pub fn paragraphs(&self) -> impl Iterator<Item = &[&'a str]> {
        self.blocks
            .iter()
            .filter(|(heading, _)| !heading)
            .map(|(_, range)| &self.sentences[range.clone()])
    }

    pub(super) fn lower(&self, at: usize) -> String {
        self.sentences[at].to_lowercase()
    }
}

/// The words of lower-cased text as the rules see them: runs of letters, and runs of digits
/// ("50mg" is "50" and "mg").
pub(super) fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let kind = |c: char| {
        if c.is_alphabetic() {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            0
        }
    };
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| kind(c) != 0)?;
        let first = rest[start..].chars().next().map(kind)?;
        let length = rest[start..]
            .find(|c: char| kind(c) != first)
            .unwrap_or(rest.len() - start);
        let token = &rest[start..start + length];
        rest = &rest[start + length..];
        Some(token)
    })
}

pub(super) fn first_token(phrase: &str) -> Option<&str> {
    tokens(phrase).next()
}
