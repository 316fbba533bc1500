//! The snippet under a result: the stretch of the article's text where the query's words are
//! thickest, those words marked. The words marked are the ones the index matched (`Marks`: the
//! words of the stems typed, of the synonyms', and of the near terms their typos reached), so a
//! snippet marks what the ranking counted. One pass over the first `SCANNED_WORDS` words of the
//! text, a set look-up each: linear in the article, and capped.

use super::analysis::{Word, spans, stem};
use super::engine::Fields;
use super::vocabulary::{near_terms, terms_starting};
use crate::content::search::SnippetPart;
use std::collections::HashSet;
use tantivy::Searcher;

/// How many words a snippet shows.
const WINDOW: usize = 30;

/// How many words of an article a snippet is chosen from (a long article's snippet comes from
/// its first 1,500 words: a page of results costs the same however long its articles are).
const SCANNED_WORDS: usize = 1_500;

/// The part of an article's Markdown a snippet is chosen from: its start, long enough for
/// `SCANNED_WORDS` words of text (about 8 bytes a word, with room for the Markdown), cut on a
/// character boundary.
pub fn scanned(markdown: &str) -> &str {
    let mut end = markdown.len().min(SCANNED_WORDS * 12);
    while !markdown.is_char_boundary(end) {
        end -= 1;
    }
    &markdown[..end]
}

/// The whole words (as the vocabulary holds them: lower-cased, folded) whose match a snippet
/// marks.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    wholes: HashSet<String>,
}

impl Marks {
    /// The words of the articles that `words` match in `searcher`'s index, typos forgiven as the
    /// query forgave them: each word of the vocabulary whose stem is one the query reached (its
    /// own, or a near one), found among the words that begin like that stem, and each near
    /// whole word. Built once a search, so a snippet is set look-ups, not stemming.
    pub fn of<'a>(
        searcher: &Searcher,
        fields: &Fields,
        words: impl Iterator<Item = &'a Word>,
    ) -> Marks {
        let mut stems = HashSet::new();
        let mut marks = Marks::default();
        for word in words {
            stems.insert(word.stem.clone());
            if word.typos == 0 {
                continue;
            }
            for (field, _) in fields.weighted() {
                near_terms(searcher, field, &word.stem, word.typos, |term, _| {
                    stems.insert(term.to_owned());
                });
            }
            near_terms(
                searcher,
                fields.words,
                &word.whole,
                word.typos,
                |term, _| {
                    marks.wholes.insert(term.to_owned());
                },
            );
        }
        for stem_text in &stems {
            // A stem may end where its words differ ("happi" of "happy"): look from one letter
            // shorter.
            let mut prefix = stem_text.as_str();
            if prefix.chars().count() > 3 {
                prefix = &prefix[..prefix.char_indices().last().map_or(0, |(at, _)| at)];
            }
            terms_starting(searcher, fields.words, prefix, |whole| {
                if stem(whole).is_some_and(|of| stems.contains(&of)) {
                    marks.wholes.insert(whole.to_owned());
                }
            });
        }
        marks
    }

    /// `words` as written, and their forms in `vocabulary` (no index: for tests).
    #[cfg(test)]
    fn exact<'a>(words: impl Iterator<Item = &'a Word>, vocabulary: &str) -> Marks {
        let stems: HashSet<String> = words.map(|word| word.stem.clone()).collect();
        Marks {
            wholes: super::analysis::whole_words(vocabulary)
                .into_iter()
                .filter(|whole| stem(whole).is_some_and(|of| stems.contains(&of)))
                .collect(),
        }
    }
}

/// The snippet of `text` with the words `marks` holds marked.
pub fn snippet(text: &str, marks: &Marks) -> Vec<SnippetPart> {
    let words = spans(text, SCANNED_WORDS);
    if words.is_empty() {
        return Vec::new();
    }
    let hit: Vec<bool> = words
        .iter()
        .map(|word| marks.wholes.contains(&word.whole))
        .collect();
    // The window of WINDOW words with the most hits (the first such), by a running count.
    let width = WINDOW.min(words.len());
    let mut count = hit[..width].iter().filter(|h| **h).count();
    let (mut best, mut best_count) = (0, count);
    for start in 1..=words.len() - width {
        count = count + usize::from(hit[start + width - 1]) - usize::from(hit[start - 1]);
        if count > best_count {
            (best, best_count) = (start, count);
        }
    }
    // Start a word or two before the first hit, so it reads in context.
    let first_hit = (best..best + width).find(|&i| hit[i]).unwrap_or(best);
    let start = first_hit.saturating_sub(2).max(best.saturating_sub(2));
    let end = (start + width).min(words.len());
    let from = if start == 0 { 0 } else { words[start].start };
    let to = if end == words.len() && words.len() < SCANNED_WORDS {
        text.len()
    } else {
        words[end - 1].end
    };
    let mut parts = Vec::new();
    if from > 0 {
        parts.push(plain("…"));
    }
    let mut at = from;
    for i in start..end {
        if hit[i] {
            if words[i].start > at {
                parts.push(plain(&text[at..words[i].start]));
            }
            parts.push(SnippetPart {
                text: text[words[i].start..words[i].end].to_owned(),
                marked: true,
            });
            at = words[i].end;
        }
    }
    if to > at {
        parts.push(plain(&text[at..to]));
    }
    if to < text.len() {
        parts.push(plain("…"));
    }
    parts
}

fn plain(text: &str) -> SnippetPart {
    SnippetPart {
        text: text.to_owned(),
        marked: false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::analysis::stems;
    use super::*;

    fn shown(parts: &[SnippetPart]) -> String {
        parts
            .iter()
            .map(|part| match part.marked {
                true => format!("[{}]", part.text),
                false => part.text.clone(),
            })
            .collect()
    }

    #[test]
    fn the_thickest_stretch_is_shown_with_its_words_marked() {
        let filler = "Nothing here matters much. ".repeat(20);
        let text = format!("{filler}Ketamine treatments help. Treatment <b>works</b>. {filler}");
        let query = stems("treatment ketamin");
        let parts = snippet(&text, &Marks::exact(query.iter(), &text));
        let shown = shown(&parts);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(
            shown.contains("[Ketamine] [treatments] help. [Treatment] <b>works</b>."),
            "{shown}"
        );
    }

    #[test]
    fn a_short_text_is_shown_whole() {
        let marks = Marks::exact(stems("ketamine").iter(), "Ketamine helps.");
        assert_eq!(
            shown(&snippet("Ketamine helps.", &marks)),
            "[Ketamine] helps."
        );
        assert!(snippet("", &marks).is_empty());
    }

    #[test]
    fn a_long_text_is_scanned_only_so_far() {
        let text = format!("{}ketamine", "word ".repeat(SCANNED_WORDS + 10));
        let parts = snippet(&text, &Marks::exact(stems("ketamine").iter(), "ketamine"));
        assert!(
            parts.iter().all(|part| !part.marked),
            "past the scanned words"
        );
        assert!(shown(&parts).ends_with('…'));
    }
}
