//! Citations against the reference list: every citation must name a reference (an error), every
//! reference should be cited (a warning), and no reference should be listed twice. Where a
//! citation nearly matches, the finding says which reference it probably means.

use super::{Check, Finding, MAX_FINDINGS_PER_CHECK, Severity, fingerprint};
use crate::content::Reference;
use crate::content::citations::{find_citations, find_numbered};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

/// The citation findings for `body` with `references`, and how many more errors there were past
/// `MAX_FINDINGS_PER_CHECK` (counted, not described). Linear in the body: each citation is
/// matched by a look-up, and a near match is searched for only for the errors described.
pub fn findings(body: &str, references: &[Reference]) -> (Vec<Finding>, usize) {
    let mut found = Vec::new();
    let mut more = 0;
    let mut cited = BTreeSet::new();
    let mut reported = HashSet::new();
    let by_name_and_year = index_by_name_and_year(references);
    for citation in find_citations(body) {
        let key = (
            citation.first_author.to_ascii_lowercase(),
            citation.year.clone(),
        );
        if let Some(&index) = by_name_and_year.get(&key) {
            cited.insert(index);
            continue;
        }
        let written = citation.text(body);
        if !reported.insert(written) {
            continue;
        }
        if found.len() >= MAX_FINDINGS_PER_CHECK {
            more += 1;
            continue;
        }
        let (hint, meant) = hint(&citation.first_author, &citation.year, references);
        cited.extend(meant);
        found.push(Finding {
            key: format!("citation:{}", fingerprint(written)),
            check: Check::Citations,
            severity: Severity::Error,
            quote: sentence_around(body, citation.range.clone()).to_owned(),
            problem: format!("\u{201c}{written}\u{201d} matches no reference{hint}"),
            why: "A patient or reviewer who follows a citation must find the work it names; a \
                  citation that names nothing cannot be checked."
                .into(),
            fix: "Correct the citation's author or year, or add the work to the references.".into(),
        });
    }
    for numbered in find_numbered(body) {
        let missing: Vec<String> = numbered
            .numbers
            .iter()
            .filter(|&&n| n > references.len())
            .map(ToString::to_string)
            .collect();
        cited.extend(numbered.numbers.iter().filter_map(|n| n.checked_sub(1)));
        let written = &body[numbered.range.clone()];
        if missing.is_empty() || !reported.insert(written) {
            continue;
        }
        if found.len() >= MAX_FINDINGS_PER_CHECK {
            more += 1;
            continue;
        }
        found.push(Finding {
            key: format!("citation:{}", fingerprint(written)),
            check: Check::Citations,
            severity: Severity::Error,
            quote: sentence_around(body, numbered.range.clone()).to_owned(),
            problem: format!(
                "\u{201c}{written}\u{201d} names reference {}, but the list has {}.",
                missing.join(", "),
                references.len()
            ),
            why: "A numbered citation must point at an entry of the reference list.".into(),
            fix: "Correct the number, or add the missing reference.".into(),
        });
    }
    let mut first_of = HashMap::new();
    for (index, reference) in references.iter().enumerate() {
        let quote = format!("{} ({})", short_name(reference), reference.year.trim());
        let first = *first_of.entry(identity(reference)).or_insert(index);
        let repeats = (first != index).then_some(first);
        if let Some(first) = repeats {
            found.push(Finding {
                key: format!("duplicate:{}:{index}", fingerprint(&identity(reference))),
                check: Check::Citations,
                severity: Severity::Warning,
                quote,
                problem: format!("Reference {} repeats reference {}.", index + 1, first + 1),
                why: "A work listed twice makes the list harder to check.".into(),
                fix: format!("Remove reference {}.", index + 1),
            });
        } else if !cited.contains(&index) {
            found.push(Finding {
                key: format!("uncited:{}", fingerprint(&identity(reference))),
                check: Check::Citations,
                severity: Severity::Warning,
                quote,
                problem: format!("Reference {} is not cited anywhere in the text.", index + 1),
                why: "Every work listed should support something the article says.".into(),
                fix: "Cite it where the article relies on it, or remove it.".into(),
            });
        }
    }
    (found, more)
}

/// Each reference by its first author's surname (lower case) and year, as a citation names it:
/// the first such reference, as `Citation::matching_reference` finds it (surnames compared
/// without regard to ASCII case).
fn index_by_name_and_year(references: &[Reference]) -> HashMap<(String, String), usize> {
    let mut index = HashMap::new();
    for (position, reference) in references.iter().enumerate() {
        let key = (
            reference.first_author_surname().to_ascii_lowercase(),
            reference.year.trim().to_owned(),
        );
        index.entry(key).or_insert(position);
    }
    index
}

/// " (did you mean Collo et al. (2019)?)" for a near spelling in the same year, or " (the
/// reference list has Duman et al. (2012))" for the same surname in another year; and the
/// references meant, which then do not count as uncited.
fn hint(surname: &str, year: &str, references: &[Reference]) -> (String, Option<usize>) {
    let surname = surname.to_lowercase();
    let length = surname.chars().count();
    let same_year = references.iter().position(|reference| {
        let theirs = reference.first_author_surname().to_lowercase();
        reference.year.trim() == year
            && theirs.chars().count().abs_diff(length) <= 2
            && edit_distance(&surname, &theirs) <= 2
    });
    if let Some(index) = same_year {
        let reference = &references[index];
        let name = format!("{} ({})", short_name(reference), reference.year.trim());
        return (format!(": did you mean {name}?"), Some(index));
    }
    let same_name = references
        .iter()
        .position(|reference| reference.first_author_surname().to_lowercase() == surname);
    if let Some(index) = same_name {
        let reference = &references[index];
        let name = format!("{} ({})", short_name(reference), reference.year.trim());
        return (format!(": the reference list has {name}."), None);
    }
    (".".to_owned(), None)
}

