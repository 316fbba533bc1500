//! `/admin/glossary` (reviewers and admins): the glossary's terms, adding one; and
//! `/admin/glossary/{id}`: changing or removing one. Each definition shows its reading grade
//! (the editor's readability check: 6 or below asked for).

use super::form::{
    ConfirmPanel, DoneNotice, ErrorSummary, FormOutcome, TextArea, TextField, use_outcome,
};
use super::{AdminMeta, AdminNav, loading, staff_page};
use crate::api::glossary::{admin_glossary, admin_glossary_term};
use crate::content::glossary::{DEFINITION_GRADE, GlossaryTerm, definition_grade};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// On a save refused because someone else saved first: the term as it is now.
#[derive(Clone, Debug)]
pub struct TermConflict(pub GlossaryTerm);

#[component]
pub fn GlossaryAdminPage() -> impl IntoView {
    view! {
        <AdminMeta title="Glossary"/>
        <Suspense fallback=loading>
            {staff_page(admin_glossary(), |me, terms| {
                view! { <AdminNav me/> <Glossary terms/> }.into_any()
            })}
        </Suspense>
    }
}

/// "Grade 5.2: plain enough", or what to do when it is not.
fn grade_note(definition: &str) -> String {
    match definition_grade(definition) {
        Some(grade) if grade <= DEFINITION_GRADE => {
            format!("Reading grade {grade:.1}: plain enough.")
        }
        Some(grade) => format!(
            "Reading grade {grade:.1}: aim for {DEFINITION_GRADE:.0} or below (shorter sentences, shorter words)."
        ),
        None => "Too short to grade.".to_owned(),
    }
}

#[component]
fn Glossary(terms: Vec<GlossaryTerm>) -> impl IntoView {
    let outcome: FormOutcome = use_outcome().unwrap_or_default();
    let count = terms.len();
    let rows = terms
        .into_iter()
        .map(|term| {
            let grade = grade_note(&term.definition);
            view! {
                <tr>
                    <th scope="row" data-label="Term">
                        <a href=format!("/admin/glossary/{}", term.id)>{term.term}</a>
                    </th>
                    <td data-label="Definition">{term.definition}</td>
                    <td data-label="Also">{term.also.join(", ")}</td>
                    <td data-label="Readability">{grade}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>"Glossary"</h1>
        <DoneNotice/>
        <p>
            "The first time an article uses one of these words, it links to its plain definition on "
            <a href="/glossary">"the glossary page"</a>". Only the link is added: the article's words stay as written."
        </p>
        <section aria-labelledby="add-term">
            <h2 id="add-term">"Add a term"</h2>
            <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
            <form method="post" action="/admin/glossary" class="stack">
                <input type="hidden" name="intent" value="add"/>
                <TermFields outcome=outcome.clone()/>
                <button type="submit" class="button">"Add the term"</button>
            </form>
        </section>
        <section aria-labelledby="terms">
            <h2 id="terms">{format!("Terms ({count})")}</h2>
            <table class="glossary-table">
                <thead>
                    <tr><th scope="col">"Term"</th><th scope="col">"Definition"</th><th scope="col">"Also"</th><th scope="col">"Readability"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// The three fields of a term, with what was typed and what to fix.
#[component]
fn TermFields(outcome: FormOutcome) -> impl IntoView {
    view! {
        <TextField name="term" label="Term" value=outcome.value("term") error=outcome.error("term")
            hint="As patients meet it in articles, like synapse or NMDA receptor."/>
        <TextArea name="definition" label="Plain definition" value=outcome.value("definition")
            error=outcome.error("definition") rows=3
            hint="One or two short sentences a patient can follow, as you would say it to them."/>
        <TextArea name="also" label="Other forms (optional)" value=outcome.value("also")
            error=outcome.error("also") rows=2
            hint="One per line: plurals, abbreviations, the long name (synapses, TRD)."/>
    }
}

/// The term's form filled with the term as saved (its version the one the next save is from).
pub fn as_saved(term: &GlossaryTerm) -> FormOutcome {
    FormOutcome {
        values: [
            ("term".to_owned(), term.term.clone()),
            ("definition".to_owned(), term.definition.clone()),
            ("also".to_owned(), term.also.join("\n")),
            ("version".to_owned(), term.version.to_string()),
        ]
        .into(),
        ..FormOutcome::default()
    }
}

#[component]
pub fn GlossaryTermPage() -> impl IntoView {
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    view! {
        <AdminMeta title="Glossary term"/>
        <Suspense fallback=loading>
            {staff_page(admin_glossary_term(id), |me, term| {
                view! { <AdminNav me/> <EditTerm term/> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn EditTerm(term: GlossaryTerm) -> impl IntoView {
    let outcome = use_outcome().unwrap_or_else(|| as_saved(&term));
    let conflict = use_context::<TermConflict>();
    let action = format!("/admin/glossary/{}", term.id);
    let grade = grade_note(&outcome.value("definition"));
    view! {
        <p><a href="/admin/glossary">"All terms"</a></p>
        <h1>{format!("Glossary term: {}", term.term)}</h1>
        <ConfirmPanel/>
        <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
        {conflict.map(|TermConflict(now)| view! {
            <section class="conflict" aria-labelledby="saved-now">
                <h2 id="saved-now">"What is saved now"</h2>
                <dl>
                    <dt>"Term"</dt><dd>{now.term}</dd>
                    <dt>"Definition"</dt><dd>{now.definition}</dd>
                    <dt>"Other forms"</dt><dd>{now.also.join(", ")}</dd>
                </dl>
            </section>
        })}
        <form method="post" action=action class="stack">
            <input type="hidden" name="version" value=outcome.value("version")/>
            <TermFields outcome=outcome.clone()/>
            <p class="hint">{grade}</p>
            <div class="actions">
                <button type="submit" name="intent" value="save" class="button">"Save the term"</button>
                <button type="submit" name="intent" value="remove" class="button button--danger">"Remove the term"</button>
            </div>
        </form>
        <p>
            "Patients see it at "
            <a href=format!("/glossary#{}", term.anchor)>{format!("/glossary#{}", term.anchor)}</a>"."
        </p>
    }
}
