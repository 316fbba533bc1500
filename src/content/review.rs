//! What clinical review records beside a revision: a reviewer's request for changes (a note,
//! optionally quoting a passage), their acknowledgement of a warning they publish with, and the
//! references they checked. Shared by both builds: the editor and history show them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A reviewer's request for changes. Open until a reviewer marks it resolved; the writer sees
/// open ones in the editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewNote {
    pub id: i64,
    pub revision_id: i64,
    pub quote: String,
    pub note: String,
    pub by: String,
    pub at: DateTime<Utc>,
    pub resolved: bool,
}

/// A step of an article's review besides its saves, for its history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    Submitted,
    ChangesRequested,
    Published,
    Unpublished,
}

impl EventKind {
    /// What the database stores.
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Submitted => "submitted",
            EventKind::ChangesRequested => "changes_requested",
            EventKind::Published => "published",
            EventKind::Unpublished => "unpublished",
        }
    }

    pub fn from_code(code: &str) -> Option<EventKind> {
        [
            EventKind::Submitted,
            EventKind::ChangesRequested,
            EventKind::Published,
            EventKind::Unpublished,
        ]
        .into_iter()
        .find(|kind| kind.code() == code)
    }

    /// What the history says happened.
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Submitted => "Submitted for review",
            EventKind::ChangesRequested => "Changes requested",
            EventKind::Published => "Approved and published",
            EventKind::Unpublished => "Unpublished",
        }
    }
}

/// One step of an article's review: what, about which revision, who, when, and their note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEvent {
    pub revision_id: i64,
    pub kind: EventKind,
    pub by: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// A reviewer's reason for publishing a revision with a warning open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub revision_id: i64,
    pub finding: String,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What a reviewer gives with an approval: a reason for each open warning (by its finding's
/// key, with the finding as shown), the references checked (position from 1, title), and when
/// the article is due for review again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    pub acknowledgements: Vec<(String, String, String)>,
    pub checked_references: Vec<(i64, String)>,
    pub interval_months: u32,
}

impl Default for Approval {
    /// Nothing acknowledged or checked, and the default review interval.
    fn default() -> Approval {
        Approval {
            acknowledgements: Vec::new(),
            checked_references: Vec::new(),
            interval_months: super::DEFAULT_REVIEW_MONTHS,
        }
    }
}

/// The longest note or reason a reviewer may type (the database stores what is typed).
pub const MAX_NOTE_CHARS: usize = 4_000;

/// Where an article's clinical review stands, the dashboard's groups in their order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReviewStanding {
    NeverReviewed,
    Overdue,
    DueWithin30Days,
    Current,
}

impl ReviewStanding {
    pub const ALL: [ReviewStanding; 4] = [
        ReviewStanding::NeverReviewed,
        ReviewStanding::Overdue,
        ReviewStanding::DueWithin30Days,
        ReviewStanding::Current,
    ];

    /// The standing of an article due for review on `next_review_due` (`None`: never
    /// reviewed by a clinician), on `today`.
    pub fn of(next_review_due: Option<NaiveDate>, today: NaiveDate) -> ReviewStanding {
        match next_review_due {
            None => ReviewStanding::NeverReviewed,
            Some(due) if due < today => ReviewStanding::Overdue,
            Some(due) if due <= today + chrono::Days::new(30) => ReviewStanding::DueWithin30Days,
            Some(_) => ReviewStanding::Current,
        }
    }

    pub fn heading(self) -> &'static str {
        match self {
            ReviewStanding::NeverReviewed => "Never reviewed",
            ReviewStanding::Overdue => "Overdue for review",
            ReviewStanding::DueWithin30Days => "Review due within 30 days",
            ReviewStanding::Current => "Reviewed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_standing_groups_by_due_date() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d);
        assert_eq!(
            ReviewStanding::of(None, today),
            ReviewStanding::NeverReviewed
        );
        assert_eq!(ReviewStanding::of(day(3), today), ReviewStanding::Overdue);
        assert_eq!(
            ReviewStanding::of(day(4), today),
            ReviewStanding::DueWithin30Days
        );
        assert_eq!(
            ReviewStanding::of(NaiveDate::from_ymd_opt(2027, 1, 3), today),
            ReviewStanding::DueWithin30Days
        );
        assert_eq!(
            ReviewStanding::of(NaiveDate::from_ymd_opt(2027, 1, 4), today),
            ReviewStanding::Current
        );
    }
}
