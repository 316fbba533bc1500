//! The clinic's domain, shared by the server and the browser builds: what an article is, and the
//! pure rules about its text (citations, reading time, safety wording). Rendering Markdown to HTML,
//! reading seed files and diffing revisions need server-only crates, so those three modules exist
//! only in `ssr`.

pub mod checks;
pub mod citations;
pub mod editing;
pub mod glossary;
pub mod read_next;
pub mod reading_time;
pub mod reference_form;
pub mod reference_limits;
pub mod review;
pub mod safety;
pub mod search;
pub mod slug;
pub mod staff;
pub mod topics;

#[cfg(feature = "ssr")]
pub mod diff;
#[cfg(feature = "ssr")]
pub mod front_matter;
#[cfg(feature = "ssr")]
pub mod glossary_marks;
#[cfg(feature = "ssr")]
pub mod markdown;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The person who wrote an article, shown in its byline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
    /// Post-nominal letters as the author writes them, e.g. "BSN RN SCRN".
    #[serde(default)]
    pub credentials: String,
}

impl Author {
    /// "Kristen R. Dagenais, BSN RN SCRN", or just the name when there are no credentials.
    pub fn byline(&self) -> String {
        if self.credentials.trim().is_empty() {
            self.name.clone()
        } else {
            format!("{}, {}", self.name, self.credentials)
        }
    }
}

/// One entry of an article's reference list. Fields follow what a clinician needs to find the
/// source: who, when, what, where, and the DOI when there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Reference {
    /// Authors as printed, surname first: "Duman, R. S., Li, N., …".
    pub authors: String,
    pub year: String,
    pub title: String,
    /// The journal (or book, or site) the work appeared in.
    pub journal: String,
    #[serde(default)]
    pub volume: Option<String>,
    #[serde(default)]
    pub issue: Option<String>,
    #[serde(default)]
    pub pages: Option<String>,
    #[serde(default)]
    pub doi: Option<String>,
}

impl Reference {
    /// The first author's surname, which is what an author-year citation names.
    pub fn first_author_surname(&self) -> &str {
        self.authors
            .split(',')
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .last()
            .unwrap_or_default()
    }

    /// `https://doi.org/…` for a well-formed DOI (`10.NNNN/…`); `None` otherwise, so a mistyped
    /// DOI is shown as text and never becomes a broken or foreign link.
    pub fn doi_url(&self) -> Option<String> {
        let doi = self.doi.as_deref()?.trim();
        let (prefix, suffix) = doi.split_once('/')?;
        let registrant = prefix.strip_prefix("10.")?;
        let well_formed = !registrant.is_empty()
            && registrant.chars().all(|c| c.is_ascii_digit() || c == '.')
            && !suffix.is_empty()
            && !doi.chars().any(|c| c.is_whitespace() || c.is_control());
        well_formed.then(|| format!("https://doi.org/{doi}"))
    }

    /// Each field by its form name, with what was typed ("" for an empty optional one).
    pub fn fields(&self) -> [(&'static str, &str); 8] {
        fn optional(value: &Option<String>) -> &str {
            value.as_deref().unwrap_or_default()
        }
        [
            ("authors", self.authors.as_str()),
            ("year", self.year.as_str()),
            ("title", self.title.as_str()),
            ("journal", self.journal.as_str()),
            ("volume", optional(&self.volume)),
            ("issue", optional(&self.issue)),
            ("pages", optional(&self.pages)),
            ("doi", optional(&self.doi)),
        ]
    }

    /// The fragment id of the `position`-th reference (1-based) on the article page; in-text
    /// citations link to it.
    pub fn anchor(position: usize) -> String {
        format!("ref-{position}")
    }
}

/// Where an article is in its life: written, checked by a clinician, live, retired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArticleStatus {
    Draft,
    InReview,
    Published,
    Archived,
}

impl ArticleStatus {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::InReview => "in_review",
            ArticleStatus::Published => "published",
            ArticleStatus::Archived => "archived",
        }
    }

    /// The status stored in the database under `name`.
    pub fn from_name(name: &str) -> Option<ArticleStatus> {
        [
            ArticleStatus::Draft,
            ArticleStatus::InReview,
            ArticleStatus::Published,
            ArticleStatus::Archived,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
    }
}

/// A published article, as a patient reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Markdown, exactly as the author wrote it.
    pub body: String,
    pub author: Author,
    pub references: Vec<Reference>,
    /// The clinical review of what patients read; `None` until a named clinician approves a
    /// revision through the review workflow (the seed starts without one).
    #[serde(default)]
    pub review: Option<ClinicalReview>,
}

/// A clinician's approval of an article: who, when, and when it is due again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicalReview {
    /// "Name, credentials".
    pub by: String,
    pub on: NaiveDate,
    pub next_due: NaiveDate,
}

impl ClinicalReview {
    /// The review from its stored parts: all three are needed, or there is no review.
    pub fn from_parts(
        by: Option<String>,
        on: Option<NaiveDate>,
        next_due: Option<NaiveDate>,
    ) -> Option<ClinicalReview> {
        Some(ClinicalReview {
            by: by?,
            on: on?,
            next_due: next_due?,
        })
    }

    /// Past its next-review date on `today` (the page says so; it stays readable).
    pub fn is_due(&self, today: NaiveDate) -> bool {
        self.next_due < today
    }
}

/// How long a clinical review lasts, in months: what a reviewer may choose; 12 by default.
pub const REVIEW_INTERVALS: [u32; 4] = [3, 6, 12, 24];
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

/// What the home page lists for one published article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reading_minutes: u32,
    /// When a clinician last approved it; `None` if none has.
    pub last_reviewed: Option<NaiveDate>,
}

