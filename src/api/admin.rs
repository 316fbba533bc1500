//! What the admin pages read. Every function here opens with its session and role check
//! (`require_role`): without a session it answers 401, with too low a role 403, before it
//! touches the database. Changes go through the admin forms (`server::forms`), which check the
//! same way.

use crate::content::editing::{
    AuditEntry, Dashboard, EditableArticle, RevisionDiff, RevisionSummary,
};
use crate::content::staff::StaffMember;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// How many audit entries a page of `/admin/audit` shows.
pub const AUDIT_PER_PAGE: u32 = 100;

/// An article's history: its revisions, newest first, and optionally a diff between two.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleHistory {
    pub article: EditableArticle,
    pub revisions: Vec<RevisionSummary>,
    pub diff: Option<RevisionDiff>,
    /// Reviewers' reasons for publishing with warnings, newest revision first.
    pub acknowledgements: Vec<crate::content::review::Acknowledgement>,
    /// Every request for changes, open or resolved, newest first.
    pub notes: Vec<crate::content::review::ReviewNote>,
    /// Every review step (submitted, changes requested, published, unpublished), newest first.
    pub events: Vec<crate::content::review::ArticleEvent>,
}

/// A page of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: u32,
    pub has_next: bool,
}

/// The member of staff signed in on this request, if any. Says nothing about anyone else.
#[server(prefix = "/api", endpoint = "admin/me")]
pub async fn current_staff() -> Result<Option<StaffMember>, AppError> {
    Ok(crate::server::auth::guard::current_session().map(|session| session.staff))
}

/// A page (1-based) of the dashboard: articles with their state, grouped by where their
/// review stands, and each group's size. Writers and up.
#[server(prefix = "/api", endpoint = "admin/articles")]
pub async fn admin_dashboard(page: u32) -> Result<Dashboard, AppError> {
    use crate::content::staff::Role;
    let me = crate::server::auth::guard::require_role(Role::Writer)?;
    let db = crate::server::state::db()?;
    let mut dashboard = db.dashboard(page).await?;
    if me.staff.role >= Role::Reviewer {
        let shown = crate::content::editing::WAITING_SHOWN;
        dashboard.waiting = db.waiting_for_review(me.staff.id, shown).await?;
    }
    Ok(dashboard)
}

/// One article as the editor opens it (its newest revision, published or not). Writers and up.
#[server(prefix = "/api", endpoint = "admin/article")]
pub async fn admin_article(id: i64) -> Result<EditableArticle, AppError> {
    use crate::content::staff::Role;
    crate::server::auth::guard::require_role(Role::Writer)?;
    crate::server::state::db()?
        .editable_article(id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The articles the editor offers for "Read next", by title. Writers and up.
#[server(prefix = "/api", endpoint = "admin/article-addresses")]
pub async fn admin_article_addresses()
-> Result<Vec<crate::content::read_next::ArticleAddress>, AppError> {
    use crate::content::staff::Role;
    crate::server::auth::guard::require_role(Role::Writer)?;
    Ok(crate::server::state::db()?.article_addresses().await?)
}

/// Article `id`'s review notes (requests for changes), newest first: only the open ones
/// unless `all`. Writers and up: the writers are who the notes are for.
#[server(prefix = "/api", endpoint = "admin/review-notes")]
pub async fn admin_review_notes(
    id: i64,
    all: bool,
) -> Result<Vec<crate::content::review::ReviewNote>, AppError> {
    use crate::content::staff::Role;
    crate::server::auth::guard::require_role(Role::Writer)?;
    Ok(crate::server::state::db()?.review_notes(id, !all).await?)
}

/// An article's revisions and what changed between revisions `from` and `to` (by default, the
/// newest change). Writers and up.
#[server(prefix = "/api", endpoint = "admin/history")]
pub async fn admin_history(
    id: i64,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<ArticleHistory, AppError> {
    use crate::content::staff::Role;
    crate::server::auth::guard::require_role(Role::Writer)?;
    let db = crate::server::state::db()?;
    let article = db.editable_article(id).await?.ok_or(AppError::NotFound)?;
    let revisions = db.revisions(id).await?;
    // Without a choice, the newest change: the revision before the newest against the newest.
    let (from, to) = match (from, to, revisions.get(1), revisions.first()) {
        (None, None, Some(before), Some(newest)) => (Some(before.id), Some(newest.id)),
        _ => (from, to),
    };
    let diff = match (from, to) {
        (Some(from), Some(to)) => {
            let (Some(old), Some(new)) = (
                db.revision_draft(id, from).await?,
                db.revision_draft(id, to).await?,
            ) else {
                return Err(AppError::NotFound);
            };
            let diff = crate::server::bounded::EDITOR_WORK
                .run(move || crate::content::diff::revision_diff(from, &old, to, &new))
                .await
                .map_err(AppError::busy)?;
            Some(diff)
        }
        _ => None,
    };
    Ok(ArticleHistory {
        acknowledgements: db.acknowledgements(id).await?,
        notes: db.review_notes(id, false).await?,
        events: db.article_events(id).await?,
        article,
        revisions,
        diff,
    })
}

/// The editor's preview of a body: its HTML as patients would see it (with the hardest sentences
/// marked), and what the checks say about it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub html: String,
    pub checks: crate::content::checks::CheckReport,
}

/// Renders a body as the public page would and runs the editor's checks on it, for the editor
/// page and its live preview. Writers and up.
#[server(prefix = "/api", endpoint = "admin/preview", input = Json)]
pub async fn preview_body(
    body: String,
    references: Vec<crate::content::Reference>,
) -> Result<Preview, AppError> {
    use crate::content::editing::MAX_BODY_BYTES;
    use crate::content::staff::Role;
    crate::server::auth::guard::require_role(Role::Writer)?;
    if body.len() > MAX_BODY_BYTES {
        return Err(AppError::Invalid(format!(
            "Body: the text is over {} KB, too long to preview.",
            MAX_BODY_BYTES / 1024
        )));
    }
    if let Err(message) = crate::content::editing::check_references(&references) {
        return Err(AppError::Invalid(message));
    }
    // What the public page will link: the glossary as it is now.
    let terms = crate::server::state::db()?.glossary().await?;
    crate::server::bounded::EDITOR_WORK
        .run(move || crate::content::checks::preview(&body, &references, &terms))
        .await
        .map_err(AppError::busy)
}

/// How long the session has left, for the editor's warnings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClock {
    /// A session ends after this long without a request.
    pub idle_limit_secs: i64,
    /// It ends this long from now however active (12 hours after sign-in).
    pub ends_in_secs: i64,
}

/// Keeps the session alive (as every request does; the editor calls this one to say so) and
/// says how long it has left. Writers and up.
#[server(prefix = "/api", endpoint = "admin/keep-session")]
pub async fn keep_session() -> Result<SessionClock, AppError> {
    use crate::content::staff::Role;
    use crate::server::auth::session::{ABSOLUTE_TIMEOUT_SECS, IDLE_TIMEOUT_SECS, now};
    let me = crate::server::auth::guard::require_role(Role::Writer)?;
    Ok(SessionClock {
        idle_limit_secs: IDLE_TIMEOUT_SECS,
        ends_in_secs: (me.started_at + ABSOLUTE_TIMEOUT_SECS - now()).max(0),
    })
}

/// Every staff account, and which of them have set up their second factor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffList {
    pub members: Vec<StaffMember>,
    /// The ids of accounts with a confirmed second factor.
    pub second_factor: Vec<i64>,
}

