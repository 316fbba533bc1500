//! `/admin/setup?token=…`: the one-time link a fresh installation logs at start, for creating the
//! first admin in the browser. It works once, for an hour, and only while there is no admin.

use super::AdminMeta;
use super::form::{ErrorSummary, TextField, use_outcome};
use crate::api::admin::setup_link_valid;
use crate::components::response::set_http_status;
use leptos::prelude::*;

#[component]
pub fn SetupPage() -> impl IntoView {
    let token = super::form::link_token();
    let valid = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        setup_link_valid,
    );
    view! {
        <AdminMeta title="Create the first admin"/>
        <Suspense fallback=|| view! { <p>"Checking the link…"</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    if valid.await.unwrap_or(false) {
                        view! { <SetupForm token/> }.into_any()
                    } else {
                        set_http_status(404);
                        view! {
                            <div class="message-page">
                                <h1>"This setup link does not work"</h1>
                                <p>
                                    "It has been used, has expired (links last an hour), or an admin "
                                    "already exists. Restart the server for a new link, or run "
                                    <code>"plasticity user add --role admin"</code>"."
                                </p>
                            </div>
                        }
                        .into_any()
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn SetupForm(token: String) -> impl IntoView {
    let outcome = use_outcome().unwrap_or_default();
    view! {
        <div class="narrow">
            <h1>"Create the first admin"</h1>
            <p>"This account can add the rest of the staff. This link works once."</p>
            <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
            <form method="post" action="/admin/setup" class="stack">
                <input type="hidden" name="token" value=token/>
                <TextField name="name" label="Name" value=outcome.value("name") error=outcome.error("name") autocomplete="name" required=true/>
                <TextField name="email" label="Email" kind="email" value=outcome.value("email") error=outcome.error("email") autocomplete="username" required=true/>
                <TextField name="credentials" label="Credentials (optional)" value=outcome.value("credentials") hint="Post-nominal letters shown with your clinical reviews, e.g. MD."/>
                <TextField name="password" label="Password" kind="password" error=outcome.error("password") autocomplete="new-password" hint="At least 12 characters. A few unrelated words work well." required=true/>
                <TextField name="confirm" label="Password again" kind="password" error=outcome.error("confirm") autocomplete="new-password" required=true/>
                <button type="submit" class="button">"Create admin account"</button>
            </form>
        </div>
    }
}
