//! The editor's body field with its checks panel and live preview: an island, so the rest of
//! the editor stays plain HTML. When typing pauses for 150 ms, the server renders the Markdown
//! with the same code as the public article page and runs the checks, and both are shown (in
//! well under the 300 ms a writer should wait). Without JavaScript the "Preview" button does
//! the same by submitting the form.

use super::checks_panel::ChecksPanel;
use crate::api::admin::{Preview, keep_session, preview_body};
use crate::components::crisis::CrisisHelpBlock;
use crate::components::raw_text::textarea_text;
use crate::content::Reference;
use crate::content::editing::references_from_fields;
use crate::content::reading_time::{length_label, word_count};
use crate::error::AppError;
use leptos::prelude::*;
use std::time::Duration;

#[island]
pub fn BodyEditor(
    body: String,
    preview: Preview,
    error: Option<String>,
    references: Vec<Reference>,
) -> impl IntoView {
    let (html, set_html) = signal(preview.html);
    let (checks, set_checks) = signal(preview.checks);
    let (status, set_status) = signal(String::new());
    // Effects run only in the browser: `data-live` marks the preview as following the typing.
    let (live, set_live) = signal(false);
    let (words, set_words) = signal(word_count(&body));
    Effect::new(move || set_live.set(true));
    let session = SessionWatch::new();
    let typed = StoredValue::new(0u64);
    let references = StoredValue::new(references);
    let preview = Action::new(move |body: &String| {
        let body = body.clone();
        async move { preview_body(body, references.get_value()).await }
    });
    Effect::new(move || match preview.value().get() {
        Some(Ok(rendered)) => {
            set_html.set(rendered.html);
            set_checks.set(rendered.checks);
            set_status.set(String::new());
            session.heard();
        }
        Some(Err(AppError::Unauthorized | AppError::Forbidden)) => session.ended(),
        Some(Err(error)) => set_status.set(error.to_string()),
        None => {}
    });
    // Any field the checks read (the body, each reference's fields) runs them again once typing
    // pauses for 150 ms; typing in any field of the form keeps the session alive.
    let on_form_input = move |fields: Vec<(String, String)>, changed: String| {
        session.activity();
        let checked = changed == "body" || changed.starts_with("ref-");
        if !checked {
            return;
        }
        typed.update_value(|count| *count += 1);
        let this = typed.get_value();
        let body = fields
            .iter()
            .find(|(name, _)| name == "body")
            .map(|(_, value)| value.clone())
            .unwrap_or_default();
        if changed == "body" {
            set_words.set(word_count(&body));
        }
        let sent = references_from_fields(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        set_timeout(
            move || {
                if typed.get_value() == this {
                    references.set_value(sent);
                    preview.dispatch(body);
                }
            },
            Duration::from_millis(150),
        );
    };
    Effect::new(move || browser::on_editor_input(on_form_input));
    Effect::new(browser::ask_before_leaving_unsaved);
    let has_error = error.is_some();
    let invalid = has_error.then_some("true");
    let describedby = if has_error {
        "body-hint body-error"
    } else {
        "body-hint"
    };
    view! {
        <SessionWarning session/>
        <div class="body-editor">
        <div class="field field--body" class:field--invalid=has_error>
            <label for="body">"Body (Markdown)"</label>
            <p class="hint" id="body-hint">
                "Blank line between paragraphs; ## for a heading; cite as (Author et al., 2019)."
            </p>
            {error.map(|error| view! { <p class="field-error" id="body-error">{error}</p> })}
            <textarea
                id="body"
                name="body"
                rows=20
                aria-invalid=invalid
                aria-describedby=describedby
            >
                {textarea_text(&body)}
            </textarea>
            <p class="hint body-length" id="body-length">{move || length_label(words.get())}</p>
        </div>
        {move || view! { <ChecksPanel report=checks.get()/> }}
        <section class="preview" aria-labelledby="preview-heading" tabindex="0" data-live=move || live.get().then_some("true")>
            <h2 id="preview-heading">"Preview"</h2>
            <p class="hint preview-legend">
                <mark class="hard-sentence-sample">"Marked like this"</mark>
                ": a hard sentence (over 25 words, or above grade 10). Patients do not see the marks; "
                "Readability in the checks lists each one."
            </p>
            <p class="hint" role="status">{move || status.get()}</p>
            {move || checks.with(|checks| checks.crisis_help).then(|| view! { <CrisisHelpBlock in_preview=true/> })}
            <div class="article-body" inner_html=move || html.get()></div>
        </section>
        </div>
    }
}

/// What the editor knows of its session in the browser: when the server last heard from it, and
/// when the session ends however active. It warns five minutes before the idle limit, and ten
/// before the absolute one; typing keeps the session alive (a request at most once a minute).
#[derive(Clone, Copy)]
struct SessionWatch {
    /// When the server last heard from this page (milliseconds since the epoch).
    heard_at: StoredValue<f64>,
    idle_limit_ms: StoredValue<f64>,
    /// When the session ends however active (milliseconds since the epoch).
    ends_at: StoredValue<f64>,
    ended: RwSignal<bool>,
    warning: RwSignal<Option<String>>,
}

/// How far apart the page's own requests to keep the session alive are, at least.
const KEEP_ALIVE_EVERY_MS: f64 = 60_000.0;

impl SessionWatch {
    fn new() -> SessionWatch {
        let watch = SessionWatch {
            heard_at: StoredValue::new(0.0),
            idle_limit_ms: StoredValue::new(30.0 * 60_000.0),
            ends_at: StoredValue::new(f64::INFINITY),
            ended: RwSignal::new(false),
            warning: RwSignal::new(None),
        };
        // In the browser only: ask how long the session has left, then look every 15 seconds.
        Effect::new(move || {
            watch.keep_alive();
            set_interval(move || watch.look(), Duration::from_secs(15));
        });
        watch
    }

    fn heard(self) {
        self.heard_at.set_value(browser::now_ms());
        self.look();
    }

    fn ended(self) {
        self.ended.set(true);
        self.look();
    }

    /// Typing: keeps the session alive if the server has not heard from the page for a minute.
    fn activity(self) {
        if browser::now_ms() - self.heard_at.get_value() >= KEEP_ALIVE_EVERY_MS {
            self.keep_alive();
        }
    }

    fn keep_alive(self) {
        self.heard_at.set_value(browser::now_ms());
        leptos::task::spawn_local(async move {
            match keep_session().await {
                Ok(clock) => {
                    let now = browser::now_ms();
                    self.idle_limit_ms
                        .set_value(clock.idle_limit_secs as f64 * 1000.0);
                    self.ends_at
                        .set_value(now + clock.ends_in_secs as f64 * 1000.0);
                    self.ended.set(false);
                    self.heard();
                }
                Err(AppError::Unauthorized | AppError::Forbidden) => self.ended(),
                Err(_) => {}
            }
        });
    }

    fn look(self) {
        let warning = session_warning(
            browser::now_ms(),
            self.heard_at.get_value(),
            self.idle_limit_ms.get_value(),
            self.ends_at.get_value(),
            self.ended.get_untracked(),
        );
        if self.warning.get_untracked() != warning {
            self.warning.set(warning);
        }
    }

    /// Whether the session is over (nothing keeps it alive any more).
    fn is_over(self) -> bool {
        self.warning.with(|warning| {
            warning
                .as_deref()
                .is_some_and(|text| text.starts_with(ENDED))
        })
    }
}

/// How the warning of a session that is over begins.
const ENDED: &str = "Your session has ended.";

/// What to tell the writer about their session, if anything: `now`, `heard_at` and `ends_at` in
/// milliseconds since the epoch. The server records activity at most once a minute, so the
/// idle limit is counted from a minute before the page last heard from it.
fn session_warning(
    now: f64,
    heard_at: f64,
    idle_limit_ms: f64,
    ends_at: f64,
    ended: bool,
) -> Option<String> {
    const KEPT: &str = "What you typed is still here: press \u{201c}Save draft\u{201d}, sign in again on the page that follows, and send it from there.";
    let idle_left = heard_at - 60_000.0 + idle_limit_ms - now;
    let minutes = |ms: f64| (ms / 60_000.0).ceil().max(1.0) as i64;
    let plural = |count: i64| if count == 1 { "minute" } else { "minutes" };
    if ended || now >= ends_at || idle_left <= 0.0 {
        Some(format!("{ENDED} {KEPT}"))
    } else if ends_at - now <= 10.0 * 60_000.0 {
        let left = minutes(ends_at - now);
        Some(format!(
            "Your session ends in {left} {} (12 hours after you signed in), however busy you are. Save your work now; if the session ends first, nothing is lost. {KEPT}",
            plural(left)
        ))
    } else if idle_left <= 5.0 * 60_000.0 {
        let left = minutes(idle_left);
        Some(format!(
            "You will be signed out in {left} {} unless you type or press \u{201c}Stay signed in\u{201d}.",
            plural(left)
        ))
    } else {
        None
    }
}

/// The session's warning, when there is one: fixed at the foot of the window, with a button that
/// keeps the session alive (while it can be).
#[component]
fn SessionWarning(session: SessionWatch) -> impl IntoView {
    move || {
        session.warning.get().map(|warning| {
            let can_stay = !session.is_over();
            view! {
                <div class="session-warning" role="alert">
                    <p>{warning}</p>
                    {can_stay.then(|| view! {
                        <button type="button" class="button" on:click=move |_| session.keep_alive()>
                            "Stay signed in"
                        </button>
                    })}
                </div>
            }
        })
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    //! The editor form's fields, read in the browser on each input.
    use leptos::prelude::window_event_listener;
    use wasm_bindgen::JsCast;
    use web_sys::{Element, FormData, HtmlFormElement};

    pub fn now_ms() -> f64 {
        js_sys::Date::now()
    }

    /// Calls `then` with the editor form's fields and the changed field's name on every input in
    /// that form.
    pub fn on_editor_input(then: impl Fn(Vec<(String, String)>, String) + Copy + 'static) {
        let handle = window_event_listener(leptos::ev::input, move |event| {
            if let Some((fields, name)) = fields_of(&event) {
                then(fields, name);
            }
        });
        std::mem::forget(handle);
    }

    /// Asks before the page is left (closed, reloaded, navigated away) with typing not yet sent:
    /// from the first input in the editor form until that form is submitted by any of its
    /// buttons. The browser words the question itself.
    pub fn ask_before_leaving_unsaved() {
        let unsaved = std::rc::Rc::new(std::cell::Cell::new(false));
        let typed = unsaved.clone();
        let on_input = window_event_listener(leptos::ev::input, move |event| {
            if in_editor(&event) {
                typed.set(true);
            }
        });
        let sent = unsaved.clone();
        let on_submit = window_event_listener(leptos::ev::submit, move |event| {
            if in_editor(&event) {
                sent.set(false);
            }
        });
        let on_leave = window_event_listener(leptos::ev::beforeunload, move |event| {
            if unsaved.get() {
                event.prevent_default();
                event.set_return_value("unsaved");
            }
        });
        std::mem::forget((on_input, on_submit, on_leave));
    }

    fn in_editor(event: &web_sys::Event) -> bool {
        let target = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok());
        target.is_some_and(|target| matches!(target.closest("form.editor"), Ok(Some(_))))
    }

    fn fields_of(event: &web_sys::Event) -> Option<(Vec<(String, String)>, String)> {
        let target: Element = event.target()?.dyn_into().ok()?;
        let name = target.get_attribute("name").unwrap_or_default();
        let form: HtmlFormElement = target.closest("form.editor").ok()??.dyn_into().ok()?;
        let data = FormData::new_with_form(&form).ok()?;
        let mut fields = Vec::new();
        for entry in js_sys::try_iter(&data).ok()?? {
            let pair: js_sys::Array = entry.ok()?.dyn_into().ok()?;
            let value = pair.get(1).as_string().unwrap_or_default();
            fields.push((pair.get(0).as_string()?, value));
        }
        Some((fields, name))
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    //! On the server nothing is typed: the island's effects never run there.
    pub fn now_ms() -> f64 {
        0.0
    }

    pub fn on_editor_input(_then: impl Fn(Vec<(String, String)>, String) + Copy + 'static) {}

    pub fn ask_before_leaving_unsaved() {}
}

#[cfg(test)]
mod tests {
    use super::session_warning;

    const MINUTE: f64 = 60_000.0;
    const IDLE: f64 = 30.0 * MINUTE;

    #[test]
    fn the_editor_warns_before_the_idle_limit_and_says_when_the_session_has_ended() {
        let start = 1_000_000.0 * MINUTE;
        let never = f64::INFINITY;
        assert_eq!(
            session_warning(start + 20.0 * MINUTE, start, IDLE, never, false),
            None
        );
        let soon = session_warning(start + 25.0 * MINUTE, start, IDLE, never, false).unwrap();
        assert!(soon.contains("signed out in 4 minutes"), "{soon}");
        let gone = session_warning(start + 29.0 * MINUTE, start, IDLE, never, false).unwrap();
        assert!(gone.starts_with("Your session has ended."), "{gone}");
        let told = session_warning(start, start, IDLE, never, true).unwrap();
        assert!(told.contains("What you typed is still here"), "{told}");
    }

    #[test]
    fn the_editor_warns_before_the_absolute_limit_however_active() {
        let now = 1_000_000.0 * MINUTE;
        let warning = session_warning(now, now, IDLE, now + 9.5 * MINUTE, false).unwrap();
        assert!(warning.contains("ends in 10 minutes"), "{warning}");
        let ended = session_warning(now, now, IDLE, now - 1.0, false).unwrap();
        assert!(ended.starts_with("Your session has ended."), "{ended}");
    }
}
