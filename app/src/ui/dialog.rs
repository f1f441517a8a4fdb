//! Modal dialogs on the native `<dialog>` element: the browser makes the rest of the page inert
//! (focus stays inside) and Escape closes it; focus returns to where it was when it opened.

use leptos::{html, prelude::*};

/// A modal dialog shown while `open` is true. `children` hold its text and buttons.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    /// Where focus goes on closing when the element that opened the dialog is gone.
    #[prop(optional)]
    fallback_focus: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let title_id = format!(
        "dialog-{}",
        title
            .to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), "-")
    );
    let labelled_by = title_id.clone();
    Effect::new(move |_| {
        let wanted = open.get();
        #[cfg(feature = "hydrate")]
        if let Some(dialog) = dialog.get() {
            focus_memory::toggle(&dialog, wanted, fallback_focus);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (wanted, dialog, fallback_focus);
    });
    view! {
        <dialog node_ref=dialog class="modal" aria-labelledby=labelled_by
            on:cancel=move |_: leptos::ev::Event| open.set(false)
            on:close=move |_: leptos::ev::Event| open.set(false)>
            <h2 id=title_id class="modal-title">{title}</h2>
            {children()}
        </dialog>
    }
}

#[cfg(feature = "hydrate")]
mod focus_memory {
    use std::cell::RefCell;
    use wasm_bindgen::JsCast;

    thread_local! {
        /// The element that had focus when the dialog opened.
        static OPENER: RefCell<Option<web_sys::HtmlElement>> = const { RefCell::new(None) };
    }

    pub fn toggle(dialog: &web_sys::HtmlDialogElement, open: bool, fallback: Option<&str>) {
        if open && !dialog.open() {
            let opener = leptos::prelude::document()
                .active_element()
                .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
            OPENER.with(|slot| *slot.borrow_mut() = opener);
            let _ = dialog.show_modal();
        } else if !open && dialog.open() {
            dialog.close();
        }
        if !open {
            let opener = OPENER.with(|slot| slot.borrow_mut().take());
            let target = opener.filter(|opener| opener.is_connected()).or_else(|| {
                fallback
                    .and_then(|id| leptos::prelude::document().get_element_by_id(id))
                    .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
            });
            if let Some(target) = target {
                let _ = target.focus();
            }
        }
    }
}

/// The guide's "Confirmation" dialog: a question, "Close" and "Confirm".
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    /// What the person confirms; may contain emphasis.
    children: Children,
    on_confirm: Callback<()>,
    #[prop(into)] pending: Signal<bool>,
    /// A refusal to show inside the dialog.
    #[prop(into)]
    error: Signal<Option<String>>,
    #[prop(optional)] fallback_focus: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Modal open title="Confirmation" fallback_focus=fallback_focus.unwrap_or("main")>
            <div aria-live="assertive">
                {move || error.get().map(|message| view! { <p class="alert alert-error" role="alert">{message}</p> })}
            </div>
            <div class="modal-body">{children()}</div>
            <div class="modal-actions">
                <button type="button" class="button" on:click=move |_| open.set(false)>"Close"</button>
                <button type="button" class="button button-primary"
                    aria-disabled=move || pending.get().to_string()
                    on:click=move |_| if !pending.get_untracked() { on_confirm.run(()) }>
                    "Confirm"
                </button>
            </div>
        </Modal>
    }
}
