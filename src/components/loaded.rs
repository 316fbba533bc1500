//! A page's data, loaded once per render.
//!
//! `Suspense` runs its children once to find what they wait for and again to render them (three
//! times for a future that is ready at once: "working as designed", leptos issue 2956). A page
//! that awaited its server functions inside the children ran every query that many times: three
//! list queries per render of the home page in PostgreSQL's log. Here the loading future is made
//! once, when the page's component runs, and every run of the children awaits the same result.
//! No `Resource`: pages are not hydrated, so nothing needs serializing into them.

use futures::future::FutureExt;
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use std::sync::Arc;

/// The children of a page's `Suspense`: `render` of what `load` gave. `load` runs at most once,
/// however often the children run, and with the owner of the component that calls this (so
/// server functions see the request's context).
pub fn loaded_once<T>(
    load: impl Future<Output = T> + Send + 'static,
    render: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl Fn() -> Suspend<AnyView> + Send + Sync + 'static
where
    T: Clone + Send + Sync + 'static,
{
    let data = ScopedFuture::new(load).boxed().shared();
    let render = Arc::new(render);
    move || {
        let (data, render) = (data.clone(), render.clone());
        Suspend::new(async move { render(data.await) })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    /// The page `children` makes, rendered as the server renders pages (`Async` mode: all of
    /// it, once everything it waits for is ready).
    async fn render<C, V>(children: C) -> String
    where
        C: Fn() -> V + Send + Sync + 'static,
        V: IntoView + 'static,
    {
        let _ = any_spawner::Executor::init_tokio();
        let owner = Owner::new();
        owner.set();
        let view = view! { <Suspense fallback=|| "loading">{children}</Suspense> };
        futures::StreamExt::collect::<String>(view.to_html_stream_in_order()).await
    }

    fn counted(runs: &Arc<AtomicUsize>) -> impl Future<Output = u32> + Send + 'static {
        let runs = runs.clone();
        async move {
            runs.fetch_add(1, SeqCst);
            tokio::task::yield_now().await;
            42
        }
    }

    #[tokio::test]
    async fn a_page_loads_its_data_once_per_render() {
        let runs = Arc::new(AtomicUsize::new(0));
        let html = render(loaded_once(counted(&runs), |answer| {
            view! { <p>{answer}</p> }.into_any()
        }))
        .await;
        assert!(html.contains("<p>42</p>"), "{html}");
        assert_eq!(runs.load(SeqCst), 1);
    }

    /// Why: awaited inside the children, the same loading runs more than once per render.
    #[tokio::test]
    async fn awaited_in_the_children_it_would_run_again() {
        let runs = Arc::new(AtomicUsize::new(0));
        let counter = runs.clone();
        let html = render(move || {
            let load = counted(&counter);
            Suspend::new(async move {
                view! { <p>{load.await}</p> }
            })
        })
        .await;
        assert!(html.contains("<p>42</p>"), "{html}");
        assert!(runs.load(SeqCst) > 1, "ran {} times", runs.load(SeqCst));
    }
}
