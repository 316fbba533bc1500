//! Where an article first uses a glossary term, the word as written becomes a link to its entry:
//! `<a class="term" href="/glossary#synapse"><dfn>synapses</dfn></a>`. Only markup is added: the
//! words stay exactly as written. The definition is a link away, so it works without
//! JavaScript and a screen reader announces it as a link. The renderer (`markdown`) hands over
//! only the text outside headings, links (citations too), image descriptions and code.
//!
//! All terms and their other forms are found in one pass over each text run (an Aho-Corasick
//! automaton, leftmost-longest, ASCII case-insensitive): linear in the text, whatever the
//! glossary's size (which `glossary::MAX_TERMS` bounds anyway).

use super::glossary::GlossaryTerm;
use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{CowStr, Event};
use std::collections::HashSet;

/// The glossary, ready to mark articles with.
pub struct TermMarks {
    finder: Option<AhoCorasick>,
    /// For each pattern of `finder`, the index of its term.
    term_of: Vec<usize>,
    anchors: Vec<String>,
}

impl TermMarks {
    pub fn new(terms: &[GlossaryTerm]) -> TermMarks {
        let mut patterns = Vec::new();
        let mut term_of = Vec::new();
        for (index, term) in terms.iter().enumerate() {
            for form in term.forms().map(str::trim).filter(|form| !form.is_empty()) {
                patterns.push(form.to_owned());
                term_of.push(index);
            }
        }
        let finder = (!patterns.is_empty())
            .then(|| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .ascii_case_insensitive(true)
                    .build(&patterns)
                    .inspect_err(
                        |error| tracing::warn!(%error, "cannot build the glossary matcher"),
                    )
                    .ok()
            })
            .flatten();
        TermMarks {
            finder,
            term_of,
            anchors: terms.iter().map(|term| term.anchor.clone()).collect(),
        }
    }

    /// No terms: nothing to mark.
    pub fn none() -> TermMarks {
        TermMarks::new(&[])
    }

    /// Marking one article: each term at its first use only.
    pub fn marking(&self) -> Marking<'_> {
        Marking {
            marks: self,
            used: HashSet::new(),
        }
    }
}

/// The terms marked so far in one article (see `TermMarks::marking`). The renderer hands it the
/// text runs where a term may be marked: not in headings, links (citations too), image
/// descriptions or code.
pub struct Marking<'t> {
    marks: &'t TermMarks,
    used: HashSet<usize>,
}

impl Marking<'_> {
    /// Pushes `text` onto `out`, with the first use of each term in it marked.
    pub fn push<'a>(&mut self, text: CowStr<'a>, out: &mut Vec<Event<'a>>) {
        let Some(finder) = &self.marks.finder else {
            return out.push(Event::Text(text));
        };
        let mut written = 0;
        for found in finder.find_iter(text.as_ref()) {
            let term = self.marks.term_of[found.pattern().as_usize()];
            let (start, end) = (found.start(), found.end());
            let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            let whole_word = !word_char(text[..start].chars().next_back())
                && !word_char(text[end..].chars().next());
            if !whole_word || !self.used.insert(term) {
                continue;
            }
            out.push(Event::Text(text[written..start].to_owned().into()));
            out.push(Event::InlineHtml(
                format!(
                    "<a class=\"term\" href=\"/glossary#{}\"><dfn>",
                    self.marks.anchors[term]
                )
                .into(),
            ));
            out.push(Event::Text(text[start..end].to_owned().into()));
            out.push(Event::InlineHtml("</dfn></a>".into()));
            written = end;
        }
        if written == 0 {
            out.push(Event::Text(text));
        } else {
            out.push(Event::Text(text[written..].to_owned().into()));
        }
    }
}
