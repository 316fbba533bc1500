//! The words of an article body as a reader meets them: Markdown syntax, code and addresses taken
//! out, and nothing after a "References" heading (a list written into the body). Citations stay
//! in the text (findings quote sentences as written); `without_citations` takes them out for
//! counting.

use crate::content::citations::find_citations;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;

/// A block of the body's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub heading: bool,
    pub text: String,
}

/// The body's headings and paragraphs (list items and quotes count as paragraphs), in order.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut heading = false;
    let mut skipping = 0usize;
    let flush = |text: &mut String, heading: bool, blocks: &mut Vec<Block>| {
        if !text.trim().is_empty() {
            blocks.push(Block {
                heading,
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            });
        }
        text.clear();
    };
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
    ) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => skipping += 1,
            Event::End(TagEnd::CodeBlock) => skipping = skipping.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut text, heading, &mut blocks);
                heading = true;
            }
            Event::End(TagEnd::Heading(_)) => {
                if is_reference_heading(&text) {
                    return blocks;
                }
                flush(&mut text, true, &mut blocks);
                heading = false;
            }
            Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell)
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                flush(&mut text, heading, &mut blocks);
            }
            Event::Text(words) if skipping == 0 && !is_address(&words) => {
                text.push_str(&words);
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    flush(&mut text, heading, &mut blocks);
    blocks
}

fn is_reference_heading(text: &str) -> bool {
    let name = text.trim().trim_end_matches(':').to_lowercase();
    matches!(
        name.as_str(),
        "references" | "reference list" | "sources" | "bibliography"
    )
}

fn is_address(text: &str) -> bool {
    let text = text.trim();
    text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www.")
}

/// `text` without its parenthesised citations ("(Duman et al., 2012)") or numbered ones ("[1]").
pub fn without_citations(text: &str) -> Cow<'_, str> {
    if !text.contains(['(', '[']) {
        return Cow::Borrowed(text);
    }
    let citations = find_citations(text);
    if citations.is_empty() && !text.contains('[') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for citation in citations {
        // The citation's parenthesis: from the '(' before it to the ')' after it.
        let Some(open) = text[..citation.range.start].rfind('(') else {
            continue;
        };
        let Some(close) = text[citation.range.end..]
            .find(')')
            .map(|i| citation.range.end + i + 1)
        else {
            continue;
        };
        if open < rest {
            continue;
        }
        out.push_str(text[rest..open].trim_end());
        rest = close;
    }
    out.push_str(&text[rest..]);
    for numbered in crate::content::citations::find_numbered(&out)
        .into_iter()
        .rev()
    {
        let start = out[..numbered.range.start].trim_end().len();
        out.replace_range(start..numbered.range.end, "");
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_code_addresses_and_citations_are_not_prose() {
        let body = "# About\n\nKetamine helps (Duman et al., 2012) quickly [2].\n\n\
                    ```\ncode here\n```\n\n- one item\n- <https://example.org>\n\n\
                    See [the trial](https://example.org/trial).\n\n## References\n\nDuman, R. (2012).";
        let found = blocks(body);
        let texts: Vec<(&str, bool)> = found.iter().map(|b| (b.text.as_str(), b.heading)).collect();
        assert_eq!(
            texts,
            [
                ("About", true),
                ("Ketamine helps (Duman et al., 2012) quickly [2].", false),
                ("one item", false),
                ("See the trial.", false),
            ]
        );
        assert_eq!(
            without_citations("Ketamine helps (Duman et al., 2012) quickly [2]."),
            "Ketamine helps quickly."
        );
        assert_eq!(
            without_citations("Brain cells (neurons) grow."),
            "Brain cells (neurons) grow."
        );
    }
}
