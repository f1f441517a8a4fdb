use super::awaiting::awaiting;
use super::hydration::AfterHydration;
use super::post_form::PostForm;
use super::user::{reload_to, use_session};
use crate::accounts::{api::SignOut, types::SessionInfo, ui::IdleWarning};
use crate::notifications::ui::{LiveConnection, NotificationsLink};
use leptos::prelude::*;

/// The page frame: banner, navigation, the page's own content, footer.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="site-header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"CC"</span>
                    <span class="brand-name">"my.CareConnect"</span>
                    <span class="brand-sub">"Enrolment Portal"</span>
                </a>
                <AccountMenu/>
            </div>
        </header>
        <DevelopmentBanner/>
        <LiveConnection/>
        <IdleWarning/>
        <main id="main" class="site-main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>
                "Questions about CareConnect? Contact the CareConnect team at "
                <a href="mailto:CareConnect@phsa.ca">"CareConnect@phsa.ca"</a> "."
            </p>
        </footer>
    }
}

#[component]
fn AccountMenu() -> impl IntoView {
    let session = use_session();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            reload_to("/");
        }
    });
    view! {
        <nav class="account-menu" aria-label="Account">
            <Transition fallback=|| ()>
                {awaiting(move || async move {
                    Ok(match session.await {
                        Ok(SessionInfo { user: Some(user), .. }) => view! {
                            <span class="account-name">{user.full_name}</span>
                            <AfterHydration><NotificationsLink/></AfterHydration>
                            {user.is_staff.then(|| view! {
                                <a href="/staff">"Back Office"</a>
                            })}
                            <a href="/account">"Manage My Account"</a>
                            <PostForm action=sign_out input=|_| Some(SignOut {}) attr:class="inline-form">
                                <button type="submit" class="button button-link">"Sign out"</button>
                            </PostForm>
                        }
                        .into_any(),
                        _ => view! { <a href=super::sign_in_here()>"Sign in"</a> }.into_any(),
                    })
                })}
            </Transition>
        </nav>
    }
}

#[component]
fn DevelopmentBanner() -> impl IntoView {
    let session = use_session();
    view! {
        <Transition fallback=|| ()>
            {awaiting(move || async move {
                Ok(session
                    .await
                    .ok()
                    .filter(|info| info.development)
                    .map(|_| view! {
                        <aside class="dev-banner" aria-label="Development mode">
                            "Development mode: identities come from the "
                            <a href="/dev/idp">"development identity provider"</a>
                            " and email is kept in the "
                            <a href="/dev/mailbox">"development mailbox"</a> "."
                        </aside>
                    })
                    .into_any())
            })}
        </Transition>
    }
}

/// A page's heading and optional lead paragraph.
#[component]
pub fn PageTitle(
    #[prop(into)] title: String,
    #[prop(optional, into)] lead: Option<String>,
) -> impl IntoView {
    view! {
        <leptos_meta::Title text=format!("{title} · my.CareConnect")/>
        <h1>{title}</h1>
        {lead.map(|lead| view! { <p class="lead">{lead}</p> })}
    }
}

/// A success message that screen readers announce.
#[component]
pub fn Notice(children: Children) -> impl IntoView {
    view! { <div class="alert alert-success" role="status">{children()}</div> }
}

/// "Previous", "Page N of M", "Next" for a paged list; `link` gives a (zero-based) page's URL.
#[component]
pub fn Pager(
    current: u32,
    total: u64,
    page_size: u32,
    link: impl Fn(u32) -> String + 'static,
) -> impl IntoView {
    let pages = total.div_ceil(u64::from(page_size.max(1))) as u32;
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages">
                {(current > 0).then(|| view! { <a href=link(current - 1) rel="prev">"Previous"</a> })}
                <span>{format!("Page {} of {}", current + 1, pages)}</span>
                {(current + 1 < pages).then(|| view! { <a href=link(current + 1) rel="next">"Next"</a> })}
            </nav>
        }
    })
}

/// The link to a (zero-based) page of a searched list at `base`, keeping its criteria.
pub fn page_link(base: &'static str, criteria: String) -> impl Fn(u32) -> String + 'static {
    move |page: u32| {
        if criteria.is_empty() {
            format!("{base}?page={page}")
        } else {
            format!("{base}?{criteria}&page={page}")
        }
    }
}

/// A search page's body: its filters, which show the search's errors by their fields, above its
/// results (none while the criteria are wrong).
pub fn searched<T>(
    result: Result<T, crate::error::AppError>,
    filters: impl FnOnce(Signal<Option<crate::error::AppError>>) -> AnyView,
    results: impl FnOnce(T) -> AnyView,
) -> AnyView {
    let errors = Signal::stored(result.as_ref().err().cloned());
    let results = result.map_or_else(|_| ().into_any(), results);
    view! { {filters(errors)} {results} }.into_any()
}

/// "Previous", where the reader is, "Next": the pager of a list that pages in place. A missing
/// callback leaves its button disabled.
#[component]
pub fn PagerButtons(
    label: &'static str,
    position: String,
    previous: Option<Callback<()>>,
    next: Option<Callback<()>>,
) -> impl IntoView {
    let button = move |text: &'static str, go: Option<Callback<()>>| {
        view! {
            <button type="button" class="button" disabled=go.is_none()
                on:click=move |_| if let Some(go) = go { go.run(()) }>{text}</button>
        }
    };
    view! {
        <nav class="pager" aria-label=label>
            {button("Previous", previous)}
            <span>{position}</span>
            {button("Next", next)}
        </nav>
    }
}

/// `key=value&…` for the non-empty values, percent-encoded: the links of filtered lists.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(key, value)| {
            let encoded: String = value
                .trim()
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'@' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{key}={encoded}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A one-field search that loads `action?q=…` (so results have their own address), keeping what
/// was typed.
#[component]
pub fn SearchBox(
    action: &'static str,
    #[prop(into)] label: String,
    #[prop(into)] button: String,
    typed: Memo<String>,
) -> impl IntoView {
    // The landmark is named after what it does, so only the field answers to the label.
    let landmark = button.clone();
    view! {
        <form method="get" action=action role="search" aria-label=landmark>
            <div class="field">
                <label for="search-query">{label}</label>
                <input id="search-query" type="search" name="q" value=move || typed.get()/>
            </div>
            <button type="submit" class="button">{button}</button>
        </form>
    }
}
