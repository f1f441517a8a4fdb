//! Modal dialogs on the native `<dialog>` element: the browser makes the rest of the page inert
//! (focus stays inside) and Escape closes it; focus returns to where it was when it opened.

use crate::error::AppError;
use leptos::{html, prelude::*};
use server_fn::ServerFn;

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
            on:cancel=move |_: leptos::ev::Event| close(open)
            on:close=move |_: leptos::ev::Event| close(open)>
            <h2 id=title_id class="modal-title">{title}</h2>
            {children()}
        </dialog>
    }
}

/// Marks the dialog closed once: a second notification would run the focus return again.
fn close(open: RwSignal<bool>) {
    if open.get_untracked() {
        open.set(false);
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
            // Nothing to return to unless this dialog was opened (the effect also runs at mount).
            let Some(opener) = OPENER.with(|slot| slot.borrow_mut().take()) else {
                return;
            };
            let target = Some(opener)
                .filter(|opener| opener.is_connected())
                .or_else(|| {
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

/// A change that waits for its "Confirmation": what is being confirmed, whether the dialog is
/// open, the refusal to show in it, and what to announce once the server has done it.
pub struct Confirming<T: Send + Sync + 'static> {
    pub subject: RwSignal<Option<T>>,
    pub open: RwSignal<bool>,
    pub done: RwSignal<Option<String>>,
    pub refusal: Signal<Option<String>>,
    forget_last_answer: Callback<()>,
}

impl<T: Send + Sync + 'static> Clone for Confirming<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Confirming<T> {}

impl<T: Clone + Send + Sync + 'static> Confirming<T> {
    /// Opens the dialog about `subject`, clearing what the last change said.
    pub fn ask(self, subject: T) {
        self.forget_last_answer.run(());
        self.done.set(None);
        self.subject.set(Some(subject));
        self.open.set(true);
    }
}

/// Ties `action` to a confirmation: on success the dialog closes and `done` says what happened.
pub fn confirming<T, S>(
    action: ServerAction<S>,
    done: impl Fn(&T) -> String + Send + Sync + 'static,
) -> Confirming<T>
where
    T: Clone + Send + Sync + 'static,
    S: ServerFn<Error = AppError, Output = ()> + Clone + Send + Sync + 'static,
{
    let subject = RwSignal::new(None::<T>);
    let open = RwSignal::new(false);
    let done_message = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            if let Some(finished) = subject.get_untracked() {
                done_message.set(Some(done(&finished)));
            }
            open.set(false);
        }
    });
    Confirming {
        subject,
        open,
        done: done_message,
        refusal: Signal::derive(move || {
            action
                .value()
                .get()
                .and_then(Result::err)
                .map(|error| error.to_string())
        }),
        forget_last_answer: Callback::new(move |()| action.value().set(None)),
    }
}
