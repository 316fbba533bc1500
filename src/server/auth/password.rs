//! Staff passwords: the rules (NIST SP 800-63B: length, not composition; no easily guessed
//! passwords) and Argon2id hashing with OWASP's parameters (m = 19 MiB, t = 2, p = 1), run on the
//! blocking pool, a bounded number at once (`server::bounded`), so a burst of sign-ins neither
//! stalls the async runtime nor takes more than about 150 MiB.

use crate::server::bounded::{Busy, PASSWORD_WORK};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::OsRng;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// Why a new password was refused, in words for the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error(
        "Use at least {MIN_LENGTH} characters. A few unrelated words make a strong, memorable password."
    )]
    TooShort,
    #[error("Use at most {MAX_LENGTH} characters.")]
    TooLong,
    #[error(
        "That password is too easy to guess (it is common, or close to your name or email). Try a few unrelated words."
    )]
    TooGuessable,
}

/// Checks a new password. `personal` are words an attacker would try first (name, email).
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordProblem::TooLong);
    }
    // Names and emails count word by word: "kristen@clinic.example" gives "kristen", "clinic", …
    let words: Vec<String> = personal
        .iter()
        .flat_map(|text| text.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| word.chars().count() >= 3)
        .map(str::to_lowercase)
        .chain(["plasticity", "ketamine", "clinic"].map(String::from))
        .collect();
    let inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    if zxcvbn::zxcvbn(password, &inputs).score() < zxcvbn::Score::Three {
        return Err(PasswordProblem::TooGuessable);
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    // The parameters are constants known to be valid; `Params::new` only rejects out-of-range ones.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` (PHC string format, salt included), as one of the bounded password jobs.
pub async fn hash_password(password: String) -> Result<String, PasswordError> {
    PASSWORD_WORK
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon2()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| PasswordError::Failed(error.to_string()))
        })
        .await?
}

/// Whether `hash` is a password hash at all (an imported account has none until it is set).
pub fn is_password_hash(hash: &str) -> bool {
    PasswordHash::new(hash).is_ok()
}

/// Whether `password` matches `hash`, checked as one of the bounded password jobs (`Busy` when
/// no place frees in time). A malformed hash never matches.
pub async fn verify_password(password: String, hash: String) -> Result<bool, Busy> {
    PASSWORD_WORK
        .run(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    argon2()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
}

/// Hashing did not happen: the server is busy with other password checks, or hashing failed
/// (it does not in practice: only on a broken random source).
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error("password hashing failed: {0}")]
    Failed(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_imported_account_has_no_password_hash() {
        assert!(!is_password_hash("!"));
        assert!(!is_password_hash(""));
        assert!(is_password_hash(
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
        ));
    }

    #[test]
    fn length_rules_count_characters_not_bytes() {
        assert_eq!(
            check_new_password("short words", &[]),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password(&"é".repeat(11), &[]),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_new_password(&"x".repeat(129), &[]),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        assert_eq!(
            check_new_password("password1234", &[]),
            Err(PasswordProblem::TooGuessable)
        );
        assert_eq!(
            check_new_password("qwertyuiop123", &[]),
            Err(PasswordProblem::TooGuessable)
        );
        assert_eq!(
            check_new_password(
                "dagenais2026!",
                &["Kristen Dagenais", "kristen@clinic.example"]
            ),
            Err(PasswordProblem::TooGuessable)
        );
    }

    #[test]
    fn a_passphrase_without_composition_rules_is_accepted() {
        assert_eq!(
            check_new_password("correct horse battery staple", &[]),
            Ok(())
        );
        assert_eq!(
            check_new_password("otter lantern quietly mapping", &[]),
            Ok(())
        );
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_chosen_parameters_and_verify() {
        let hash = hash_password("otter lantern quietly mapping".into())
            .await
            .unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            verify_password("otter lantern quietly mapping".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(
            !verify_password("otter lantern quietly mappinG".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(
            !verify_password("anything".into(), "not a hash".into())
                .await
                .unwrap()
        );
        let again = hash_password("otter lantern quietly mapping".into())
            .await
            .unwrap();
        assert_ne!(hash, again, "each hash has its own salt");
    }
}
