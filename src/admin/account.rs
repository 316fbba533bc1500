//! `/admin/account`: change your own password (which signs out your other sessions).

use super::form::{DoneNotice, ErrorSummary, TextField, use_outcome};
use super::{AdminMeta, AdminNav, loading, staff_view};
use crate::api::admin::current_staff;
use crate::content::staff::StaffMember;
use leptos::prelude::*;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <AdminMeta title="Your account"/>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                staff_view(current_staff().await, Ok(()), |me, ()| view! { <Account me/> }.into_any())
            })}
        </Suspense>
    }
}

#[component]
fn Account(me: StaffMember) -> impl IntoView {
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
}
