//! In-text author-year citations, e.g. "(Duman et al., 2012)" or "(Collo & Pich, 2019; Li, 2010)",
//! and whether each one names an entry of the article's reference list.
//!
//! A citation matches a reference when its first author's surname and its year are the same
//! (surnames compared without regard to case). Nothing is corrected: "(Colo et al., 2019)" does
//! not match "Collo, G. … (2019)", and the editor is told so instead.

use super::Reference;
use std::ops::Range;

/// One citation found in a piece of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// Byte range of the citation inside the text, without the parentheses or separators:
    /// for "(Duman et al., 2012)" it covers "Duman et al., 2012".
    pub range: Range<usize>,
    pub first_author: String,
    pub year: String,
}

impl Citation {
    /// The citation as written in `text`, the text it was found in.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range.clone()]
    }

    /// The 0-based index of the reference this citation names, if any.
    pub fn matching_reference(&self, references: &[Reference]) -> Option<usize> {
        references.iter().position(|reference| {
            reference.year.trim() == self.year
                && reference
                    .first_author_surname()
                    .eq_ignore_ascii_case(&self.first_author)
        })
    }
}

/// Every author-year citation inside parentheses in `text`, in order.
pub fn find_citations(text: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('(').map(|i| rest + i) {
        let Some(close) = text[open + 1..].find(')').map(|i| open + 1 + i) else {
            break;
        };
        let mut start = open + 1;
        for part in text[open + 1..close].split(';') {
            let leading = part.len() - part.trim_start().len();
            let trimmed = part.trim();
            let range = start + leading..start + leading + trimmed.len();
            if let Some((first_author, year)) = parse_citation(trimmed) {
                found.push(Citation {
                    range,
                    first_author,
                    year,
                });
            }
            start += part.len() + 1;
        }
        rest = close + 1;
    }
    found
}

/// The citations in `body` that name no reference, as written ("Duman et al., 2021").
pub fn unmatched_citations(body: &str, references: &[Reference]) -> Vec<String> {
    find_citations(body)
        .into_iter()
        .filter(|citation| citation.matching_reference(references).is_none())
        .map(|citation| citation.text(body).to_owned())
        .collect()
}

/// A numbered citation, "[1]", "[2-4]" or "[1, 3]".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberedCitation {
    /// Byte range of the whole citation, brackets included.
    pub range: Range<usize>,
    /// The reference numbers it names (1-based), ranges spelled out.
    pub numbers: Vec<usize>,
}

/// The most numbers one bracket may name ("[1-1000000]" is not a citation anyone wrote).
const MAX_NUMBERS: usize = 100;

/// Every numbered citation in `text`: digits, commas, spaces and hyphens (or en dashes) inside
/// square brackets, and not a Markdown link's text (`[1](…)`, `[1][…]`, `[1]: …`). One pass:
/// each bracket is read up to the next bracket of either kind, so a run of `[` without `]`
/// costs its length, not its square.
pub fn find_numbered(text: &str) -> Vec<NumberedCitation> {
    let mut found = Vec::new();
    let mut rest = 0;
    while let Some(open) = text[rest..].find('[').map(|i| rest + i) {
        let Some(next) = text[open + 1..].find(['[', ']']).map(|i| open + 1 + i) else {
            break;
        };
        rest = next;
        if text.as_bytes()[next] == b'[' {
            continue;
        }
        let close = next;
        let inside = &text[open + 1..close];
        let after = text[close + 1..].chars().next();
        if matches!(after, Some('(' | '[' | ':')) || inside.trim().is_empty() {
            continue;
        }
        if let Some(numbers) = parse_numbers(inside) {
            found.push(NumberedCitation {
                range: open..close + 1,
                numbers,
            });
        }
    }
    found
}

fn parse_numbers(inside: &str) -> Option<Vec<usize>> {
    let mut numbers = Vec::new();
    for part in inside.split(',') {
        let part = part.trim();
        let (from, to) = match part.split_once(['-', '–']) {
            Some((from, to)) => (from.trim(), to.trim()),
            None => (part, part),
        };
        let all_digits =
            |s: &str| !s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit());
        if !all_digits(from) || !all_digits(to) {
            return None;
        }
        let (from, to): (usize, usize) = (from.parse().ok()?, to.parse().ok()?);
        if from == 0 || to < from || numbers.len() + (to - from) >= MAX_NUMBERS {
            return None;
        }
        numbers.extend(from..=to);
    }
    Some(numbers)
}

