//! Second factors: each account's sealed authenticator secret, its recovery codes, and the
//! half-signed-in state of a session. Every "only once" rule here is one conditional statement,
//! so simultaneous requests on any number of instances cannot use a code twice.

use super::{Db, on_pool};
use sqlx::FromRow;

/// An account's authenticator enrolment as stored.
#[derive(Clone, Debug, FromRow)]
pub struct TotpEnrolment {
    /// The secret, sealed with `PLASTICITY_SECRET_KEY` for this account.
    pub secret_sealed: String,
    /// When the person confirmed it with a code; `None` while enrolling.
    pub confirmed_at: Option<i64>,
}

impl Db {
    /// The account's authenticator enrolment, confirmed or not.
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

    /// Stores `secret_sealed` as the account's secret to enrol with, unless it already has one
    /// (a person who reloads the page keeps the code they scanned); returns the one stored.
    pub async fn begin_totp_enrolment(
        &self,
        staff_id: i64,
        secret_sealed: &str,
    ) -> Result<TotpEnrolment, sqlx::Error> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO staff_totp (staff_id, secret_sealed) VALUES ($1, $2)
                 ON CONFLICT (staff_id) DO NOTHING",
            )
            .bind(staff_id)
            .bind(secret_sealed)
            .execute(pool)
            .await?;
            sqlx::query_as("SELECT secret_sealed, confirmed_at FROM staff_totp WHERE staff_id = $1")
                .bind(staff_id)
                .fetch_one(pool)
                .await
        })
    }

    /// Confirms the account's enrolment with a code of `step`, once: `false` when it is already
    /// confirmed (or was reset meanwhile).
    pub async fn confirm_totp(
        &self,
        staff_id: i64,
        step: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = on_pool!(self, |pool| sqlx::query(
            "UPDATE staff_totp SET confirmed_at = $1, last_step = $2
             WHERE staff_id = $3 AND confirmed_at IS NULL AND last_step < $2"
        )
        .bind(now)
        .bind(step)
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
            let mut tx = pool.begin().await?;
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
            let mut tx = pool.begin().await?;
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
