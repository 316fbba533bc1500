//! Sign-in throttling. Failures are counted per account and per client address in the database
//! (so every instance sees them): 5 failures for one account, or 20 from one address, within 15
//! minutes lock that account or address for 15 minutes. While locked, no password is even
//! checked, and the answer (429) says when to try again.

use crate::server::db::Db;

pub const WINDOW_SECS: i64 = 15 * 60;
pub const LOCKOUT_SECS: i64 = 15 * 60;
pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 20;

fn account_key(email: &str) -> String {
    format!("account:{email}")
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// When sign-in for `email` from `address` may be tried again, if it is locked now.
pub async fn locked_until(
    db: &Db,
    email: &str,
    address: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    db.locked_until(&[&account_key(email), &address_key(address)], now)
        .await
}

pub async fn record_failure(
    db: &Db,
    email: &str,
    address: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    db.record_failure(
        &account_key(email),
        now,
        WINDOW_SECS,
        ACCOUNT_LIMIT,
        LOCKOUT_SECS,
    )
    .await?;
    db.record_failure(
        &address_key(address),
        now,
        WINDOW_SECS,
        ADDRESS_LIMIT,
        LOCKOUT_SECS,
    )
    .await
}

/// A successful sign-in forgets the account's failures (the address's stay: one right password
/// must not reset a guesser working through many accounts).
pub async fn record_success(db: &Db, email: &str) -> Result<(), sqlx::Error> {
    db.clear_failures(&account_key(email)).await
}

/// "Too many attempts. Try again in 12 minutes." for a lock lasting until `until`.
pub fn retry_message(until: i64, now: i64) -> String {
    let minutes = ((until - now).max(1) + 59) / 60;
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many sign-in attempts. Try again in {minutes} {unit}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retry_message_rounds_up_to_whole_minutes() {
        assert_eq!(
            retry_message(1_000 + 61, 1_000),
            "Too many sign-in attempts. Try again in 2 minutes."
        );
        assert_eq!(
            retry_message(1_000 + 5, 1_000),
            "Too many sign-in attempts. Try again in 1 minute."
        );
    }
}
