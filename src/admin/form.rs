//! The pieces every admin form is made of: labelled fields that show their own error and keep
//! what was typed, the error summary, and the outcome of a submission. Forms are plain HTML
//! forms that post to their page's own URL; the server answers with a redirect when the
//! submission worked, or renders the page again with what was typed and what to fix.

use crate::components::raw_text::textarea_text;
use crate::content::editing::{ArticleDraft, EditableArticle, FieldErrors};
use leptos::prelude::*;
use std::collections::BTreeMap;

pub use super::done::{Done, DoneNotice};

/// What a failed submission leaves for the page rendering it again: the sentence saying what
/// went wrong, a message per field, and every value typed (never passwords).
#[derive(Clone, Debug, Default)]
pub struct FormOutcome {
    pub message: Option<String>,
    pub errors: FieldErrors,
    pub values: BTreeMap<String, String>,
}

impl FormOutcome {
    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    pub fn error(&self, name: &str) -> Option<String> {
        self.errors.get(name).cloned()
    }
}

/// The token of a one-time link (`?token=`) this page was opened with; when the render answers
/// the page's form, the token the form carried.
pub fn link_token() -> String {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("token")
        .or_else(|| use_outcome().map(|outcome| outcome.value("token")))
        .unwrap_or_default()
}

/// The outcome of a submission being rendered now, if this render answers one.
pub fn use_outcome() -> Option<FormOutcome> {
    use_context::<FormOutcome>()
}

/// What an editor submission that did not save leaves for the editor: the whole draft as typed,
/// the problems, and on a conflict the newer saved version to show beside it.
#[derive(Clone, Debug)]
pub struct EditorOutcome {
    pub draft: ArticleDraft,
    /// The revision the next save is based on (on a conflict: the newer one, now seen).
    pub base: Option<i64>,
    pub note: String,
    pub errors: FieldErrors,
    pub message: Option<String>,
    pub conflict: Option<EditableArticle>,
    /// The reviewer's fields as typed (`ack-KEY`, `checked-ref-N`, `review_months`,
    /// `review_note`, `review_quote`).
    pub review: std::collections::BTreeMap<String, String>,
    /// How many empty reference groups to show ("Add another reference" adds one).
    pub blank_references: usize,
}

/// A step that cannot be undone, asked about before it is taken: the page again with this
/// question at its top, a button that sends the same request again, confirmed, and a way back.
/// Asked by the server, so it works without JavaScript too.
#[derive(Clone, Debug)]
pub struct ConfirmStep {
    /// "Deactivate Kim Writer?"
    pub question: String,
    /// What happens, in a sentence or two.
    pub consequence: String,
    /// Where the confirmed request goes, and its fields (`confirmed=yes` is added).
    pub action: String,
    pub fields: Vec<(String, String)>,
    /// The confirming button: "Yes, deactivate Kim Writer".
    pub confirm: String,
    /// Where "Cancel" goes.
    pub cancel: String,
}

/// The field a confirmed request carries.
pub const CONFIRMED_FIELD: &str = "confirmed";

