//! Passkeys: each account's registered credentials, and the ceremonies under way. A ceremony's
//! state is taken by one conditional DELETE, so an answer to a challenge is accepted once.

use super::{Db, on_pool};
use sqlx::FromRow;

/// A registered passkey as stored.
#[derive(Clone, Debug, FromRow)]
pub struct StoredPasskey {
    pub id: i64,
    pub name: String,
    /// webauthn-rs's `Passkey`, as JSON.
    pub credential: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

impl Db {
    /// The account's passkeys, oldest first.
    pub async fn passkeys(&self, staff_id: i64) -> Result<Vec<StoredPasskey>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, credential, created_at, last_used_at FROM staff_passkeys
             WHERE staff_id = $1 ORDER BY id"
        )
        .bind(staff_id)
        .fetch_all(pool)
        .await)
    }

    /// Stores a new passkey; `false` when that credential is registered already.
    pub async fn add_passkey(
        &self,
        staff_id: i64,
        credential_id: &str,
        name: &str,
        credential: &str,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = on_pool!(self, |pool| sqlx::query(
            "INSERT INTO staff_passkeys (staff_id, credential_id, name, credential, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (credential_id) DO NOTHING"
        )
        .bind(staff_id)
        .bind(credential_id)
        .bind(name)
        .bind(credential)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }

    /// Records a sign-in with passkey `id` (its new counter in `credential`).
    pub async fn passkey_used(
        &self,
        id: i64,
        credential: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE staff_passkeys SET credential = $1, last_used_at = $2 WHERE id = $3"
        )
        .bind(credential)
        .bind(now)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Removes the account's passkey `id`; the name it had, or `None` when it has no such passkey.
    pub async fn remove_passkey(
        &self,
        staff_id: i64,
        id: i64,
    ) -> Result<Option<String>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "DELETE FROM staff_passkeys WHERE id = $1 AND staff_id = $2 RETURNING name"
        )
        .bind(id)
        .bind(staff_id)
        .fetch_optional(pool)
        .await)
    }

    /// Starts a ceremony for the session `token_hash`, replacing any it had.
    pub async fn begin_ceremony(
        &self,
        token_hash: &str,
        purpose: &str,
        state: &str,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO webauthn_ceremonies (token_hash, purpose, state, expires_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (token_hash) DO UPDATE
             SET purpose = excluded.purpose, state = excluded.state, expires_at = excluded.expires_at"
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(state)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Takes the session's unexpired ceremony of `purpose`: its state, once.
    pub async fn take_ceremony(
        &self,
        token_hash: &str,
        purpose: &str,
        now: i64,
    ) -> Result<Option<String>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "DELETE FROM webauthn_ceremonies
             WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3 RETURNING state"
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(now)
        .fetch_optional(pool)
        .await)
    }

    /// Forgets ceremonies that were never finished.
    pub async fn delete_expired_ceremonies(&self, now: i64) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM webauthn_ceremonies WHERE expires_at <= $1"
        )
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }
}
