//! The staff dashboard, a page at a time: articles grouped by where their clinical review stands
//! (never reviewed, overdue, due within 30 days, reviewed), each group soonest due first, then
//! archived ones last and the newest edit first; with every group's size. The database sorts the
//! articles' own (small) rows and reads revisions for one page only, however many there are.

use super::editing::{STATE_COLUMNS, StateRow};
use super::{Db, on_pool};
use crate::content::Paging;
use crate::content::editing::{DASHBOARD_PER_PAGE, Dashboard, DashboardArticle, review_overdue};
use crate::content::review::ReviewStanding;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

/// `ReviewStanding::of` in SQL, as its position in `ReviewStanding::ALL` (`$1`: today, `$2`:
/// thirty days on), for the groups' sizes.
const STANDING: &str = "CAST(CASE WHEN a.next_review_due IS NULL THEN 0
     WHEN a.next_review_due < $1 THEN 1
     WHEN a.next_review_due <= $2 THEN 2
     ELSE 3 END AS BIGINT)";

/// The dashboard's order: never reviewed first, then the soonest due (each standing after the
/// first is a range of due dates, so this orders the standings too, whatever the day), archived
/// ones last, then the newest edit first (revision ids grow with every save, so the head
/// revision's id orders the last edits without reading the revisions). It is the index
/// `articles_dashboard` (migration 0007), so a page reads 50 entries instead of sorting every
/// article.
const ORDER: &str =
    "a.next_review_due NULLS FIRST, a.status = 'archived', a.head_revision_id DESC, a.id DESC";

/// A `DashboardRow`'s columns, from `articles a`, its head revision `r` and whoever saved it `s`.
fn row_columns() -> String {
    format!(
        "a.id, a.slug, r.title, {STATE_COLUMNS}, r.created_at AS edited_at,
         COALESCE(s.name, r.author_name) AS edited_by, a.next_review_due"
    )
}

#[derive(FromRow)]
struct DashboardRow {
    id: i64,
    slug: String,
    title: String,
    #[sqlx(flatten)]
    state: StateRow,
    edited_at: DateTime<Utc>,
    edited_by: String,
    next_review_due: Option<NaiveDate>,
}

impl Db {
    /// Page `page` (1-based) of the dashboard.
    pub async fn dashboard(&self, page: u32) -> Result<Dashboard, sqlx::Error> {
        let today = Utc::now().date_naive();
        let soon = today + chrono::Days::new(30);
        let paging = Paging::new(page, DASHBOARD_PER_PAGE);
        let (limit, offset) = paging.rows();
        // The page's articles are chosen from `articles` alone, then joined to their newest
        // revisions: a revision row holds the body, and SQLite reads the columns after it
        // (the edit's time and author) by walking the body's overflow pages, which for every
        // article would cost the dashboard a read of every body. `CROSS JOIN` keeps the page as
        // the outer loop on SQLite (its planner otherwise walked all of `articles_dashboard` to
        // skip sorting 50 rows: 11 ms instead of 0.5 at 10,000 articles); PostgreSQL plans it as
        // the join it is.
        let rows: Vec<DashboardRow> = on_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {}
             FROM (SELECT a.id FROM articles a ORDER BY {ORDER} LIMIT $1 OFFSET $2) page
             CROSS JOIN articles a
             JOIN revisions r ON r.id = a.head_revision_id
             LEFT JOIN staff s ON s.id = r.saved_by
             WHERE a.id = page.id
             ORDER BY {ORDER}",
                row_columns()
            ))
            .bind(i64::from(limit))
            .bind(i64::from(offset))
            .fetch_all(pool)
            .await
        })?;
        let sizes: Vec<(i64, i64)> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {STANDING} AS standing, COUNT(*) FROM articles a GROUP BY 1"
        ))
        .bind(today)
        .bind(soon)
        .fetch_all(pool)
        .await)?;
        let (rows, has_next) = paging.take(rows);
        let articles = rows.into_iter().map(|row| row.article(today)).collect();
        let groups = ReviewStanding::ALL
            .into_iter()
            .enumerate()
            .map(|(position, standing)| {
                let size = sizes
                    .iter()
                    .find(|(at, _)| *at == position as i64)
                    .map_or(0, |(_, size)| *size as u64);
                (standing, size)
            })
            .collect();
        Ok(Dashboard {
            articles,
            groups,
            page: paging.page,
            has_next,
            waiting: Vec::new(),
        })
    }

    /// The articles `reviewer_id` may approve now, oldest submission first (at most `limit`):
    /// the newest revision submitted, by someone else, with none of the changes since the last
    /// approval written by them (`review::may_approve`, the rule publishing applies).
    pub async fn waiting_for_review(
        &self,
        reviewer_id: i64,
        limit: u32,
    ) -> Result<Vec<DashboardArticle>, sqlx::Error> {
        let today = Utc::now().date_naive();
        let rows: Vec<DashboardRow> = on_pool!(self, |pool| {
            sqlx::query_as(&format!(
                "SELECT {}
             FROM articles a
             JOIN revisions r ON r.id = a.head_revision_id
             LEFT JOIN staff s ON s.id = r.saved_by
             WHERE a.submitted_revision_id IS NOT NULL
               AND a.submitted_revision_id = a.head_revision_id
               AND {}
             ORDER BY a.head_revision_id
             LIMIT $2",
                row_columns(),
                super::review::may_approve("a", "$1")
            ))
            .bind(reviewer_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|row| row.article(today)).collect())
    }
}

impl DashboardRow {
    fn article(self, today: NaiveDate) -> DashboardArticle {
        DashboardArticle {
            review_overdue: review_overdue(self.state.state().live, self.next_review_due, today),
            review: ReviewStanding::of(self.next_review_due, today),
            id: self.id,
            slug: self.slug,
            title: self.title,
            state: self.state.state(),
            last_edited_at: self.edited_at,
            last_edited_by: self.edited_by,
            next_review_due: self.next_review_due,
        }
    }
}
