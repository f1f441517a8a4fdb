use super::plain_options;
use super::WorksiteCard;
use crate::accounts::types::CurrentUser;
use crate::ui::*;
use crate::worksites::{api::RegisterWorksite, types::*};
use leptos::prelude::*;

fn type_options() -> Vec<(String, String)> {
    WorksiteType::ALL
        .into_iter()
        .map(|t| {
            let label = if t.eligible_for_careconnect() {
                format!("{} (eligible for CareConnect)", t.label())
            } else {
                t.label().to_owned()
            };
            (t.code().to_owned(), label)
        })
        .collect()
}

#[component]
pub fn RegisterWorksitePage() -> impl IntoView {
    view! {
        <PageTitle title="Register a Worksite"
            lead="Register the clinic you deliver or support patient care from. You become its first Group / Site Administrator."/>
        <RequireUser children=|_user: CurrentUser| view! { <RegistrationForm/> }/>
    }
}

#[component]
fn RegistrationForm() -> impl IntoView {
    let action = ServerAction::<RegisterWorksite>::new();
    let errors = action_error(action);
    let outcome = move || action.value().get().and_then(Result::ok);
    let same_place = move || match outcome() {
        Some(RegistrationOutcome::AddressInUse(list)) => Some(list),
        _ => None,
    };
    let registered = move || match outcome() {
        Some(RegistrationOutcome::Registered(worksite)) => Some(worksite),
        _ => None,
    };
    view! {
        <Show when=move || registered().is_none()>
            <section class="card">
                <p class="hint">
                    "CareConnect is available to Community Based Private Practice, First Nations Health Authority Facility, Community Pharmacy and Long Term Care Facility (non-Health Authority) worksites. Other worksite types may register, but their members cannot be granted CareConnect access."
                </p>
                <ActionForm action=action attr:novalidate=true>
                    <FormError errors/>
                    <Field label="Worksite Name" name="form[name]" field="name" errors required=true/>
                    <SelectField label="Worksite Type" name="form[worksite_type]" field="worksite_type" errors
                        options=type_options() placeholder="Select Worksite Type" required=true/>
                    <fieldset class="fieldset">
                        <legend>"Worksite Address"</legend>
                        <super::address_finder::AddressFinder/>
                        <Field label="Unit" name="form[unit]" field="unit" errors/>
                        <Field label="Street address" name="form[street]" field="street" errors autocomplete="address-line1" required=true/>
                        <Field label="City" name="form[city]" field="city" errors autocomplete="address-level2" required=true/>
                        <p class="hint">"Province: British Columbia · Country: Canada"</p>
                        <Field label="Postal code" name="form[postal_code]" field="postal_code" errors autocomplete="postal-code" required=true/>
                    </fieldset>
                    <Field label="Worksite Phone Number" name="form[phone]" field="phone" errors input_type="tel" required=true/>
                    <Field label="Phone Extension" name="form[phone_extension]" field="phone_extension" errors/>
                    <Field label="Worksite Email Address" name="form[email]" field="email" errors input_type="email" required=true/>
                    <SelectField label="Selected EMR" name="form[emr]" field="emr" errors
                        options=plain_options(EMRS) placeholder="Select the EMR" required=true/>
                    <SelectField label="Clinic Type" name="form[clinic_type]" field="clinic_type" errors
                        options=plain_options(CLINIC_TYPES) placeholder="Select the clinic type" required=true/>
                    {move || same_place().map(|list| view! {
                        <div class="alert alert-warning" role="alert">
                            <p><strong>"A worksite is already registered at this address."</strong>
                                " If it is yours, ask to join it with its Worksite ID instead of registering it again:"</p>
                            <ul class="worksite-list">
                                {list.into_iter().map(|worksite| view! { <li><WorksiteCard worksite/></li> }).collect_view()}
                            </ul>
                            <p>"If this is a different worksite at the same address, register it anyway."</p>
                            <input type="hidden" name="form[register_anyway]" value="yes"/>
                        </div>
                    })}
                    <SubmitButton
                        label=Signal::derive(move || if same_place().is_some() { "Register Worksite anyway".to_owned() } else { "Register Worksite".to_owned() })
                        pending=action.pending()/>
                </ActionForm>
            </section>
        </Show>
        {move || registered().map(|worksite| {
            let href = format!("/worksites/{}", worksite.code);
            let code = worksite.code.to_string();
            let worksite_type = worksite.worksite_type;
            view! {
                <section class="card">
                    <Notice>
                        "Your worksite is registered. Your Worksite Id is: " <strong class="worksite-id">{code}</strong>
                        ". We emailed it to you as well."
                    </Notice>
                    <WorksiteCard worksite>
                        <super::EligibilityNote worksite_type/>
                    </WorksiteCard>
                    <a class="button button-primary" href=href>"Update / Review Worksite"</a>
                </section>
            }
        })}
    }
}
