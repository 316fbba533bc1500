//! Estimated reading time, shown next to each article so a patient knows what they are starting.

/// Words a minute for an unhurried adult reading health information on a screen. Lower than the
/// usual 238 for fiction: readers of medical text slow down, and many read on phones.
const WORDS_PER_MINUTE: usize = 200;

/// Whole minutes to read `markdown`, rounded up, never less than one.
pub fn reading_minutes(markdown: &str) -> u32 {
    minutes_for(word_count(markdown))
}

/// The words of `markdown`: runs of text with a letter or digit in them (Markdown's marks are
/// not words).
pub fn word_count(markdown: &str) -> usize {
    markdown
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .count()
}

/// Whole minutes to read `words` words, rounded up, never less than one.
pub fn minutes_for(words: usize) -> u32 {
    u32::try_from(words.div_ceil(WORDS_PER_MINUTE).max(1)).unwrap_or(u32::MAX)
}

/// "1 word · about 1 minute to read", "850 words · about 5 minutes to read": what the editor
/// shows beside the body.
pub fn length_label(words: usize) -> String {
    let minutes = minutes_for(words);
    let plural = |n: usize, one: &str| match n {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    };
    format!(
        "{} \u{b7} about {} to read",
        plural(words, "word"),
        plural(minutes as usize, "minute")
    )
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
    fn the_editor_says_how_long_the_text_is() {
        assert_eq!(length_label(0), "0 words \u{b7} about 1 minute to read");
        assert_eq!(length_label(1), "1 word \u{b7} about 1 minute to read");
        assert_eq!(
            length_label(850),
            "850 words \u{b7} about 5 minutes to read"
        );
        assert_eq!(word_count("# Heading\n\n- one, *two* --- 3"), 4);
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
