//! Topics: the clinic's subjects ("How ketamine treatment works"), each with a short
//! description. An article's topics belong to its revision, like its references, so a draft can
//! change them without changing what patients read until it is published. Patients browse them
//! at `/topics` and `/topics/{slug}`; each article names its own.

use super::ArticleSummary;
use super::slug::{check_slug, slug_from_title};
use serde::{Deserialize, Serialize};

/// The most topics there are: the editor shows each as a checkbox, and `/topics` lists them all.
pub const MAX_TOPICS: usize = 100;
/// The most topics one article is listed under.
pub const MAX_ARTICLE_TOPICS: usize = 5;

/// What is wrong with an article's choice of `topics` (their ids), if anything.
pub fn check_article_topics(topics: &[i64]) -> Result<(), String> {
    if topics.len() > MAX_ARTICLE_TOPICS {
        return Err(format!(
            "Choose at most {MAX_ARTICLE_TOPICS} topics: the ones a patient would look under first."
        ));
    }
    Ok(())
}
pub const MAX_TOPIC_NAME_CHARS: usize = 80;
pub const MAX_TOPIC_DESCRIPTION_CHARS: usize = 600;

/// A topic as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub id: i64,
    pub name: String,
    /// Its address: `/topics/{slug}`.
    pub slug: String,
    pub description: String,
    /// Counts saves: a save from an older version is refused.
    pub version: i64,
}

impl Topic {
    pub fn href(&self) -> String {
        topic_href(&self.slug)
    }
}

/// The address of the topic at `slug`.
pub fn topic_href(slug: &str) -> String {
    format!("/topics/{slug}")
}

/// A topic as `/topics` lists it: with how many published articles it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicSummary {
    pub topic: Topic,
    pub articles: i64,
}

/// A topic's name and address, as an article page names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicLink {
    pub name: String,
    pub slug: String,
}

/// A page of a topic's published articles, newest first: the first, or those published before
/// the article at `before` (keyset paging, as the home list).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicPage {
    pub topic: Topic,
    pub articles: Vec<ArticleSummary>,
    pub before: Option<String>,
    /// The slug the next page starts before, when there is one.
    pub next: Option<String>,
}

/// A topic as typed into the staff form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicDraft {
    pub name: String,
    /// Empty: made from the name.
    pub slug: String,
    pub description: String,
}

impl TopicDraft {
    /// The slug it will be saved under: as typed, or made from the name.
    pub fn slug(&self) -> String {
        match self.slug.trim() {
            "" => slug_from_title(self.name.trim()),
            typed => typed.to_owned(),
        }
    }

    /// What is wrong with the draft, by field: each message says what to do.
    pub fn check(&self) -> Result<(), std::collections::BTreeMap<String, String>> {
        let mut errors = std::collections::BTreeMap::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.insert(
                "name".into(),
                "Enter the topic's name, like How ketamine treatment works.".into(),
            );
        } else if name.chars().count() > MAX_TOPIC_NAME_CHARS {
            errors.insert(
                "name".into(),
                format!("Shorten the name to {MAX_TOPIC_NAME_CHARS} characters or fewer."),
            );
        }
        if !name.is_empty()
            && let Err(problem) = check_slug(&self.slug())
        {
            errors.insert("slug".into(), problem);
        }
        if self.description.trim().chars().count() > MAX_TOPIC_DESCRIPTION_CHARS {
            errors.insert(
                "description".into(),
                format!(
                    "Shorten the description to {MAX_TOPIC_DESCRIPTION_CHARS} characters or fewer: one short paragraph."
                ),
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_needs_a_name_and_gets_its_slug_from_it() {
        let draft = TopicDraft {
            name: " Side effects & safety ".into(),
            ..TopicDraft::default()
        };
        assert_eq!(draft.check(), Ok(()));
        assert_eq!(draft.slug(), "side-effects-safety");
        let errors = TopicDraft::default().check().unwrap_err();
        assert!(errors["name"].starts_with("Enter the topic's name"));
        let errors = TopicDraft {
            name: "x".repeat(MAX_TOPIC_NAME_CHARS + 1),
            slug: "Bad Slug".into(),
            description: "y".repeat(MAX_TOPIC_DESCRIPTION_CHARS + 1),
        }
        .check()
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}
