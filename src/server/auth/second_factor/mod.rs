//! The second factor every staff account signs in with: an authenticator app (TOTP), with ten
//! single-use recovery codes for a lost phone. The secret is sealed at rest with
//! `PLASTICITY_SECRET_KEY`; codes are checked here, and "each code once" is kept by the database.

pub mod passkeys;
pub mod recovery;
pub mod secret_key;
pub mod totp;

use crate::server::db::Db;
use secret_key::{OpenError, SecretKey};

/// Why the second factor could not be worked with (a failure on our side, never the person's).
#[derive(Debug, thiserror::Error)]
pub enum SecondFactorError {
    #[error(
        "{} is not set, so second-factor secrets cannot be made or read",
        secret_key::VARIABLE
    )]
    NoKey,
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl SecondFactorError {
    /// What the person is told: that the server is not set up (no key: the operator's to fix,
    /// logged as a warning), or a failure on our side (logged with its detail).
    pub fn answer(self, context: &str) -> crate::error::AppError {
        match self {
            SecondFactorError::NoKey => {
                tracing::warn!("{context}: {self}");
                crate::error::AppError::NotConfigured
            }
            other => crate::error::AppError::internal(context, other),
        }
    }
}

/// The authenticator secret the half session `token_hash` enrols with: made and kept for that
/// session the first time it is asked for, so each sign-in is shown its own and a password alone
/// never reveals the secret its owner will enrol. `None` when the account has a confirmed one
/// already (or the session is gone).
pub async fn session_enrolment(
    db: &Db,
    key: Option<&SecretKey>,
    staff_id: i64,
    token_hash: &str,
) -> Result<Option<Vec<u8>>, SecondFactorError> {
    if db.totp_enrolment(staff_id).await?.is_some() {
        return Ok(None);
    }
    if let Some(shown) = shown_enrolment(db, key, staff_id, token_hash).await? {
        return Ok(Some(shown));
    }
    let key = key.ok_or(SecondFactorError::NoKey)?;
    let sealed = key.seal(staff_id, &totp::new_secret());
    // Two requests of the session at once keep the same one: what is stored is read back.
    db.begin_totp_enrolment(token_hash, &sealed)
        .await?
        .map(|kept| key.open(staff_id, &kept))
        .transpose()
        .map_err(SecondFactorError::from)
}

/// The secret the half session `token_hash` was shown to enrol with, if it was shown one: the
/// only secret whose code can confirm its enrolment.
pub async fn shown_enrolment(
    db: &Db,
    key: Option<&SecretKey>,
    staff_id: i64,
    token_hash: &str,
) -> Result<Option<Vec<u8>>, SecondFactorError> {
    let Some(sealed) = db.pending_totp(token_hash).await? else {
        return Ok(None);
    };
    let key = key.ok_or(SecondFactorError::NoKey)?;
    Ok(Some(key.open(staff_id, &sealed)?))
}

/// The account's confirmed authenticator secret, if it has one.
pub async fn confirmed_secret(
    db: &Db,
    key: Option<&SecretKey>,
    staff_id: i64,
) -> Result<Option<Vec<u8>>, SecondFactorError> {
    match db.totp_enrolment(staff_id).await? {
        Some(stored) if stored.confirmed_at.is_some() => {
            let key = key.ok_or(SecondFactorError::NoKey)?;
            Ok(Some(key.open(staff_id, &stored.secret_sealed)?))
        }
        _ => Ok(None),
    }
}

/// A new set of recovery codes for the account (the old set stops working); returns the codes
/// to show, once.
pub async fn new_recovery_codes(db: &Db, staff_id: i64) -> Result<Vec<String>, sqlx::Error> {
    let codes = recovery::new_codes();
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|code| recovery::code_hash(code))
        .collect();
    db.replace_recovery_codes(staff_id, &hashes).await?;
    Ok(codes)
}

/// At start: whether serving may go ahead with `key`, when `enrolled` accounts have a second
/// factor. Without a key, serving is refused once any account has one (its secret could not be
/// read); before that it goes ahead with a warning, since nobody could enrol.
pub fn check_key_at_start(
    key: Option<&SecretKey>,
    enrolled: usize,
) -> Result<(), secret_key::KeyError> {
    match (key, enrolled) {
        (Some(_), _) => Ok(()),
        (None, 0) => {
            tracing::warn!(
                "{} is not set: staff cannot enrol a second factor, so nobody can sign in to the admin area until it is",
                secret_key::VARIABLE
            );
            Ok(())
        }
        (None, enrolled) => Err(secret_key::KeyError::Missing(enrolled as i64)),
    }
}
