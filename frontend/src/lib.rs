//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // The release bundle aborts at once on a panic (scripts/build-release.sh), so a panic hook
    // would never run there.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    app::hydrate();
}
