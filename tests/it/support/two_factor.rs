//! Signing in with the second factor, as a person with an authenticator app does: the first
//! sign-in of an account enrols (the secret read off the page, the code computed here with
//! `totp-rs`, the recovery codes read off the answer); later ones enter the code of the current
//! step, or a recovery code when this account already used that step (each step works once).
//! Kept per server and account, for the life of the test process.

use super::{TestApp, post_form, session_cookie};
use std::collections::HashMap;
use std::sync::Mutex;

/// The key every test server seals second-factor secrets with.
pub const TEST_SECRET_KEY: &str =
    "5e1f0c4a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";

/// What the test knows of an account's second factor.
#[derive(Clone, Debug)]
pub struct Factor {
    pub secret: Vec<u8>,
    pub last_step: i64,
    pub recovery_codes: Vec<String>,
}

static FACTORS: Mutex<Option<HashMap<(String, String), Factor>>> = Mutex::new(None);

pub fn factor(base: &str, email: &str) -> Option<Factor> {
    let factors = FACTORS.lock().expect("factors");
    factors
        .as_ref()?
        .get(&(base.to_owned(), email.to_owned()))
        .cloned()
}

/// Forgets every account of the server at `base`: a server just started there has a database of
/// its own (a finished test's port is handed to a later test; what the helper knew of the old
/// server's accounts made it send a code of an old secret, refused with 422).
pub fn forget_server(base: &str) {
    let mut factors = FACTORS.lock().expect("factors");
    if let Some(factors) = factors.as_mut() {
        factors.retain(|(server, _), _| server != base);
    }
}

fn remember(base: &str, email: &str, factor: Factor) {
    let mut factors = FACTORS.lock().expect("factors");
    factors
        .get_or_insert_with(HashMap::new)
        .insert((base.to_owned(), email.to_owned()), factor);
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

/// Posts the second-factor form with `fields` as the session `cookie`.
pub async fn post(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form("/admin/two-factor", Some(cookie), fields)
        .await
}

/// Asserts that `response` has `status` and says `message`.
pub async fn says(response: reqwest::Response, status: u16, message: &str) {
    assert_eq!(response.status(), status, "{message}");
    let body = response.text().await.unwrap();
    assert!(body.contains(message), "{message} not in {body}");
}

/// The authenticator code of `secret` at Unix time `at`.
pub fn code_at(secret: &[u8], at: i64) -> String {
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 0, 30, secret.to_vec())
        .generate(at as u64)
}

/// The text between `start` and the next `end` in `html`.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    let to = html[from..].find(end)? + from;
    Some(&html[from..to])
}

/// The secret an enrolment page shows (base32 in groups).
pub fn shown_secret(html: &str) -> Option<Vec<u8>> {
    let text = between(html, "class=\"secret-key\">", "</code>")?;
    let base32: String = text
        .replace("<!>", "")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    totp_rs::Secret::Encoded(base32).to_bytes().ok()
}

/// The recovery codes an answer shows.
pub fn shown_codes(html: &str) -> Vec<String> {
    let Some(list) = between(html, "<ol class=\"recovery-codes\"", "</ol>") else {
        return Vec::new();
    };
    list.split("<code>")
        .skip(1)
        .filter_map(|item| item.split("</code>").next())
        .map(|code| code.replace("<!>", ""))
        .collect()
}

/// Gives the second factor for the half-signed-in session `half` at `base`; returns the whole
/// session's cookie.
pub async fn second_factor(base: &str, email: &str, half: &str) -> String {
    let known = factor(base, email);
    let Some(mut known) = known else {
        return enrol(base, email, half).await;
    };
    // One reading of the clock: a step boundary between two would record one step and send
    // the next step's code (which the server then refuses as used, next time).
    let at = now();
    let step = at / 30;
    let fields = if step > known.last_step {
        known.last_step = step;
        vec![
            ("intent", "code".to_owned()),
            ("code", code_at(&known.secret, at)),
        ]
    } else {
        let code = known.recovery_codes.pop().expect("a recovery code left");
        vec![("intent", "recovery".to_owned()), ("recovery_code", code)]
    };
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response = post_form(base, "/admin/two-factor", Some(half), &fields).await;
    assert_eq!(response.status(), 303, "second factor of {email} at {base}");
    let whole = session_cookie(&response).expect("whole session cookie");
    if known.recovery_codes.len() < 3 {
        let response = post_form(
            base,
            "/admin/account",
            Some(&whole),
            &[("intent", "recovery_codes")],
        )
        .await;
        known.recovery_codes = shown_codes(&response.text().await.expect("codes page"));
        assert_eq!(known.recovery_codes.len(), 10, "new recovery codes");
    }
    remember(base, email, known);
    whole
}

/// Enrols the account of the half session `half` as a person would, and remembers its factor.
pub async fn enrol(base: &str, email: &str, half: &str) -> String {
    let page = super::get_as(base, "/admin/two-factor", Some(half)).await;
    assert_eq!(page.status(), 200, "enrolment page of {email}");
    let html = page.text().await.expect("page");
    let secret = shown_secret(&html)
        .unwrap_or_else(|| panic!("{email} at {base} is enrolled, but not by this test: {html}"));
    let at = now();
    let step = at / 30;
    let code = code_at(&secret, at);
    let response = post_form(
        base,
        "/admin/two-factor",
        Some(half),
        &[("intent", "enrol"), ("code", &code)],
    )
    .await;
    assert_eq!(response.status(), 200, "enrolment of {email}");
    let whole = session_cookie(&response).expect("whole session cookie");
    let html = response.text().await.expect("codes");
    let recovery_codes = shown_codes(&html);
    assert_eq!(
        recovery_codes.len(),
        10,
        "recovery codes of {email}: {html}"
    );
    remember(
        base,
        email,
        Factor {
            secret,
            last_step: step,
            recovery_codes,
        },
    );
    whole
}

impl TestApp {
    /// Signs in with the password only: the session cookie of a half-signed-in session.
    pub async fn half_signed_in(&self, email: &str, password: &str) -> String {
        let response = post_form(
            &self.base_url,
            "/admin/login",
            None,
            &[("email", email), ("password", password), ("next", "")],
        )
        .await;
        assert_eq!(response.status(), 303, "password of {email}");
        session_cookie(&response).expect("half session cookie")
    }
}
