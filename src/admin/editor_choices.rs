//! The editor's choices from lists: the topics an article is listed under, and the articles it
//! suggests reading next.

use crate::content::read_next::{ArticleAddress, MAX_READ_NEXT};
use crate::content::topics::{MAX_ARTICLE_TOPICS, Topic};
use leptos::prelude::*;

/// The topics the article is listed under: a checkbox each.
#[component]
pub fn TopicChoices(topics: Vec<Topic>, chosen: Vec<i64>, error: Option<String>) -> impl IntoView {
    (!topics.is_empty()).then(|| {
        view! {
            <fieldset id="topics" class="stack topic-choices" aria-describedby="topics-hint">
                <legend>"Topics"</legend>
                <p class="hint" id="topics-hint">
                    {format!(
                        "Where patients find the article when they browse: choose up to {MAX_ARTICLE_TOPICS}. They see the change once it is published."
                    )}
                </p>
                {error.map(|error| view! { <p class="field-error">{error}</p> })}
                {topics.into_iter().map(|topic| {
                    let id = format!("topic-{}", topic.id);
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name="topic" value=topic.id.to_string()
                                checked=chosen.contains(&topic.id)/>
                            <label for=id>{topic.name}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
        }
    })
}

/// "Read next": a field for each article the editor may choose, in order, each offering the
/// articles by title (a `<datalist>`: the browser's own suggestions, without JavaScript).
#[component]
pub fn ReadNextChoices(
    addresses: Vec<ArticleAddress>,
    chosen: Vec<String>,
    error: Option<String>,
) -> impl IntoView {
    let invalid = error.as_ref().map(|_| "true");
    let describedby = match error {
        Some(_) => "read-next-error read-next-hint",
        None => "read-next-hint",
    };
    view! {
        <fieldset id="read_next" class="stack read-next-choices">
            <legend>"Read next"</legend>
            <p class="hint" id="read-next-hint">
                {format!(
                    "Up to {MAX_READ_NEXT} articles offered to patients at the end of this one, in this order. Start typing a title and choose from the list, or paste a link. Fields left empty are filled with articles that share a topic."
                )}
            </p>
            {error.map(|error| view! { <p class="field-error" id="read-next-error">{error}</p> })}
            {(0..MAX_READ_NEXT).map(|index| {
                let id = format!("read-next-{}", index + 1);
                view! {
                    <div class="field">
                        <label for=id.clone()>{format!("Article {}", index + 1)}</label>
                        <input type="text" id=id name="read_next" list="article-addresses"
                            autocomplete="off" spellcheck="false"
                            value=chosen.get(index).cloned().unwrap_or_default()
                            aria-invalid=invalid aria-describedby=describedby/>
                    </div>
                }
            }).collect_view()}
            <datalist id="article-addresses">
                {addresses.into_iter().map(|address| view! {
                    <option value=address.slug>{address.title}</option>
                }).collect_view()}
            </datalist>
        </fieldset>
    }
}
