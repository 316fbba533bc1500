//! `DIR/glossary.toml`: the glossary's terms in an export.

use super::{TransferError, read_toml, write_toml};
use crate::server::db::GlossaryRecord;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Serialize, Deserialize)]
struct GlossaryFile {
    #[serde(default)]
    term: Vec<GlossaryRecord>,
}

pub fn write_glossary(dir: &Path, terms: &[GlossaryRecord]) -> Result<(), TransferError> {
    write_toml(
        &dir.join("glossary.toml"),
        &GlossaryFile {
            term: terms.to_vec(),
        },
    )
}

/// The export's glossary, each term held to the staff form's own checks (an export is input
/// like any other); `None` when the export has none (made before the glossary existed).
pub fn read_glossary(dir: &Path) -> Result<Option<Vec<GlossaryRecord>>, TransferError> {
    use crate::content::glossary::{MAX_TERMS, TermDraft, anchor_for};
    let path = dir.join("glossary.toml");
    if !path.exists() {
        return Ok(None);
    }
    let file: GlossaryFile = read_toml(&path)?;
    let invalid = |message: String| TransferError::Invalid {
        path: path.display().to_string(),
        message,
    };
    if file.term.len() > MAX_TERMS {
        return Err(invalid(format!("it holds over {MAX_TERMS} terms")));
    }
    for term in &file.term {
        let draft = TermDraft {
            term: term.term.clone(),
            definition: term.definition.clone(),
            also: term.also.clone(),
        };
        if let Err(errors) = draft.check() {
            let problems: Vec<String> = errors.into_values().collect();
            return Err(invalid(format!(
                "term `{}`: {}",
                term.term,
                problems.join(" ")
            )));
        }
        if term.anchor != anchor_for(&term.term) {
            return Err(invalid(format!(
                "term `{}` has the anchor `{}`, not `{}`",
                term.term,
                term.anchor,
                anchor_for(&term.term)
            )));
        }
    }
    Ok(Some(file.term))
}
