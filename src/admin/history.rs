//! `/admin/articles/{id}/history`: every revision (who, when, note), a diff between any two,
//! and "Restore", which saves an old revision again as the newest (nothing is overwritten).

use super::form::{DoneNotice, ErrorSummary, use_outcome};
use super::time::admin_time;
use super::{AdminMeta, AdminNav, loading, staff_page};
use crate::api::admin::{ArticleHistory, admin_history};
use crate::content::editing::{DiffLine, DiffSpan, RevisionDiff};
use crate::content::review::{Acknowledgement, ArticleEvent, ReviewNote};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = params
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    let number = |key: &str| {
        query
            .read_untracked()
            .get(key)
            .and_then(|v| v.parse::<i64>().ok())
    };
    let (from, to) = (number("from"), number("to"));
    view! {
        <AdminMeta title="History"/>
        <Suspense fallback=loading>
            {staff_page(admin_history(id, from, to), |me, history| {
                view! { <AdminNav me/> <History history/> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn History(history: ArticleHistory) -> impl IntoView {
    let ArticleHistory {
        article,
        revisions,
        diff,
        acknowledgements,
        notes,
        events,
    } = history;
    let outcome = use_outcome().unwrap_or_default();
    let id = article.id;
    let head = article.head_revision_id;
    let (from, to) = match &diff {
        Some(diff) => (diff.from, diff.to),
        None => (revisions.get(1).map_or(head, |r| r.id), head),
    };
    // Revisions are shown by the article's own count ("version 3"); forms and URLs use ids.
    let versions: Versions = revisions.iter().map(|r| (r.id, r.number)).collect();
    let version = move |id: i64| version_name(&versions, id);
    let rows = revisions
        .into_iter()
        .map(|revision| {
            let rid = revision.id;
            let is_head = rid == head;
            let name = version(rid);
            let steps: Vec<ArticleEvent> = events
                .iter()
                .filter(|event| event.revision_id == rid)
                .cloned()
                .collect();
            view! {
                <tr>
                    <td>
                        <input type="radio" name="from" value=rid.to_string() checked=rid == from id=format!("from-{rid}") aria-label=format!("Compare from {name}") form="compare"/>
                    </td>
                    <td>
                        <input type="radio" name="to" value=rid.to_string() checked=rid == to id=format!("to-{rid}") aria-label=format!("Compare to {name}") form="compare"/>
                    </td>
                    <td>{capitalised(&name)}</td>
                    <td>{admin_time(&revision.created_at)}</td>
                    <td>{revision.saved_by}</td>
                    <td>
                        {revision.note}
                        {revision.published.then(|| view! { " " <strong class="badge">"Live"</strong> })}
                        {is_head.then(|| view! { " " <strong class="badge">"Newest"</strong> })}
                        <ReviewSteps steps/>
                    </td>
                    <td>
                        {(!is_head).then(|| view! {
                            <form method="post" action=format!("/admin/articles/{id}/history")>
                                <input type="hidden" name="base_revision" value=head.to_string()/>
                                <input type="hidden" name="revision" value=rid.to_string()/>
                                <button type="submit" class="button button--small">{format!("Restore {name}")}</button>
                            </form>
                        })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>{format!("History: {}", article.draft.title)}</h1>
        <DoneNotice/>
        <ErrorSummary message=outcome.message errors=Default::default()/>
        <p><a href=format!("/admin/articles/{id}")>"Back to the editor"</a></p>
        <form method="get" id="compare" action=format!("/admin/articles/{id}/history")></form>
        <div class="table-wrap">
            <table class="admin-table">
                <caption>"Revisions, newest first. Pick two and compare them."</caption>
                <thead>
                    <tr>
                        <th scope="col">"From"</th>
                        <th scope="col">"To"</th>
                        <th scope="col">"Revision"</th>
                        <th scope="col">"Saved"</th>
                        <th scope="col">"By"</th>
                        <th scope="col">"Note"</th>
                        <th scope="col">"Restore"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p><button type="submit" form="compare" class="button button--secondary">"Compare"</button></p>
        {diff.map(|diff| {
            let title = format!("Changes from {} to {}", version(diff.from), version(diff.to));
            view! { <DiffView diff title/> }
        })}
        <ReviewRecord acknowledgements notes version/>
    }
}

/// What reviewers recorded: warnings they published with (and why), and their requests for
/// changes.
/// Each revision's id and the article's own number for it.
type Versions = std::collections::BTreeMap<i64, i64>;

/// "version 3" for the revision with `id` (its id when it is not the article's).
fn version_name(versions: &Versions, id: i64) -> String {
    match versions.get(&id) {
        Some(number) => format!("version {number}"),
        None => format!("revision #{id}"),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The review steps taken on one revision: who submitted, sent back, published or unpublished
/// it, when, and the note they typed.
#[component]
fn ReviewSteps(steps: Vec<ArticleEvent>) -> impl IntoView {
    (!steps.is_empty()).then(|| {
        view! {
            <ul class="review-steps">
                {steps.into_iter().map(|step| {
                    let note = (!step.note.is_empty()).then(|| format!(": \u{201c}{}\u{201d}", step.note));
                    view! {
                        <li>
                            <strong>{step.kind.label()}</strong>
                            {format!(" by {}, {}", step.by, admin_time(&step.at))}
                            {note}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    })
}

#[component]
fn ReviewRecord(
    acknowledgements: Vec<Acknowledgement>,
    notes: Vec<ReviewNote>,
    version: impl Fn(i64) -> String + 'static,
) -> impl IntoView {
    let acknowledged = (!acknowledgements.is_empty()).then(|| {
        view! {
            <h3>"Warnings acknowledged at publishing"</h3>
            <ul class="review-record">
                {acknowledgements.into_iter().map(|ack| view! {
                    <li>
                        <p>{format!("{}: {}", capitalised(&version(ack.revision_id)), ack.finding)}</p>
                        <p>{format!("Reason ({}, {}): {}", ack.by, admin_time(&ack.at), ack.reason)}</p>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let requested = (!notes.is_empty()).then(|| {
        view! {
            <h3>"Changes requested"</h3>
            <ul class="review-record">
                {notes.into_iter().map(|note| {
                    let state = if note.resolved { "resolved" } else { "open" };
                    view! {
                        <li>
                            <p>{format!("{}, {} ({}, {}):", capitalised(&version(note.revision_id)), note.by, admin_time(&note.at), state)}</p>
                            {(!note.quote.is_empty()).then(|| view! { <blockquote>{note.quote}</blockquote> })}
                            <p>{note.note}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    });
    let empty = acknowledged.is_none() && requested.is_none();
    view! {
        <section aria-labelledby="review-record-heading">
            <h2 id="review-record-heading">"Clinical review record"</h2>
            {empty.then(|| view! { <p>"No warnings acknowledged and no changes requested yet."</p> })}
            {acknowledged}
            {requested}
        </section>
    }
}

/// A removed or added line, its changed words marked.
#[component]
fn DiffSpans(spans: Vec<DiffSpan>) -> impl IntoView {
    spans
        .into_iter()
        .map(|span| {
            if span.changed {
                view! { <strong class="diff-word">{span.text}</strong> }.into_any()
            } else {
                span.text.into_any()
            }
        })
        .collect_view()
}

#[component]
fn DiffView(diff: RevisionDiff, title: String) -> impl IntoView {
    let empty = diff.fields.is_empty();
    view! {
        <section class="diff" aria-labelledby="diff-heading">
            <h2 id="diff-heading">{title}</h2>
            {empty.then(|| view! { <p>"No differences."</p> })}
            {diff
                .fields
                .into_iter()
                .map(|(field, lines)| {
                    view! {
                        <h3>{field}</h3>
                        <div class="diff-lines">
                            {lines
                                .into_iter()
                                .map(|line| match line {
                                    DiffLine::Same(text) => view! { <div class="diff-same">{text}</div> }.into_any(),
                                    DiffLine::Removed(spans) => view! {
                                        <del class="diff-removed"><span class="visually-hidden">"Removed: "</span><DiffSpans spans/></del>
                                    }
                                    .into_any(),
                                    DiffLine::Added(spans) => view! {
                                        <ins class="diff-added"><span class="visually-hidden">"Added: "</span><DiffSpans spans/></ins>
                                    }
                                    .into_any(),
                                })
                                .collect_view()}
                        </div>
                    }
                })
                .collect_view()}
        </section>
    }
}
