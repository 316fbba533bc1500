//! `/admin/articles/new` and `/admin/articles/{id}`: the editor. One form holds the whole
//! article; its buttons save a draft, preview, submit for review and (for reviewers) publish or
//! unpublish. The form carries the revision it was opened at, so a save after someone else's
//! is refused as a conflict and shown with both texts side by side.

use super::editor_choices::{ReadNextChoices, TopicChoices};
use super::form::{ConfirmPanel, DoneNotice, EditorOutcome, ErrorSummary, TextArea, TextField};
use super::preview::BodyEditor;
use super::review_panel::{ReviewFields, ReviewNotes};
use super::{AdminMeta, AdminNav, loading, staff_page};
use crate::api::admin::{
    Preview, admin_article, admin_article_addresses, admin_review_notes, preview_body,
};
use crate::api::public::topic_list;
use crate::content::checks::CheckReport;
use crate::content::editing::{ArticleDraft, EditableArticle, FieldErrors};
use crate::content::read_next::ArticleAddress;
use crate::content::review::ReviewNote;
use crate::content::staff::{Role, StaffMember};
use crate::content::topics::Topic;
use crate::content::{Author, Reference, format_date};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NewArticlePage() -> impl IntoView {
    let outcome = use_context::<EditorOutcome>();
    view! {
        <AdminMeta title="New article"/>
        <Suspense fallback=loading>
            {staff_page(
                async move {
                    let preview = match outcome.map(|outcome| outcome.draft) {
                        Some(draft) => preview_of(&draft).await,
                        None => Preview::default(),
                    };
                    Ok((preview, all_topics().await?, admin_article_addresses().await?))
                },
                |me, (preview, topics, addresses)| {
                    view! { <Editor me article=None preview notes=Vec::new() topics addresses/> }.into_any()
                },
            )}
        </Suspense>
    }
}

#[component]
pub fn EditArticlePage() -> impl IntoView {
    let params = use_params_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    let outcome = use_context::<EditorOutcome>();
    view! {
        <AdminMeta title="Edit article"/>
        <Suspense fallback=loading>
            {staff_page(
                async move {
                    let article = admin_article(id).await?;
                    let notes = admin_review_notes(id, false).await.unwrap_or_default();
                    let shown = outcome.map_or_else(|| article.draft.clone(), |outcome| outcome.draft);
                    let preview = preview_of(&shown).await;
                    let addresses = admin_article_addresses().await?;
                    Ok((article, notes, preview, (all_topics().await?, addresses)))
                },
                |me, (article, notes, preview, (topics, addresses))| {
                    view! { <Editor me article=Some(article) preview notes topics addresses/> }.into_any()
                },
            )}
        </Suspense>
    }
}

/// Every topic, for the editor's choice of them.
async fn all_topics() -> Result<Vec<Topic>, crate::error::AppError> {
    Ok(topic_list()
        .await?
        .into_iter()
        .map(|summary| summary.topic)
        .collect())
}

/// The preview and checks of the draft the editor shows. A body too long to preview, or a busy
/// server, leaves the preview empty and says the checks could not run; the page still renders.
async fn preview_of(draft: &ArticleDraft) -> Preview {
    match preview_body(draft.body.clone(), draft.references.clone()).await {
        Ok(preview) => preview,
        Err(_) => Preview {
            html: String::new(),
            checks: CheckReport::not_run(),
        },
    }
}

