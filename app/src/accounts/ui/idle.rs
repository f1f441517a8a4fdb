//! The warning two minutes before a session idles out, with "Stay signed in". The server says how
//! long the session has left (asking is not activity), so activity in another tab counts too.

use crate::accounts::api::{session_time_left, stay_signed_in};
use crate::accounts::types::IDLE_WARNING_SECONDS;
use crate::ui::{page_hydrated, use_session, Modal};
use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Idle {
    Active,
    /// The session ends within the warning time.
    Warned,
    SignedOut,
}

/// Mounted in every page's frame; does something only on a signed-in page in the browser.
#[component]
pub fn IdleWarning() -> impl IntoView {
    let idle = RwSignal::new(Idle::Active);
    let warned = RwSignal::new(false);
    let signed_out = RwSignal::new(false);
    let session = use_session();
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || !page_hydrated() {
            return started.unwrap_or(false);
        }
        let signed_in = session
            .get()
            .and_then(Result::ok)
            .is_some_and(|info| info.user.is_some());
        if signed_in {
            check(idle, timer);
        }
        signed_in
    });
    // The dialogs follow the state; Escape closes the warning until the next check.
    Effect::new(move |_| {
        warned.set(idle.get() == Idle::Warned);
        signed_out.set(idle.get() == Idle::SignedOut);
    });
    let stay = move |_| {
        leptos::task::spawn_local(async move {
            let left = stay_signed_in().await;
            follow(idle, timer, left.ok().flatten());
        });
    };
    view! {
        <Modal open=warned title="Are you still there?">
            <div class="modal-body">
                <p>"For your security, you will be signed out in about two minutes because you have not used the portal for a while."</p>
            </div>
            <div class="modal-actions">
                <button type="button" class="button button-primary" on:click=stay>"Stay signed in"</button>
            </div>
        </Modal>
        <Modal open=signed_out title="You have been signed out">
            <div class="modal-body">
                <p>"You were signed out because you did not use the portal for a while. Sign in again to continue."</p>
            </div>
            <div class="modal-actions">
                <a class="button button-primary" href=crate::ui::sign_in_here()>"Sign in"</a>
            </div>
        </Modal>
    }
}

/// Asks the server how long the session has left, and acts on the answer.
fn check(idle: RwSignal<Idle>, timer: StoredValue<Option<TimeoutHandle>>) {
    leptos::task::spawn_local(async move {
        match session_time_left().await {
            Ok(left) => follow(idle, timer, left),
            // The portal could not be reached: ask again in a while.
            Err(_) => after(timer, 30, move || check(idle, timer)),
        }
    });
}

/// Shows the warning or the signed-out notice, and sets the next check.
fn follow(idle: RwSignal<Idle>, timer: StoredValue<Option<TimeoutHandle>>, left: Option<i64>) {
    match left {
        None | Some(0) => idle.set(Idle::SignedOut),
        Some(left) if left <= IDLE_WARNING_SECONDS => {
            idle.set(Idle::Warned);
            // Just after the end, the server tells whether it came.
            after(timer, left + 1, move || check(idle, timer));
        }
        Some(left) => {
            idle.set(Idle::Active);
            after(timer, left - IDLE_WARNING_SECONDS, move || {
                check(idle, timer)
            });
        }
    }
}

/// Runs `then` in `seconds`, replacing whatever was set before.
fn after(timer: StoredValue<Option<TimeoutHandle>>, seconds: i64, then: impl FnOnce() + 'static) {
    if let Some(previous) = timer.get_value() {
        previous.clear();
    }
    let wait = std::time::Duration::from_secs(seconds.max(1).unsigned_abs());
    timer.set_value(set_timeout_with_handle(then, wait).ok());
}
