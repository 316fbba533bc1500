//! Staff accounts in an export: their facts (never the password hash) and their second factors
//! as stored (the authenticator secret still sealed, recovery codes as hashes, passkeys' public
//! keys), read and written inside the export's or the import's transaction.

use super::micros;
use crate::server::db::for_each_backend;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;
use std::collections::HashMap;

/// A member of staff as exported. No password hash: after an import every account needs
/// `plasticity user set-password` before it can sign in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, FromRow)]
pub struct StaffRecord {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub credentials: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub password_changed_at: DateTime<Utc>,
    /// The account's confirmed second factor, as stored (its secret stays sealed: the new
    /// installation needs the same `PLASTICITY_SECRET_KEY`).
    #[sqlx(skip)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor: Option<SecondFactorRecord>,
}

/// An account's authenticator enrolment, its unused recovery codes (hashes) and its passkeys,
/// as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow)]
pub struct SecondFactorRecord {
    #[serde(skip)]
    pub staff_id: i64,
    pub secret_sealed: String,
    pub confirmed_at: i64,
    pub last_step: i64,
    #[sqlx(skip)]
    pub recovery_code_hashes: Vec<String>,
    #[sqlx(skip)]
    #[serde(default)]
    pub passkeys: Vec<PasskeyRecord>,
}

/// A passkey as exported (its public key and counter, as webauthn-rs keeps them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow)]
pub struct PasskeyRecord {
    #[serde(skip)]
    pub staff_id: i64,
    pub credential_id: String,
    pub name: String,
    pub credential: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Reading and writing the staff part of a snapshot, the same SQL on both backends.
pub(super) trait StaffTransfer {
    /// Every account, each with its confirmed second factor (an enrolment still under way is
    /// left behind: it enrols again).
    async fn read_staff(&mut self) -> Result<Vec<StaffRecord>, sqlx::Error>;

    /// Stores `staff` into an empty database, ids included.
    async fn write_staff(&mut self, staff: &[StaffRecord]) -> Result<(), sqlx::Error>;
}

for_each_backend! {
    impl StaffTransfer for Conn {
        async fn read_staff(&mut self) -> Result<Vec<StaffRecord>, sqlx::Error> {
            let mut staff: Vec<StaffRecord> = sqlx::query_as(
                "SELECT id, email, name, role, credentials, active, created_at,
                        password_changed_at
                 FROM staff ORDER BY id",
            )
            .fetch_all(&mut *self)
            .await?;
            let enrolled: Vec<SecondFactorRecord> = sqlx::query_as(
                "SELECT staff_id, secret_sealed, confirmed_at, last_step FROM staff_totp
                 WHERE confirmed_at IS NOT NULL",
            )
            .fetch_all(&mut *self)
            .await?;
            let codes: Vec<(i64, String)> = sqlx::query_as(
                "SELECT staff_id, code_hash FROM recovery_codes WHERE used_at IS NULL
                 ORDER BY code_hash",
            )
            .fetch_all(&mut *self)
            .await?;
            let passkeys: Vec<PasskeyRecord> = sqlx::query_as(
                "SELECT staff_id, credential_id, name, credential, created_at, last_used_at
                 FROM staff_passkeys ORDER BY id",
            )
            .fetch_all(&mut *self)
            .await?;
            let mut second_factor_of: HashMap<i64, SecondFactorRecord> = enrolled
                .into_iter()
                .map(|record| (record.staff_id, record))
                .collect();
            for (owner, hash) in codes {
                if let Some(record) = second_factor_of.get_mut(&owner) {
                    record.recovery_code_hashes.push(hash);
                }
            }
            for passkey in passkeys {
                if let Some(record) = second_factor_of.get_mut(&passkey.staff_id) {
                    record.passkeys.push(passkey);
                }
            }
            for member in &mut staff {
                member.created_at = micros(member.created_at);
                member.password_changed_at = micros(member.password_changed_at);
                member.second_factor = second_factor_of.remove(&member.id);
            }
            Ok(staff)
        }

        async fn write_staff(&mut self, staff: &[StaffRecord]) -> Result<(), sqlx::Error> {
            for member in staff {
                // No password: the hash "!" matches nothing until `user set-password`.
                sqlx::query(
                    "INSERT INTO staff (id, email, name, role, credentials, password_hash, active,
                                        created_at, password_changed_at)
                     VALUES ($1, $2, $3, $4, $5, '!', $6, $7, $8)",
                )
                .bind(member.id)
                .bind(&member.email)
                .bind(&member.name)
                .bind(&member.role)
                .bind(&member.credentials)
                .bind(member.active)
                .bind(member.created_at)
                .bind(member.password_changed_at)
                .execute(&mut *self)
                .await?;
                let Some(second) = &member.second_factor else {
                    continue;
                };
                sqlx::query(
                    "INSERT INTO staff_totp (staff_id, secret_sealed, confirmed_at, last_step)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(member.id)
                .bind(&second.secret_sealed)
                .bind(second.confirmed_at)
                .bind(second.last_step)
                .execute(&mut *self)
                .await?;
                for hash in &second.recovery_code_hashes {
                    sqlx::query("INSERT INTO recovery_codes (code_hash, staff_id) VALUES ($1, $2)")
                        .bind(hash)
                        .bind(member.id)
                        .execute(&mut *self)
                        .await?;
                }
                for passkey in &second.passkeys {
                    sqlx::query(
                        "INSERT INTO staff_passkeys
                           (staff_id, credential_id, name, credential, created_at, last_used_at)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(member.id)
                    .bind(&passkey.credential_id)
                    .bind(&passkey.name)
                    .bind(&passkey.credential)
                    .bind(passkey.created_at)
                    .bind(passkey.last_used_at)
                    .execute(&mut *self)
                    .await?;
                }
            }
            Ok(())
        }
    }
}
