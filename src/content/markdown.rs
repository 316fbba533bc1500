//! Markdown to the HTML patients see. The same function serves the public page and (later) the
//! editor's preview, so what a writer previews is what a patient gets.
//!
//! Two steps, in this order: render (pulldown-cmark, with author-year citations that match a
//! reference turned into links to it), then sanitise (ammonia) whatever came out. Sanitising last
//! means no Markdown trick, raw HTML or crafted citation can reach the page as markup.

use super::glossary_marks::{Marking, TermMarks};
use super::{Reference, citations::find_citations};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, TextMergeStream};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Renders an article body to sanitised HTML. Citations that name an entry of `references` link
/// to it (`#ref-N`); the rest stay plain text. The words themselves are never changed.
/// Headings shift down one level (`#` becomes `<h2>`): the page's only `<h1>` is the title.
pub fn render_article_body(markdown: &str, references: &[Reference]) -> String {
    render_with_terms(markdown, references, &TermMarks::none())
}

/// `render_article_body`, with the first use of each glossary term in `terms` linked to its
/// definition (see `glossary_marks`): what the public page and the editor's preview show.
pub fn render_with_terms(markdown: &str, references: &[Reference], terms: &TermMarks) -> String {
    let mut in_code = false;
    // Inside a heading, link or image (its description): no term is marked there.
    let mut unmarked = 0usize;
    let mut marking = terms.marking();
    let mut events = Vec::new();
    let mut nesting = Nesting::default();
    for event in TextMergeStream::new(Parser::new_ext(markdown, options())) {
        if !nesting.keeps(&event) {
            continue;
        }
        match &event {
            Event::Start(Tag::Heading { .. } | Tag::Link { .. } | Tag::Image { .. }) => {
                unmarked += 1
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Link | TagEnd::Image) => {
                unmarked = unmarked.saturating_sub(1)
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                events.push(event);
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                events.push(Event::Start(Tag::Heading {
                    level: demote(level),
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(demote(level))));
            }
            Event::Text(text) if !in_code => {
                let marking = (unmarked == 0).then_some(&mut marking);
                link_citations(text, references, marking, &mut events)
            }
            // Raw HTML in the Markdown is shown as text, never as markup.
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitise(&html)
}

/// How deep elements may nest in a rendered body. Real articles nest a few levels (a list in a
/// quote in a list); past this, the markup of deeper elements is dropped and their text kept.
/// Without a bound, 100,000 `>` made as many nested quotes, and the sanitiser's work grows with
/// the depth at every element: minutes of CPU for one preview.
pub const MAX_NESTING: usize = 24;

/// Which elements are kept as markup: a stack of whether each open element was (so the end of
/// a dropped one is dropped too).
#[derive(Default)]
struct Nesting {
    open: Vec<bool>,
    kept: usize,
}

impl Nesting {
    fn keeps(&mut self, event: &Event<'_>) -> bool {
        match event {
            Event::Start(_) => {
                let keep = self.kept < MAX_NESTING;
                self.open.push(keep);
                self.kept += usize::from(keep);
                keep
            }
            Event::End(_) => {
                let keep = self.open.pop().unwrap_or(true);
                self.kept -= usize::from(keep && self.kept > 0);
                keep
            }
            _ => true,
        }
    }
}

/// Cleans HTML down to the tags and attributes an article may use; drops scripts, styles, event
/// handlers and any URL scheme but http, https and mailto.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .add_tag_attributes("a", &["class"])
        .link_rel(Some("noopener noreferrer"));
    builder
});

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

/// Splits one text run around its matched citations, wrapping each in a link to its reference;
/// the text between them goes through `marking` (glossary terms), where terms are marked.
fn link_citations<'a>(
    text: CowStr<'a>,
    references: &[Reference],
    mut marking: Option<&mut Marking<'_>>,
    out: &mut Vec<Event<'a>>,
) {
    let mut plain = |text: CowStr<'a>, out: &mut Vec<Event<'a>>| match marking.as_deref_mut() {
        Some(marking) => marking.push(text, out),
        None => out.push(Event::Text(text)),
    };
    let mut written = 0;
    for citation in find_citations(&text) {
        let Some(index) = citation.matching_reference(references) else {
            continue;
        };
        plain(text[written..citation.range.start].to_owned().into(), out);
        out.push(Event::InlineHtml(
            format!(
                "<a class=\"citation\" href=\"#{}\">",
                Reference::anchor(index + 1)
            )
            .into(),
        ));
        out.push(Event::Text(citation.text(&text).to_owned().into()));
        out.push(Event::InlineHtml("</a>".into()));
        written = citation.range.end;
    }
    if written == 0 {
        plain(text, out);
    } else {
        plain(text[written..].to_owned().into(), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duman_2012() -> Reference {
        Reference {
            authors: "Duman, R. S., Li, N., Liu, R. J., Duric, V., & Aghajanian, G.".into(),
            year: "2012".into(),
            title: "Signaling pathways".into(),
            journal: "Neuropharmacology".into(),
            volume: None,
            issue: None,
            pages: None,
            doi: None,
        }
    }

    #[test]
    fn renders_paragraphs_and_emphasis() {
        let html = render_article_body("One *two*\n\nThree **four**", &[]);
        assert_eq!(
            html,
            "<p>One <em>two</em></p>\n<p>Three <strong>four</strong></p>\n"
        );
    }

    #[test]
    fn script_tags_are_not_markup() {
        let html = render_article_body(
            "Hi <script>alert(1)</script>\n\n<script>alert(2)</script>",
            &[],
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn javascript_links_lose_their_href() {
        let html = render_article_body(
            "[click](javascript:alert(1)) [data](data:text/html,hi)",
            &[],
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains(">click</a>"), "{html}");
    }

    #[test]
    fn sanitiser_strips_event_handlers_and_scripts() {
        let html = sanitise(
            r#"<p onclick="x()">a</p><img src="a.png" onerror="x()"><script>x()</script><a href="javascript:x()">b</a>"#,
        );
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<p>a</p>"), "{html}");
    }

    #[test]
    fn https_links_are_kept_and_marked_noopener() {
        let html = render_article_body("[NIMH](https://www.nimh.nih.gov/)", &[]);
        assert!(
            html.contains(r#"href="https://www.nimh.nih.gov/""#),
            "{html}"
        );
        assert!(html.contains(r#"rel="noopener noreferrer""#), "{html}");
    }

    #[test]
    fn matched_citations_link_to_their_reference_and_unmatched_stay_text() {
        let html = render_article_body(
            "Shrinks (Duman et al., 2012). Grows (Duman et al., 2021).",
            &[duman_2012()],
        );
        assert!(
            html.contains(r##"(<a class="citation" href="#ref-1" rel="noopener noreferrer">Duman et al., 2012</a>)"##),
            "{html}"
        );
        assert!(html.contains("Grows (Duman et al., 2021)."), "{html}");
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
    }

    #[test]
    fn citations_in_code_are_left_alone() {
        let html = render_article_body("```\n(Duman et al., 2012)\n```", &[duman_2012()]);
        assert!(!html.contains("<a "), "{html}");
    }

    #[test]
    fn headings_start_below_the_page_title() {
        let html = render_article_body("# Part\n\n## Sub", &[]);
        assert_eq!(html, "<h2>Part</h2>\n<h3>Sub</h3>\n");
    }

    #[test]
    fn deep_nesting_keeps_its_text_but_not_its_depth() {
        let html = render_article_body(&format!("{} deep", ">".repeat(10_000)), &[]);
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING, "{html}");
        assert!(html.contains("deep"), "{html}");
        let lists = render_article_body(&format!("{}item", "- ".repeat(5_000)), &[]);
        assert!(lists.matches("<ul>").count() <= MAX_NESTING, "{lists}");
        assert!(lists.contains("item"), "{lists}");
    }

    #[test]
    fn square_brackets_in_quotes_stay_as_written() {
        let html = render_article_body("reverses the [shrinking] of [neurons] in the [brain]", &[]);
        assert_eq!(
            html,
            "<p>reverses the [shrinking] of [neurons] in the [brain]</p>\n"
        );
    }
}

#[cfg(test)]
mod glossary_tests {
    use super::*;
    use crate::content::glossary::GlossaryTerm;

    fn term(id: i64, term: &str, also: &[&str]) -> GlossaryTerm {
        GlossaryTerm {
            id,
            term: term.into(),
            anchor: crate::content::glossary::anchor_for(term),
            definition: "A definition.".into(),
            also: also.iter().map(|form| (*form).to_owned()).collect(),
            version: 1,
        }
    }

    fn marks() -> TermMarks {
        TermMarks::new(&[
            term(1, "synapse", &["synapses"]),
            term(2, "NMDA receptor", &["NMDA receptors"]),
            term(3, "neuron", &["neurons"]),
        ])
    }

    #[test]
    fn the_first_use_of_each_term_links_to_its_definition_as_written() {
        let html = render_with_terms(
            "Synapses link cells; a synapse grows. NMDA receptors too.",
            &[],
            &marks(),
        );
        assert_eq!(
            html,
            "<p><a class=\"term\" href=\"/glossary#synapse\" rel=\"noopener noreferrer\"><dfn>Synapses</dfn></a> \
             link cells; a synapse grows. <a class=\"term\" href=\"/glossary#nmda-receptor\" \
             rel=\"noopener noreferrer\"><dfn>NMDA receptors</dfn></a> too.</p>\n"
        );
    }

    #[test]
    fn only_whole_words_and_never_in_headings_links_or_code() {
        let html = render_with_terms(
            "# Neurons\n\nSee [neurons](https://example.org) and `neuron`.\n\n    neuron\n\nNeuronal, then neurons.",
            &[],
            &marks(),
        );
        assert!(html.contains("<h2>Neurons</h2>"), "{html}");
        assert!(
            html.contains(">neurons</a> and <code>neuron</code>"),
            "{html}"
        );
        assert!(
            html.contains("Neuronal, then <a class=\"term\" href=\"/glossary#neuron\""),
            "{html}"
        );
        assert_eq!(html.matches("<dfn>").count(), 1, "{html}");
    }

    #[test]
    fn the_seed_keeps_every_word_with_markup_added_only() {
        let seed = include_str!("../../seed/source/ketamine-and-brain-plasticity.txt");
        let text_of = |html: &str| {
            let mut text = String::new();
            let mut in_tag = false;
            for c in html.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        };
        let plain = render_with_terms(seed, &[], &TermMarks::none());
        let marked = render_with_terms(seed, &[], &marks());
        assert_ne!(plain, marked);
        assert_eq!(text_of(&plain), text_of(&marked));
    }
}