/// Every staff account. Admins only.
#[server(prefix = "/api", endpoint = "admin/staff")]
pub async fn admin_staff() -> Result<StaffList, AppError> {
    use crate::content::staff::Role;
    crate::server::auth::guard::require_role(Role::Admin)?;
    let db = crate::server::state::db()?;
    Ok(StaffList {
        members: db.staff().await?,
        second_factor: db.second_factor_accounts().await?,
    })
}

/// A page (1-based) of the audit log, newest first. Admins only.
#[server(prefix = "/api", endpoint = "admin/audit")]
pub async fn admin_audit(page: u32) -> Result<AuditPage, AppError> {
    use crate::content::staff::Role;
    crate::server::auth::guard::require_role(Role::Admin)?;
    let paging = crate::content::Paging::new(page, AUDIT_PER_PAGE);
    let (limit, offset) = paging.rows();
    let db = crate::server::state::db()?;
    let (entries, has_next) = paging.take(db.audit_entries(limit, offset).await?);
    Ok(AuditPage {
        entries,
        page: paging.page,
        has_next,
    })
}

/// Who a live invitation or password reset link is for, and who (if anyone) is signed in on
/// this browser: the welcome page asks before showing its form. Nothing for a link that does
/// not work.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffLinkView {
    pub name: String,
    pub email: String,
    pub kind: crate::content::staff::LinkKind,
    pub signed_in_as: Option<String>,
}

#[server(prefix = "/api", endpoint = "admin/staff-link")]
pub async fn staff_link(token: String) -> Result<Option<StaffLinkView>, AppError> {
    use crate::server::auth::session::{now, token_hash};
    let db = crate::server::state::db()?;
    let Some((member, kind)) = db.staff_link(&token_hash(&token), now()).await? else {
        return Ok(None);
    };
    let signed_in_as = crate::server::auth::guard::any_session()
        .map(|(session, _)| format!("{} ({})", session.staff.name, session.staff.email));
    Ok(Some(StaffLinkView {
        name: member.name,
        email: member.email,
        kind,
        signed_in_as,
    }))
}

/// Whether `token` is a live one-time setup link (the setup page asks before showing its form).
#[server(prefix = "/api", endpoint = "admin/setup-link")]
pub async fn setup_link_valid(token: String) -> Result<bool, AppError> {
    let db = crate::server::state::db()?;
    let hash = crate::server::auth::session::token_hash(&token);
    let now = crate::server::auth::session::now();
    Ok(db.setup_token_valid(&hash, now).await? && !db.has_active_admin().await?)
}
