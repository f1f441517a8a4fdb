//! Forms of the main browser bundle's pages that post to a server function.

use leptos::{ev::SubmitEvent, prelude::*};
use server_fn::ServerFn;

/// The fields of a submitted form, by name.
pub struct FormFields {
    #[cfg(feature = "hydrate")]
    data: Option<web_sys::FormData>,
}

impl FormFields {
    fn of(event: &SubmitEvent) -> Self {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let data = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|form| web_sys::FormData::new_with_form(&form).ok());
            Self { data }
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = event;
            Self {}
        }
    }

    /// The field's text; empty when the form has no such field.
    pub fn text(&self, name: &str) -> String {
        #[cfg(feature = "hydrate")]
        {
            self.data
                .as_ref()
                .and_then(|data| data.get(name).as_string())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = name;
            String::new()
        }
    }

    /// The field as a whole number; `None` when it is missing or not one.
    pub fn number(&self, name: &str) -> Option<i64> {
        self.parsed(name)
    }

    /// The field read as `T` (an id, a Worksite ID); `None` when it is missing or not one.
    pub fn parsed<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.text(name).trim().parse().ok()
    }
}

/// A form that posts to the server function `S`: the browser posts it itself until the page is
/// hydrated (the server function then answers with a redirect back to the page), and `action`
/// sends it afterwards, with the input `input` reads from its fields. Attributes given with
/// `attr:` go on the `<form>`.
///
/// Leptos's `ActionForm` does the same for any input type, reading it through serde_qs's parser
/// and B-tree maps. Measured on the release build, the four forms of the pages in the main bundle
/// (sign in, sign out, accept an invitation, open CareConnect) took them into that bundle: with
/// `PostForm` instead, it is 239.0 KB brotli rather than 260.4 (its WASM 919 109 bytes rather
/// than 981 946). The forms of the pages loaded in chunks keep `ActionForm`.
#[component]
pub fn PostForm<S>(
    action: ServerAction<S>,
    /// The server function's input read from the fields; `None` sends nothing (a field the page
    /// wrote was altered into something that cannot be sent).
    input: fn(&FormFields) -> Option<S>,
    children: Children,
) -> impl IntoView
where
    S: ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if let Some(input) = input(&FormFields::of(&event)) {
            action.dispatch(input);
        }
    };
    view! {
        <form action=S::url() method="post" on:submit=submit>{children()}</form>
    }
}
