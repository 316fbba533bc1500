//! Searches that read as someone in crisis (`content/rules/crisis-searches.txt`): the search
//! page answers them with crisis help first, whatever else it finds.

use std::sync::LazyLock;

static PHRASES: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    include_str!("../../../content/rules/crisis-searches.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(words)
        .filter(|phrase| !phrase.is_empty())
        .collect()
});

/// Whether `query` holds one of the crisis phrases.
pub fn is_crisis(query: &str) -> bool {
    let typed = words(query);
    PHRASES.iter().any(|phrase| {
        typed.windows(phrase.len()).any(|run| {
            run.iter()
                .zip(phrase)
                .all(|(typed, known)| same(typed, known))
        })
    })
}

/// `text`'s words, lower case, apostrophes dropped ("don't" is "dont").
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A typed word is a known one, or one typo from it when the known word has five letters or more.
fn same(typed: &str, known: &str) -> bool {
    typed == known || (known.chars().count() >= 5 && strsim::osa_distance(typed, known) <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ways_people_say_it_are_crisis() {
        for query in [
            "suicide",
            "Suicidal thoughts after ketamine",
            "I want to die",
            "i don't want to live anymore",
            "I Don’t want to live",
            "how to kill myself",
            "overdose on ketamine",
            "self-harm",
            "suicde",
        ] {
            assert!(is_crisis(query), "{query}");
        }
    }

    #[test]
    fn ordinary_searches_are_not() {
        for query in [
            "ketamine side effects",
            "dose",
            "die casting",
            "harm reduction",
            "kill",
        ] {
            assert!(!is_crisis(query), "{query}");
        }
    }
}
