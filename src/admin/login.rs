//! `/admin/login`: email and password. A wrong email and a wrong password get the same answer.

use super::AdminMeta;
use super::form::{ErrorSummary, TextField, use_outcome};
use super::held::{HeldField, HeldNotice, use_held};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = query.read_untracked().get("next").unwrap_or_default();
    let signed_out = query.read_untracked().get("signed_out").is_some();
    let outcome = use_outcome().unwrap_or_default();
    let heading = if use_held().is_some() {
        "Sign in again to send your changes"
    } else {
        "Staff sign-in"
    };
    view! {
        <AdminMeta title="Sign in"/>
        <div class="narrow">
            <h1>{heading}</h1>
            <HeldNotice/>
            {signed_out.then(|| view! { <p class="notice" role="status">"You have signed out."</p> })}
            <ErrorSummary message=outcome.message.clone() errors=Default::default()/>
            <form method="post" action="/admin/login" class="stack">
                <input type="hidden" name="next" value=next/>
                <HeldField/>
                <TextField
                    name="email"
                    label="Email"
                    kind="email"
                    value=outcome.value("email")
                    autocomplete="username"
                    required=true
                />
                <TextField
                    name="password"
                    label="Password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                />
                <button type="submit" class="button">"Sign in"</button>
            </form>
            <p class="hint">"Forgot your password? Ask a Plasticity admin to reset it."</p>
        </div>
    }
}
