//! `DIR/synonyms.toml`: the search synonyms in an export.

use super::{TransferError, read_toml, write_toml};
use crate::server::db::SynonymsRecord;
use std::path::Path;

pub fn write_synonyms(dir: &Path, synonyms: &SynonymsRecord) -> Result<(), TransferError> {
    write_toml(&dir.join("synonyms.toml"), synonyms)
}

/// The export's synonyms, held to the admin form's own check (an export is input like any
/// other), kept as that check tidies them; `None` when the export has none (made before they
/// existed).
pub fn read_synonyms(dir: &Path) -> Result<Option<SynonymsRecord>, TransferError> {
    let path = dir.join("synonyms.toml");
    if !path.exists() {
        return Ok(None);
    }
    let mut record: SynonymsRecord = read_toml(&path)?;
    record.list = crate::content::search::check_synonyms(&record.list).map_err(|message| {
        TransferError::Invalid {
            path: path.display().to_string(),
            message,
        }
    })?;
    Ok(Some(record))
}
