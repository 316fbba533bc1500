//! `PLASTICITY_SECRET_KEY`: the key that seals second-factor secrets at rest (AES-256-GCM), so a
//! copy of the database alone cannot mint codes. Each sealed value is bound to its account (the
//! staff id is the associated data): a sealed secret copied onto another account does not open.

use aes_gcm::aead::{Aead, AeadCore, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use rand_core::OsRng;

/// The variable the key comes from, for messages.
pub const VARIABLE: &str = "PLASTICITY_SECRET_KEY";

/// Bytes of nonce before each sealed value (AES-GCM's 96 bits).
const NONCE_BYTES: usize = 12;

/// The key, parsed. Its `Debug` never shows it.
#[derive(Clone)]
pub struct SecretKey(Key<Aes256Gcm>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(hidden)")
    }
}

/// Why the key could not be used, in words the operator can act on (never showing the key).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error(
        "{VARIABLE} must be 64 hexadecimal characters (32 random bytes, e.g. from `openssl rand -hex 32`); the value set has {0} characters"
    )]
    Length(usize),
    #[error("{VARIABLE} must be 64 hexadecimal characters (0-9, a-f); the value set has others")]
    NotHex,
    #[error(
        "{VARIABLE} is not set, but {0} staff account(s) sign in with a second factor whose secret it sealed: start with the same key as before"
    )]
    Missing(i64),
}

/// Why a sealed value did not open: a different key, another account's value, or damage.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "a second-factor secret could not be opened: {VARIABLE} is not the key it was sealed with, or the stored value was changed"
)]
pub struct OpenError;

impl std::str::FromStr for SecretKey {
    type Err = KeyError;

    fn from_str(text: &str) -> Result<SecretKey, KeyError> {
        let text = text.trim();
        if text.len() != 64 {
            return Err(KeyError::Length(text.chars().count()));
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
            let pair = std::str::from_utf8(pair).map_err(|_| KeyError::NotHex)?;
            *byte = u8::from_str_radix(pair, 16).map_err(|_| KeyError::NotHex)?;
        }
        Ok(SecretKey(bytes.into()))
    }
}

impl SecretKey {
    /// `plain` sealed for account `staff_id`: a fresh random nonce and the ciphertext with its
    /// tag, as unpadded base64 text.
    pub fn seal(&self, staff_id: i64, plain: &[u8]) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let aad = staff_id.to_be_bytes();
        let sealed = Aes256Gcm::new(&self.0)
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            // Encryption fails only for a message over 64 GiB.
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        STANDARD_NO_PAD.encode(out)
    }

    /// What `seal` sealed for `staff_id`.
    pub fn open(&self, staff_id: i64, sealed: &str) -> Result<Vec<u8>, OpenError> {
        let bytes = STANDARD_NO_PAD.decode(sealed).map_err(|_| OpenError)?;
        if bytes.len() < NONCE_BYTES {
            return Err(OpenError);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let aad = staff_id.to_be_bytes();
        Aes256Gcm::new(&self.0)
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| OpenError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn a_sealed_secret_opens_with_its_key_for_its_account_only() {
        let key: SecretKey = KEY.parse().unwrap();
        let sealed = key.seal(7, b"twenty bytes secret!");
        assert!(!sealed.contains("twenty"));
        assert_ne!(sealed, key.seal(7, b"twenty bytes secret!"), "fresh nonce");
        assert_eq!(key.open(7, &sealed).unwrap(), b"twenty bytes secret!");
        assert_eq!(key.open(8, &sealed), Err(OpenError), "another account");
        let other: SecretKey = KEY.replace("1f", "20").parse().unwrap();
        assert_eq!(other.open(7, &sealed), Err(OpenError), "another key");
        let mut damaged = sealed.clone().into_bytes();
        damaged[20] = if damaged[20] == b'A' { b'B' } else { b'A' };
        let damaged = String::from_utf8(damaged).unwrap();
        assert_eq!(key.open(7, &damaged), Err(OpenError), "changed");
        assert_eq!(key.open(7, "short"), Err(OpenError));
    }

    #[test]
    fn a_malformed_key_is_refused_with_a_message_that_does_not_show_it() {
        assert_eq!("abc".parse::<SecretKey>().unwrap_err(), KeyError::Length(3));
        let not_hex = "z".repeat(64);
        let error = not_hex.parse::<SecretKey>().unwrap_err();
        assert_eq!(error, KeyError::NotHex);
        assert!(!error.to_string().contains(&not_hex));
        assert!(format!("{:?}", KEY.parse::<SecretKey>().unwrap()).contains("hidden"));
        assert!(format!(" {KEY}\n").parse::<SecretKey>().is_ok());
        assert!(KEY.to_uppercase().parse::<SecretKey>().is_ok());
    }
}
