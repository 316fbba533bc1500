//! "Read next": the articles an article's editor suggests at its end, in the editor's order.
//! They belong to the revision, like its topics, so a draft can change them without changing
//! what patients see until it is published. Where the editor chose fewer than `MAX_READ_NEXT`
//! (or a chosen one is not published), articles sharing a topic fill the rest.

use super::slug::check_slug;
use serde::{Deserialize, Serialize};

/// How many articles "Read next" shows, and how many the editor may choose.
pub const MAX_READ_NEXT: usize = 3;
/// How many articles the editor offers to choose from by title (any other can be typed or
/// pasted as a link).
pub const MAX_OFFERED: usize = 1_000;

/// An article the editor offers as "Read next": its address and title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleAddress {
    pub slug: String,
    pub title: String,
}

/// The article a "Read next" field names: its address as typed, or the slug inside a link to it
/// pasted whole ("https://clinic.example/articles/what-to-expect/" is "what-to-expect").
pub fn read_next_slug(typed: &str) -> String {
    let typed = typed.trim().trim_end_matches('/');
    let after = typed
        .rsplit_once("/articles/")
        .map_or(typed, |(_, slug)| slug);
    let slug = after.split(['?', '#']).next().unwrap_or_default();
    slug.trim().to_owned()
}

/// The choices the editor's "Read next" fields sent, in order, the empty ones left out.
pub fn read_next_from_fields<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    values
        .into_iter()
        .map(read_next_slug)
        .filter(|slug| !slug.is_empty())
        .collect()
}

/// What is wrong with an article's choice of `chosen` (slugs) as "Read next", if anything.
/// `own` is the article's own slug. Whether each names an article is for the database to say.
pub fn check_read_next(own: &str, chosen: &[String]) -> Result<(), String> {
    if chosen.len() > MAX_READ_NEXT {
        return Err(format!(
            "Choose at most {MAX_READ_NEXT} articles to read next."
        ));
    }
    for (index, slug) in chosen.iter().enumerate() {
        if check_slug(slug).is_err() {
            return Err(format!(
                "\u{201c}{slug}\u{201d} is not an article's address. Choose an article from the list, or paste a link to it."
            ));
        }
        if slug == own {
            return Err("An article cannot suggest itself: choose another.".into());
        }
        if chosen[..index].contains(slug) {
            return Err(format!(
                "\u{201c}{slug}\u{201d} is chosen twice: choose another, or leave the field empty."
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_link_is_read_as_its_address() {
        for typed in [
            "what-to-expect",
            " what-to-expect ",
            "/articles/what-to-expect",
            "https://clinic.example/articles/what-to-expect/",
            "https://clinic.example/articles/what-to-expect?from=mail#top",
        ] {
            assert_eq!(read_next_slug(typed), "what-to-expect", "{typed:?}");
        }
        assert_eq!(
            read_next_from_fields(["", "a", "  ", "/articles/b"]),
            ["a", "b"]
        );
    }

    #[test]
    fn at_most_three_others_each_once() {
        let slugs = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(check_read_next("me", &slugs(&["a", "b", "c"])).is_ok());
        assert!(check_read_next("me", &[]).is_ok());
        let refused = |list: &[&str]| check_read_next("me", &slugs(list)).unwrap_err();
        assert!(refused(&["a", "b", "c", "d"]).contains("at most 3"));
        assert!(refused(&["a", "me"]).contains("itself"));
        assert!(refused(&["a", "a"]).contains("twice"));
        assert!(refused(&["Not a slug!"]).contains("not an article"));
    }
}