/// How a citation names a reference: "Duman et al.", "Collo & Pich", "Li".
pub fn short_name(reference: &Reference) -> String {
    let surnames: Vec<&str> = reference
        .authors
        .split([',', '&'])
        .map(str::trim)
        .filter(|part| !part.is_empty() && !is_initials(part))
        .collect();
    match surnames.as_slice() {
        [] => reference.authors.trim().to_owned(),
        [one] => (*one).to_owned(),
        [first, second] => format!("{first} & {second}"),
        [first, ..] => format!("{first} et al."),
    }
}

/// "R. S." or "G." (an author's initials, between the commas of an author list).
fn is_initials(part: &str) -> bool {
    part.split_whitespace().all(|token| {
        let letters = token.trim_end_matches('.');
        token.ends_with('.') && letters.chars().count() <= 2
    }) || part.eq_ignore_ascii_case("and")
}

/// What makes two references the same work: the DOI, else surname, year and title.
fn identity(reference: &Reference) -> String {
    match reference.doi.as_deref().map(str::trim) {
        Some(doi) if !doi.is_empty() => doi.to_lowercase(),
        _ => format!(
            "{}|{}|{}",
            reference.first_author_surname().to_lowercase(),
            reference.year.trim(),
            reference.title.trim().to_lowercase()
        ),
    }
}

/// Levenshtein distance between two words (by characters).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// How far either side of a citation its sentence is looked for, in bytes: a quote shows the
/// words around the citation, and finding them costs the same in any length of text.
const QUOTE_REACH: usize = 200;

/// The sentence of `text` that holds `range`: from the end of the sentence before it (or the
/// paragraph's start) to the end of its own, at most `QUOTE_REACH` bytes either side.
pub fn sentence_around(text: &str, range: Range<usize>) -> &str {
    let mut from = range.start.saturating_sub(QUOTE_REACH);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let mut to = (range.end + QUOTE_REACH).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let text = &text[from..to];
    let range = range.start - from..range.end - from;
    let before = &text[..range.start];
    let start = [". ", "! ", "? ", "\n\n", ".\n", "!\n", "?\n"]
        .iter()
        .filter_map(|end| before.rfind(end).map(|at| at + end.len()))
        .max()
        .unwrap_or(0);
    let after = &text[range.end..];
    let end = [". ", "! ", "? ", "\n\n", ".\n"]
        .iter()
        .filter_map(|end| after.find(end).map(|at| range.end + at + 1))
        .min()
        .unwrap_or(text.len());
    text[start..end.min(text.len())].trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(authors: &str, year: &str, title: &str) -> Reference {
        Reference {
            authors: authors.into(),
            year: year.into(),
            title: title.into(),
            journal: "J".into(),
            ..Reference::default()
        }
    }

    #[test]
    fn near_misses_name_the_reference_they_probably_mean() {
        let references = [
            reference(
                "Collo, G., Cavalleri, L., & Pich, E. M.",
                "2019",
                "Structural",
            ),
            reference(
                "Duman, R. S., Li, N., & Aghajanian, G.",
                "2012",
                "Signaling",
            ),
        ];
        let body =
            "Shrinks (Duman et al., 2012). Grows (Duman et al., 2021). Lasts (Colo et al., 2019).";
        let (found, _) = findings(body, &references);
        let problems: Vec<&str> = found.iter().map(|f| f.problem.as_str()).collect();
        assert_eq!(
            problems,
            [
                "\u{201c}Duman et al., 2021\u{201d} matches no reference: the reference list has Duman et al. (2012).",
                "\u{201c}Colo et al., 2019\u{201d} matches no reference: did you mean Collo et al. (2019)?",
            ]
        );
        assert_eq!(found[0].quote, "Grows (Duman et al., 2021).");
        assert!(found.iter().all(|f| f.severity == Severity::Error));
    }

    #[test]
    fn uncited_and_repeated_references_are_warnings() {
        let references = [
            reference("Li, N.", "2010", "A"),
            reference("Park, J., & Lee, K.", "2020", "B"),
            reference("Li, N.", "2010", "a"),
        ];
        let (found, _) = findings("Only (Li, 2010) here.", &references);
        let problems: Vec<&str> = found.iter().map(|f| f.problem.as_str()).collect();
        assert_eq!(
            problems,
            [
                "Reference 2 is not cited anywhere in the text.",
                "Reference 3 repeats reference 1.",
            ]
        );
        assert_eq!(found[0].quote, "Park & Lee (2020)");
        assert!(found.iter().all(|f| f.severity == Severity::Warning));
    }

    #[test]
    fn numbered_citations_must_name_a_listed_reference() {
        let references = [
            reference("Li, N.", "2010", "A"),
            reference("Ng, B.", "2011", "B"),
        ];
        let (found, _) = findings("First [1]. Then [2-3].", &references);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].problem,
            "\u{201c}[2-3]\u{201d} names reference 3, but the list has 2."
        );
    }

    #[test]
    fn edit_distance_counts_single_letter_changes() {
        assert_eq!(edit_distance("colo", "collo"), 1);
        assert_eq!(edit_distance("duman", "duman"), 0);
        assert_eq!(edit_distance("smith", "smyth"), 1);
        assert_eq!(edit_distance("li", "park"), 4);
    }
}
