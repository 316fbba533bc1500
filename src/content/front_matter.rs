//! Articles as files: TOML front matter between `+++` lines, then the Markdown body. This is how
//! the seed article ships in the repo. (`plasticity export` writes revisions the same way, `+++`
//! and TOML then Markdown, with fields of its own: see `server::cli::transfer`.)

use super::{Author, Reference};
use serde::Deserialize;

/// An article read from a file, ready to be stored.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ArticleFile {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub author: Author,
    #[serde(default)]
    pub references: Vec<Reference>,
    /// The slugs of the topics it is listed under.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    #[serde(skip)]
    pub body: String,
}

/// Why an article file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrontMatterError {
    #[error("the file must start with a line `+++`, then TOML front matter, then `+++`")]
    MissingDelimiters,
    #[error("the front matter is not valid: {0}")]
    Invalid(#[from] toml::de::Error),
}

/// Parses `+++\n<toml>\n+++\n<markdown>`. The body is kept byte for byte after the closing line
/// and any blank lines that follow it.
pub fn parse_article_file(text: &str) -> Result<ArticleFile, FrontMatterError> {
    let (front, body) = split_front_matter(text)?;
    let mut article: ArticleFile = toml::from_str(front)?;
    article.body = body.trim_start_matches(['\r', '\n']).to_owned();
    Ok(article)
}

/// Splits `+++\n<toml>\n+++\n<rest>` into the TOML and the rest, untouched.
pub fn split_front_matter(text: &str) -> Result<(&str, &str), FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
        .ok_or(FrontMatterError::MissingDelimiters)?;
    if let Some(body) = rest.strip_prefix("+++\n") {
        return Ok(("", body));
    }
    rest.split_once("\n+++\n")
        .or_else(|| rest.split_once("\r\n+++\r\n"))
        .ok_or(FrontMatterError::MissingDelimiters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_front_matter_and_keeps_the_body() {
        let file = "+++\nslug = \"a\"\ntitle = \"A\"\nsummary = \"S\"\nlast_reviewed = \"2026-01-02\"\nnext_review_due = \"2027-01-02\"\n[author]\nname = \"N\"\ncredentials = \"RN\"\n[[references]]\nauthors = \"X, Y.\"\nyear = \"2020\"\ntitle = \"T\"\njournal = \"J\"\ndoi = \"10.1/x\"\n+++\n\nBody *text*\n";
        let article = parse_article_file(file).unwrap();
        assert_eq!(article.slug, "a");
        assert_eq!(article.author.credentials, "RN");
        assert_eq!(article.references[0].doi.as_deref(), Some("10.1/x"));
        assert_eq!(article.references[0].volume, None);
        assert_eq!(article.body, "Body *text*\n");
    }

    #[test]
    fn a_file_without_front_matter_is_refused() {
        assert!(matches!(
            parse_article_file("# Title\n"),
            Err(FrontMatterError::MissingDelimiters)
        ));
    }

    #[test]
    fn bad_front_matter_says_why() {
        let err = parse_article_file("+++\ntitle = \n+++\nbody").unwrap_err();
        assert!(
            err.to_string().starts_with("the front matter is not valid"),
            "{err}"
        );
    }
}
