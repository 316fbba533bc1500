//! What clinical review records beside a revision: a reviewer's request for changes (a note,
//! optionally quoting a passage), their acknowledgement of a warning they publish with, and the
//! references they checked. Shared by both builds: the editor and history show them.

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
    pub at: String,
    pub resolved: bool,
}

/// A reviewer's reason for publishing a revision with a warning open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub revision_id: i64,
    pub finding: String,
    pub reason: String,
    pub by: String,
    pub at: String,
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