/// The editor for `article` (or a new one), filled from a failed submission when this render
/// answers one, else from the newest saved revision.
#[component]
fn Editor(
    me: StaffMember,
    article: Option<EditableArticle>,
    preview: Preview,
    notes: Vec<ReviewNote>,
    topics: Vec<Topic>,
    addresses: Vec<ArticleAddress>,
) -> impl IntoView {
    let outcome = use_context::<EditorOutcome>();
    let typed_review = outcome
        .as_ref()
        .map(|outcome| outcome.review.clone())
        .unwrap_or_default();
    let blanks = outcome
        .as_ref()
        .map_or(1, |outcome| outcome.blank_references.max(1));
    let action = match &article {
        Some(article) => format!("/admin/articles/{}", article.id),
        None => "/admin/articles/new".to_owned(),
    };
    let (draft, base, note, errors, message, conflict) = match (outcome, &article) {
        (Some(outcome), _) => (
            outcome.draft,
            outcome.base,
            outcome.note,
            outcome.errors,
            outcome.message,
            outcome.conflict,
        ),
        (None, Some(article)) => (
            article.draft.clone(),
            Some(article.head_revision_id),
            String::new(),
            FieldErrors::new(),
            None,
            None,
        ),
        (None, None) => (
            ArticleDraft {
                author: Author {
                    name: me.name.clone(),
                    credentials: me.credentials.clone(),
                },
                ..ArticleDraft::default()
            },
            None,
            String::new(),
            FieldErrors::new(),
            None,
            None,
        ),
    };
    let heading = match &article {
        Some(_) => format!("Edit: {}", draft.title),
        None => "New article".to_owned(),
    };
    let reviewer = me.role >= Role::Reviewer;
    let live = article.as_ref().is_some_and(|a| a.state.live);
    let in_review = article.as_ref().is_some_and(|a| a.state.in_review);
    let review_fields = (reviewer && in_review).then(|| {
        view! {
            <ReviewFields checks=preview.checks.clone() references=draft.references.clone() typed=typed_review errors=errors.clone()/>
        }
    });
    let notes_panel = article
        .as_ref()
        .map(|article| view! { <ReviewNotes id=article.id notes reviewer/> });
    let error = |name: &str| errors.get(name).cloned();
    let references = draft.references.clone();
    let in_conflict = conflict.is_some();
    view! {
        <AdminNav me=me.clone()/>
        <h1>{heading}</h1>
        <DoneNotice/>
        {article.as_ref().map(|article| view! { <ArticleStatusPanel article=article.clone()/> })}
        <ConfirmPanel/>
        <ErrorSummary message=message errors=errors.clone()/>
        {notes_panel}
        <div class:conflict-layout=in_conflict>
            <form method="post" action=action class="editor stack" novalidate>
                // Enter in a field presses the form's first button: keep that "Save draft", as it was
                // before "Add another reference" came first in the form.
                <button type="submit" name="intent" value="save" hidden=true tabindex="-1">"Save draft"</button>
                {in_conflict.then(|| view! { <h2>"Your text (not saved yet)"</h2> })}
                <input type="hidden" name="base_revision" value=base.map(|b| b.to_string()).unwrap_or_default()/>
                <TextField name="title" label="Title" value=draft.title.clone() error=error("title") required=true/>
                <TextField
                    name="slug"
                    label="Slug"
                    value=draft.slug.clone()
                    error=error("slug")
                    hint="The article's address: /articles/slug. Lower-case words joined by hyphens. Left empty, it is made from the title."
                />
                <TextArea
                    name="summary"
                    label="Summary"
                    value=draft.summary.clone()
                    error=error("summary")
                    hint="One or two sentences: the main message. Patients see it as \u{201c}Key points\u{201d} at the top of the article, in the article list and in search engines."
                />
                <BodyEditor
                    body=draft.body.clone()
                    preview
                    error=error("body")
                    references=references.clone()
                />
                <fieldset class="stack">
                    <legend>"Author"</legend>
                    <TextField name="author_name" label="Author's name" value=draft.author.name.clone() error=error("author_name") required=true/>
                    <TextField name="author_credentials" label="Author's credentials" value=draft.author.credentials.clone() hint="e.g. BSN RN"/>
                </fieldset>
                <TopicChoices topics chosen=draft.topics.clone() error=error("topics")/>
                <ReadNextChoices addresses chosen=draft.read_next.clone() error=error("read_next")/>
                <ReferencesFields references errors=errors.clone() blanks/>
                <TextField
                    name="note"
                    label="Note about this change (optional)"
                    value=note
                    hint="Shown in the history, e.g. 'Updated dosing paragraph'."
                />
                {review_fields}
                {in_review.then(|| view! {
                    <p class="hint">"This version is waiting for clinical review. Saving changes takes it out of review; then submit it again."</p>
                })}
                <div class="button-row">
                    <button type="submit" name="intent" value="save" class="button">"Save draft"</button>
                    <button type="submit" name="intent" value="preview" class="button button--secondary">"Preview"</button>
                    {(!in_review).then(|| view! {
                        <button type="submit" name="intent" value="submit" class="button button--secondary">"Submit for review"</button>
                    })}
                    {(reviewer && article.is_some()).then(|| view! {
                        <button type="submit" name="intent" value="publish" class="button button--secondary">"Publish"</button>
                    })}
                    {(reviewer && live).then(|| view! {
                        <button type="submit" name="intent" value="unpublish" class="button button--danger">"Unpublish"</button>
                    })}
                </div>
            </form>
            {conflict.map(|current| view! { <CurrentVersion current/> })}
        </div>
    }
}

