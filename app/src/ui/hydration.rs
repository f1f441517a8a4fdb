//! Whether the page has come alive in the browser. Pages are loaded on demand, so hydration is
//! asynchronous: it waits for the current page's chunk. An effect may run before it ends, so "an
//! effect has run" no longer means "hydrated"; this flag does.

use leptos::prelude::*;

/// Set by the browser's entry point ([`crate::hydrate`]) once the whole page is hydrated; absent
/// on the server, where a page never is.
#[derive(Clone, Copy)]
pub struct Hydrated(RwSignal<bool>);

impl Hydrated {
    pub fn new() -> Self {
        Self(RwSignal::new(false))
    }

    pub fn provide(self) {
        provide_context(self);
    }

    pub fn finish(self) {
        self.0.set(true);
    }
}

impl Default for Hydrated {
    fn default() -> Self {
        Self::new()
    }
}

/// Tracked: true once the page has hydrated (and for every page shown after that).
pub fn page_hydrated() -> bool {
    use_context::<Hydrated>().is_some_and(|hydrated| hydrated.0.get())
}

/// Renders `children` only once the page has hydrated, so server and browser never disagree
/// about them: for parts whose data the browser loads itself.
#[component]
pub fn AfterHydration(children: ChildrenFn) -> impl IntoView {
    view! { <Show when=page_hydrated>{children()}</Show> }
}
