//! The audit log: who did what to what, from where, and when. Append-only; staff read it at
//! `/admin/audit`.

use super::{Db, on_pool};
use crate::content::capped;
use crate::content::editing::AuditEntry;
use crate::content::staff::{LinkKind, Role};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// The most the audit log keeps of each field: an email, a sentence, an IP address. Anything
/// longer came from somebody who was not typing an email (the log is append-only: what is
/// written stays).
const AUDIT_ACTOR_MAX_BYTES: usize = crate::content::staff::EMAIL_MAX_BYTES;
const AUDIT_TEXT_MAX_BYTES: usize = 1024;
const AUDIT_ADDRESS_MAX_BYTES: usize = 64;

/// One line to append to the audit log.
pub struct AuditRecord<'a> {
    pub staff_id: Option<i64>,
    /// The account's email (or, for a failed sign-in, what was typed).
    pub actor: &'a str,
    pub action: AuditAction,
    pub subject: &'a str,
    pub address: &'a str,
}

#[derive(FromRow)]
struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor: String,
    action: String,
    subject: String,
    address: String,
}

/// What a member of staff (or somebody signing in) did, as the audit log says it. The text of
/// each is what the log has always stored (`Display`), so old and new entries read alike and
/// tests compare the stored text; a new kind of entry is a new variant, never a string typed at
/// the place that records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuditAction {
    // Articles and their review.
    CreatedArticle,
    SavedDraft,
    SubmittedForReview,
    RequestedChanges,
    ResolvedReviewNote(i64),
    AcknowledgedWarning { finding: String, reason: String },
    CheckedReferences(usize),
    ApprovedAndPublished,
    Unpublished,
    RestoredRevision(i64),
    // Signing in and out.
    SignInFailed,
    SignInThrottled,
    SignInBusy,
    PasswordAccepted,
    SecondFactorWrong,
    SecondFactorThrottled,
    EnrolledAuthenticatorApp,
    SignedInWithApp,
    SignedInWithPasskey,
    SignedInWithRecoveryCode,
    SignedOut,
    CreatedFirstAdmin,
    // One's own account.
    ChangedOwnPassword,
    PasswordChangeWrong,
    PasswordChangeThrottled,
    PasswordChangeBusy,
    MadeRecoveryCodes,
    AddedPasskey,
    RemovedPasskey,
    // Other people's accounts (admins, and the command line).
    AddedAccount(Role),
    ChangedRole { from: Role, to: Role },
    DeactivatedAccount,
    ResetPassword,
    ResetSecondFactor,
    MadeStaffLink(LinkKind),
    // Links, used by the person they were made for.
    SetPasswordWithLink(LinkKind),
    // The glossary (the subject is the term).
    AddedGlossaryTerm,
    ChangedGlossaryTerm,
    RemovedGlossaryTerm,
    // Topics (the subject is the topic's name).
    AddedTopic,
    ChangedTopic,
    RemovedTopic,
    // Search (the subject says how many groups the list has now).
    ChangedSearchSynonyms,
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use AuditAction::*;
        let fixed = match self {
            CreatedArticle => "created an article",
            SavedDraft => "saved a draft",
            SubmittedForReview => "submitted for review",
            RequestedChanges => "requested changes",
            ResolvedReviewNote(note) => return write!(f, "resolved review note #{note}"),
            AcknowledgedWarning { finding, reason } => {
                return write!(f, "acknowledged a warning ({finding}): {reason}");
            }
            CheckedReferences(count) => return write!(f, "checked {count} reference(s)"),
            ApprovedAndPublished => "approved and published",
            Unpublished => "unpublished",
            RestoredRevision(revision) => return write!(f, "restored revision #{revision}"),
            SignInFailed => "sign-in failed",
            SignInThrottled => "sign-in refused (too many attempts)",
            SignInBusy => "sign-in not checked (server busy)",
            PasswordAccepted => "password accepted (second factor next)",
            SecondFactorWrong => "second factor refused (wrong or used code)",
            SecondFactorThrottled => "second factor refused (too many attempts)",
            EnrolledAuthenticatorApp => "enrolled an authenticator app (second factor)",
            SignedInWithApp => "signed in (authenticator app)",
            SignedInWithPasskey => "signed in (passkey)",
            SignedInWithRecoveryCode => "signed in with a recovery code",
            SignedOut => "signed out",
            CreatedFirstAdmin => "created the first admin (setup link; second factor next)",
            ChangedOwnPassword => {
                "changed their password (all sessions ended; signed in again here)"
            }
            PasswordChangeWrong => "password change refused (wrong current password)",
            PasswordChangeThrottled => "password change refused (too many attempts)",
            PasswordChangeBusy => "password change not checked (server busy)",
            MadeRecoveryCodes => "made new recovery codes (the old ones no longer work)",
            AddedPasskey => "added a passkey",
            RemovedPasskey => "removed a passkey",
            AddedAccount(role) => return write!(f, "added a {role} account"),
            ChangedRole { from, to } => return write!(f, "changed role from {from} to {to}"),
            DeactivatedAccount => "deactivated an account",
            ResetPassword => "reset a password",
            ResetSecondFactor => {
                "reset a second factor (signed out everywhere; enrols again at next sign-in)"
            }
            MadeStaffLink(LinkKind::Invite) => {
                "made an invitation link (shown once; works once, for 72 hours)"
            }
            MadeStaffLink(LinkKind::Reset) => {
                "made a password reset link (shown once; works once, for 72 hours)"
            }
            SetPasswordWithLink(LinkKind::Invite) => {
                "set their first password with an invitation link (second factor next)"
            }
            SetPasswordWithLink(LinkKind::Reset) => {
                "set a new password with a reset link (all sessions ended; second factor next)"
            }
            AddedGlossaryTerm => "added a glossary term",
            ChangedGlossaryTerm => "changed a glossary term",
            RemovedGlossaryTerm => "removed a glossary term",
            ChangedSearchSynonyms => "changed the search synonyms",
            AddedTopic => "added a topic",
            ChangedTopic => "changed a topic",
            RemovedTopic => "removed a topic",
        };
        f.write_str(fixed)
    }
}

