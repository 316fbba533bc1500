//! Random identifiers (session and setup tokens, CSP nonces, request ids) and the hex form they
//! and our hashes are written in.

use rand_core::{OsRng, RngCore};
use std::fmt::Write;

/// `bytes` as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
            // Writing to a String cannot fail.
            let _ = write!(text, "{byte:02x}");
            text
        })
}

/// `N` bytes from the operating system's random source, as hex (2·N characters).
pub fn random_hex<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_hex_is_fresh_lower_case_hex_of_the_asked_length() {
        let (a, b) = (random_hex::<8>(), random_hex::<8>());
        assert_eq!(a.len(), 16);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        );
        assert_ne!(a, b);
        assert_eq!(hex(&[0, 255, 16]), "00ff10");
    }
}
