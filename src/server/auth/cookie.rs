//! The session cookie: its name and attributes, which depend on whether the site is served over
//! https, and reading the token back from a request.

use axum::http::{HeaderMap, HeaderValue, header};
use cookie::time::Duration;
use cookie::{Cookie, SameSite};

/// The session cookie's name and attributes, which depend on whether the site is served over
/// https.
#[derive(Clone, Copy, Debug)]
pub struct SessionCookie {
    pub secure: bool,
}

impl SessionCookie {
    pub fn name(self) -> &'static str {
        if self.secure {
            "__Host-plasticity_session"
        } else {
            "plasticity_session"
        }
    }

    /// The `Set-Cookie` value that hands `token` to the browser for `lifetime_secs`.
    pub fn set(self, token: &str, lifetime_secs: i64) -> HeaderValue {
        self.header(token, lifetime_secs)
    }

    /// The `Set-Cookie` value that removes the cookie.
    pub fn clear(self) -> HeaderValue {
        self.header("", 0)
    }

    /// HttpOnly and SameSite=Strict always; Secure over https (the `__Host-` prefix requires it,
    /// with `Path=/` and no domain).
    fn header(self, value: &str, max_age_secs: i64) -> HeaderValue {
        let cookie = Cookie::build((self.name(), value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .max_age(Duration::seconds(max_age_secs))
            .build();
        HeaderValue::from_str(&cookie.to_string()).unwrap_or(HeaderValue::from_static(""))
    }

    /// The token the request carries, if any.
    pub fn token(self, headers: &HeaderMap) -> Option<String> {
        self.sent_token(headers)
    }

    /// The token a `Set-Cookie` value of ours sets (an answer that starts a session).
    pub fn set_token(self, set_cookie: &HeaderValue) -> Option<String> {
        let cookie = Cookie::parse(set_cookie.to_str().ok()?).ok()?;
        (cookie.name() == self.name()).then(|| cookie.value().to_owned())
    }

    /// Whether the request carries a token (it may name no live session).
    pub fn is_sent(self, headers: &HeaderMap) -> bool {
        self.sent_token(headers).is_some()
    }

    /// The first cookie of our name, if its value has the form of a token (64 hex digits).
    fn sent_token(self, headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(Cookie::split_parse)
            .filter_map(Result::ok)
            .find(|cookie| cookie.name() == self.name())
            .map(|cookie| cookie.value().to_owned())
            .filter(|token| token.len() == 64 && token.chars().all(|c| c.is_ascii_hexdigit()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_over_https() {
        let plain = SessionCookie { secure: false }.set("t", 60);
        let plain = plain.to_str().unwrap();
        assert!(plain.starts_with("plasticity_session=t;"));
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Strict"));
        assert!(plain.contains("Path=/") && plain.contains("Max-Age=60"));
        assert!(!plain.contains("Secure"));
        let secure = SessionCookie { secure: true }.set("t", 60);
        let secure = secure.to_str().unwrap();
        assert!(secure.starts_with("__Host-") && secure.contains("; Secure"));
        let clear = SessionCookie { secure: false }.clear();
        assert!(clear.to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn only_a_well_formed_token_is_read_from_the_cookie_header() {
        let cookie = SessionCookie { secure: false };
        let token = "0123456789abcdef".repeat(4);
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; plasticity_session={token}")).unwrap(),
        );
        assert_eq!(cookie.token(&headers), Some(token));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("plasticity_session=' OR 1=1"),
        );
        assert_eq!(cookie.token(&headers), None);
        headers.insert(header::COOKIE, HeaderValue::from_static("other=1"));
        assert_eq!(cookie.token(&headers), None);
    }
}
