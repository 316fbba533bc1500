//! Authenticator-app codes (TOTP, RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), through the
//! `totp-rs` crate. A code is accepted for the current step and the one before (a phone a little
//! slow, a person a little slow to type); that each step is used only once per account is the
//! database's job (`Db::use_totp_step`).

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rand_core::{OsRng, RngCore};
use totp_rs::{Algorithm, TOTP};

/// Seconds per step.
pub const STEP_SECS: u64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Bytes of secret: 160 bits, as RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Plasticity";

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    secret
}

fn totp(secret: &[u8]) -> TOTP {
    // Skew 0: which neighbouring step is allowed is decided here, one step at a time.
    TOTP::new_unchecked(Algorithm::SHA1, DIGITS, 0, STEP_SECS, secret.to_vec())
}

/// The step (number of 30-second periods since the epoch) at Unix time `now`.
pub fn step_at(now: i64) -> i64 {
    now.max(0) / STEP_SECS as i64
}

/// What a person typed as a code, with spaces (and the hyphen some apps show) taken out; `None`
/// when what is left is not six digits.
pub fn typed_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// The step `code` belongs to at `now`: the current one, or the one before; `None` for a wrong
/// code. (Compared in constant time.)
pub fn matching_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let totp = totp(secret);
    let current = step_at(now);
    [current, current - 1]
        .into_iter()
        .filter(|step| *step >= 0)
        .find(|step| totp.check(code, (*step as u64) * STEP_SECS))
}

/// The secret as authenticator apps take it typed in: base32, in groups of four.
pub fn secret_text(secret: &[u8]) -> String {
    let base32 = totp(secret).get_secret_base32();
    base32
        .as_bytes()
        .chunks(4)
        .map(|group| String::from_utf8_lossy(group).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` URI the QR code carries (Key Uri Format), labelled with the site and the
/// account's email.
pub fn otpauth_uri(secret: &[u8], email: &str) -> String {
    let base32 = totp(secret).get_secret_base32();
    let label = utf8_percent_encode(&format!("{ISSUER}:{email}"), NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{label}?secret={base32}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}"
    )
}

/// `text` as a QR code: its width in modules (with the four-module quiet zone) and one SVG path
/// (`d`) drawing every dark module, for a view to put in an `<svg>`. Made here, on the server:
/// no image service sees the secret.
pub fn qr_path(text: &str) -> Option<(i32, String)> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let border = 4;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
            }
        }
    }
    Some((qr.size() + 2 * border, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret and times, the last six digits of its codes.
    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(matching_step(secret, code, time), Some(time / 30), "{time}");
        }
    }

    #[test]
    fn the_previous_step_is_accepted_and_no_other() {
        let secret = b"12345678901234567890";
        // 287082 is the code of step 1 (times 30 to 59).
        assert_eq!(matching_step(secret, "287082", 60), Some(1));
        assert_eq!(matching_step(secret, "287082", 90), None);
        assert_eq!(
            matching_step(secret, "287082", 29),
            None,
            "not the next step"
        );
        assert_eq!(matching_step(secret, "287083", 59), None);
    }

    #[test]
    fn typed_codes_may_have_spaces_and_nothing_else() {
        assert_eq!(typed_code(" 287 082 ").as_deref(), Some("287082"));
        assert_eq!(typed_code("287-082").as_deref(), Some("287082"));
        assert_eq!(typed_code("28708"), None);
        assert_eq!(typed_code("2870821"), None);
        assert_eq!(typed_code("28708a"), None);
        assert_eq!(typed_code("２８７０８２"), None);
    }

    #[test]
    fn secrets_are_fresh_and_shown_in_base32_groups() {
        let (a, b) = (new_secret(), new_secret());
        assert_eq!(a.len(), 20);
        assert_ne!(a, b);
        assert_eq!(
            secret_text(b"12345678901234567890"),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
        let uri = otpauth_uri(b"12345678901234567890", "ada@clinic.example");
        assert!(uri.starts_with("otpauth://totp/Plasticity%3Aada%40clinic%2Eexample?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Plasticity"), "{uri}");
    }

    #[test]
    fn the_qr_code_is_a_path_of_modules_with_a_quiet_zone() {
        let (width, path) = qr_path("otpauth://totp/x?secret=GEZDGNBV").unwrap();
        assert!(width >= 21 + 8);
        assert!(
            path.starts_with("M4,4h1v1h-1z"),
            "a finder pattern's corner"
        );
        assert!(!path.contains('<') && !path.contains('"'));
    }
}
