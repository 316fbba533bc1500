//! An article's slug: its address under `/articles/`. What a slug may be, and the one a title
//! suggests (so a writer who leaves the field empty gets an address, not an error).

pub const MAX_SLUG_CHARS: usize = 100;

/// A slug is the article's address: lower-case letters, digits and single hyphens.
pub fn check_slug(slug: &str) -> Result<(), String> {
    let well_formed = !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if slug.is_empty() {
        Err("Enter a slug: the article's address, like ketamine-and-sleep.".into())
    } else if slug.chars().count() > MAX_SLUG_CHARS {
        Err(format!(
            "Shorten the slug to {MAX_SLUG_CHARS} characters or fewer."
        ))
    } else if !well_formed {
        Err(
            "Use only lower-case letters, digits and single hyphens, like ketamine-and-sleep."
                .into(),
        )
    } else {
        Ok(())
    }
}

/// The slug `title` suggests: its letters and digits in lower case (accented Latin letters
/// without their accents), every other run of characters one hyphen, at most `MAX_SLUG_CHARS`
/// characters, cut at a hyphen. Empty when the title has no letter or digit.
pub fn slug_from_title(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let plain = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            other => other,
        };
        if plain.is_ascii_lowercase() || plain.is_ascii_digit() {
            slug.push(plain);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_owned();
    if slug.len() > MAX_SLUG_CHARS {
        slug.truncate(MAX_SLUG_CHARS);
        if let Some(cut) = slug.rfind('-') {
            slug.truncate(cut);
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_hyphens() {
        assert!(check_slug("ketamine-and-brain-plasticity").is_ok());
        assert!(check_slug("ptsd-101").is_ok());
        for bad in ["", "-a", "a-", "a--b", "a_b", "A", "a/b", "é"] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
        assert!(check_slug(&"a".repeat(MAX_SLUG_CHARS + 1)).is_err());
    }

    #[test]
    fn a_title_suggests_a_slug_the_rules_accept() {
        let cases = [
            ("Ketamine and sleep", "ketamine-and-sleep"),
            (
                "Ketamine & sleep: what to know?",
                "ketamine-sleep-what-to-know",
            ),
            ("  Niños y ketamina — guía  ", "ninos-y-ketamina-guia"),
            ("PTSD, 2026 update", "ptsd-2026-update"),
        ];
        for (title, slug) in cases {
            assert_eq!(slug_from_title(title), slug, "{title}");
            assert_eq!(check_slug(slug), Ok(()));
        }
        assert_eq!(slug_from_title("— ? —"), "");
        let long = slug_from_title(&"plasticity ".repeat(30));
        assert!(long.len() <= MAX_SLUG_CHARS, "{long}");
        assert_eq!(check_slug(&long), Ok(()));
    }
}
