//! The home page's "CareConnect Access" card.

use super::api::my_careconnect_access;
use super::types::{undesignated_notice, AccessOverview};
use crate::notifications::ui::reload_on_live_updates;
use crate::professions::types::UserType;
use leptos::prelude::*;

#[component]
pub fn CareConnectAccessCard() -> impl IntoView {
    let overview = Resource::new(|| (), |_| my_careconnect_access());
    reload_on_live_updates(overview);
    view! {
        <section class="card module access-card" aria-labelledby="module-careconnect">
            <h2 id="module-careconnect">"CareConnect Access"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <AccessSummary overview/> }.into_any(),
                        Err(error) => view! { <p class="alert alert-error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AccessSummary(overview: AccessOverview) -> impl IntoView {
    if !overview.designated {
        return view! { <p class="alert alert-warning">{undesignated_notice(&overview.profession)}</p> }.into_any();
    }
    if overview.user_type == UserType::OnBehalfOf {
        if overview.on_behalf_of.is_empty() {
            return view! {
                <p>"You see CareConnect on behalf of an Authorizer (a physician or nurse practitioner) who sponsors you. No Authorizer sponsors you yet: ask one on the "
                    <strong>"My Sponsors"</strong> " tab of your worksite."</p>
            }.into_any();
        }
        return view! {
            <ul class="access-list">
                {overview.on_behalf_of.into_iter().map(|acting| {
                    let label = format!("on behalf of {}", acting.authorizer);
                    view! {
                        <li>
                            <p><strong>{acting.worksite.name.clone()}</strong> " — " <span class="on-behalf-of">{label}</span></p>
                            {match acting.access_since {
                                Some(since) => view! { <p class="access-granted">{format!("CareConnect access granted (since {since}): you see CareConnect as {} would.", acting.authorizer)}</p> }.into_any(),
                                None => view! { <p class="hint">{format!("{} does not have CareConnect access from {} yet. You will see CareConnect on their behalf once they do.", acting.authorizer, acting.worksite.name)}</p> }.into_any(),
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any();
    }
    if overview.own.is_empty() {
        return view! { <p>"You do not have CareConnect access yet. Request it through " <a href="/applications">"Application Access"</a> "."</p> }.into_any();
    }
    view! {
        <ul class="access-list">
            {overview.own.into_iter().map(|grant| view! {
                <li>
                    <p><strong>{grant.worksite.name.clone()}</strong></p>
                    <p class="access-granted">{format!("CareConnect access granted (since {}).", grant.since)}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
