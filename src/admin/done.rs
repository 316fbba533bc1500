//! What a form did, said on the page it redirects to (`?done=`), and the banner that says it.

use leptos::prelude::*;

/// What a form did, said on the page it redirects to: the redirect carries the notice's code in
/// `?done=` (the same codes as ever, so links keep working), and the page shows its message.
/// A new notice is a new variant, so a code misspelt at the redirect does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Created,
    Saved,
    Submitted,
    ChangesRequested,
    NoteResolved,
    NoteNotOpen,
    Published,
    Unpublished,
    Restored,
    Added,
    Role,
    Deactivated,
    Reset,
    TwoFactorReset,
    Password,
    PasskeyAdded,
    PasskeyRemoved,
    TermAdded,
    TermSaved,
    TermRemoved,
    SynonymsSaved,
    TopicAdded,
    TopicSaved,
    TopicRemoved,
}

impl Done {
    pub const ALL: [Done; 24] = [
        Done::Created,
        Done::Saved,
        Done::Submitted,
        Done::ChangesRequested,
        Done::NoteResolved,
        Done::NoteNotOpen,
        Done::Published,
        Done::Unpublished,
        Done::Restored,
        Done::Added,
        Done::Role,
        Done::Deactivated,
        Done::Reset,
        Done::TwoFactorReset,
        Done::Password,
        Done::PasskeyAdded,
        Done::PasskeyRemoved,
        Done::TermAdded,
        Done::TermSaved,
        Done::TermRemoved,
        Done::SynonymsSaved,
        Done::TopicAdded,
        Done::TopicSaved,
        Done::TopicRemoved,
    ];

    /// The code in the address, and the notice the page shows.
    fn entry(self) -> (&'static str, &'static str) {
        match self {
            Done::Created => ("created", "Article created as a draft."),
            Done::Saved => ("saved", "Draft saved."),
            Done::Submitted => ("submitted", "Saved and submitted for clinical review."),
            Done::ChangesRequested => (
                "changes-requested",
                "Changes requested: the article is back in draft, and the writers see your note.",
            ),
            Done::NoteResolved => ("note-resolved", "Review note marked resolved."),
            Done::NoteNotOpen => (
                "note-not-open",
                "Nothing changed: that note is already resolved, or is not one of this article's.",
            ),
            Done::Published => (
                "published",
                "Approved and published: patients now read this version.",
            ),
            Done::Unpublished => (
                "unpublished",
                "Unpublished: patients can no longer read this article.",
            ),
            Done::Restored => (
                "restored",
                "The old revision was restored as the newest draft.",
            ),
            Done::Added => ("added", "Account added."),
            Done::Role => ("role", "Role changed."),
            Done::Deactivated => (
                "deactivated",
                "Account deactivated and signed out everywhere.",
            ),
            Done::Reset => (
                "reset",
                "Password reset; that person was signed out everywhere.",
            ),
            Done::TwoFactorReset => (
                "two-factor-reset",
                "Second factor reset; that person was signed out everywhere and sets up a new one at their next sign-in.",
            ),
            Done::Password => (
                "password",
                "Password changed. Every session of your account was signed out; this one was signed in again.",
            ),
            Done::PasskeyAdded => (
                "passkey-added",
                "Passkey added: you can sign in with it instead of a code.",
            ),
            Done::PasskeyRemoved => ("passkey-removed", "Passkey removed."),
            Done::TermAdded => (
                "term-added",
                "Term added: the first use in each article now links to its definition.",
            ),
            Done::TermSaved => ("term-saved", "Term saved."),
            Done::TermRemoved => ("term-removed", "Term removed: articles no longer link it."),
            Done::SynonymsSaved => (
                "synonyms-saved",
                "Synonyms saved: every search uses them now.",
            ),
            Done::TopicAdded => (
                "topic-added",
                "Topic added: writers can now choose it in the editor.",
            ),
            Done::TopicSaved => ("topic-saved", "Topic saved."),
            Done::TopicRemoved => (
                "topic-removed",
                "Topic removed: no article is listed under it any more.",
            ),
        }
    }

    /// The code in the address.
    pub fn code(self) -> &'static str {
        self.entry().0
    }

    /// The notice the page shows.
    pub fn message(self) -> &'static str {
        self.entry().1
    }

    /// The notice for a `?done=` code, if it is one.
    pub fn from_code(code: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|done| done.code() == code)
    }

    /// `page` with this notice to show (`page` has no query of its own).
    pub fn on(self, page: &str) -> String {
        format!("{page}?done={}", self.code())
    }
}

/// The success banner for the page's `?done=…`, if any.
#[component]
pub fn DoneNotice() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let message = query
        .read_untracked()
        .get("done")
        .and_then(|code| Done::from_code(&code))
        .map(Done::message);
    message.map(|message| {
        view! { <p class="notice notice--success" role="status">{message}</p> }
    })
}

#[cfg(test)]
mod tests {
    use super::Done;

    #[test]
    fn every_notice_has_its_own_code_and_is_found_by_it() {
        for done in Done::ALL {
            assert_eq!(Done::from_code(done.code()), Some(done));
        }
        assert_eq!(Done::from_code("nonsense"), None);
        assert_eq!(
            Done::Saved.on("/admin/articles/3"),
            "/admin/articles/3?done=saved"
        );
    }
}
