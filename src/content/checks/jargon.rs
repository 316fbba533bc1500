//! Words a patient may not know, which the glossary does not define: a suggestion in the checks
//! panel, never a finding (nothing to acknowledge before publishing).
//!
//! A word is suggested when it is long (`MIN_SYLLABLES` or more) and neither it nor its plain
//! stem is on the Dale-Chall list of familiar words (`content/rules/familiar-words.txt`: words
//! most readers know by grade 4, the list behind the Dale-Chall readability formula) or on the
//! clinic's own list of words its readers know (`content/rules/known-words.txt`), or when it
//! is an abbreviation in capitals (PTSD, MRI); and it is not a form of a glossary term. Words
//! that start with a capital (names: Yale, Duman) are left out, as are headings, citations and
//! the reference list. One pass over the text, each word looked up in a hash set: linear in it.

use super::prose::{blocks, without_citations};
use super::readability::words;
use super::syllables::syllables;
use crate::content::glossary::GlossaryTerm;
use std::collections::HashSet;
use std::sync::LazyLock;

/// How long a word must be to be suggested. With three syllables, a third of the seed's
/// suggestions were words a grade-6 reader knows ("including", "division", "connections": the
/// Dale-Chall list is a grade-4 list); with four, what is left is the jargon ("plasticity",
/// "neuropharmacology", "antidepressant"), and the short medical words are what the glossary
/// holds anyway.
pub const MIN_SYLLABLES: usize = 4;

/// The most words suggested at once (the first met in the text).
pub const MAX_SUGGESTED: usize = 20;

/// The Dale-Chall list, and the words the clinic adds to it (`content/rules/known-words.txt`).
static FAMILIAR: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    [
        include_str!("../../../content/rules/familiar-words.txt"),
        include_str!("../../../content/rules/known-words.txt"),
    ]
    .into_iter()
    .flat_map(str::lines)
    .map(str::trim)
    .filter(|line| !line.is_empty() && !line.starts_with('#'))
    .collect()
});

/// Whether `word` (lower case) or a plain stem of it is a familiar word.
fn familiar(word: &str) -> bool {
    let familiar = |stem: &str| FAMILIAR.contains(stem);
    if familiar(word) {
        return true;
    }
    let stems = [
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
        ("er", ""),
        ("est", ""),
        ("ness", ""),
        ("ful", ""),
    ];
    stems.iter().any(|(ending, then)| {
        word.strip_suffix(ending)
            .is_some_and(|stem| stem.len() > 2 && familiar(&format!("{stem}{then}")))
    })
}

/// An abbreviation in capitals: PTSD, MRI, SSRIs.
fn abbreviation(word: &str) -> bool {
    let letters = word.trim_end_matches('s');
    (2..=6).contains(&letters.len()) && letters.chars().all(|c| c.is_ascii_uppercase())
}

/// The words of `body` a patient may not know that `glossary` does not define, in the order
/// first met, at most `MAX_SUGGESTED`.
pub fn unfamiliar_words(body: &str, glossary: &[GlossaryTerm]) -> Vec<String> {
    let defined: HashSet<String> = glossary
        .iter()
        .flat_map(GlossaryTerm::forms)
        .flat_map(|form| words(form).map(str::to_lowercase).collect::<Vec<_>>())
        .collect();
    let mut seen = HashSet::new();
    let mut suggested = Vec::new();
    for block in blocks(body).iter().filter(|block| !block.heading) {
        for word in words(&without_citations(&block.text)) {
            if suggested.len() == MAX_SUGGESTED {
                return suggested;
            }
            let lower = word.to_lowercase();
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            let abbreviation = abbreviation(word);
            // A name, or a word that starts a sentence: judged where it is met in lower case.
            if (capitalised && !abbreviation)
                || word.chars().any(|c| c.is_ascii_digit())
                || defined.contains(&lower)
                || !seen.insert(lower.clone())
            {
                continue;
            }
            let hard = abbreviation
                || lower
                    .split('-')
                    .any(|part| syllables(part) >= MIN_SYLLABLES && !familiar(part));
            if hard {
                suggested.push(word.to_owned());
            }
        }
    }
    suggested
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(term: &str, also: &[&str]) -> GlossaryTerm {
        GlossaryTerm {
            id: 1,
            term: term.into(),
            anchor: term.into(),
            definition: String::new(),
            also: also.iter().map(|a| (*a).to_owned()).collect(),
            version: 1,
        }
    }

    #[test]
    fn long_unfamiliar_words_and_abbreviations_not_in_the_glossary_are_suggested_once() {
        let body = "# Neuroplasticity\n\nYale found that neurons grow. Neurons and synaptogenesis \
                    matter for PTSD and antidepressants, a beautiful family of ideas. Implicated, \
                    implicated (Duman et al., 2012). A depression.";
        let glossary = [term("neuron", &["neurons"]), term("synaptogenesis", &[])];
        assert_eq!(
            unfamiliar_words(body, &glossary),
            ["PTSD", "antidepressants", "implicated"].map(str::to_owned)
        );
    }

    #[test]
    fn the_seed_gets_a_short_list_of_suggestions() {
        let seed = crate::content::front_matter::parse_article_file(include_str!(
            "../../../seed/ketamine-and-brain-plasticity.md"
        ))
        .expect("the seed reads");
        let words = unfamiliar_words(&seed.body, &[]);
        for expected in ["plasticity", "neuropharmacology", "MRI", "PTSD"] {
            assert!(
                words.iter().any(|w| w == expected),
                "{expected} in {words:?}"
            );
        }
        for familiar in ["Ketamine", "Yale", "brain", "including", "division"] {
            assert!(
                !words.iter().any(|w| w == familiar),
                "{familiar} in {words:?}"
            );
        }
    }
}
