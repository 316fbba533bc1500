//! `/glossary`: every term the clinic has defined, A-Z, each at its own anchor
//! (`/glossary#synapse`), where an article's first use of the term links.

use crate::api::public::glossary;
use crate::components::loaded::loaded_once;
use crate::components::page_meta::PageMeta;
use crate::content::glossary::GlossaryTerm;
use crate::pages::not_found::ErrorPage;
use leptos::prelude::*;

#[component]
pub fn GlossaryPage() -> impl IntoView {
    view! {
        <PageMeta
            title="Glossary"
            description="What the medical words in our articles mean, in plain language."
            path="/glossary"
        />
        <h1>"Glossary"</h1>
        <p class="lead">"What the medical words in our articles mean, in plain language."</p>
        <Suspense fallback=|| view! { <p>"Loading the glossary…"</p> }>
            {loaded_once(glossary(), |terms| match terms {
                Ok(terms) if terms.is_empty() => {
                    view! { <p>"There are no terms here yet."</p> }.into_any()
                }
                Ok(terms) => view! { <Letters terms/> }.into_any(),
                Err(error) => view! { <ErrorPage error/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The terms grouped by their first letter, with a list of the letters first.
#[component]
fn Letters(terms: Vec<GlossaryTerm>) -> impl IntoView {
    let mut groups: Vec<(char, Vec<GlossaryTerm>)> = Vec::new();
    for term in terms {
        let letter = term.letter();
        match groups.last_mut() {
            Some((last, group)) if *last == letter => group.push(term),
            _ => groups.push((letter, vec![term])),
        }
    }
    let letter_id = |letter: char| match letter {
        '#' => "letter-other".to_owned(),
        letter => format!("letter-{}", letter.to_ascii_lowercase()),
    };
    view! {
        <nav class="letter-nav" aria-label="Glossary letters">
            <ul>
                {groups.iter().map(|(letter, _)| view! {
                    <li><a href=format!("#{}", letter_id(*letter))>{letter.to_string()}</a></li>
                }).collect_view()}
            </ul>
        </nav>
        {groups.into_iter().map(|(letter, terms)| view! {
            <section class="glossary-letter" aria-labelledby=letter_id(letter)>
                <h2 id=letter_id(letter)>{letter.to_string()}</h2>
                <dl class="glossary">
                    {terms.into_iter().map(|term| view! { <Entry term/> }).collect_view()}
                </dl>
            </section>
        }).collect_view()}
    }
}

#[component]
fn Entry(term: GlossaryTerm) -> impl IntoView {
    let also = (!term.also.is_empty()).then(|| term.also.join(", "));
    view! {
        <div class="glossary-entry" id=term.anchor>
            <dt><dfn>{term.term}</dfn></dt>
            <dd>
                <p>{term.definition}</p>
                {also.map(|also| view! { <p class="glossary-also">"Also: "{also}</p> })}
            </dd>
        </div>
    }
}
