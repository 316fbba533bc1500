//! The article's print button. Printing needs the browser, but not WebAssembly: a line of inline
//! script reveals the button and wires it up. It is rendered with the CSP nonce; the page cache
//! then serves the page without one, allowing the script by its hash instead. Without JavaScript
//! the button stays hidden, so nobody sees a dead button; the browser's own print menu uses the
//! same print stylesheet.

use leptos::prelude::*;

/// The script that brings the button to life.
pub const PRINT_SCRIPT: &str = "for(const b of document.querySelectorAll('button[data-print]')){b.hidden=false;b.addEventListener('click',()=>window.print())}";

#[component]
pub fn PrintButton() -> impl IntoView {
    view! {
        <button type="button" class="print-button" data-print="" hidden=true>
            "Print this article"
        </button>
        <script nonce=use_nonce() inner_html=PRINT_SCRIPT></script>
    }
}