/// The longest text one author-year citation may be: "Duman, Li, Liu, Duric, & Aghajanian,
/// 2012" is 42 bytes. Anything longer between the brackets is prose, not a citation.
const MAX_CITATION_BYTES: usize = 200;

/// "Duman et al., 2012" → ("Duman", "2012"). The names must start with a capital letter and the
/// year is four digits, optionally followed by a letter ("2019a").
fn parse_citation(part: &str) -> Option<(String, String)> {
    if part.len() > MAX_CITATION_BYTES {
        return None;
    }
    let (names, year) = part.rsplit_once(|c: char| c == ',' || c.is_whitespace())?;
    let year = year.trim();
    let digits = year.get(..4)?;
    let suffix = &year[4..];
    if !digits.chars().all(|c| c.is_ascii_digit())
        || suffix.len() > 1
        || !suffix.chars().all(|c| c.is_ascii_lowercase())
    {
        return None;
    }
    let names = names.trim().trim_end_matches(',').trim();
    let surname: String = names
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-' || *c == '\'' || *c == '’')
        .collect();
    if !surname.chars().next()?.is_uppercase() {
        return None;
    }
    Some((surname, year.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(authors: &str, year: &str) -> Reference {
        Reference {
            authors: authors.into(),
            year: year.into(),
            title: String::new(),
            journal: String::new(),
            volume: None,
            issue: None,
            pages: None,
            doi: None,
        }
    }

    fn seed_references() -> Vec<Reference> {
        vec![
            reference("Collo, G., Cavalleri, L., & Pich, E. M.", "2019"),
            reference(
                "Duman, R. S., Li, N., Liu, R. J., Duric, V., & Aghajanian, G.",
                "2012",
            ),
        ]
    }

    #[test]
    fn finds_author_year_citations_with_their_exact_text() {
        let text = "brain regions (Duman et al., 2012). In other words (see below) it works (Colo et al., 2019).";
        let found = find_citations(text);
        let texts: Vec<_> = found.iter().map(|c| c.text(text)).collect();
        assert_eq!(texts, ["Duman et al., 2012", "Colo et al., 2019"]);
        assert_eq!(found[0].first_author, "Duman");
        assert_eq!(found[0].year, "2012");
    }

    #[test]
    fn finds_several_citations_in_one_parenthesis() {
        let text = "as shown (Li & Duman, 2010; Collo, 2019a).";
        let found = find_citations(text);
        let texts: Vec<_> = found.iter().map(|c| c.text(text)).collect();
        assert_eq!(texts, ["Li & Duman, 2010", "Collo, 2019a"]);
    }

    #[test]
    fn ignores_parentheses_that_are_not_citations() {
        let text = "neurons (brain cells) and an SSRI (2 to 4 weeks) or (see 2012) or (e.g., 1999)";
        assert!(find_citations(text).is_empty());
    }

    #[test]
    fn seed_citations_with_wrong_year_or_spelling_are_unmatched() {
        let body = include_str!("../../seed/source/ketamine-and-brain-plasticity.txt");
        let unmatched = unmatched_citations(body, &seed_references());
        assert_eq!(unmatched, ["Duman et al., 2021", "Colo et al., 2019"]);
    }

    #[test]
    fn numbered_citations_are_found_but_links_are_not() {
        let text = "as shown [1] and [2-4], [5, 7–8]; see [a link](http://x) or [3][ref] or [x].";
        let found: Vec<Vec<usize>> = find_numbered(text).into_iter().map(|c| c.numbers).collect();
        assert_eq!(found, [vec![1], vec![2, 3, 4], vec![5, 7, 8]]);
        assert_eq!(&text[find_numbered(text)[0].range.clone()], "[1]");
        assert!(find_numbered("[0] [4-2] [1-100000]").is_empty());
        assert_eq!(find_numbered("[[[1] [x [2]").len(), 2);
    }

    #[test]
    fn citations_longer_than_any_real_one_are_prose() {
        let long = format!("(Smith {} 2019)", "and others ".repeat(30));
        assert!(find_citations(&long).is_empty());
        assert_eq!(find_citations("(Smith and others, 2019)").len(), 1);
    }

    #[test]
    fn a_citation_matches_on_surname_and_year_regardless_of_case() {
        let references = seed_references();
        let text = "(DUMAN et al., 2012) (Duman et al., 2011) (Collo et al., 2019)";
        let matches: Vec<_> = find_citations(text)
            .iter()
            .map(|c| c.matching_reference(&references))
            .collect();
        assert_eq!(matches, [Some(1), None, Some(0)]);
    }
}
