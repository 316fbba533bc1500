//! The article's print button: an island, because printing needs the browser. It stays hidden
//! until the WebAssembly has hydrated it, so nobody without JavaScript sees a dead button
//! (they can still print from the browser's menu; the print stylesheet applies either way).

use leptos::prelude::*;

#[island]
pub fn PrintButton() -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    view! {
        <button
            type="button"
            class="print-button"
            hidden=move || !hydrated.get()
            on:click=move |_| {
                if let Err(error) = window().print() {
                    leptos::logging::warn!("printing failed: {error:?}");
                }
            }
        >
            "Print this article"
        </button>
    }
}
