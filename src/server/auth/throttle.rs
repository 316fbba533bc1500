//! Sign-in throttling. Attempts are counted per account and per client address in the database
//! (so every instance sees them), and each attempt is counted *before* its password is checked,
//! in one atomic statement: 5 failed sign-ins for one account, or 20 from one address, within 15
//! minutes lock that account or address for 15 minutes, and no more than 5 (or 20) passwords are
//! checked, however many requests arrive at once. While
//! locked, no password is even checked, and the answer (429) says when to try again. A successful
//! sign-in gives the account its attempts back.

use crate::content::capped;
use crate::content::staff::EMAIL_MAX_BYTES;
use crate::server::db::Db;

pub const WINDOW_SECS: i64 = 15 * 60;
pub const LOCKOUT_SECS: i64 = 15 * 60;
pub const ACCOUNT_LIMIT: i64 = 5;
pub const ADDRESS_LIMIT: i64 = 20;

fn account_key(email: &str) -> String {
    format!("account:{}", capped(email, EMAIL_MAX_BYTES))
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

/// Whether a password may be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Allowed,
    /// Locked until this moment (Unix seconds). `first` is true for exactly one refused attempt
    /// per lock, so the refusal is written to the audit log once, not once per request.
    Refused {
        until: i64,
        first: bool,
    },
}

/// Takes one attempt for `email` from `address` at `now`: the address's first (so a guesser
/// working through many accounts is stopped too), then the account's.
pub async fn take_attempt(
    db: &Db,
    email: &str,
    address: &str,
    now: i64,
) -> Result<Attempt, sqlx::Error> {
    for (key, limit) in [
        (address_key(address), ADDRESS_LIMIT),
        (account_key(email), ACCOUNT_LIMIT),
    ] {
        let (number, locked_until) = db
            .take_attempt(&key, now, WINDOW_SECS, limit, LOCKOUT_SECS)
            .await?;
        if number > limit {
            return Ok(Attempt::Refused {
                until: locked_until.max(now + 1),
                first: number == limit + 1,
            });
        }
    }
    Ok(Attempt::Allowed)
}

/// A right password gives back the attempts it took, and forgets nothing else: the account's
/// earlier failures (wrong passwords and wrong second-factor codes) still count until the second
/// factor is given, so knowing the password does not reset the count for guessing codes.
pub async fn password_accepted(db: &Db, email: &str, address: &str) -> Result<(), sqlx::Error> {
    db.give_back_attempt(&account_key(email)).await?;
    db.give_back_attempt(&address_key(address)).await
}

/// A completed sign-in (password and second factor) forgets the account's attempts, and gives the address back the
/// one it took (the address's failures stay: one right password must not reset a guesser working
/// through many accounts, and staff signing in from one office never lock it by succeeding).
pub async fn record_success(db: &Db, email: &str, address: &str) -> Result<(), sqlx::Error> {
    db.clear_failures(&account_key(email)).await?;
    db.give_back_attempt(&address_key(address)).await
}

/// "Too many sign-in attempts. Try again in 12 minutes." for a lock lasting until `until`;
/// `what` names the attempts ("sign-in", "password").
pub fn retry_message(what: &str, until: i64, now: i64) -> String {
    let minutes = ((until - now).max(1) + 59) / 60;
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many {what} attempts. Try again in {minutes} {unit}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_holds_no_more_than_an_email_can_be() {
        assert_eq!(
            account_key(&"x".repeat(1_000_000)).len(),
            "account:".len() + 254
        );
    }

    #[test]
    fn the_retry_message_rounds_up_to_whole_minutes() {
        assert_eq!(
            retry_message("sign-in", 1_000 + 61, 1_000),
            "Too many sign-in attempts. Try again in 2 minutes."
        );
        assert_eq!(
            retry_message("sign-in", 1_000 + 5, 1_000),
            "Too many sign-in attempts. Try again in 1 minute."
        );
    }
}
