use super::other_tabs;
use super::tabs::{Tab, TabBar};
use super::EligibilityNote;
use crate::accounts::types::CurrentUser;
use crate::join_requests::ui::UsersRequestingAccess;
use crate::memberships::types::not_a_member;
use crate::memberships::ui::MemberList;
use crate::ui::*;
use crate::worksites::api::{load_worksite, UpdateWorksite};
use crate::worksites::types::WorksiteDetails;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// "Update / Review Worksite": the worksite's header and its tabs, each with its own URL.
#[component]
pub fn WorksitePage() -> impl IntoView {
    view! { <RequireUser children=|_user: CurrentUser| view! { <WorksiteView/> }/> }
}

#[component]
fn WorksiteView() -> impl IntoView {
    let params = use_params_map();
    let code = super::worksite_in_path();
    let tab =
        Memo::new(move |_| params.with(|p| p.get("tab").and_then(|slug| Tab::from_slug(&slug))));
    let edit = ServerAction::<UpdateWorksite>::new();
    // Reload the header after a successful edit only: a refused one keeps the form as typed.
    let saved_edits = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(())) = edit.value().get() {
            saved_edits.update(|count| *count += 1);
        }
    });
    let details = load(
        move || (code.get(), saved_edits.get()),
        |(code, _)| async move {
            match code {
                Some(code) => load_worksite(code).await,
                None => Err(not_a_member()),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || async move {
                Ok(match details.await {
                    Ok(details) => {
                        let tabs = Tab::visible(&details);
                        let panel_details = StoredValue::new(details.clone());
                        let visible = tabs.clone();
                        let selected = Signal::derive(move || {
                            tab.get().filter(|t| visible.contains(t)).unwrap_or(Tab::ActiveMembers)
                        });
                        view! {
                            <WorksiteHeader details=details.clone()/>
                            {details.viewer_is_admin.then(|| view! {
                                <UsersRequestingAccess code=panel_details.with_value(|d| d.code.clone()) worksite_name=panel_details.with_value(|d| d.name.clone())/>
                            })}
                            <TabBar code=details.code.clone() tabs selected/>
                            <section id="worksite-panel" class="card tab-panel" role="tabpanel"
                                aria-labelledby=move || selected.get().dom_id() tabindex="0">
                                {move || view! { <TabPanel tab=selected.get() details=panel_details.get_value() edit/> }}
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! {
                        <PageTitle title="Worksite"/>
                        <p class="alert alert-error" role="alert">{error.to_string()}</p>
                        <a class="button" href="/worksites">"Back to Worksite Access"</a>
                    }.into_any(),
                })
            })}
        </Transition>
    }
}

#[component]
fn WorksiteHeader(details: WorksiteDetails) -> impl IntoView {
    let worksite_type = details.worksite_type;
    view! {
        <header class="worksite-header">
            <PageTitle title=details.name.to_uppercase()/>
            <p class="worksite-address">{details.address.display()}</p>
            <p class="worksite-contact">
                <span>"Worksite Phone: " {details.phone_display()}</span>
                <span>"Worksite Email: " {details.email.clone()}</span>
            </p>
            <p class="worksite-id">"Worksite Id: " <strong>{details.code.to_string()}</strong></p>
            <EligibilityNote worksite_type/>
        </header>
    }
}

#[component]
fn TabPanel(
    tab: Tab,
    details: WorksiteDetails,
    edit: ServerAction<UpdateWorksite>,
) -> impl IntoView {
    if tab.is_member_list() {
        member_list(tab, details.code)
    } else {
        Suspend::new(other_tabs::panel(tab, details, edit)).into_any()
    }
}

/// The Active or Inactive Members tab: in the main bundle, since the page opens on it.
pub(super) fn member_list(tab: Tab, code: WorksiteId) -> AnyView {
    view! { <MemberList code active=tab == Tab::ActiveMembers/> }.into_any()
}
