//! Second factors: each account's sealed authenticator secret (and, while a half-signed-in
//! session enrols, the one that session was shown), its recovery codes. Every "only once" rule here is one conditional statement,
//! so simultaneous requests on any number of instances cannot use a code twice.

use super::{BeginWrite, Db, on_pool};
use sqlx::FromRow;

/// An account's authenticator enrolment as stored.
#[derive(Clone, Debug, FromRow)]
pub struct TotpEnrolment {
    /// The secret, sealed with `PLASTICITY_SECRET_KEY` for this account.
    pub secret_sealed: String,
    /// When the person confirmed it with a code (always set: a secret still being enrolled
    /// belongs to its session, `pending_totp`).
    pub confirmed_at: Option<i64>,
}

impl Db {
    /// The account's confirmed authenticator app, if it has one.
    pub async fn totp_enrolment(
        &self,
        staff_id: i64,
    ) -> Result<Option<TotpEnrolment>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_as(
            "SELECT secret_sealed, confirmed_at FROM staff_totp WHERE staff_id = $1"
        )
        .bind(staff_id)
        .fetch_optional(pool)
        .await)
    }

    /// The authenticator secret the half session `token_hash` was shown to enrol with, if any.
    pub async fn pending_totp(&self, token_hash: &str) -> Result<Option<String>, sqlx::Error> {
        let pending: Option<Option<String>> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT totp_pending_sealed FROM sessions
             WHERE token_hash = $1 AND second_factor_at IS NULL"
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await)?;
        Ok(pending.flatten())
    }

    /// Keeps `secret_sealed` as the secret the half session `token_hash` enrols with, unless it
    /// has one already (a person who reloads the page keeps the code they scanned); returns the
    /// one kept, or `None` when the session is gone. One statement: two requests of the session
    /// at once keep the same secret. Each session has its own: another sign-in to the same
    /// account (someone else who knows the password) is shown another, and cannot confirm this.
    pub async fn begin_totp_enrolment(
        &self,
        token_hash: &str,
        secret_sealed: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "UPDATE sessions SET totp_pending_sealed = COALESCE(totp_pending_sealed, $1)
             WHERE token_hash = $2 AND second_factor_at IS NULL
             RETURNING totp_pending_sealed"
        )
        .bind(secret_sealed)
        .bind(token_hash)
        .fetch_optional(pool)
        .await)
    }

    /// Makes the secret the half session `token_hash` was shown the account's confirmed one,
    /// with `step` as its newest code used: `false` when the account has one already (another
    /// session enrolled first) or this session was shown none. One statement, so of two sessions
    /// confirming at once exactly one enrols.
    pub async fn confirm_totp(
        &self,
        staff_id: i64,
        token_hash: &str,
        step: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = on_pool!(self, |pool| sqlx::query(
            "INSERT INTO staff_totp (staff_id, secret_sealed, confirmed_at, last_step)
             SELECT staff_id, totp_pending_sealed, $1, $2 FROM sessions
             WHERE token_hash = $3 AND staff_id = $4 AND second_factor_at IS NULL
               AND totp_pending_sealed IS NOT NULL
             ON CONFLICT (staff_id) DO NOTHING"
        )
        .bind(now)
        .bind(step)
        .bind(token_hash)
        .bind(staff_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }

    /// Uses the account's code of `step`: `true` only if no code of this step or a later one was
    /// accepted before (so a code seen over someone's shoulder does not work again).
    pub async fn use_totp_step(&self, staff_id: i64, step: i64) -> Result<bool, sqlx::Error> {
        let done = on_pool!(self, |pool| sqlx::query(
            "UPDATE staff_totp SET last_step = $1
             WHERE staff_id = $2 AND confirmed_at IS NOT NULL AND last_step < $1"
        )
        .bind(step)
        .bind(staff_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }

    /// Replaces the account's recovery codes with `hashes` (the old ones stop working).
    pub async fn replace_recovery_codes(
        &self,
        staff_id: i64,
        hashes: &[String],
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM recovery_codes WHERE staff_id = $1")
                .bind(staff_id)
                .execute(&mut *tx)
                .await?;
            for hash in hashes {
                sqlx::query("INSERT INTO recovery_codes (code_hash, staff_id) VALUES ($1, $2)")
                    .bind(hash)
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// Uses one of the account's recovery codes: `true` only the first time.
    pub async fn use_recovery_code(
        &self,
        staff_id: i64,
        hash: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = on_pool!(self, |pool| sqlx::query(
            "UPDATE recovery_codes SET used_at = $1
             WHERE code_hash = $2 AND staff_id = $3 AND used_at IS NULL"
        )
        .bind(now)
        .bind(hash)
        .bind(staff_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }

    /// How many of the account's recovery codes are unused.
    pub async fn recovery_codes_left(&self, staff_id: i64) -> Result<i64, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE staff_id = $1 AND used_at IS NULL"
        )
        .bind(staff_id)
        .fetch_one(pool)
        .await)
    }

    /// Removes the account's second factors (app and passkeys) and recovery codes and ends its sessions, in one
    /// transaction: its next sign-in enrols again.
    pub async fn reset_second_factor(&self, staff_id: i64) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            for table in ["staff_totp", "recovery_codes", "staff_passkeys", "sessions"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE staff_id = $1"))
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// The ids of accounts with a confirmed second factor.
    pub async fn second_factor_accounts(&self) -> Result<Vec<i64>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT staff_id FROM staff_totp WHERE confirmed_at IS NOT NULL ORDER BY staff_id"
        )
        .fetch_all(pool)
        .await)
    }
}
