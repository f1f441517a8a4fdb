//! The home page's "CareConnect Access" card.

use super::api::{my_careconnect_access, OpenCareconnect};
use super::types::{undesignated_notice, AccessOverview};
use crate::notifications::ui::reload_on_live_updates;
use crate::privacy::ui::RequirementsNote;
use crate::professions::types::UserType;
use crate::ui::*;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;

#[component]
pub fn CareConnectAccessCard() -> impl IntoView {
    let overview = load(|| (), |_| my_careconnect_access());
    reload_on_live_updates(overview);
    let open = ServerAction::<OpenCareconnect>::new();
    Effect::new(move |_| {
        if let Some(Ok(url)) = open.value().get() {
            reload_to(&url);
        }
    });
    let refusal = action_error(open);
    view! {
        <section class="card module access-card" aria-labelledby="module-careconnect">
            <h2 id="module-careconnect">"CareConnect Access"</h2>
            <FormError errors=refusal/>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    let overview = overview.await?;
                    Ok(view! { <AccessSummary overview open/> }.into_any())
                })}
            </Transition>
            <RequirementsNote/>
        </section>
    }
}

#[component]
fn AccessSummary(overview: AccessOverview, open: ServerAction<OpenCareconnect>) -> impl IntoView {
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
        let refusal = overview.on_behalf_refusal;
        return view! {
            <ul class="access-list">
                {overview.on_behalf_of.into_iter().map(|acting| {
                    let label = format!("on behalf of {}", acting.authorizer);
                    // The server refuses to open it too; the card says why before anyone tries.
                    let usable = match refusal.clone() {
                        None => view! {
                            <OpenButton open code=acting.worksite.code.clone() sponsorship_id=Some(acting.sponsorship_id)
                                label=format!("Open CareConnect on behalf of {}", acting.authorizer)/>
                        }.into_any(),
                        Some(reason) => view! { <p class="alert alert-warning access-refused">{reason}</p> }.into_any(),
                    };
                    view! {
                        <li>
                            <p><strong>{acting.worksite.name.clone()}</strong> " — " <span class="on-behalf-of">{label}</span></p>
                            {match acting.access_since {
                                Some(since) => view! {
                                    <p class="access-granted">{format!("CareConnect access granted (since {since}): you see CareConnect as {} would.", acting.authorizer)}</p>
                                    {usable}
                                }.into_any(),
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
                    <OpenButton open code=grant.worksite.code.clone() sponsorship_id=None
                        label=format!("Open CareConnect from {}", grant.worksite.name)/>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// "Open CareConnect": the server checks and records it, then the browser goes to the viewer.
#[component]
fn OpenButton(
    open: ServerAction<OpenCareconnect>,
    code: WorksiteId,
    sponsorship_id: Option<i64>,
    label: String,
) -> impl IntoView {
    view! {
        <PostForm action=open attr:class="inline-form"
            input=|fields| Some(OpenCareconnect { code: fields.parsed("code")?, sponsorship_id: fields.parsed("sponsorship_id") })>
            <input type="hidden" name="code" value=code.to_string()/>
            {sponsorship_id.map(|id| view! { <input type="hidden" name="sponsorship_id" value=id/> })}
            <button type="submit" class="button button-primary" aria-label=label>"Open CareConnect"</button>
        </PostForm>
    }
}

/// Development only: where "Open CareConnect" leads when `CARECONNECT_URL` is not set.
#[component]
pub fn CareConnectStandInPage() -> impl IntoView {
    view! {
        <PageTitle title="CareConnect (development stand-in)"/>
        <section class="card">
            <p>"In production, Open CareConnect leads to the CareConnect viewer at the address set in CARECONNECT_URL. The portal has recorded this opening in its audit log, with the Authorizer when it was on their behalf."</p>
            <a class="button" href="/">"Back to the home page"</a>
        </section>
    }
}
