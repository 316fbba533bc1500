//! The snippet under a result: the stretch of the article's text where the query's words are
//! thickest, those words marked. One pass over the text's words, each compared with the query's
//! few: linear in the article.

use super::analysis::{Word, near, stems};
use crate::content::search::SnippetPart;

/// How many words a snippet shows.
const WINDOW: usize = 30;

/// The snippet of `text` for a query whose words are `query`.
pub fn snippet<'a>(text: &str, query: impl Iterator<Item = &'a Word> + Clone) -> Vec<SnippetPart> {
    let words = stems(text);
    if words.is_empty() {
        return Vec::new();
    }
    let hit: Vec<bool> = words
        .iter()
        .map(|word| query.clone().any(|typed| near(typed, word)))
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
    let to = if end == words.len() {
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
        let parts = snippet(&text, query.iter());
        let shown = shown(&parts);
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(
            shown.contains("[Ketamine] [treatments] help. [Treatment] <b>works</b>."),
            "{shown}"
        );
    }

    #[test]
    fn a_short_text_is_shown_whole() {
        let parts = snippet("Ketamine helps.", stems("ketamine").iter());
        assert_eq!(shown(&parts), "[Ketamine] helps.");
        assert!(snippet("", stems("ketamine").iter()).is_empty());
    }
}
