//! `/search?q=…&page=N`: the articles that match, best first, a snippet under each with the
//! matching words marked; crisis help first when the words read as someone in crisis; "Did you
//! mean" when nothing matched but a near spelling would. A plain GET form, no script. Never
//! stored in the page cache with a query (see `page_cache::answer::cacheable`), never indexed.

use crate::api::public::search_articles;
use crate::components::crisis::CrisisHelpBlock;
use crate::components::loaded::loaded_once;
use crate::components::page_meta::PageMeta;
use crate::content::glossary::GlossaryTerm;
use crate::content::search::{
    MAX_QUERY_CHARS, MAX_QUERY_WORDS, SearchHit, SearchResults, result_page, search_href,
};
use crate::pages::not_found::{ErrorPage, NotFoundPage};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let (q, page) = query.with_untracked(|query| (query.get("q"), query.get("page")));
    let q = q.unwrap_or_default();
    let Some(page) = result_page(page.as_deref()) else {
        return view! { <NotFoundPage/> }.into_any();
    };
    let typed = q.clone();
    view! {
        <PageMeta
            title="Search"
            description="Search the clinic's articles about ketamine treatment."
            path="/search"
            noindex=true
        />
        <h1>"Search"</h1>
        <SearchForm id="search-words" value=typed/>
        <Suspense fallback=|| view! { <p>"Searching…"</p> }>
            {loaded_once(search_articles(q, page), |results| match results {
                Ok(results) => view! { <Results results/> }.into_any(),
                Err(error) => view! { <ErrorPage error/> }.into_any(),
            })}
        </Suspense>
    }
    .into_any()
}

/// The page's own search form (the header has one too): its label shown, `value` in its box.
#[component]
pub fn SearchForm(id: &'static str, #[prop(optional)] value: String) -> impl IntoView {
    view! {
        <form class="search-form" role="search" aria-label="Articles" action="/search" method="get">
            <label for=id>"Search the articles"</label>
            <div class="search-form__row">
                <input id=id type="search" name="q" value=value
                    maxlength=MAX_QUERY_CHARS enterkeyhint="search"/>
                <button type="submit">"Search"</button>
            </div>
        </form>
    }
}

#[component]
fn Results(results: SearchResults) -> impl IntoView {
    let SearchResults {
        query,
        cut,
        crisis,
        hits,
        total,
        page,
        more,
        suggestion,
        definitions,
    } = results;
    if query.is_empty() {
        return view! {
            <p>"Type a word or two about what you want to know, like “side effects” or “PTSD”."</p>
            <Elsewhere/>
        }
        .into_any();
    }
    if hits.is_empty() && page > 1 {
        // A page past the last one does not exist.
        return view! { <NotFoundPage/> }.into_any();
    }
    let found = match total {
        0 => format!("No articles match “{query}”."),
        1 => format!("1 article matches “{query}”."),
        n => format!("{n} articles match “{query}”."),
    };
    view! {
        {crisis.then(|| view! { <CrisisHelpBlock/> })}
        {cut.then(|| view! {
            <p class="search-note">
                {format!(
                    "Your search was long, so only its first {MAX_QUERY_CHARS} characters and \
                     {MAX_QUERY_WORDS} words were used."
                )}
            </p>
        })}
        <p class="search-count" role="status">{found}</p>
        {suggestion.map(|better| view! {
            <p class="search-suggestion">
                "Did you mean "<a href=search_href(&better, 1)>{better.clone()}</a>"?"
            </p>
        })}
        <Definitions terms=definitions/>
        {match hits.is_empty() {
            true => view! {
                <p>"Try fewer words, or another word for the same thing."</p>
                <Elsewhere/>
            }.into_any(),
            false => view! {
                <ol class="search-results">
                    {hits.into_iter().map(|hit| view! { <Hit hit/> }).collect_view()}
                </ol>
                <Pages query page more/>
            }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    view! {
        <li class="search-result">
            <h2><a href=format!("/articles/{}", hit.slug)>{hit.title}</a></h2>
            <p class="search-result__snippet">
                {hit.snippet.into_iter().map(|part| match part.marked {
                    true => view! { <mark>{part.text}</mark> }.into_any(),
                    false => part.text.into_any(),
                }).collect_view()}
            </p>
        </li>
    }
}

/// The glossary's entries for the words searched: each definition, linked to its entry.
#[component]
fn Definitions(terms: Vec<GlossaryTerm>) -> impl IntoView {
    (!terms.is_empty()).then(|| {
        view! {
            <section class="search-definitions" aria-labelledby="definitions-heading">
                <h2 id="definitions-heading">"What the words mean"</h2>
                <dl>
                    {terms.into_iter().map(|term| view! {
                        <dt><a href=format!("/glossary#{}", term.anchor)>{term.term}</a></dt>
                        <dd>{term.definition}</dd>
                    }).collect_view()}
                </dl>
            </section>
        }
    })
}

#[component]
fn Pages(query: String, page: u32, more: bool) -> impl IntoView {
    (page > 1 || more).then(|| {
        view! {
            <nav class="pagination" aria-label="More results">
                {(page > 1).then(|| view! {
                    <a rel="prev" href=search_href(&query, page - 1)>"Better matches"</a>
                })}
                {more.then(|| view! {
                    <a rel="next" href=search_href(&query, page + 1)>"More results"</a>
                })}
            </nav>
        }
    })
}

/// Where else a patient can look.
#[component]
fn Elsewhere() -> impl IntoView {
    view! {
        <ul class="search-elsewhere">
            <li><a href="/topics">"Browse the topics"</a></li>
            <li><a href="/">"See all articles"</a>", newest first"</li>
            <li><a href="/glossary">"Look up a medical word"</a>" in the glossary"</li>
            <li><a href="/help-now">"Get help now"</a>" if you are struggling or in crisis"</li>
        </ul>
    }
}
