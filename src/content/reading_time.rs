//! Estimated reading time, shown next to each article so a patient knows what they are starting.

/// Words a minute for an unhurried adult reading health information on a screen. Lower than the
/// usual 238 for fiction: readers of medical text slow down, and many read on phones.
const WORDS_PER_MINUTE: usize = 200;

/// Whole minutes to read `markdown`, rounded up, never less than one.
pub fn reading_minutes(markdown: &str) -> u32 {
    let words = markdown
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count();
    u32::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_up_to_whole_minutes() {
        assert_eq!(reading_minutes(&"word ".repeat(200)), 1);
        assert_eq!(reading_minutes(&"word ".repeat(201)), 2);
        assert_eq!(reading_minutes(&"word ".repeat(1000)), 5);
    }

    #[test]
    fn an_empty_or_tiny_text_takes_a_minute() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes("Hello."), 1);
    }

    #[test]
    fn markdown_punctuation_is_not_counted_as_words() {
        let with_marks = format!("{} - * # > ---", "word ".repeat(200));
        assert_eq!(reading_minutes(&with_marks), 1);
    }

    #[test]
    fn the_seed_text_with_its_references_takes_three_minutes() {
        let seed = include_str!("../../seed/source/ketamine-and-brain-plasticity.txt");
        assert_eq!(reading_minutes(seed), 3);
    }
}