impl Db {
    pub async fn audit(&self, record: &AuditRecord<'_>) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO audit_log (at, staff_id, actor, action, subject, address)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(Utc::now())
        .bind(record.staff_id)
        .bind(capped(record.actor, AUDIT_ACTOR_MAX_BYTES))
        .bind(capped(&record.action.to_string(), AUDIT_TEXT_MAX_BYTES))
        .bind(capped(record.subject, AUDIT_TEXT_MAX_BYTES))
        .bind(capped(record.address, AUDIT_ADDRESS_MAX_BYTES))
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The audit log, newest first: `limit` entries after skipping `offset`.
    pub async fn audit_entries(
        &self,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let rows: Vec<AuditRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, at, actor, action, subject, address FROM audit_log
             ORDER BY id DESC LIMIT $1 OFFSET $2",
        )
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|row| AuditEntry {
                id: row.id,
                at: row.at,
                actor: row.actor,
                action: row.action,
                subject: row.subject,
                address: row.address,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_action_reads_as_the_log_has_always_said_it() {
        let cases = [
            (AuditAction::CreatedArticle, "created an article"),
            (AuditAction::CheckedReferences(2), "checked 2 reference(s)"),
            (AuditAction::RestoredRevision(7), "restored revision #7"),
            (
                AuditAction::ChangedRole {
                    from: Role::Writer,
                    to: Role::Admin,
                },
                "changed role from writer to admin",
            ),
            (
                AuditAction::AddedAccount(Role::Reviewer),
                "added a reviewer account",
            ),
            (
                AuditAction::AcknowledgedWarning {
                    finding: "“cure”".into(),
                    reason: "quoted".into(),
                },
                "acknowledged a warning (“cure”): quoted",
            ),
        ];
        for (action, text) in cases {
            assert_eq!(action.to_string(), text);
        }
    }
}
