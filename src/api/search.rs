//! The search synonyms as admins edit them (`/admin/synonyms`).

use crate::content::search::SearchSynonyms;
use crate::content::staff::Role;
use crate::error::AppError;
use leptos::prelude::*;

/// Who may change the synonyms: they change what every patient's search finds.
pub const SYNONYMS_ROLE: Role = Role::Admin;

/// The synonym list, to edit. Admins only.
#[server(prefix = "/api", endpoint = "admin/synonyms")]
pub async fn admin_synonyms() -> Result<SearchSynonyms, AppError> {
    crate::server::auth::guard::require_role(SYNONYMS_ROLE)?;
    Ok(crate::server::state::db()?.search_synonyms().await?)
}
