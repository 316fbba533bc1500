//! The article's print button. Printing needs the browser, but not WebAssembly: a few lines of
//! inline script (allowed by their SHA-256 in the page's Content-Security-Policy, so no nonce
//! is needed and the page can be cached whole) reveal the button and wire it up. Without
//! JavaScript the button stays hidden, so nobody sees a dead button; the browser's own print
//! menu uses the same print stylesheet.

use leptos::prelude::*;

/// The script that brings the button to life; `page_policy` allows exactly this text.
pub const PRINT_SCRIPT: &str = "for(const b of document.querySelectorAll('button[data-print]')){b.hidden=false;b.addEventListener('click',()=>window.print())}";

#[component]
pub fn PrintButton() -> impl IntoView {
    view! {
        <button type="button" class="print-button" data-print="" hidden=true>
            "Print this article"
        </button>
        <script inner_html=PRINT_SCRIPT></script>
    }
}