/// The question of a step that cannot be undone, when this render asks one.
#[component]
pub fn ConfirmPanel() -> impl IntoView {
    use_context::<ConfirmStep>().map(|step| {
        let ConfirmStep {
            question,
            consequence,
            action,
            fields,
            confirm,
            cancel,
        } = step;
        view! {
            <section class="confirm-step" role="alertdialog" aria-labelledby="confirm-heading" aria-describedby="confirm-consequence">
                <h2 id="confirm-heading">{question}</h2>
                <p id="confirm-consequence">{consequence}</p>
                <form method="post" action=action class="button-row">
                    {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
                    <input type="hidden" name=CONFIRMED_FIELD value="yes"/>
                    <button type="submit" class="button button--danger">{confirm}</button>
                    <a class="button button--secondary" href=cancel>"Cancel"</a>
                </form>
            </section>
        }
    })
}

/// Brings Copy buttons to life (they stay hidden without JavaScript): each copies the text of
/// the element its `data-copy` names, and says so in the element beside it.
const COPY_SCRIPT: &str = "for(const b of document.querySelectorAll('button[data-copy]')){if(b.dataset.live)continue;b.dataset.live='1';b.hidden=false;const said=document.getElementById(b.dataset.copy+'-said');b.addEventListener('click',async()=>{try{await navigator.clipboard.writeText(document.getElementById(b.dataset.copy).textContent);said.textContent='Copied.'}catch(e){said.textContent='This browser would not copy it: select it and copy it yourself.'}})}";

/// A button that copies the text of the element `target` (by id) to the clipboard.
#[component]
pub fn CopyButton(target: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <button type="button" class="button button--secondary" data-copy=target hidden=true>{label}</button>
        <span class="hint copy-said" id=format!("{target}-said") role="status"></span>
        <script nonce=use_nonce() inner_html=COPY_SCRIPT></script>
    }
}

/// "There is a problem" with a link to each field that needs fixing; first on the page so a
/// screen reader hears it at once.
#[component]
pub fn ErrorSummary(message: Option<String>, errors: FieldErrors) -> impl IntoView {
    (message.is_some() || !errors.is_empty()).then(|| {
        view! {
            <div class="error-summary" role="alert" tabindex="-1" id="error-summary">
                <h2>"There is a problem"</h2>
                {message.map(|message| view! { <p>{message}</p> })}
                <ul>
                    {errors
                        .into_iter()
                        .map(|(field, message)| {
                            view! { <li><a href=format!("#{field}")>{message}</a></li> }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// What a field shows before its input: the label, the hint, the error; and the ids that tie
/// the hint and error to the input (`aria-describedby`).
struct FieldParts {
    lead: AnyView,
    describedby: Option<String>,
    invalid: Option<&'static str>,
}

fn field_parts(
    name: &str,
    label: String,
    hint: Option<String>,
    error: Option<String>,
) -> FieldParts {
    let hint_id = hint.as_ref().map(|_| format!("{name}-hint"));
    let error_id = error.as_ref().map(|_| format!("{name}-error"));
    let ids: Vec<String> = hint_id.iter().chain(error_id.iter()).cloned().collect();
    let invalid = error.is_some().then_some("true");
    let lead = view! {
        <label for=name.to_owned()>{label}</label>
        {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
        {error.map(|error| view! { <p class="field-error" id=error_id>{error}</p> })}
    }
    .into_any();
    FieldParts {
        lead,
        describedby: (!ids.is_empty()).then(|| ids.join(" ")),
        invalid,
    }
}

/// A labelled one-line input. Its error (if any) sits between label and input and is tied to
/// the input with `aria-describedby`.
#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// The keyboard a phone shows (`numeric` for codes).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let FieldParts {
        lead,
        describedby,
        invalid,
    } = field_parts(&name, label, hint, error);
    view! {
        <div class="field" class:field--invalid=invalid.is_some()>
            {lead}
            <input
                type=kind
                id=name.clone()
                name=name
                value=value
                aria-invalid=invalid
                aria-describedby=describedby
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck=inputmode.map(|_| "false")
                required=required
            />
        </div>
    }
}

/// A labelled multi-line input, like `TextField`.
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, optional)] value: String,
    #[prop(default = None)] error: Option<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(default = 3)] rows: u32,
) -> impl IntoView {
    let FieldParts {
        lead,
        describedby,
        invalid,
    } = field_parts(&name, label, hint, error);
    view! {
        <div class="field" class:field--invalid=invalid.is_some()>
            {lead}
            <textarea
                id=name.clone()
                name=name
                rows=rows
                aria-invalid=invalid
                aria-describedby=describedby
            >
                {textarea_text(&value)}
            </textarea>
        </div>
    }
}
