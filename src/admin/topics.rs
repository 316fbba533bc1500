//! `/admin/topics` (reviewers and admins): the topics, adding one; and `/admin/topics/{id}`:
//! changing or removing one. Writers choose an article's topics in the editor.

use super::form::{
    ConfirmPanel, DoneNotice, ErrorSummary, FormOutcome, TextArea, TextField, use_outcome,
};
use super::{AdminMeta, AdminNav, loading, staff_page};
use crate::api::topics::{admin_topic, admin_topics};
use crate::content::topics::Topic;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// On a save refused because someone else saved first: the topic as it is now.
#[derive(Clone, Debug)]
pub struct TopicConflict(pub Topic);

#[component]
pub fn TopicsAdminPage() -> impl IntoView {
    view! {
        <AdminMeta title="Topics"/>
        <Suspense fallback=loading>
            {staff_page(admin_topics(), |me, topics| {
                view! { <AdminNav me/> <Topics topics/> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Topics(topics: Vec<Topic>) -> impl IntoView {
    let outcome: FormOutcome = use_outcome().unwrap_or_default();
    let count = topics.len();
    let rows = topics
        .into_iter()
        .map(|topic| {
            let href = topic.href();
            view! {
                <tr>
                    <th scope="row" data-label="Topic">
                        <a href=format!("/admin/topics/{}", topic.id)>{topic.name}</a>
                    </th>
                    <td data-label="Address">{href}</td>
                    <td data-label="Description">{topic.description}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>"Topics"</h1>
        <DoneNotice/>
        <p>
            "Patients browse the articles by topic on "<a href="/topics">"the topics page"</a>
            " and the home page. Writers choose each article's topics in the editor."
        </p>
        <section aria-labelledby="add-topic">
            <h2 id="add-topic">"Add a topic"</h2>
            <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
            <form method="post" action="/admin/topics" class="stack">
                <input type="hidden" name="intent" value="add"/>
                <TopicFields outcome=outcome.clone()/>
                <button type="submit" class="button">"Add the topic"</button>
            </form>
        </section>
        <section aria-labelledby="topics">
            <h2 id="topics">{format!("Topics ({count})")}</h2>
            <table class="glossary-table">
                <thead>
                    <tr><th scope="col">"Topic"</th><th scope="col">"Address"</th><th scope="col">"Description"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// The three fields of a topic, with what was typed and what to fix.
#[component]
fn TopicFields(outcome: FormOutcome) -> impl IntoView {
    view! {
        <TextField name="name" label="Name" value=outcome.value("name") error=outcome.error("name")
            hint="As patients would look for it, like How ketamine treatment works."/>
        <TextField name="slug" label="Address (optional)" value=outcome.value("slug")
            error=outcome.error("slug")
            hint="The topic's address: /topics/address. Lower-case words joined by hyphens. Left empty, it is made from the name."/>
        <TextArea name="description" label="Description (optional)" value=outcome.value("description")
            error=outcome.error("description") rows=3
            hint="One short paragraph: what the articles under this topic help with."/>
    }
}

/// The topic's form filled with the topic as saved.
pub fn as_saved(topic: &Topic) -> FormOutcome {
    FormOutcome {
        values: [
            ("name".to_owned(), topic.name.clone()),
            ("slug".to_owned(), topic.slug.clone()),
            ("description".to_owned(), topic.description.clone()),
            ("version".to_owned(), topic.version.to_string()),
        ]
        .into(),
        ..FormOutcome::default()
    }
}

#[component]
pub fn TopicEditPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    view! {
        <AdminMeta title="Topic"/>
        <Suspense fallback=loading>
            {staff_page(admin_topic(id), |me, topic| {
                view! { <AdminNav me/> <EditTopic topic/> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn EditTopic(topic: Topic) -> impl IntoView {
    let outcome = use_outcome().unwrap_or_else(|| as_saved(&topic));
    let conflict = use_context::<TopicConflict>();
    let action = format!("/admin/topics/{}", topic.id);
    view! {
        <p><a href="/admin/topics">"All topics"</a></p>
        <h1>{format!("Topic: {}", topic.name)}</h1>
        <ConfirmPanel/>
        <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
        {conflict.map(|TopicConflict(now)| view! {
            <section class="conflict" aria-labelledby="saved-now">
                <h2 id="saved-now">"What is saved now"</h2>
                <dl>
                    <dt>"Name"</dt><dd>{now.name}</dd>
                    <dt>"Address"</dt><dd>{now.slug}</dd>
                    <dt>"Description"</dt><dd>{now.description}</dd>
                </dl>
            </section>
        })}
        <form method="post" action=action class="stack">
            <input type="hidden" name="version" value=outcome.value("version")/>
            <TopicFields outcome=outcome.clone()/>
            <div class="actions">
                <button type="submit" name="intent" value="save" class="button">"Save the topic"</button>
                <button type="submit" name="intent" value="remove" class="button button--danger">"Remove the topic"</button>
            </div>
        </form>
        <p>"Patients see it at "<a href=topic.href()>{topic.href()}</a>"."</p>
    }
}
