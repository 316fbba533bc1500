//! Invitations and password-reset links (migration 0011): made by an admin, shown once, used
//! once by the person they were made for, within 72 hours. Only a link's SHA-256 is stored, and
//! an account has at most one live link (a new one replaces the unused ones), so what links
//! cost is bounded by the number of accounts.

use super::staff::PasswordTx;
use super::{BeginWrite, Db, on_pool};
use crate::content::staff::{LinkKind, StaffMember};

impl Db {
    /// Stores a new link (its `token_hash`) of `kind` for account `staff_id`, made by
    /// `created_by` at `now`, working until `expires_at`; the account's unused links stop
    /// working.
    pub async fn create_staff_link(
        &self,
        token_hash: &str,
        staff_id: i64,
        kind: LinkKind,
        created_by: i64,
        (now, expires_at): (i64, i64),
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM staff_links WHERE staff_id = $1 AND used_at IS NULL")
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO staff_links (token_hash, staff_id, kind, created_by, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(token_hash)
            .bind(staff_id)
            .bind(kind.code())
            .bind(created_by)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await
        })
    }

    /// The active account a live link is for, and what the link is for.
    pub async fn staff_link(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<(StaffMember, LinkKind)>, sqlx::Error> {
        let link: Option<(i64, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT staff_id, kind FROM staff_links
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)?;
        let Some((staff_id, kind)) = link else {
            return Ok(None);
        };
        let member = self.staff_by_id(staff_id).await?;
        Ok(member
            .filter(|member| member.active)
            .zip(LinkKind::from_code(&kind)))
    }

    /// Uses the live link `token_hash` to set its account's password (which ends the account's
    /// sessions), in one transaction: the link works once however many use it at once. Returns
    /// the account and its new password generation; `None` when the link no longer works.
    pub async fn use_staff_link(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<(i64, i64)>, sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let staff_id: Option<i64> = sqlx::query_scalar(
                "UPDATE staff_links SET used_at = $1
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
                   AND staff_id IN (SELECT id FROM staff WHERE active)
                 RETURNING staff_id",
            )
            .bind(now)
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(staff_id) = staff_id else {
                return Ok(None);
            };
            let generation = tx.set_password(staff_id, password_hash, None).await?;
            tx.commit().await?;
            Ok(Some((staff_id, generation)))
        })
    }
}
