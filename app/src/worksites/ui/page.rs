use super::tabs::{Tab, TabBar};
use super::EligibilityNote;
use crate::accounts::types::CurrentUser;
use crate::invitations::ui::InviteMembers;
use crate::join_requests::ui::UsersRequestingAccess;
use crate::memberships::ui::MemberList;
use crate::privacy::ui::SiteDeclarationPanel;
use crate::sponsorships::ui::{SponsorshipPanel, SponsorshipTab};
use crate::ui::*;
use crate::worksites::api::{load_worksite, UpdateWorksite};
use crate::worksites::types::WorksiteDetails;
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
    let code =
        Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default().to_uppercase()));
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
        |(code, _)| load_worksite(code),
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
            <p class="worksite-id">"Worksite Id: " <strong>{details.code.clone()}</strong></p>
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
    match tab {
        Tab::ActiveMembers => view! { <MemberList code=details.code active=true/> }.into_any(),
        Tab::InactiveMembers => view! { <MemberList code=details.code active=false/> }.into_any(),
        Tab::Invite => view! { <InviteMembers code=details.code/> }.into_any(),
        Tab::Help => view! { <WorksiteHelp/> }.into_any(),
        Tab::Edit => view! { <EditWorksite details action=edit/> }.into_any(),
        Tab::Sponsorships => {
            view! { <SponsorshipPanel code=details.code tab=SponsorshipTab::Sponsorships/> }
                .into_any()
        }
        Tab::MySponsors => {
            view! { <SponsorshipPanel code=details.code tab=SponsorshipTab::MySponsors/> }
                .into_any()
        }
        Tab::MyOnBehalfOfUsers => {
            view! { <SponsorshipPanel code=details.code tab=SponsorshipTab::MyOnBehalfOfUsers/> }
                .into_any()
        }
        Tab::Declaration => view! { <SiteDeclarationPanel code=details.code/> }.into_any(),
    }
}

#[component]
fn EditWorksite(details: WorksiteDetails, action: ServerAction<UpdateWorksite>) -> impl IntoView {
    let errors = action_error(action);
    view! {
        <h2>"Edit Worksite"</h2>
        <ActionForm action=action attr:novalidate=true>
            <FormError errors/>
            <input type="hidden" name="code" value=details.code.clone()/>
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
        </dl>
        <p>"Team members can also ask to join with the Worksite Id shown above."</p>
        <p>"Need help? Contact the CareConnect team at " <a href="mailto:CareConnect@phsa.ca">"CareConnect@phsa.ca"</a>
            ". To change the address, EMR or clinic type, email " <a href="mailto:private.careconnect@phsa.ca">"private.careconnect@phsa.ca"</a> "."</p>
    }
}
