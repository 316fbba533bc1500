//! Crisis help, following safe-messaging practice: hopeful and direct, with ways to reach a
//! person right now, and no detail about methods. US services: 988 (the Suicide & Crisis
//! Lifeline, call or text) and 911 in an emergency.

use leptos::prelude::*;

/// The "Need help now?" link in every page's header.
#[component]
pub fn CrisisHelpLink() -> impl IntoView {
    view! {
        <a class="crisis-link" href="/help-now">"Need help now?"</a>
    }
}

/// Shown near the top of any article that mentions suicide, self-harm or overdose. In the
/// editor's preview (`in_preview`) it is the same block but not a landmark of its own: the
/// preview is a region, and a complementary landmark must not sit inside one.
#[component]
pub fn CrisisHelpBlock(#[prop(optional)] in_preview: bool) -> impl IntoView {
    let inner = view! {
        <h2 id="crisis-help-title">"If you are thinking about suicide, help is here now"</h2>
        <p>"You are not alone. Trained counselors are there for you, any time, day or night, free and confidential."</p>
        <ul class="crisis-actions">
            <li><a class="crisis-action" href="tel:988">"Call 988"</a></li>
            <li><a class="crisis-action" href="sms:988">"Text 988"</a></li>
            <li><a class="crisis-action crisis-action--emergency" href="tel:911">"Emergency: call 911"</a></li>
        </ul>
        <p><a href="/help-now">"More ways to get help, including chat"</a></p>
    };
    if in_preview {
        view! { <div class="crisis-help">{inner}</div> }.into_any()
    } else {
        view! { <aside class="crisis-help" aria-labelledby="crisis-help-title">{inner}</aside> }
            .into_any()
    }
}
