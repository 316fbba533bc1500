//! Staff accounts. Password hashes are written and read here and go no further than the auth
//! module: `StaffMember`, the type the rest of the application uses, has no hash.

use super::{BeginWrite, Db, for_each_backend, on_pool};
use crate::content::staff::{Role, StaffMember};
use chrono::Utc;
use sqlx::FromRow;

#[derive(FromRow)]
pub(super) struct StaffRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    credentials: String,
    active: bool,
}

impl TryFrom<StaffRow> for StaffMember {
    type Error = sqlx::Error;

    fn try_from(row: StaffRow) -> Result<Self, Self::Error> {
        let role = row
            .role
            .parse::<Role>()
            .map_err(|error| sqlx::Error::Decode(error.into()))?;
        Ok(StaffMember {
            id: row.id,
            email: row.email,
            name: row.name,
            role,
            credentials: row.credentials,
            active: row.active,
        })
    }
}

/// A new member of staff; `email` already normalised, `password_hash` already computed.
pub struct NewStaff<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub credentials: &'a str,
    pub password_hash: &'a str,
}

/// Why a member of staff could not be added.
#[derive(Debug, thiserror::Error)]
pub enum AddStaffError {
    #[error("there is already an account for {0}")]
    EmailTaken(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The `StaffRow` columns.
const COLUMNS: &str = "id, email, name, role, credentials, active";

/// The same, qualified for queries that join `staff` to another table.
pub(super) const QUALIFIED_COLUMNS: &str =
    "staff.id, staff.email, staff.name, staff.role, staff.credentials, staff.active";

impl Db {
    pub async fn add_staff(&self, new: &NewStaff<'_>) -> Result<StaffMember, AddStaffError> {
        let now = Utc::now();
        let row: StaffRow = on_pool!(self, |pool| sqlx::query_as(&format!(
            "INSERT INTO staff (email, name, role, credentials, password_hash, created_at, password_changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLUMNS}"
        ))
        .bind(new.email)
        .bind(new.name)
        .bind(new.role.as_str())
        .bind(new.credentials)
        .bind(new.password_hash)
        .bind(now)
        .bind(now)
        .fetch_one(pool)
        .await)
        .map_err(|error| match error {
            sqlx::Error::Database(db) if db.is_unique_violation() => AddStaffError::EmailTaken(new.email.to_owned()),
            other => AddStaffError::Database(other),
        })?;
        Ok(row.try_into()?)
    }

    /// Every account, active ones first, then by name.
    pub async fn staff(&self) -> Result<Vec<StaffMember>, sqlx::Error> {
        let rows: Vec<StaffRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM staff ORDER BY active DESC, name, id"
        ))
        .fetch_all(pool)
        .await)?;
        rows.into_iter().map(StaffMember::try_from).collect()
    }

    pub async fn staff_by_email(&self, email: &str) -> Result<Option<StaffMember>, sqlx::Error> {
        let row: Option<StaffRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM staff WHERE email = $1"
        ))
        .bind(email)
        .fetch_optional(pool)
        .await)?;
        row.map(StaffMember::try_from).transpose()
    }

    pub async fn staff_by_id(&self, id: i64) -> Result<Option<StaffMember>, sqlx::Error> {
        let row: Option<StaffRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM staff WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        row.map(StaffMember::try_from).transpose()
    }

    /// The account at `email` with its password hash and that password's generation (for
    /// `create_session`): for checking a password, nothing else.
    pub async fn staff_with_hash(
        &self,
        email: &str,
    ) -> Result<Option<(StaffMember, String, i64)>, sqlx::Error> {
        #[derive(FromRow)]
        struct WithHash {
            #[sqlx(flatten)]
            staff: StaffRow,
            password_hash: String,
            password_generation: i64,
        }
        let row: Option<WithHash> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS}, password_hash, password_generation FROM staff WHERE email = $1"
        ))
        .bind(email)
        .fetch_optional(pool)
        .await)?;
        row.map(|row| {
            Ok((
                row.staff.try_into()?,
                row.password_hash,
                row.password_generation,
            ))
        })
        .transpose()
    }

    pub async fn set_staff_role(&self, id: i64, role: Role) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE staff SET role = $1 WHERE id = $2"
        )
        .bind(role.as_str())
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Sets a new password and ends every session of that account except `keep` (the session
    /// of the person changing their own password), in one transaction. Returns the password's
    /// generation (counted up by every change): a session opened under an earlier one is over,
    /// even if it was being made while this ran.
    pub async fn set_staff_password(
        &self,
        id: i64,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<i64, sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let generation = tx.set_password(id, password_hash, keep).await?;
            tx.commit().await?;
            Ok(generation)
        })
    }

    /// Activates or deactivates an account; deactivating ends all its sessions at once.
    pub async fn set_staff_active(&self, id: i64, active: bool) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE staff SET active = $1 WHERE id = $2")
                .bind(active)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if !active {
                sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })
    }

    /// Whether any active admin exists (a fresh install has none).
    pub async fn has_active_admin(&self) -> Result<bool, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM staff WHERE role = 'admin' AND active = TRUE)",
        )
        .fetch_one(pool)
        .await)
    }
}

/// A change of password, inside a transaction of its caller's.
pub(super) trait PasswordTx {
    /// Sets account `id`'s password hash and counts its password generation up; ends its
    /// sessions but `keep`; returns the new generation.
    async fn set_password(
        &mut self,
        id: i64,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<i64, sqlx::Error>;
}

for_each_backend! {
    impl PasswordTx for Conn {
        async fn set_password(
            &mut self,
            id: i64,
            password_hash: &str,
            keep: Option<&str>,
        ) -> Result<i64, sqlx::Error> {
            let generation: i64 = sqlx::query_scalar(
                "UPDATE staff SET password_hash = $1, password_changed_at = $2,
                                  password_generation = password_generation + 1
                 WHERE id = $3 RETURNING password_generation",
            )
            .bind(password_hash)
            .bind(Utc::now())
            .bind(id)
            .fetch_one(&mut *self)
            .await?;
            sqlx::query(
                "DELETE FROM sessions WHERE staff_id = $1 AND token_hash IS DISTINCT FROM $2",
            )
            .bind(id)
            .bind(keep)
            .execute(&mut *self)
            .await?;
            sqlx::query("UPDATE sessions SET password_generation = $1 WHERE token_hash = $2")
                .bind(generation)
                .bind(keep)
                .execute(&mut *self)
                .await?;
            Ok(generation)
        }
    }
}
