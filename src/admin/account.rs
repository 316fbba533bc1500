//! `/admin/account`: change your own password (which signs out your other sessions).

use super::form::{DoneNotice, ErrorSummary, TextField, use_outcome};
use super::{AdminErrorPage, AdminMeta, AdminNav};
use crate::api::admin::current_staff;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    let me = Resource::new(|| (), |_| current_staff());
    view! {
        <AdminMeta title="Your account"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => {
                        let outcome = use_outcome().unwrap_or_default();
                        view! {
                            <AdminNav me=me.clone()/>
                            <h1>"Your account"</h1>
                            <DoneNotice/>
                            <p>{format!("{} · {} · {}", me.name, me.email, me.role)}</p>
                            <h2>"Change your password"</h2>
                            <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
                            <form method="post" action="/admin/account" class="stack narrow">
                                <TextField name="current" label="Current password" kind="password" error=outcome.error("current") autocomplete="current-password" required=true/>
                                <TextField name="password" label="New password" kind="password" error=outcome.error("password") autocomplete="new-password" hint="At least 12 characters. A few unrelated words work well." required=true/>
                                <TextField name="confirm" label="New password again" kind="password" error=outcome.error("confirm") autocomplete="new-password" required=true/>
                                <button type="submit" class="button">"Change password"</button>
                            </form>
                        }
                        .into_any()
                    }
                    Ok(None) => view! { <AdminErrorPage error=AppError::Unauthorized/> }.into_any(),
                    Err(error) => view! { <AdminErrorPage error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
