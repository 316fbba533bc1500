//! The glossary as staff edit it (`/admin/glossary`). Its terms are clinical content, so the
//! people who approve articles keep them: reviewers and admins.

use crate::content::glossary::GlossaryTerm;
use crate::content::staff::Role;
use crate::error::AppError;
use leptos::prelude::*;

/// Who may change the glossary.
pub const GLOSSARY_ROLE: Role = Role::Reviewer;

/// Every term, A-Z. Reviewers and up.
#[server(prefix = "/api", endpoint = "admin/glossary")]
pub async fn admin_glossary() -> Result<Vec<GlossaryTerm>, AppError> {
    crate::server::auth::guard::require_role(GLOSSARY_ROLE)?;
    Ok(crate::server::state::db()?.glossary().await?)
}

/// One term, to edit. Reviewers and up; 404 for none.
#[server(prefix = "/api", endpoint = "admin/glossary-term")]
pub async fn admin_glossary_term(id: i64) -> Result<GlossaryTerm, AppError> {
    crate::server::auth::guard::require_role(GLOSSARY_ROLE)?;
    crate::server::state::db()?
        .glossary_term(id)
        .await?
        .ok_or(AppError::NotFound)
}
