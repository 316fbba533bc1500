//! A staff form sent after its session ended is held, not lost. The server answers it with the
//! sign-in page (401), in the site's frame, carrying the form in a hidden field (`held`); the
//! sign-in and second-factor steps carry it on; once the session is whole again, the last step
//! answers "Send your changes": the same form, every field as it was typed, ready to send to
//! where it was going with one press. Nothing is kept on the server meanwhile: the held form
//! travels only between the browser and the server, as the form itself did. Passwords and codes
//! typed into the held form are not carried (they are asked for again).
//!
//! The server side (reading, carrying, answering) is `server::forms::held`.

use leptos::prelude::*;

/// The name of the hidden field that carries a held form through signing in.
pub const HELD_FIELD: &str = "held";

/// A form that arrived without a live session: where it was going, and what it carried.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeldForm {
    /// The path (and query) the form was sent to: an admin page.
    pub action: String,
    /// Its fields, in order.
    pub fields: Vec<(String, String)>,
    /// The same fields URL-encoded: the `held` field's value.
    pub encoded: String,
}

impl HeldForm {
    /// How much was typed, for the page that holds it ("1,234 characters in 9 fields").
    pub fn size_text(&self) -> String {
        let typed: Vec<&(String, String)> = self
            .fields
            .iter()
            .filter(|(name, value)| name != "intent" && !value.trim().is_empty())
            .collect();
        let characters: usize = typed.iter().map(|(_, value)| value.chars().count()).sum();
        let fields = typed.len();
        let plural = |count: usize, word: &str| {
            if count == 1 {
                format!("1 {word}")
            } else {
                format!("{count} {word}s")
            }
        };
        format!(
            "{} in {}",
            plural(characters, "character"),
            plural(fields, "field")
        )
    }
}

/// The answer of the step that made the session whole again: the held form, to send.
#[derive(Clone, Debug)]
pub struct SendAgain(pub HeldForm);

/// The held form, if this render carries one.
pub fn use_held() -> Option<HeldForm> {
    use_context::<HeldForm>()
}

/// The hidden field that carries the held form on, inside each sign-in form (nothing when none
/// is held).
#[component]
pub fn HeldField() -> impl IntoView {
    use_held().map(|held| {
        view! { <input type="hidden" name=HELD_FIELD value=held.encoded/> }
    })
}

/// Above a sign-in step: what is held and why.
#[component]
pub fn HeldNotice() -> impl IntoView {
    use_held().map(|held| {
        view! {
            <div class="notice notice--held" role="status">
                <p>
                    <strong>"Your session ended before this was sent, so nothing was saved yet. "</strong>
                    {format!(
                        "What you typed ({}) is kept on this page. Sign in, and you can then send it with one press.",
                        held.size_text()
                    )}
                </p>
            </div>
        }
    })
}

/// The last step: signed in again, the held form ready to send where it was going.
#[component]
pub fn SendAgainPage(held: HeldForm) -> impl IntoView {
    view! {
        <super::AdminMeta title="Send your changes"/>
        <div class="narrow">
            <h1>"You are signed in again"</h1>
            <SendAgainForm held/>
        </div>
    }
}

/// The held form, every field as typed, to send to where it was going with one press.
#[component]
pub fn SendAgainForm(held: HeldForm) -> impl IntoView {
    let size = held.size_text();
    let HeldForm { action, fields, .. } = held;
    let fields = fields
        .into_iter()
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    view! {
        <p>
            {format!("What you typed ({size}) has not been sent yet. Send it now to finish what you were doing: ")}
            "it is checked exactly as if it had been sent before your session ended."
        </p>
        <form method="post" action=action.clone() class="stack" id="send-again">
            {fields}
            <button type="submit" class="button">"Send your changes"</button>
        </form>
        <p class="hint">
            "Or "<a href=action>"open the page without them"</a>" (what you typed is then lost)."
        </p>
    }
}
