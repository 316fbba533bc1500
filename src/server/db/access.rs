//! Sign-in state: sessions, failed-attempt counters for throttling and one-time setup links.
//! Everything lives in the database so that several instances agree. (The audit log is
//! `audit.rs`.)

use super::{BeginWrite, Db, on_pool};
use crate::content::staff::StaffMember;

use sqlx::FromRow;

/// A stored session and the member of staff it belongs to.
pub struct StoredSession {
    pub staff: StaffMember,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// When the second factor was given; `None` for a session only half signed in.
    pub second_factor_at: Option<i64>,
    /// The account's password is still the one the session was opened with (a change ends
    /// every session opened before it, including sign-ins that were under way).
    pub current_password: bool,
}

impl Db {
    /// Stores a new session for an account whose password is still the one of `generation`
    /// (`staff.password_generation` when it was checked) and that is active; `second_factor_at`
    /// is `None` for one that still needs the second factor. `false`, and nothing stored, when
    /// the password changed (or the account was deactivated) since: one statement, so a sign-in
    /// in flight during a change cannot outlive it.
    pub async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        now: i64,
        second_factor_at: Option<i64>,
        generation: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
            "INSERT INTO sessions
               (token_hash, staff_id, created_at, last_seen_at, second_factor_at, password_generation)
             SELECT $1, id, $3, $3, $4, password_generation FROM staff
             WHERE id = $2 AND password_generation = $5 AND active = TRUE"
        )
        .bind(token_hash)
        .bind(staff_id)
        .bind(now)
        .bind(second_factor_at)
        .bind(generation)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
        })?;
        Ok(done == 1)
    }

    /// Replaces the half session `half` of account `staff_id`, whose second factor was just
    /// given, with the whole session `whole`, in one transaction: `false`, and nothing stored,
    /// when the half session is gone (ended, used by another request, or ended by a password
    /// change) or its password is no longer the account's.
    pub async fn complete_session(
        &self,
        half: &str,
        whole: &str,
        staff_id: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let generation: Option<i64> = sqlx::query_scalar(
                "DELETE FROM sessions
                 WHERE token_hash = $1 AND staff_id = $2 AND second_factor_at IS NULL
                 RETURNING password_generation",
            )
            .bind(half)
            .bind(staff_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(generation) = generation else {
                return Ok(false);
            };
            let done = sqlx::query(
                "INSERT INTO sessions
                   (token_hash, staff_id, created_at, last_seen_at, second_factor_at, password_generation)
                 SELECT $1, id, $3, $3, $3, password_generation FROM staff
                 WHERE id = $2 AND password_generation = $4 AND active = TRUE",
            )
            .bind(whole)
            .bind(staff_id)
            .bind(now)
            .bind(generation)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done != 1 {
                return Ok(false);
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// The session stored under `token_hash`, if any, with its (active or not) member of staff.
    pub async fn session(&self, token_hash: &str) -> Result<Option<StoredSession>, sqlx::Error> {
        #[derive(FromRow)]
        struct SessionRow {
            #[sqlx(flatten)]
            staff: super::staff::StaffRow,
            session_created_at: i64,
            last_seen_at: i64,
            second_factor_at: Option<i64>,
            current_password: bool,
        }
        // One query: this runs on every request that carries a session cookie.
        let row: Option<SessionRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {}, sessions.created_at AS session_created_at, sessions.last_seen_at,
                    sessions.second_factor_at,
                    sessions.password_generation = staff.password_generation AS current_password
             FROM sessions JOIN staff ON staff.id = sessions.staff_id
             WHERE sessions.token_hash = $1",
            super::staff::QUALIFIED_COLUMNS
        ))
        .bind(token_hash)
        .fetch_optional(pool)
        .await)?;
        row.map(|row| {
            Ok(StoredSession {
                staff: row.staff.try_into()?,
                created_at: row.session_created_at,
                last_seen_at: row.last_seen_at,
                second_factor_at: row.second_factor_at,
                current_password: row.current_password,
            })
        })
        .transpose()
    }

    pub async fn touch_session(&self, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2"
        )
        .bind(now)
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Removes sessions idle since before `idle_cutoff` or started before `absolute_cutoff`.
    pub async fn delete_expired_sessions(
        &self,
        idle_cutoff: i64,
        absolute_cutoff: i64,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2"
        )
        .bind(idle_cutoff)
        .bind(absolute_cutoff)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Takes one attempt for `key`, in one statement (so no number of simultaneous requests, on
    /// any number of instances, can take more than `limit`). Attempts older than `window` seconds
    /// start a new count once the key is not locked; the first attempt over `limit` locks the
    /// key for `lockout` seconds. Returns the attempt's number in its window and when the key is
    /// locked until (0 if never): the attempt may go ahead only when its number is `limit` or less.
    pub async fn take_attempt(
        &self,
        key: &str,
        now: i64,
        window: i64,
        limit: i64,
        lockout: i64,
    ) -> Result<(i64, i64), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_as(
            "INSERT INTO sign_in_failures AS f (key, failures, window_started_at, locked_until)
             VALUES ($1, 1, $2, 0)
             ON CONFLICT (key) DO UPDATE SET
               failures = CASE WHEN f.locked_until <= $2 AND f.window_started_at <= $2 - $3
                               THEN 1 ELSE f.failures + 1 END,
               window_started_at = CASE WHEN f.locked_until <= $2 AND f.window_started_at <= $2 - $3
                                        THEN $2 ELSE f.window_started_at END,
               locked_until = CASE
                 WHEN f.failures + 1 = $4 + 1
                      AND NOT (f.locked_until <= $2 AND f.window_started_at <= $2 - $3)
                 THEN $2 + $5 ELSE f.locked_until END
             RETURNING failures, locked_until",
        )
        .bind(key)
        .bind(now)
        .bind(window)
        .bind(limit)
        .bind(lockout)
        .fetch_one(pool)
        .await)
    }

    /// Gives one attempt back to `key` (a password check that succeeded is no failure).
    pub async fn give_back_attempt(&self, key: &str) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE sign_in_failures SET failures = failures - 1 WHERE key = $1 AND failures > 0"
        )
        .bind(key)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn clear_failures(&self, key: &str) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "DELETE FROM sign_in_failures WHERE key = $1"
        )
        .bind(key)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn create_setup_token(
        &self,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, $2)"
        )
        .bind(token_hash)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Whether `token_hash` is an unused, unexpired setup link.
    pub async fn setup_token_valid(&self, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM setup_tokens
                            WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_one(pool)
        .await)
    }

    /// Marks the setup link used; `false` if it was already used or has expired (so two
    /// simultaneous uses cannot both succeed).
    pub async fn use_setup_token(&self, token_hash: &str, now: i64) -> Result<bool, sqlx::Error> {
        let done = on_pool!(self, |pool| sqlx::query(
            "UPDATE setup_tokens SET used_at = $1
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3",
        )
        .bind(now)
        .bind(token_hash)
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }
}
