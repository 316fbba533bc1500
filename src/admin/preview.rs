//! The editor's body field with its checks panel and live preview: an island, so the rest of
//! the editor stays plain HTML. When typing pauses for 150 ms, the server renders the Markdown
//! with the same code as the public article page and runs the checks, and both are shown (in
//! well under the 300 ms a writer should wait). Without JavaScript the "Preview" button does
//! the same by submitting the form.

use super::checks_panel::ChecksPanel;
use crate::api::admin::{Preview, preview_body};
use crate::components::crisis::CrisisHelpBlock;
use crate::components::raw_text::textarea_text;
use crate::content::Reference;
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
    Effect::new(move || set_live.set(true));
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
        }
        Some(Err(error)) => set_status.set(error.to_string()),
        None => {}
    });
    let on_input = move |event: leptos::ev::Event| {
        let body = event_target_value(&event);
        typed.update_value(|count| *count += 1);
        let this = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() == this {
                    preview.dispatch(body);
                }
            },
            Duration::from_millis(150),
        );
    };
    let has_error = error.is_some();
    let invalid = has_error.then_some("true");
    let describedby = if has_error {
        "body-hint body-error"
    } else {
        "body-hint"
    };
    view! {
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
                on:input=on_input
            >
                {textarea_text(&body)}
            </textarea>
        </div>
        {move || view! { <ChecksPanel report=checks.get()/> }}
        <section class="preview" aria-labelledby="preview-heading" data-live=move || live.get().then_some("true")>
            <h2 id="preview-heading">"Preview"</h2>
            <p class="hint" role="status">{move || status.get()}</p>
            {move || checks.with(|checks| checks.crisis_help).then(|| view! { <CrisisHelpBlock in_preview=true/> })}
            <div class="article-body" inner_html=move || html.get()></div>
        </section>
    }
}
