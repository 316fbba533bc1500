//! What staff edit: an article's draft as a form holds it, the rules it must pass before it is
//! saved, and what the admin pages list (articles, revisions, diffs, the audit log). Shared by
//! both builds so the editor can show the same messages the server enforces.

pub use super::reference_form::{blank_reference_groups, references_from_fields};
pub use super::reference_limits::{
    MAX_REFERENCE_FIELD_CHARS, MAX_REFERENCES, MAX_REFERENCES_BYTES, check_reference_list,
    check_references,
};
pub use super::slug::{MAX_SLUG_CHARS, check_slug};
use super::{Author, Reference};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest body the editor accepts (the longest patient article is a few thousand words).
pub const MAX_BODY_BYTES: usize = 200 * 1024;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_SUMMARY_CHARS: usize = 600;

/// Everything the editor form holds for one article: exactly what a revision stores.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDraft {
    pub title: String,
    pub slug: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    pub author: Author,
    pub references: Vec<Reference>,
    /// The ids of the topics it is listed under (see `content::topics`), in id order.
    #[serde(default)]
    pub topics: Vec<i64>,
    /// The addresses of the articles it suggests reading next, in order (`content::read_next`).
    #[serde(default)]
    pub read_next: Vec<String>,
}

impl ArticleDraft {
    /// Whether two drafts say the same thing (a browser may drop a textarea's leading newline or
    /// add a trailing one, so the body's outer whitespace does not count).
    pub fn same_text(&self, other: &ArticleDraft) -> bool {
        let normal = |draft: &ArticleDraft| ArticleDraft {
            body: draft.body.trim().to_owned(),
            ..draft.clone()
        };
        normal(self) == normal(other)
    }
}

/// Messages keyed by form field name ("title", "slug", "ref-2-doi", …), each saying what to fix.
pub type FieldErrors = BTreeMap<String, String>;

/// Checks a draft before it is saved. Every problem is reported against its field, so the form
/// can show each one next to what the person typed.
pub fn validate_draft(draft: &ArticleDraft) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut complain = |field: &str, message: String| {
        errors.insert(field.to_owned(), message);
    };
    let title = draft.title.trim();
    if title.is_empty() {
        complain("title", "Enter a title.".into());
    } else if title.chars().count() > MAX_TITLE_CHARS {
        complain(
            "title",
            format!("Shorten the title to {MAX_TITLE_CHARS} characters or fewer."),
        );
    }
    if let Err(message) = check_slug(&draft.slug) {
        complain("slug", message);
    }
    let summary = draft.summary.trim();
    if summary.is_empty() {
        complain(
            "summary",
            "Enter a summary: one or two sentences shown in the article list.".into(),
        );
    } else if summary.chars().count() > MAX_SUMMARY_CHARS {
        complain(
            "summary",
            format!("Shorten the summary to {MAX_SUMMARY_CHARS} characters or fewer."),
        );
    }
    if draft.body.trim().is_empty() {
        complain("body", "Enter the article's text.".into());
    } else if draft.body.len() > MAX_BODY_BYTES {
        complain(
            "body",
            format!(
                "The text is {} KB; the limit is {} KB. Split it into two articles.",
                draft.body.len().div_ceil(1024),
                MAX_BODY_BYTES / 1024
            ),
        );
    }
    if draft.author.name.trim().is_empty() {
        complain("author_name", "Enter the author's name.".into());
    }
    if let Err(message) = check_reference_list(&draft.references) {
        complain("references", message);
    }
    if let Err(message) = super::topics::check_article_topics(&draft.topics) {
        complain("topics", message);
    }
    if let Err(message) = super::read_next::check_read_next(&draft.slug, &draft.read_next) {
        complain("read_next", message);
    }
    for (index, reference) in draft.references.iter().enumerate().take(MAX_REFERENCES) {
        let field = |name: &str| format!("ref-{index}-{name}");
        for (name, value) in reference.fields() {
            if value.chars().count() > MAX_REFERENCE_FIELD_CHARS {
                complain(
                    &field(name),
                    format!(
                        "Reference {}: shorten this to {MAX_REFERENCE_FIELD_CHARS} characters or fewer.",
                        index + 1
                    ),
                );
            }
        }
        let required = [
            ("authors", &reference.authors, "the authors"),
            ("year", &reference.year, "the year"),
            ("title", &reference.title, "the title"),
            ("journal", &reference.journal, "the journal or source"),
        ];
        for (name, value, words) in required {
            if value.trim().is_empty() {
                complain(
                    &field(name),
                    format!("Enter {words} of reference {}.", index + 1),
                );
            }
        }
        if reference
            .doi
            .as_deref()
            .is_some_and(|doi| !doi.trim().is_empty())
            && reference.doi_url().is_none()
        {
            complain(
                &field("doi"),
                format!(
                    "Reference {}: a DOI looks like 10.1016/j.neuron.2019.01.010 (or leave it empty).",
                    index + 1
                ),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Where an article is, as the dashboard shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkflowState {
    pub status: super::ArticleStatus,
    /// Patients can read a published version of it.
    pub live: bool,
    /// Saved changes newer than what patients read.
    pub unpublished_changes: bool,
    /// The newest revision waits for clinical review.
    pub in_review: bool,
}

impl WorkflowState {
    /// "Published", "Published, changes in review", "Draft", …
    pub fn label(&self) -> String {
        use super::ArticleStatus::*;
        let base = match self.status {
            Draft => "Draft",
            InReview => "In review",
            Published => "Published",
            Archived => "Unpublished",
        };
        if self.status == Published && self.in_review {
            format!("{base}, changes in review")
        } else if self.status == Published && self.unpublished_changes {
            format!("{base}, with unpublished changes")
        } else {
            base.to_owned()
        }
    }
}

/// One row of the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardArticle {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub state: WorkflowState,
    pub last_edited_at: DateTime<Utc>,
    pub last_edited_by: String,
    pub next_review_due: Option<NaiveDate>,
    /// Live and past its next review date (worked out on the server, which knows the date).
    pub review_overdue: bool,
    /// Where its clinical review stands today: the dashboard's groups.
    pub review: super::review::ReviewStanding,
}

/// Articles on one page of the staff dashboard.
pub const DASHBOARD_PER_PAGE: u32 = 50;

/// A page of the staff dashboard.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// This page's articles, in the dashboard's order.
    pub articles: Vec<DashboardArticle>,
    /// Every group with its size (all articles, not just this page's), in their order.
    pub groups: Vec<(super::review::ReviewStanding, u64)>,
    pub page: u32,
    pub has_next: bool,
    /// For a reviewer: what they may approve now (`None` shown to writers).
    pub waiting: Vec<DashboardArticle>,
}

/// The most the reviewer's "Waiting for your review" list shows.
pub const WAITING_SHOWN: u32 = 50;

/// A published article is overdue for review once `today` is past its due date.
pub fn review_overdue(live: bool, next_review_due: Option<NaiveDate>, today: NaiveDate) -> bool {
    live && next_review_due.is_some_and(|due| due < today)
}

/// An article as the editor opens it: its newest revision and where it stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditableArticle {
    pub id: i64,
    pub head_revision_id: i64,
    pub draft: ArticleDraft,
    pub state: WorkflowState,
    /// Who submitted the newest revision for review, if it waits for one.
    pub submitted_by: Option<(i64, String)>,
    pub last_reviewed: Option<NaiveDate>,
    pub next_review_due: Option<NaiveDate>,
    pub reviewer: Option<String>,
}