/// How many articles a page of the home list shows (the list's server function and the page
/// cache's rendering ahead both page by it).
pub const ARTICLES_PER_PAGE: u32 = 20;

/// One page (1-based) of a longer list (the staff dashboard, the audit log; a keyset list, such
/// as the home page's, reads the first page after its cursor). The database
/// is asked for one row more than a page, so whether a next page exists is known without
/// counting them all. (Each list keeps its own answer type: their JSON field names are what
/// the server functions have always sent.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    per_page: u32,
}

impl Paging {
    /// Page `page` (below 1 counts as 1) of `per_page` items.
    pub fn new(page: u32, per_page: u32) -> Paging {
        Paging {
            page: page.max(1),
            per_page,
        }
    }

    /// The (limit, offset) to read.
    pub fn rows(self) -> (u32, u32) {
        let offset = (self.page - 1).saturating_mul(self.per_page);
        (self.per_page + 1, offset)
    }

    /// This page's items from the rows read with `rows`, and whether another page follows.
    pub fn take<T>(self, mut rows: Vec<T>) -> (Vec<T>, bool) {
        let per_page = self.per_page as usize;
        let has_next = rows.len() > per_page;
        rows.truncate(per_page);
        (rows, has_next)
    }
}

/// A page of the published articles, newest first, paged by keyset: a page is named by the
/// article just before it (`/?before=SLUG`: the articles published before that one), so any
/// page is one index range read however deep, and the only pages there are, are named by the
/// published articles' slugs (a stranger cannot make the server scan, nor the page cache store
/// a page per number typed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleList {
    pub articles: Vec<ArticleSummary>,
    /// The article this page continues after (`None`: the newest page).
    pub before: Option<String>,
    /// Where the next (older) page starts: this page's last article, when older ones follow.
    pub next: Option<String>,
}

/// The slug a list page continues after, from `?before=`: a well-formed slug, else `None` (and
/// the page is then not found).
pub fn list_cursor(before: &str) -> Option<&str> {
    slug::check_slug(before).is_ok().then_some(before)
}

/// An article with its body already rendered to sanitised HTML by the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RenderedArticle {
    pub article: Article,
    pub body_html: String,
    /// The day it was rendered (UTC): whether the page says it is due for review.
    pub today: NaiveDate,
    /// The topics its published revision is listed under.
    pub topics: Vec<topics::TopicLink>,
    /// "Read next": up to three other published articles that share a topic with it, newest
    /// first.
    pub read_next: Vec<ArticleSummary>,
}

/// A date as patients read it: "27 November 2026".
pub fn format_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// `text` cut to at most `max` bytes, on a character boundary: for what is stored from a form
/// whose length nobody has checked yet (a stranger's sign-in), so the store stays bounded.
pub fn capped(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_one_row_more_to_know_whether_another_follows() {
        assert_eq!(Paging::new(1, 20).rows(), (21, 0));
        assert_eq!(Paging::new(0, 20).rows(), (21, 0));
        assert_eq!(Paging::new(3, 20).rows(), (21, 40));
        assert_eq!(Paging::new(u32::MAX, 20).rows().1, u32::MAX);
        let (items, more) = Paging::new(1, 20).take((0..21).collect::<Vec<u8>>());
        assert_eq!((items.len(), more), (20, true));
        let (items, more) = Paging::new(2, 20).take((0..20).collect::<Vec<u8>>());
        assert_eq!((items.len(), more), (20, false));
    }

    #[test]
    fn long_text_is_capped_on_a_character_boundary() {
        assert_eq!(capped("abc", 5), "abc");
        assert_eq!(capped("aé", 2), "a");
        assert_eq!(capped("aé", 3), "aé");
    }

    fn reference(authors: &str, doi: Option<&str>) -> Reference {
        Reference {
            authors: authors.into(),
            year: "2012".into(),
            title: "T".into(),
            journal: "J".into(),
            volume: None,
            issue: None,
            pages: None,
            doi: doi.map(Into::into),
        }
    }

    #[test]
    fn first_author_surname_is_before_the_first_comma() {
        assert_eq!(
            reference("Duman, R. S., Li, N., & Aghajanian, G.", None).first_author_surname(),
            "Duman"
        );
        assert_eq!(
            reference("van der Berg, A.", None).first_author_surname(),
            "Berg"
        );
    }

    #[test]
    fn doi_becomes_a_doi_org_link_only_when_well_formed() {
        assert_eq!(
            reference("A", Some("10.1016/j.neuropharm.2011.08.044"))
                .doi_url()
                .as_deref(),
            Some("https://doi.org/10.1016/j.neuropharm.2011.08.044")
        );
        assert_eq!(reference("A", Some("javascript:alert(1)")).doi_url(), None);
        assert_eq!(reference("A", Some("10.1016/has space")).doi_url(), None);
        assert_eq!(reference("A", Some("11.1/x")).doi_url(), None);
        assert_eq!(reference("A", None).doi_url(), None);
    }

    #[test]
    fn byline_joins_name_and_credentials() {
        let author = Author {
            name: "Kristen R. Dagenais".into(),
            credentials: "BSN RN SCRN".into(),
        };
        assert_eq!(author.byline(), "Kristen R. Dagenais, BSN RN SCRN");
        let plain = Author {
            name: "A. Writer".into(),
            credentials: " ".into(),
        };
        assert_eq!(plain.byline(), "A. Writer");
    }

    #[test]
    fn dates_read_day_month_year() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 7).unwrap();
        assert_eq!(format_date(date), "7 November 2026");
    }
}
