use super::{error_alert, load, Loaded};
use crate::accounts::{
    api::load_session,
    types::{CurrentUser, SessionInfo},
};
use crate::error::AppError;
use leptos::prelude::*;

/// The session as loaded once per page: who is signed in, and whether development tools exist.
#[derive(Clone, Copy)]
pub struct SessionResource(pub Loaded<Result<SessionInfo, AppError>>);

pub fn provide_session() {
    provide_context(SessionResource(load(|| (), |_| load_session())));
}

pub fn use_session() -> Loaded<Result<SessionInfo, AppError>> {
    expect_context::<SessionResource>().0
}

/// Loads the whole page again: after sign-in or sign-out everything on it changes.
pub fn reload_to(path: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Renders `children` with the signed-in user, or a prompt to sign in.
#[component]
pub fn RequireUser<V, F>(children: F) -> impl IntoView
where
    F: Fn(crate::accounts::types::CurrentUser) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let session = use_session();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {
                let children = children.clone();
                Suspend::new(async move {
                    match session.await {
                        Ok(SessionInfo { user: Some(user), .. }) => children(user).into_any(),
                        Ok(_) => view! { <SignInPrompt/> }.into_any(),
                        Err(error) => error_alert(&error),
                    }
                })
            }
        </Suspense>
    }
}

#[component]
fn SignInPrompt() -> impl IntoView {
    view! {
        <div class="card">
            <p>"Please sign in to continue."</p>
            <a class="button button-primary" href=sign_in_here()>"Sign in"</a>
        </div>
    }
}

/// The sign-in page's address, coming back to this page afterwards (an emailed link opened while
/// signed out leads where it was going).
pub fn sign_in_here() -> Signal<String> {
    let location = leptos_router::hooks::use_location();
    Signal::derive(move || {
        let (path, search) = (location.pathname.get(), location.search.get());
        let here = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        crate::accounts::types::sign_in_href(&here)
    })
}

/// The page to go to after signing in, from the sign-in page's `next` parameter: a page of this
/// portal, or home.
pub fn return_to() -> Signal<String> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || {
        query.with(|q| {
            q.get("next")
                .filter(|next| crate::accounts::types::return_path(next).is_some())
                .unwrap_or_else(|| "/".to_owned())
        })
    })
}

/// Staff only; everyone else is told so (the server refuses their changes anyway).
#[component]
pub fn StaffOnly(children: ChildrenFn) -> impl IntoView {
    let children = StoredValue::new(children);
    view! {
        <RequireUser children=move |user: CurrentUser| if user.is_staff {
            children.with_value(|children| children()).into_any()
        } else {
            view! { <p class="alert alert-error" role="alert">"This page is for the CareConnect team."</p> }.into_any()
        }/>
    }
}
