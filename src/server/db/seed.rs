//! The clinic's first article, shipped inside the binary and stored on first start.

use super::Db;
use crate::content::front_matter::{ArticleFile, parse_article_file};

/// The seed article file, word for word as the clinic wrote it (Markdown with front matter).
pub const SEED_ARTICLE: &str = include_str!("../../../seed/ketamine-and-brain-plasticity.md");

/// The `app_meta` key recording that the seed was loaded.
const SEED_LOADED_KEY: &str = "seed.ketamine-and-brain-plasticity.loaded_at";

/// The seed article, parsed.
pub fn seed_article() -> ArticleFile {
    // The file is compiled in and parsed by a unit test, so failure here is a build defect.
    parse_article_file(SEED_ARTICLE)
        .unwrap_or_else(|error| panic!("seed article is malformed: {error}"))
}

/// Stores the seed article, published, unless this installation has done so before (even if
/// staff later changed or removed it). Returns whether it was loaded now.
pub async fn load_seed_once(db: &Db) -> Result<bool, sqlx::Error> {
    db.insert_article_once(SEED_LOADED_KEY, &seed_article())
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::citations::unmatched_citations;

    const ORIGINAL: &str = include_str!("../../../seed/source/ketamine-and-brain-plasticity.txt");

    #[test]
    fn seed_body_is_the_clinics_text_word_for_word() {
        let seed = seed_article();
        let original_paragraphs: Vec<&str> = ORIGINAL.split("\n\n").collect();
        assert_eq!(original_paragraphs[0], seed.title);
        assert_eq!(
            original_paragraphs[1],
            format!("By {}", seed.author.byline())
        );
        let body_paragraphs: Vec<&str> = seed.body.trim_end().split("\n\n").collect();
        assert_eq!(body_paragraphs, original_paragraphs[2..6]);
    }

    #[test]
    fn seed_references_carry_the_clinics_details() {
        let seed = seed_article();
        let original_references = ORIGINAL
            .split("\n\n")
            .skip(6)
            .collect::<Vec<_>>()
            .join("\n");
        for reference in &seed.references {
            assert!(
                original_references.contains(&reference.authors),
                "{}",
                reference.authors
            );
            assert!(
                original_references.contains(&reference.title),
                "{}",
                reference.title
            );
            assert!(original_references.contains(&format!("({})", reference.year)));
            if let Some(doi) = &reference.doi {
                assert!(original_references.contains(doi.as_str()));
            }
        }
        assert_eq!(seed.references.len(), 2);
    }

    #[test]
    fn seed_has_the_two_unmatched_citations_the_clinic_must_fix() {
        let seed = seed_article();
        assert_eq!(
            unmatched_citations(&seed.body, &seed.references),
            ["Duman et al., 2021", "Colo et al., 2019"]
        );
    }
}
