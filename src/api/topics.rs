//! The topics as staff edit them (`/admin/topics`). They shape how patients browse clinical
//! content, so the people who approve articles keep them: reviewers and admins.

use crate::content::staff::Role;
use crate::content::topics::Topic;
use crate::error::AppError;
use leptos::prelude::*;

/// Who may change the topics.
pub const TOPICS_ROLE: Role = Role::Reviewer;

/// Every topic, by name. Reviewers and up.
#[server(prefix = "/api", endpoint = "admin/topics")]
pub async fn admin_topics() -> Result<Vec<Topic>, AppError> {
    crate::server::auth::guard::require_role(TOPICS_ROLE)?;
    Ok(crate::server::state::db()?.topics().await?)
}

/// One topic, to edit. Reviewers and up; 404 for none.
#[server(prefix = "/api", endpoint = "admin/topic")]
pub async fn admin_topic(id: i64) -> Result<Topic, AppError> {
    crate::server::auth::guard::require_role(TOPICS_ROLE)?;
    crate::server::state::db()?
        .topic(id)
        .await?
        .ok_or(AppError::NotFound)
}
