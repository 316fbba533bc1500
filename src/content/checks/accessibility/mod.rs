//! Content accessibility (issue 32): what in an article's own text makes it hard to follow with a
//! screen reader, to scan, or to read at all, as Wagtail's built-in checker and axe flag it and
//! beyond them. Each is a warning a reviewer acknowledges, like the others:
//!
//! - headings: one that skips a level, one with no words, one on the very first line (the title
//!   is already the page's main heading, with the key points under it);
//! - links: text that says nothing out of context ("click here", "read more", a bare address),
//!   or no text at all;
//! - images: no alt text, or alt text that is a file name or just "image";
//! - tables: no header row, or an empty header cell;
//! - a paragraph that is only bold words, standing in for a heading (axe's `p-as-heading`);
//! - lines that look like a list but are not one ("•", "1)" typed by hand, as a paste from a
//!   word processor leaves them);
//! - sentences in capitals.
//!
//! One pass over the Markdown's events: linear in the body.

mod advice;

use super::{Check, Finding, Severity, fingerprint};
use advice::*;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Link texts that say nothing about where they go (compared lower-cased, trimmed of
/// punctuation).
const VAGUE_LINKS: [&str; 14] = [
    "click here",
    "here",
    "click",
    "read more",
    "more",
    "learn more",
    "find out more",
    "more info",
    "more information",
    "this link",
    "link",
    "this",
    "this page",
    "see here",
];

/// Alt texts that describe nothing.
const EMPTY_ALTS: [&str; 8] = [
    "image",
    "picture",
    "photo",
    "img",
    "graphic",
    "figure",
    "screenshot",
    "icon",
];

/// What a bulleted line typed by hand starts with.
const BULLETS: [char; 11] = ['•', '◦', '▪', '▫', '‣', '○', '●', '■', '□', '➢', '➤'];

/// A paragraph this short (in words) that is all bold reads as a heading.
const BOLD_HEADING_WORDS: usize = 12;

/// Capitals this long (in letters, over three words or more) read as shouting.
const CAPITALS_LETTERS: usize = 12;

/// The accessibility findings for `body` (Markdown), in the text's order.
pub fn findings(body: &str) -> Vec<Finding> {
    let mut walk = Walk::default();
    for event in Parser::new_ext(body, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        walk.event(event);
    }
    walk.found
}

/// Where the walk is.
#[derive(Default)]
struct Walk {
    found: Vec<Finding>,
    /// Blocks seen so far (a heading that is the first is the title typed again).
    blocks: usize,
    /// The last heading's level as patients' pages show it (the title is 1, the key points 2).
    last_level: Option<u8>,
    heading: Option<(u8, String)>,
    link: Option<String>,
    image: Option<String>,
    /// Inside a table's header row: its cells' texts.
    header: Option<Vec<String>>,
    /// The paragraph's text, its bold text's length, and whether it is a top-level one.
    paragraph: Option<Paragraph>,
    strong: usize,
    /// Lists and quotes the walk is inside (a paragraph there is not a stand-in heading).
    nested: usize,
}

#[derive(Default)]
struct Paragraph {
    text: String,
    bold: usize,
    /// Each line's start (a line after a soft or hard break).
    lines: Vec<usize>,
}

impl Walk {
    fn event(&mut self, event: Event) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.blocks += 1;
                self.heading = Some((shown_level(level), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Start(Tag::Paragraph) => {
                self.blocks += 1;
                self.paragraph = Some(Paragraph::default());
            }
            Event::End(TagEnd::Paragraph) => self.end_paragraph(),
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                self.blocks += 1;
                self.nested += 1;
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => {
                self.nested = self.nested.saturating_sub(1);
            }
            Event::Start(Tag::Table(_) | Tag::CodeBlock(_)) => self.blocks += 1,
            Event::Start(Tag::TableHead) => self.header = Some(Vec::new()),
            Event::End(TagEnd::TableHead) => self.end_header(),
            Event::Start(Tag::TableCell) => {
                if let Some(cells) = &mut self.header {
                    cells.push(String::new());
                }
            }
            Event::Start(Tag::Strong) => self.strong += 1,
            Event::End(TagEnd::Strong) => self.strong = self.strong.saturating_sub(1),
            Event::Start(Tag::Link { .. }) => self.link = Some(String::new()),
            Event::End(TagEnd::Link) => self.end_link(),
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image = Some(String::new());
                // An image inside a link gives the link its name.
                if let Some(link) = &mut self.link {
                    link.push_str(&dest_url);
                }
            }
            Event::End(TagEnd::Image) => self.end_image(),
            Event::Text(text) | Event::Code(text) => self.text(&text),
            Event::SoftBreak | Event::HardBreak => {
                self.text(" ");
                if let Some(paragraph) = &mut self.paragraph {
                    paragraph.lines.push(paragraph.text.len());
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(alt) = &mut self.image {
            alt.push_str(text);
            return;
        }
        if let Some(link) = &mut self.link {
            link.push_str(text);
        }
        if let Some((_, heading)) = &mut self.heading {
            heading.push_str(text);
        }
        if let Some(cell) = self.header.as_mut().and_then(|cells| cells.last_mut()) {
            cell.push_str(text);
        }
        if let Some(paragraph) = &mut self.paragraph {
            paragraph.text.push_str(text);
            if self.strong > 0 {
                paragraph.bold += text.trim().len();
            }
        }
    }

    fn end_heading(&mut self) {
        let Some((level, text)) = self.heading.take() else {
            return;
        };
        let text = text.trim().to_owned();
        if text.is_empty() {
            self.warn(
                "empty-heading",
                &format!("Heading {}", self.blocks),
                HEADING_EMPTY,
            );
        } else if self.blocks == 1 {
            self.warn("first-line-heading", &text, HEADING_FIRST);
        } else if level > self.last_level.unwrap_or(2) + 1 {
            let skipped = self.last_level.unwrap_or(2) + 1;
            let problem = format!(
                "This heading skips a level: it is a level-{level} heading after a level-{} one, with no level {skipped} between.",
                skipped - 1
            );
            self.warn_with("skipped-heading", &text, problem, HEADING_SKIPPED);
        }
        self.last_level = Some(level);
        self.capitals(&text);
    }

    fn end_paragraph(&mut self) {
        let Some(paragraph) = self.paragraph.take() else {
            return;
        };
        let text = paragraph.text.trim();
        let words = text.split_whitespace().count();
        let letters = text.chars().filter(|c| !c.is_whitespace()).count();
        if self.nested == 0
            && words > 0
            && words <= BOLD_HEADING_WORDS
            && paragraph.bold >= letters
            && !text.ends_with(['.', '!', '?', ':'])
        {
            self.warn("bold-heading", text, BOLD_AS_HEADING);
        }
        let lines = std::iter::once(0).chain(paragraph.lines.iter().copied());
        let typed_list = lines
            .filter_map(|at| paragraph.text.get(at..))
            .filter(|line| looks_like_a_list_item(line))
            .count();
        if typed_list > 0 {
            let first = text.lines().next().unwrap_or(text);
            self.warn("typed-list", first, TYPED_LIST);
        }
        self.capitals(text);
    }

    fn end_header(&mut self) {
        let Some(cells) = self.header.take() else {
            return;
        };
        let quote = cells.join(" | ");
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            self.warn("table-no-header", &quote, TABLE_NO_HEADER);
        } else if cells.iter().any(|cell| cell.trim().is_empty()) {
            self.warn("table-empty-header", &quote, TABLE_EMPTY_HEADER);
        }
    }

    fn end_link(&mut self) {
        let Some(text) = self.link.take() else { return };
        let said = text.trim();
        let plain = said
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if said.is_empty() {
            self.warn("link-no-text", "(a link with no words)", LINK_NO_TEXT);
        } else if VAGUE_LINKS.contains(&plain.as_str()) {
            self.warn("vague-link", said, LINK_VAGUE);
        } else if is_address(said) {
            self.warn("bare-address-link", said, LINK_ADDRESS);
        }
    }

    fn end_image(&mut self) {
        let Some(alt) = self.image.take() else { return };
        let alt = alt.trim();
        let plain = alt.to_lowercase();
        let plain = plain.trim_matches(|c: char| !c.is_alphanumeric());
        if alt.is_empty() {
            self.warn("image-no-alt", "(an image)", IMAGE_NO_ALT);
        } else if EMPTY_ALTS.contains(&plain) || is_file_name(alt) {
            self.warn("image-alt-says-nothing", alt, IMAGE_ALT_NOTHING);
        }
    }

    /// Each sentence of `text` in capitals.
    fn capitals(&mut self, text: &str) {
        for sentence in text.split_inclusive(['.', '!', '?']) {
            let sentence = sentence.trim();
            let letters: Vec<char> = sentence.chars().filter(|c| c.is_alphabetic()).collect();
            let shouting = sentence.split_whitespace().count() >= 3
                && letters.len() >= CAPITALS_LETTERS
                && letters.iter().all(|c| !c.is_lowercase());
            if shouting {
                self.warn("capitals", sentence, CAPITALS);
            }
        }
    }

    fn warn(&mut self, rule: &str, quote: &str, advice: Advice) {
        self.warn_with(rule, quote, advice.0.to_owned(), advice);
    }

    fn warn_with(&mut self, rule: &str, quote: &str, problem: String, advice: Advice) {
        let key = format!("accessibility:{rule}:{}", fingerprint(quote));
        if self.found.iter().any(|finding| finding.key == key) {
            return;
        }
        self.found.push(Finding {
            key,
            check: Check::Accessibility,
            severity: Severity::Warning,
            quote: quote.chars().take(200).collect(),
            problem,
            why: advice.1.to_owned(),
            fix: advice.2.to_owned(),
        });
    }
}

/// A heading's level on the patient's page: the body's `#` is a level-2 heading (the title is
/// the level-1, see `markdown::demote`).
fn shown_level(level: HeadingLevel) -> u8 {
    (level as u8 + 1).min(6)
}

fn looks_like_a_list_item(line: &str) -> bool {
    let line = line.trim_start();
    if line.starts_with(BULLETS) {
        return true;
    }
    // "1)", "2.", "(3)", "a)" then a space, inside a paragraph.
    let marker = line.split_whitespace().next().unwrap_or_default();
    let mut inner = marker.trim_start_matches('(').chars();
    let end = inner.next_back();
    let label = inner.as_str();
    let numbered = !label.is_empty()
        && label.len() <= 2
        && (label.chars().all(|c| c.is_ascii_digit())
            || (label.len() == 1 && label.chars().all(|c| c.is_ascii_lowercase())))
        && (end == Some(')') || (end == Some('.') && label.chars().all(|c| c.is_ascii_digit())));
    numbered && line.len() > marker.len()
}

fn is_address(text: &str) -> bool {
    let text = text.to_lowercase();
    text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www.")
}

fn is_file_name(alt: &str) -> bool {
    let lower = alt.to_lowercase();
    let extension = [
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".heic", ".bmp",
    ];
    extension.iter().any(|ext| lower.ends_with(ext))
        || lower.starts_with("img_")
        || lower.starts_with("dsc_")
        || lower.starts_with("screenshot ")
}

#[cfg(test)]
mod tests;