/// Where the article stands: status, who submitted it, review dates, links.
#[component]
fn ArticleStatusPanel(article: EditableArticle) -> impl IntoView {
    let live_link = article.state.live.then(|| {
        let href = format!("/articles/{}", article.draft.slug);
        view! { <li><a href=href>"Read the live page"</a></li> }
    });
    view! {
        <dl class="status-panel">
            <dt>"Status"</dt>
            <dd>{article.state.label()}</dd>
            {article.submitted_by.map(|(_, name)| view! {
                <dt>"Submitted for review by"</dt>
                <dd>{name}</dd>
            })}
            {article.reviewer.map(|reviewer| view! {
                <dt>"Clinically reviewed by"</dt>
                <dd>{reviewer}{article.last_reviewed.map(|day| format!(" on {}", format_date(day)))}</dd>
            })}
            {article.next_review_due.map(|due| view! {
                <dt>"Next review due"</dt>
                <dd>{format_date(due)}</dd>
            })}
        </dl>
        <ul class="inline-links">
            <li><a href=format!("/admin/articles/{}/history", article.id)>"History"</a></li>
            {live_link}
        </ul>
    }
}

/// The references, each in its own group, plus `blanks` empty groups for adding more ("Add
/// another reference" shows one more, without saving). A group left wholly empty is ignored;
/// "Remove" drops one on the next save.
#[component]
fn ReferencesFields(
    references: Vec<Reference>,
    errors: FieldErrors,
    blanks: usize,
) -> impl IntoView {
    let count = references.len();
    let too_many = errors.get("references").cloned();
    let groups = references
        .into_iter()
        .chain(std::iter::repeat_n(Reference::default(), blanks))
        .enumerate()
        .map(|(index, reference)| {
            let is_new = index >= count;
            let legend = if is_new {
                format!("Add a reference ({})", index + 1)
            } else {
                format!("Reference {}", index + 1)
            };
            let field = move |name: &str| format!("ref-{index}-{name}");
            let error = |name: &str| errors.get(&field(name)).cloned();
            view! {
                <fieldset class="reference-fields">
                    <legend>{legend}</legend>
                    <TextField name=field("authors") label="Authors" value=reference.authors error=error("authors") hint="Surname, initials, as printed: Duman, R. S., & Li, N."/>
                    <TextField name=field("year") label="Year" value=reference.year error=error("year")/>
                    <TextField name=field("title") label="Title of the work" value=reference.title error=error("title")/>
                    <TextField name=field("journal") label="Journal or source" value=reference.journal error=error("journal")/>
                    <div class="field-row">
                        <TextField name=field("volume") label="Volume" value=reference.volume.unwrap_or_default()/>
                        <TextField name=field("issue") label="Issue" value=reference.issue.unwrap_or_default()/>
                        <TextField name=field("pages") label="Pages" value=reference.pages.unwrap_or_default()/>
                    </div>
                    <TextField name=field("doi") label="DOI (optional)" value=reference.doi.unwrap_or_default() error=error("doi")/>
                    {(!is_new).then(|| view! {
                        <div class="checkbox">
                            <input type="checkbox" id=field("remove") name=field("remove") value="1"/>
                            <label for=field("remove")>{format!("Remove reference {}", index + 1)}</label>
                        </div>
                    })}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <fieldset class="stack" id="references">
            <legend>"References"</legend>
            {too_many.map(|error| view! { <p class="field-error">{error}</p> })}
            {groups}
            <button type="submit" name="intent" value="add_reference" class="button button--secondary" formnovalidate=true>
                "Add another reference"
            </button>
        </fieldset>
    }
}

/// The version someone else saved, beside the user's unsaved text on a conflict.
#[component]
fn CurrentVersion(current: EditableArticle) -> impl IntoView {
    let draft = current.draft;
    view! {
        <section class="current-version" aria-labelledby="current-heading">
            <h2 id="current-heading">"The current saved text"</h2>
            <p class="hint">
                "Someone saved this after you opened it. Copy what you need into your text, then "
                "save again: your save will then replace this version (which stays in the history)."
            </p>
            <h3>"Title"</h3>
            <p class="current-field" data-field="title">{draft.title}</p>
            <h3>"Summary"</h3>
            <p class="current-field" data-field="summary">{draft.summary}</p>
            <h3>"Body"</h3>
            <pre class="current-field current-body" data-field="body">{draft.body}</pre>
        </section>
    }
}
