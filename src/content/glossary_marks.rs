//! Where an article first uses a glossary term, the word as written becomes a link to its entry:
//! `<a class="term" href="/glossary#synapse"><dfn>synapses</dfn></a>`. Only markup is added: the
//! words stay exactly as written. The definition is a link away, so it works without
//! JavaScript and a screen reader announces it as a link. Headings, links (citations too),
//! image descriptions and code are left alone.
//!
//! All terms and their other forms are found in one pass over each text run (an Aho-Corasick
//! automaton, leftmost-longest, ASCII case-insensitive): linear in the text, whatever the
//! glossary's size (which `glossary::MAX_TERMS` bounds anyway).

use super::glossary::GlossaryTerm;
use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
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

    /// `events` with the first use of each term marked, outside headings, links, images and
    /// code blocks.
    pub fn mark<'a>(&self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        let Some(finder) = &self.finder else {
            return events;
        };
        let mut used = HashSet::new();
        let mut skip_depth = 0usize;
        let mut out = Vec::with_capacity(events.len());
        for event in events {
            match &event {
                Event::Start(Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. })
                | Event::Start(Tag::CodeBlock(_)) => skip_depth += 1,
                Event::End(
                    TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock,
                ) => skip_depth = skip_depth.saturating_sub(1),
                // The citations' own links (see `markdown::link_citations`).
                Event::InlineHtml(html) if html.starts_with("<a ") => skip_depth += 1,
                Event::InlineHtml(html) if html.as_ref() == "</a>" => {
                    skip_depth = skip_depth.saturating_sub(1)
                }
                _ => {}
            }
            match event {
                Event::Text(text) if skip_depth == 0 => {
                    self.mark_text(finder, text, &mut used, &mut out)
                }
                other => out.push(other),
            }
        }
        out
    }

    fn mark_text<'a>(
        &self,
        finder: &AhoCorasick,
        text: CowStr<'a>,
        used: &mut HashSet<usize>,
        out: &mut Vec<Event<'a>>,
    ) {
        let mut written = 0;
        for found in finder.find_iter(text.as_ref()) {
            let term = self.term_of[found.pattern().as_usize()];
            let (start, end) = (found.start(), found.end());
            let word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
            let whole_word = !word_char(text[..start].chars().next_back())
                && !word_char(text[end..].chars().next());
            if !whole_word || !used.insert(term) {
                continue;
            }
            out.push(Event::Text(text[written..start].to_owned().into()));
            out.push(Event::InlineHtml(
                format!(
                    "<a class=\"term\" href=\"/glossary#{}\"><dfn>",
                    self.anchors[term]
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
