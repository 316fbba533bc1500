//! The staff pages: sign-in, the dashboard, the editor, history, staff accounts, the audit log.
//! Every page reads through a server function that checks the session and role first; the
//! server also redirects an admin page request without a session to `/admin/login?next=…`
//! before any of this renders. None of these pages is cached or indexed.

pub mod account;
pub mod audit;
pub mod checks_panel;
pub mod dashboard;
pub mod done;
pub mod editor;
mod editor_choices;
pub mod form;
pub mod glossary;
pub mod held;
pub mod history;
pub mod login;
pub mod passkey;
pub mod preview;
pub mod review_panel;
pub mod setup;
pub mod staff;
pub mod synonyms;
pub mod time;
pub mod topics;
pub mod two_factor;
pub mod welcome;

use crate::components::loaded::loaded_once;
use crate::components::raw_text::title_text;
use crate::components::response::set_http_status;
use crate::content::staff::{Role, StaffMember};
use crate::error::AppError;
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The children of a staff page's `Suspense`: who is signed in and `load`'s data, loaded once
/// (see `loaded_once`), given to `page`; a failure of either becomes `AdminErrorPage` (401, 403,
/// 404 or 500).
pub fn staff_page<T>(
    load: impl Future<Output = Result<T, AppError>> + Send + 'static,
    page: impl Fn(StaffMember, T) -> AnyView + Send + Sync + 'static,
) -> impl Fn() -> Suspend<AnyView> + Send + Sync + 'static
where
    T: Clone + Send + Sync + 'static,
{
    let load = async move { (crate::api::admin::current_staff().await, load.await) };
    loaded_once(load, move |loaded| match loaded {
        (Ok(Some(me)), Ok(data)) => page(me, data),
        (Ok(None), _) => view! { <AdminErrorPage error=AppError::Unauthorized/> }.into_any(),
        (Err(error), _) | (_, Err(error)) => view! { <AdminErrorPage error/> }.into_any(),
    })
}

/// The page number a paged staff page was asked for (`?page=N`), 1 when absent or not a number.
pub fn query_page() -> u32 {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("page")
        .and_then(|page| page.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Shown while a staff page's data loads (never seen: pages render complete on the server).
pub fn loading() -> impl IntoView {
    view! { <p>"Loading…"</p> }
}

/// The title and the robots rule every admin page has.
#[component]
pub fn AdminMeta(#[prop(into)] title: String) -> impl IntoView {
    view! {
        <Title text=title_text(&format!("{title} · Plasticity staff"))/>
        <Meta name="robots" content="noindex, nofollow"/>
    }
}

/// The staff navigation, with the links this member's role may use and the sign-out button.
#[component]
pub fn AdminNav(me: StaffMember) -> impl IntoView {
    let admin = me.role >= Role::Admin;
    let glossary = me.role >= crate::api::glossary::GLOSSARY_ROLE;
    view! {
        <nav class="admin-nav" aria-label="Staff">
            <ul>
                <li><a href="/admin">"Articles"</a></li>
                <li><a href="/admin/articles/new">"New article"</a></li>
                {glossary.then(|| view! {
                    <li><a href="/admin/topics">"Topics"</a></li>
                    <li><a href="/admin/glossary">"Glossary"</a></li>
                })}
                {admin.then(|| view! {
                    <li><a href="/admin/synonyms">"Search synonyms"</a></li>
                    <li><a href="/admin/staff">"Staff"</a></li>
                    <li><a href="/admin/audit">"Audit log"</a></li>
                })}
                <li><a href="/admin/account">"Your account"</a></li>
            </ul>
            <form method="post" action="/admin/logout" class="sign-out">
                <span class="signed-in-as">{format!("Signed in as {} ({})", me.name, me.role)}</span>
                <button type="submit" class="button button--secondary">"Sign out"</button>
            </form>
        </nav>
    }
}

/// What an admin page shows when its data could not be loaded: 403 for a role that may not see
/// it, 404 for a missing article, a generic failure otherwise (details are in the log).
#[component]
pub fn AdminErrorPage(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => view! { <NotFoundPage/> }.into_any(),
        AppError::Unauthorized => {
            set_http_status(401);
            view! {
                <AdminMeta title="Please sign in"/>
                <div class="message-page">
                    <h1>"Please sign in"</h1>
                    <p><a href="/admin/login">"Sign in"</a>" to use the staff pages."</p>
                </div>
            }
            .into_any()
        }
        AppError::Forbidden => {
            set_http_status(403);
            view! {
                <AdminMeta title="Not allowed"/>
                <div class="message-page">
                    <h1>"Your account cannot open this page"</h1>
                    <p>"Ask an admin if you need it. "<a href="/admin">"Back to the articles"</a></p>
                </div>
            }
            .into_any()
        }
        AppError::NotConfigured => {
            set_http_status(503);
            view! {
                <AdminMeta title="Not set up yet"/>
                <div class="message-page">
                    <h1>"Signing in is not set up yet"</h1>
                    <p>{AppError::NotConfigured.to_string()}</p>
                </div>
            }
            .into_any()
        }
        other => {
            set_http_status(other.status());
            view! {
                <AdminMeta title="Something went wrong"/>
                <div class="message-page">
                    <h1>"Something went wrong"</h1>
                    <p>{other.to_string()}</p>
                    <p><a href="/admin">"Back to the articles"</a></p>
                </div>
            }
            .into_any()
        }
    }
}
