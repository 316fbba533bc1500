//! `/admin/welcome?token=…`: the invitation or password reset link an admin made for someone.
//! The person chooses their own password here (the same strength rules as everywhere), then
//! goes on to the second factor (setting it up, for a new account). The link works once, for
//! 72 hours, and not on a browser signed in to any account.

use super::AdminMeta;
use super::form::{ErrorSummary, TextField, use_outcome};
use crate::api::admin::{StaffLinkView, staff_link};
use crate::components::response::set_http_status;
use crate::content::staff::LinkKind;
use leptos::prelude::*;

#[component]
pub fn WelcomePage() -> impl IntoView {
    let token = super::form::link_token();
    let link = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        staff_link,
    );
    view! {
        <AdminMeta title="Choose your password"/>
        <Suspense fallback=|| view! { <p>"Checking the link…"</p> }>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match link.await {
                        Ok(Some(link)) => view! { <Welcome link token/> }.into_any(),
                        _ => {
                            set_http_status(404);
                            view! {
                                <div class="message-page">
                                    <h1>"This link does not work"</h1>
                                    <p>
                                        "It has been used already, or it has expired (links work for 72 hours). "
                                        "Ask a Plasticity admin for a new one."
                                    </p>
                                </div>
                            }
                            .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Welcome(link: StaffLinkView, token: String) -> impl IntoView {
    let outcome = use_outcome().unwrap_or_default();
    let StaffLinkView {
        name,
        email,
        kind,
        signed_in_as,
    } = link;
    if let Some(someone) = signed_in_as {
        return view! {
            <div class="narrow">
                <h1>"Sign out first"</h1>
                <p>
                    {format!("This browser is signed in as {someone}. This link is for {name} ({email}): sign out, then open the link again.")}
                </p>
                <form method="post" action="/admin/logout">
                    <button type="submit" class="button">"Sign out"</button>
                </form>
            </div>
        }
        .into_any();
    }
    let (heading, intro, button) = match kind {
        LinkKind::Invite => (
            format!("Welcome, {name}"),
            "Choose the password you will sign in with. Next you set up a second factor: a code from an authenticator app on your phone.",
            "Set my password",
        ),
        LinkKind::Reset => (
            format!("Choose a new password, {name}"),
            "Your old password stops working, and you are signed out everywhere else. Next you give your second factor as usual.",
            "Set my new password",
        ),
    };
    view! {
        <div class="narrow">
            <h1>{heading}</h1>
            <p>{intro}</p>
            <p>{format!("Your account: {email}")}</p>
            <ErrorSummary message=outcome.message.clone() errors=outcome.errors.clone()/>
            <form method="post" action="/admin/welcome" class="stack">
                <input type="hidden" name="token" value=token/>
                <TextField name="password" label="Password" kind="password" error=outcome.error("password") autocomplete="new-password" hint="At least 12 characters. A few unrelated words work well." required=true/>
                <TextField name="confirm" label="Password again" kind="password" error=outcome.error("confirm") autocomplete="new-password" required=true/>
                <button type="submit" class="button">{button}</button>
            </form>
        </div>
    }
    .into_any()
}
