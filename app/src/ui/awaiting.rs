//! What a `Suspense` or `Transition` shows once the resources it awaits have loaded.
//!
//! `{move || Suspend::new(async move { … })}` makes a new render function type at every call
//! site, and Leptos compiles the rendering of each (its render effect; building, hydrating and
//! rebuilding the `Suspend` and what it returns) once per type. Here every call site's future is
//! boxed and every answer is an `AnyView`, so that code is in the browser bundle once; the error
//! view is shared too.

use crate::error::AppError;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

type ViewFuture = Pin<Box<dyn Future<Output = Result<AnyView, AppError>> + Send>>;
type ViewFn = Arc<dyn Fn() -> ViewFuture + Send + Sync>;

/// Renders the view `load` produces once the resources it awaits are ready (again whenever they
/// reload); a refusal is shown as an alert in its place. Put it inside `Suspense`/`Transition`.
pub fn awaiting<Fut>(load: impl Fn() -> Fut + Send + Sync + 'static) -> impl IntoView
where
    Fut: Future<Output = Result<AnyView, AppError>> + Send + 'static,
{
    awaiting_erased(Arc::new(move || Box::pin(load()) as ViewFuture))
}

/// The render function itself, as the call sites wrote it, not an `AnyView` of it. Server and
/// browser must create a page's resources in the same order, since the browser finds each one's
/// answer by its number; with this wrapped in `AnyView`, and with `RequireUser`'s one-off
/// `Suspend` turned into such a function, they did not (the worksite page's requests list read
/// the worksite's details and hydration failed), so `RequireUser` keeps its plain `Suspend`.
fn awaiting_erased(load: ViewFn) -> impl Fn() -> Suspend<AnyView> + Send + Sync + 'static {
    move || {
        let loading = load();
        Suspend::new(async move { loading.await.unwrap_or_else(|error| error_alert(&error)) })
    }
}

/// A refusal or failure in place of what could not be shown.
pub fn error_alert(error: &AppError) -> AnyView {
    view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }.into_any()
}