/// One saved revision, as the history lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionSummary {
    /// Global (URLs and forms name revisions by it).
    pub id: i64,
    /// The article's own count: its first revision is version 1.
    pub number: i64,
    pub created_at: DateTime<Utc>,
    pub saved_by: String,
    pub note: String,
    pub title: String,
    pub published: bool,
}

/// One line of a diff between two texts. A removed or added line is in spans, each marked
/// changed or not: in a paragraph that changed, only the words that changed are marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    Same(String),
    Removed(Vec<DiffSpan>),
    Added(Vec<DiffSpan>),
}

/// Part of a removed or added line: its text, and whether it is what changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSpan {
    pub text: String,
    pub changed: bool,
}

/// The differences between two revisions, field by field (unchanged fields are left out).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionDiff {
    pub from: i64,
    pub to: i64,
    pub fields: Vec<(String, Vec<DiffLine>)>,
}

/// One line of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub address: String,
}

/// The references as plain text, one per line: how the history diffs them.
pub fn references_as_text(references: &[Reference]) -> String {
    references
        .iter()
        .map(|r| {
            let mut line = format!("{} ({}). {}. {}", r.authors, r.year, r.title, r.journal);
            for part in [&r.volume, &r.issue, &r.pages, &r.doi]
                .into_iter()
                .flatten()
            {
                line.push_str(", ");
                line.push_str(part);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first day `months` after `date` (clamped to the month's last day).
pub fn months_after(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months))
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> ArticleDraft {
        ArticleDraft {
            title: "Ketamine and sleep".into(),
            slug: "ketamine-and-sleep".into(),
            summary: "How ketamine treatment can affect sleep.".into(),
            body: "Some text.".into(),
            author: Author {
                name: "A. Writer".into(),
                credentials: "RN".into(),
            },
            references: vec![],
            topics: vec![],
            read_next: vec![],
        }
    }

    #[test]
    fn a_complete_draft_passes() {
        assert_eq!(validate_draft(&draft()), Ok(()));
    }

    #[test]
    fn each_problem_is_named_on_its_field() {
        let mut bad = draft();
        bad.title = "  ".into();
        bad.slug = "Ketamine and Sleep".into();
        bad.body = "x".repeat(MAX_BODY_BYTES + 1);
        bad.references.push(Reference {
            authors: "Duman, R. S.".into(),
            year: "".into(),
            title: "T".into(),
            journal: "J".into(),
            volume: None,
            issue: None,
            pages: None,
            doi: Some("doi:10.1/x".into()),
        });
        let errors = validate_draft(&bad).unwrap_err();
        assert_eq!(errors["title"], "Enter a title.");
        assert!(errors["slug"].contains("lower-case"));
        assert!(errors["body"].contains("the limit is 200 KB"));
        assert!(errors["ref-0-year"].contains("reference 1"));
        assert!(errors["ref-0-doi"].contains("10.1016"));
        assert!(!errors.contains_key("summary"));
    }

    #[test]
    fn review_is_due_twelve_months_later() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(
            months_after(day, 12),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
    }

    #[test]
    fn overdue_only_counts_for_live_articles() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let yesterday = NaiveDate::from_ymd_opt(2026, 11, 26);
        assert!(review_overdue(true, yesterday, today));
        assert!(!review_overdue(false, yesterday, today));
        assert!(!review_overdue(true, Some(today), today));
        assert!(!review_overdue(true, None, today));
    }

    #[test]
    fn states_read_as_staff_say_them() {
        let state = WorkflowState {
            status: crate::content::ArticleStatus::Published,
            live: true,
            unpublished_changes: true,
            in_review: true,
        };
        assert_eq!(state.label(), "Published, changes in review");
    }
}
