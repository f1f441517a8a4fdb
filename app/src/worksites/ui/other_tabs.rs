//! The worksite page's tabs other than the member lists: a chunk of the browser bundle of their
//! own (`worksite_tabs`), so the worksite page, which opens on Active Members, does not download
//! them. The page's route loads the chunk first when the URL names one of them
//! ([`load_for_tab_in_url`]); moving to one of them from another tab loads it on the way.

use super::page::member_list;
use super::tabs::Tab;
use crate::invitations::ui::InviteMembers;
use crate::privacy::ui::SiteDeclarationPanel;
use crate::sponsorships::ui::{SponsorshipPanel, SponsorshipTab};
use crate::ui::*;
use crate::worksites::api::UpdateWorksite;
use crate::worksites::types::WorksiteDetails;
use leptos::prelude::*;

/// The tab's panel, once its chunk is here.
pub async fn panel(
    tab: Tab,
    details: WorksiteDetails,
    edit: ServerAction<UpdateWorksite>,
) -> AnyView {
    #[cfg(feature = "hydrate")]
    let panel = split::panel(tab, details, edit).await;
    #[cfg(not(feature = "hydrate"))]
    let panel = {
        // The page names the chunk in a preload link, so the browser fetches it beside the
        // main bundle.
        leptos::prefetch_lazy_fn_on_server("worksite_tabs");
        split::panel(tab, details, edit)
    };
    panel
}

/// Loads the chunk before the worksite page is shown or hydrated on one of its tabs: hydration
/// cannot wait for it in the middle of the page. Called by the worksite page's route, where
/// the URL's parameters are known.
#[cfg(feature = "hydrate")]
pub async fn load_for_tab_in_url() {
    let tab = leptos_router::hooks::use_params_map()
        .with_untracked(|params| params.get("tab").and_then(|slug| Tab::from_slug(&slug)));
    if tab.is_some_and(|tab| !tab.is_member_list()) {
        split::load().await;
    }
}

mod split {
    use super::*;

    #[cfg_attr(
        feature = "hydrate",
        leptos::wasm_split::wasm_split(
            worksite_tabs,
            wasm_split_path = ::leptos::wasm_split,
            preload(load)
        )
    )]
    pub fn panel(
        tab: Tab,
        details: WorksiteDetails,
        edit: ServerAction<UpdateWorksite>,
    ) -> AnyView {
        match tab {
            // The worksite page shows these without the chunk; they are here for completeness.
            Tab::ActiveMembers | Tab::InactiveMembers => member_list(tab, details.code),
            Tab::Help => view! { <WorksiteHelp/> }.into_any(),
            Tab::Invite => view! { <InviteMembers code=details.code/> }.into_any(),
            Tab::Edit => view! { <EditWorksite details action=edit/> }.into_any(),
            Tab::Sponsorships => {
                view! { <SponsorshipPanel code=details.code tab=SponsorshipTab::Sponsorships/> }
                    .into_any()
            }
            Tab::MySponsors => {
                view! { <SponsorshipPanel code=details.code tab=SponsorshipTab::MySponsors/> }
                    .into_any()
            }
            Tab::MyOnBehalfOfUsers => view! {
                <SponsorshipPanel code=details.code tab=SponsorshipTab::MyOnBehalfOfUsers/>
            }
            .into_any(),
            Tab::Declaration => view! { <SiteDeclarationPanel code=details.code/> }.into_any(),
        }
    }
}

#[component]
fn EditWorksite(details: WorksiteDetails, action: ServerAction<UpdateWorksite>) -> impl IntoView {
    let errors = action_error(action);
    view! {
        <h2>"Edit Worksite"</h2>
        <ActionForm action=action attr:novalidate=true>
            <FormError errors/>
            <input type="hidden" name="code" value=details.code.to_string()/>
            <Field label="Worksite Name" name="form[name]" field="name" errors value=details.name.clone() required=true/>
            <Field label="Worksite Phone Number" name="form[phone]" field="phone" errors input_type="tel" value=details.phone.clone() required=true/>
            <Field label="Phone Extension" name="form[phone_extension]" field="phone_extension" errors value=details.phone_extension.clone().unwrap_or_default()/>
            <Field label="Worksite Email Address" name="form[email]" field="email" errors input_type="email" value=details.email.clone() required=true/>
            <dl class="facts">
                <dt>"Worksite Address"</dt><dd>{details.address.display()}</dd>
                <dt>"Selected EMR"</dt><dd>{details.emr.clone()}</dd>
                <dt>"Clinic Type"</dt><dd>{details.clinic_type.clone()}</dd>
            </dl>
            <p class="hint">"To change the worksite address, Selected EMR or Clinic Type, contact the CareConnect team at "
                <a href="mailto:private.careconnect@phsa.ca">"private.careconnect@phsa.ca"</a> "."</p>
            <SubmitButton label="Update Worksite" pending=action.pending()/>
        </ActionForm>
        <Show when=move || action_succeeded(action).get()>
            <Notice>"The worksite information is updated."</Notice>
        </Show>
    }
}

#[component]
fn WorksiteHelp() -> impl IntoView {
    view! {
        <h2>"Worksite Help"</h2>
        <dl class="help-list">
            <dt>"Active Members"</dt>
            <dd>"Everyone who may access CareConnect from this worksite, grouped as Authorizers, On-behalf-Of Users and Independent Users. Group / Site Administrators manage them here."</dd>
            <dt>"Inactive Members"</dt>
            <dd>"Former members. Administrators can set them active again."</dd>
            <dt>"Edit Worksite"</dt>
            <dd>"Administrators change the worksite's name, phone number, extension and email address."</dd>
            <dt>"Invite Members"</dt>
            <dd>"Administrators invite team members by email and follow the invitations awaiting a response."</dd>
            <dt>"Sponsorships, My Sponsors, My On-behalf-Of Users"</dt>
            <dd>"Physicians and nurse practitioners (Authorizers) sponsor support staff (On-Behalf-Of users), who then see CareConnect as their Authorizer would."</dd>
            <dt>"P&S Declaration"</dt>
            <dd>"The worksite's site-level Privacy & Security declaration, signed once by a Group / Site Administrator with signing authority. CareConnect applications from the worksite are approved only once it is signed."</dd>
            <dt>"Leave Worksite"</dt>
            <dd>"Any member can leave a worksite from Worksite Access. Its last Group / Site Administrator promotes another member first."</dd>
        </dl>
        <p>"Team members can also ask to join with the Worksite Id shown above."</p>
        <p>"Need help? Contact the CareConnect team at " <a href="mailto:CareConnect@phsa.ca">"CareConnect@phsa.ca"</a>
            ". To change the address, EMR or clinic type, email " <a href="mailto:private.careconnect@phsa.ca">"private.careconnect@phsa.ca"</a> "."</p>
    }
}
