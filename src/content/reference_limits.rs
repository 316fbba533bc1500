//! How much an article's reference list may hold: enough for any real article, and little
//! enough that every check and page of the article stays small (issue 28: 8,000 references took
//! the checks 20 s; 5,000 made an editor page over 8 MB). The editor's form and the live preview
//! both apply them.

use super::Reference;

/// The most references one article may list. Patient material cites a handful; a systematic
/// review, the longest a clinic would summarise, rarely lists more than 150. The bound keeps
/// every check and page of an article small (5,000 references made an editor page over 8 MB).
pub const MAX_REFERENCES: usize = 200;
/// The most characters one field of a reference may hold (APA lists up to 20 authors: about 300
/// characters).
pub const MAX_REFERENCE_FIELD_CHARS: usize = 500;
/// The most bytes all of an article's references may hold together: 200 full references of a
/// real list take about 50 KB. With `MAX_BODY_BYTES`, this keeps the largest editor page (which
/// shows the text, its preview and the references more than once) a few MB at most.
pub const MAX_REFERENCES_BYTES: usize = 200 * 1024;

/// Whether an article may list `references` as a whole (how many, how much text): the message
/// to show when not.
pub fn check_reference_list(references: &[Reference]) -> Result<(), String> {
    let count = references.len();
    if count > MAX_REFERENCES {
        return Err(format!(
            "This article lists {count} references; the limit is {MAX_REFERENCES}. Keep the works the text cites, or split the article."
        ));
    }
    let bytes: usize = references
        .iter()
        .flat_map(Reference::fields)
        .map(|(_, value)| value.len())
        .sum();
    if bytes > MAX_REFERENCES_BYTES {
        return Err(format!(
            "The references hold {} KB of text; the limit is {} KB. Shorten the longest ones.",
            bytes.div_ceil(1024),
            MAX_REFERENCES_BYTES / 1024
        ));
    }
    Ok(())
}

/// The references' size limits (how many, how much text, how long each field), for what is
/// checked without being saved (the live preview): the first problem, as a sentence.
pub fn check_references(references: &[Reference]) -> Result<(), String> {
    check_reference_list(references)?;
    for (index, reference) in references.iter().enumerate() {
        if let Some((name, _)) = reference
            .fields()
            .into_iter()
            .find(|(_, value)| value.chars().count() > MAX_REFERENCE_FIELD_CHARS)
        {
            return Err(format!(
                "Reference {}: its {name} is over {MAX_REFERENCE_FIELD_CHARS} characters.",
                index + 1
            ));
        }
    }
    Ok(())
}
