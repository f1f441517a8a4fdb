//! The live channel in the browser, the header's notification link, the notifications page and
//! the "requests requiring your attention" popup.

use super::api::{load_attention, my_notifications, MarkNotificationsRead};
use super::types::Attention;
use crate::accounts::types::CurrentUser;
use crate::error::AppError;
use crate::ui::*;
use leptos::prelude::*;

/// Counts the server's "something changed for you" events; resources that read it reload.
#[derive(Clone, Copy)]
pub struct LiveUpdates(RwSignal<u64>);

impl LiveUpdates {
    /// Reads the counter, so the calling resource reloads on every change.
    pub fn track(self) -> u64 {
        self.0.get()
    }
}

/// What needs the signed-in person's attention, reloaded whenever the server says so.
#[derive(Clone, Copy)]
pub struct AttentionResource(pub Loaded<Result<Attention, AppError>>);

pub fn provide_live_updates() {
    let live = LiveUpdates(RwSignal::new(0));
    provide_context(live);
    let attention = load(|| (), |_| load_attention());
    provide_context(AttentionResource(attention));
    reload_on_live_updates(attention);
}

pub fn use_live_updates() -> LiveUpdates {
    expect_context::<LiveUpdates>()
}

/// Loads the resource again whenever the server says something changed. (An effect, because a
/// resource re-reads its source only while something awaits it.)
pub fn reload_on_live_updates<T>(resource: Loaded<T>) {
    reload_on_change(resource.reloader());
}

fn reload_on_change(resource: Reloader) {
    let live = use_live_updates();
    Effect::new(move |seen: Option<u64>| {
        let now = live.track();
        if seen.is_some_and(|seen| seen != now) {
            resource.reload();
        }
        now
    });
}

pub fn use_attention() -> Loaded<Result<Attention, AppError>> {
    expect_context::<AttentionResource>().0
}

/// Opens the server-sent event stream once the page has come alive. The browser reconnects by
/// itself; a reconnection counts as a change, since events may have been missed meanwhile.
#[component]
pub fn LiveConnection() -> impl IntoView {
    let live = use_live_updates();
    let session = crate::ui::use_session();
    // Only a signed-in page listens; the stream opens once.
    Effect::new(move |connected: Option<bool>| {
        if connected == Some(true) {
            return true;
        }
        if !crate::ui::page_hydrated() {
            return false;
        }
        let signed_in = session
            .get()
            .and_then(Result::ok)
            .is_some_and(|info| info.user.is_some());
        #[cfg(feature = "hydrate")]
        if signed_in {
            connect(live);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = live;
        signed_in
    });
}

#[cfg(feature = "hydrate")]
fn connect(live: LiveUpdates) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Ok(source) = web_sys::EventSource::new("/events") else {
        return;
    };
    let on_change =
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| live.0.update(|count| *count += 1));
    let mut opened_before = false;
    let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        // Lets tests (and people debugging) see that live updates are flowing.
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-live", "connected");
        }
        // The page's data is fresh at the first connection; after a reconnection it may not be.
        if opened_before {
            live.0.update(|count| *count += 1);
        }
        opened_before = true;
    });
    let _ = source.add_event_listener_with_callback("changed", on_change.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("open", on_open.as_ref().unchecked_ref());
    // The stream lives as long as the page; the browser keeps an open EventSource alive.
    on_change.forget();
    on_open.forget();
}

/// "Notifications" in the header, with the number unread.
#[component]
pub fn NotificationsLink() -> impl IntoView {
    let attention = use_attention();
    view! {
        <Transition fallback=|| view! { <a href="/notifications">"Notifications"</a> }>
            {awaiting(move || async move {
                let unread = attention.await.map(|a| a.unread_notifications).unwrap_or(0);
                Ok(view! {
                    <a href="/notifications" class="notifications-link">
                        "Notifications"
                        {(unread > 0).then(|| view! {
                            <span class="count-badge">{unread}<span class="visually-hidden">" unread"</span></span>
                        })}
                    </a>
                }.into_any())
            })}
        </Transition>
    }
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <PageTitle title="Notifications"/>
        <RequireUser children=|_user: CurrentUser| view! { <NotificationList/> }/>
    }
}

#[component]
fn NotificationList() -> impl IntoView {
    let mark_read = ServerAction::<MarkNotificationsRead>::new();
    let notifications = load(move || mark_read.version().get(), |_| my_notifications());
    reload_on_live_updates(notifications);
    view! {
        <section class="card">
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    Ok(match notifications.await? {
                        list if list.is_empty() => view! { <p>"You have no notifications."</p> }.into_any(),
                        list => {
                            let any_unread = list.iter().any(|n| n.unread);
                            view! {
                                {any_unread.then(|| view! {
                                    <ActionForm action=mark_read attr:class="inline-form">
                                        <button type="submit" class="button">"Mark all as read"</button>
                                    </ActionForm>
                                })}
                                <ul class="notification-list">
                                    {list.into_iter().map(|item| view! {
                                        <li class="notification" class:unread=item.unread>
                                            {item.unread.then(|| view! { <span class="badge">"New"</span> })}
                                            <a href=item.link>{item.text}</a>
                                            <span class="notification-time">{item.created}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    })
                })}
            </Transition>
        </section>
    }
}

/// Guide 001 §3C: on the home page, an administrator with people waiting is asked to act.
#[component]
pub fn AttentionPopup() -> impl IntoView {
    let attention = use_attention();
    let open = RwSignal::new(false);
    let dismissed = RwSignal::new(false);
    // Set by an effect, so that server and browser render the dialog alike.
    let href = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let target = attention
            .get()
            .and_then(Result::ok)
            .and_then(|a| a.manage_requests_href());
        if target.is_some() && !dismissed.get_untracked() {
            open.set(true);
        }
        href.set(target);
    });
    Effect::new(move |previous: Option<bool>| {
        let now_open = open.get();
        if previous == Some(true) && !now_open {
            dismissed.set(true);
        }
        now_open
    });
    view! {
        <Modal open title="You Have Request(s) Requiring Your Attention">
            <p class="modal-body">"Please click below to review and action."</p>
            <div class="modal-actions">
                <button type="button" class="button" on:click=move |_| open.set(false)>"Close"</button>
                <a class="button button-primary" href=move || href.get().unwrap_or_default()
                    on:click=move |_| open.set(false)>"Manage Requests"</a>
            </div>
        </Modal>
    }
}
