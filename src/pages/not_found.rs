//! The pages for what went wrong: not found (404) and a failure on our side (500). Both keep
//! crisis help in reach and show no internals.

use crate::components::page_meta::PageMeta;
use crate::components::response::set_http_status;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_http_status(404);
    view! {
        <PageMeta title="Page not found" description="We could not find that page." path="/"/>
        <div class="message-page">
            <h1>"We could not find that page"</h1>
            <p>"The link may be old, or the address may have a typing mistake."</p>
            <ul>
                <li><a href="/">"See all articles"</a></li>
                <li><a href="/glossary">"Look up a medical word"</a>" in the glossary"</li>
                <li><a href="/help-now">"Get help now"</a>" if you are struggling or in crisis"</li>
            </ul>
        </div>
    }
}

/// Shown when loading a page failed; the error's detail was logged on the server.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFoundPage/> }.into_any();
    }
    set_http_status(error.status());
    view! {
        <PageMeta title="Something went wrong" description="This page could not be shown." path="/"/>
        <div class="message-page">
            <h1>"Something went wrong"</h1>
            <p>"This page could not be shown just now. Please try again in a few minutes."</p>
            <ul>
                <li><a href="/">"See all articles"</a></li>
                <li><a href="/help-now">"Get help now"</a>" if you are struggling or in crisis"</li>
            </ul>
        </div>
    }
    .into_any()
}
