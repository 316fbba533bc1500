//! `/admin/synonyms` (admins): the words patients type that mean what the articles say another
//! way. A search for any entry of a group also finds the others ("Spravato" finds
//! "esketamine"), with typos forgiven as in any search.

use super::form::{DoneNotice, ErrorSummary, FormOutcome, TextArea, use_outcome};
use super::{AdminMeta, AdminNav, loading, staff_page};
use crate::api::search::admin_synonyms;
use crate::content::search::{MAX_SYNONYM_ENTRIES, MAX_SYNONYM_GROUPS, SearchSynonyms};
use leptos::prelude::*;

/// On a save refused because someone else saved first: the list as it is now.
#[derive(Clone, Debug)]
pub struct SynonymsConflict(pub SearchSynonyms);

#[component]
pub fn SynonymsPage() -> impl IntoView {
    view! {
        <AdminMeta title="Search synonyms"/>
        <Suspense fallback=loading>
            {staff_page(admin_synonyms(), |me, synonyms| {
                view! { <AdminNav me/> <Synonyms synonyms/> }.into_any()
            })}
        </Suspense>
    }
}

/// The form filled with the list as saved.
pub fn as_saved(synonyms: &SearchSynonyms) -> FormOutcome {
    FormOutcome {
        values: [
            ("list".to_owned(), synonyms.list.clone()),
            ("version".to_owned(), synonyms.version.to_string()),
        ]
        .into(),
        ..FormOutcome::default()
    }
}

#[component]
fn Synonyms(synonyms: SearchSynonyms) -> impl IntoView {
    let outcome = use_outcome().unwrap_or_else(|| as_saved(&synonyms));
    let conflict = use_context::<SynonymsConflict>();
    let rows = outcome.value("list").lines().count().clamp(6, 24) as u32;
    view! {
        <h1>"Search synonyms"</h1>
        <DoneNotice/>
        <p>
            "Patients search in their own words. Each line is a group of words or phrases that "
            "mean the same thing: a search for any of them finds articles that use the others. "
            "Typos are forgiven as in any search, so "<q>"spravado"</q>" still finds "
            <q>"esketamine"</q>" through the line "<q>"esketamine, Spravato"</q>"."
        </p>
        <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
        {conflict.map(|SynonymsConflict(now)| view! {
            <section class="conflict" aria-labelledby="saved-now">
                <h2 id="saved-now">"What is saved now"</h2>
                <pre class="saved-list">{now.list}</pre>
            </section>
        })}
        <form method="post" action="/admin/synonyms" class="stack">
            <input type="hidden" name="version" value=outcome.value("version")/>
            <TextArea name="list" label="Synonym groups" value=outcome.value("list")
                error=outcome.error("list") rows
                hint=format!(
                    "One group a line, its entries separated by commas, like: PTSD, post-traumatic stress. \
                     At most {MAX_SYNONYM_GROUPS} lines of {MAX_SYNONYM_ENTRIES} entries."
                )/>
            <button type="submit" class="button">"Save the synonyms"</button>
        </form>
        <p>"Every search on the site uses the saved list at once."</p>
    }
}
