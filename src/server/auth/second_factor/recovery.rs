//! Recovery codes: ten single-use codes given at enrolment, for signing in without the phone.
//! Each is 24 characters of base32 (120 random bits), so a plain SHA-256 of it is what is stored
//! (ASVS V6.5.2: secrets of 112 bits or more need no slow, salted hash), and using one is a
//! lookup by that hash.

use crate::server::auth::random::hex;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// Codes per set.
pub const COUNT: usize = 10;
/// Characters per code.
const LENGTH: usize = 24;
/// RFC 4648 base32 in lower case: no 0, 1, 8 or 9 to mistake for o, l, b or g.
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";

/// A new set of codes, as shown to the person (groups of four joined by hyphens).
pub fn new_codes() -> Vec<String> {
    (0..COUNT).map(|_| new_code()).collect()
}

fn new_code() -> String {
    let mut bytes = [0u8; LENGTH];
    OsRng.fill_bytes(&mut bytes);
    let plain: Vec<u8> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b % 32)])
        .collect();
    plain
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What a person typed as a recovery code, without spaces and hyphens and in lower case; `None`
/// when it cannot be one.
pub fn typed_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

/// What the database stores for a code (typed or shown: both give the same hash).
pub fn code_hash(code: &str) -> Option<String> {
    typed_code(code).map(|plain| hex(&Sha256::digest(plain.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_fresh_readable_and_hash_the_same_however_typed() {
        let codes = new_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        let code = &codes[0];
        assert_eq!(code.len(), 24 + 5);
        assert_eq!(code.matches('-').count(), 5);
        let typed = format!("  {} ", code.to_uppercase().replace('-', " "));
        assert_eq!(code_hash(&typed), code_hash(code));
        assert_eq!(code_hash(code).unwrap().len(), 64);
        assert!(!code_hash(code).unwrap().contains(&code.replace('-', "")));
    }

    #[test]
    fn what_cannot_be_a_code_is_refused_before_any_lookup() {
        assert_eq!(typed_code("abcd-efgh"), None);
        assert_eq!(typed_code(&"a".repeat(25)), None);
        assert_eq!(typed_code(&"0".repeat(24)), None, "no zeros in base32");
        assert_eq!(
            typed_code(&"a".repeat(24)).as_deref(),
            Some(&*"a".repeat(24))
        );
    }
}
