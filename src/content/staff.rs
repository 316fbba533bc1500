//! Clinic staff as the rest of the application sees them. The password hash is deliberately not
//! here: it lives only in the server's database layer and never crosses the wire.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a link an admin makes for someone is for: to set the first password of a new account,
/// or a new one for an account whose password is forgotten.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    Invite,
    Reset,
}

impl LinkKind {
    /// What the database stores.
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::Invite => "invite",
            LinkKind::Reset => "reset",
        }
    }

    pub fn from_code(code: &str) -> Option<LinkKind> {
        [LinkKind::Invite, LinkKind::Reset]
            .into_iter()
            .find(|kind| kind.code() == code)
    }
}

/// How long an invitation or a reset link works.
pub const STAFF_LINK_SECS: i64 = 72 * 60 * 60;

/// What a member of staff may do. Each role can do everything the one before it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Creates and edits drafts, submits them for review.
    Writer,
    /// A clinician: also approves and publishes.
    Reviewer,
    /// Also manages staff accounts and reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Writer, Role::Reviewer, Role::Admin];

    /// The name used in the database and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Writer => "writer",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| format!("`{text}` is not a role: use admin, reviewer or writer"))
    }
}

/// A member of staff, safe to show and to send to the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub credentials: String,
    pub active: bool,
}

/// Trims and lower-cases an email address, or says why it is not one.
/// The longest email address there can be (RFC 5321's limit on a path).
pub const EMAIL_MAX_BYTES: usize = 254;

pub fn normalise_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_lowercase();
    let well_formed = email.len() <= EMAIL_MAX_BYTES
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        });
    if well_formed {
        Ok(email)
    } else {
        Err(format!("`{email}` is not an email address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lower_cased_and_checked() {
        assert_eq!(
            normalise_email(" Kristen@Clinic.Example ").as_deref(),
            Ok("kristen@clinic.example")
        );
        assert!(normalise_email("kristen").is_err());
        assert!(normalise_email("a b@clinic.example").is_err());
        assert!(normalise_email("@clinic.example").is_err());
        assert!(normalise_email("a@localhost").is_err());
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!(
            "superuser"
                .parse::<Role>()
                .unwrap_err()
                .contains("admin, reviewer or writer")
        );
    }

    #[test]
    fn roles_are_ordered_by_what_they_may_do() {
        assert!(Role::Writer < Role::Reviewer && Role::Reviewer < Role::Admin);
    }
}
