//! Counting the syllables of an English word, for the readability formulas (see
//! `readability.rs`).

/// English syllables in `word`, by vowel groups, corrected for English's silent and doubled
/// sounds: a silent final "e" (but "-le" after a consonant is a syllable), "-es"/"-ed" that add
/// no sound, vowel pairs that are two sounds ("-ia-", "quiet", "fluid"), endings that are one
/// ("-tion", "-cial", "-ior"), and a few common patterns ("-ely", "-ement", "some-", "-ism").
/// Acronyms ("MRI", "PTSD") are read letter by letter. Checked against the CMU pronouncing
/// dictionary through `textstat` (see `tests/fixtures/readability/`).
pub fn syllables(word: &str) -> usize {
    // Lower-cased ASCII letters in a buffer on the stack: this runs for every word of every
    // keystroke's preview. Other letters (rare in English text) count as consonants.
    let mut buffer = [0u8; 64];
    let mut n = 0;
    let (mut upper, mut all) = (0, 0);
    let ascii = word.is_ascii();
    if ascii {
        for &b in word.as_bytes().iter().filter(|b| b.is_ascii_alphabetic()) {
            all += 1;
            upper += usize::from(b.is_ascii_uppercase());
            if n < buffer.len() {
                buffer[n] = b.to_ascii_lowercase();
                n += 1;
            }
        }
    }
    for c in word.chars().filter(|c| !ascii && c.is_alphabetic()) {
        all += 1;
        upper += usize::from(c.is_uppercase());
        if n < buffer.len() {
            buffer[n] = if c.is_ascii() {
                c.to_ascii_lowercase() as u8
            } else {
                b'x'
            };
            n += 1;
        }
    }
    if all == 0 {
        // A number: textstat counts it as one syllable.
        return 1;
    }
    if (2..=5).contains(&all) && upper == all && all == word.chars().count() {
        // An acronym, read letter by letter ("W" is three: double-u).
        return buffer[..n]
            .iter()
            .map(|&c| if c == b'w' { 3 } else { 1 })
            .sum();
    }
    if n <= 3 {
        return 1;
    }
    let lower = &buffer[..n];
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y');
    let consonant_at = |i: usize| !vowel(lower[i]);
    let ends = |suffix: &str| lower.ends_with(suffix.as_bytes());
    let starts = |prefix: &str| lower.starts_with(prefix.as_bytes());
    let mut count: isize = 0;
    let mut previous_vowel = false;
    for &c in lower {
        if vowel(c) && !previous_vowel {
            count += 1;
        }
        previous_vowel = vowel(c);
    }
    count += vowel_pair_correction(lower);
    let mut add = |condition: bool, by: isize| {
        if condition {
            count += by;
        }
    };
    // Silent final e: "make", "mine"; but "-le" after a consonant is a syllable ("table").
    let silent_e = ends("e") && !ends("ee") && !ends("ie");
    let syllabic_le = ends("le") && consonant_at(n - 3);
    add(silent_e && !syllabic_le, -1);
    // "-es" and "-ed" add a syllable only after the sounds that need one ("wishes", "wanted").
    let sounded_es = ["ses", "ces", "zes", "shes", "ches", "ges", "les"];
    let silent_ending = (ends("es") && !sounded_es.iter().any(|e| ends(e)))
        || (ends("ed") && !ends("ted") && !ends("ded"));
    add(silent_ending && consonant_at(n - 3), -1);
    // "being", "trying": the vowel before "-ing" is its own syllable.
    add(ends("ing") && vowel(lower[n - 4]), 1);
    // "battling", "startled": the "-le" they were made from is still a syllable.
    let ending = if ends("ling") { 4 } else { 3 };
    let syllabic_l = (ends("ling") || ends("led") || ends("les")) && n > 5 && {
        let before = lower[n - ending - 1];
        !vowel(before) && before != b'l' && before != b'r'
    };
    add(syllabic_l, 1);
    add(ends("ely") && consonant_at(n - 4), -1);
    add((ends("ement") || ends("ements")) && n > 6, -1);
    add(starts("some") && n > 5 && consonant_at(4), -1);
    add(ends("ism") || ends("isms"), 1);
    add(ends("ire") || ends("ires") || ends("ired"), 1);
    add(
        matches!(lower, b"our" | b"ours") || ends("hour") || ends("hours") || ends("sour"),
        1,
    );
    count.max(1) as usize
}

/// Vowel pairs that are two sounds ("-ia-", "-io-", "quiet", "easier", "science", "fluid"),
/// less endings where they are one ("-tion", "-sion", "-gion", "-cious", "-tious", "-gious",
/// "-cial", "-tial", "-ior"). One pass over the word: it runs for every word.
fn vowel_pair_correction(lower: &[u8]) -> isize {
    let at = |i: usize| lower.get(i).copied().unwrap_or(0);
    let mut correction = 0;
    for i in 0..lower.len().saturating_sub(1) {
        let before = if i == 0 { 0 } else { lower[i - 1] };
        correction += match (lower[i], at(i + 1)) {
            (b'i', b'a') => 1 - isize::from(at(i + 2) == b'l' && matches!(before, b'c' | b't')),
            (b'i', b'o') => {
                let one_sound = (at(i + 2) == b'n' && matches!(before, b't' | b's' | b'g'))
                    || (at(i + 2) == b'u'
                        && at(i + 3) == b's'
                        && matches!(before, b'c' | b't' | b'g'))
                    || at(i + 2) == b'r';
                1 - isize::from(one_sound)
            }
            (b'u', b'a' | b'o') | (b'i', b'u') => 1,
            (b'i', b'e') => isize::from(
                matches!(at(i + 2), b't' | b'r') || (at(i + 2) == b'n' && at(i + 3) == b'c'),
            ),
            (b'u', b'i') => isize::from(matches!(at(i + 2), b'd' | b'c')),
            _ => 0,
        };
    }
    correction
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_of_common_words() {
        for (word, expected) in [
            ("the", 1),
            ("brain", 1),
            ("ketamine", 3),
            ("table", 2),
            ("depression", 3),
            ("wanted", 2),
            ("helped", 1),
            ("make", 1),
            ("plasticity", 4),
            ("immediate", 4),
            ("2012", 1),
        ] {
            assert_eq!(syllables(word), expected, "{word}");
        }
    }
}
