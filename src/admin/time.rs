//! How the staff pages show a moment. The shared types carry `DateTime<Utc>`; the words are
//! chosen here, where they are shown.

use chrono::{DateTime, Utc};

/// "2026-11-27 16:52 UTC".
pub fn admin_time(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_is_shown_to_the_minute_in_utc() {
        let at = DateTime::from_timestamp(1_764_262_320, 0).unwrap();
        assert_eq!(admin_time(&at), "2025-11-27 16:52 UTC");
    }
}
