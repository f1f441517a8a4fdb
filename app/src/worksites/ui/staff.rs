//! The CareConnect team's worksite lookup and the fields only they change.

use super::plain_options;
use crate::ui::*;
use crate::worksites::api::{load_staff_worksite, staff_find_worksites, UpdateLockedFields};
use crate::worksites::types::{no_such_worksite, StaffWorksite, CLINIC_TYPES, EMRS};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/staff/worksites?q=…`: find a worksite by Worksite ID, name or address.
#[component]
pub fn StaffWorksitesPage() -> impl IntoView {
    let query = use_query_map();
    let typed = Memo::new(move |_| query.with(|q| q.get("q").unwrap_or_default()));
    let found = load(move || typed.get(), staff_find_worksites);
    view! {
        <PageTitle title="Worksite Lookup" lead="Find a worksite by its Worksite ID, or by words of its name and address."/>
        <StaffOnly>
            <section class="card">
                <SearchBox action="/staff/worksites" label="Worksite ID, name or address" button="Find Worksites" typed/>
                <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                    {awaiting(move || async move {
                        let found = found.await?;
                        let asked = !typed.get_untracked().trim().is_empty();
                        Ok::<_, crate::error::AppError>(if found.is_empty() {
                            asked.then(|| view! { <p role="status">"No worksite matches."</p> }).into_any()
                        } else {
                            view! {
                                <ul class="results">
                                    {found.into_iter().map(|w| view! {
                                        <li><a href=format!("/staff/worksites/{}", w.code)>{format!("{} ({})", w.name, w.code)}</a>
                                            <br/><span class="hint">{format!("{} — {}", w.address, w.worksite_type.label())}</span></li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        })
                    })}
                </Transition>
            </section>
        </StaffOnly>
    }
}

/// `/staff/worksites/:code`: the worksite's facts and its locked fields.
#[component]
pub fn StaffWorksitePage() -> impl IntoView {
    let code = super::worksite_in_path();
    let update = ServerAction::<UpdateLockedFields>::new();
    let worksite = load(
        move || (code.get(), update.version().get()),
        |(code, _)| async move {
            match code {
                Some(code) => load_staff_worksite(code).await,
                None => Err(no_such_worksite()),
            }
        },
    );
    view! {
        <PageTitle title="Worksite"/>
        <StaffOnly>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    let worksite = worksite.await?;
                    Ok(view! { <StaffWorksiteView worksite update/> }.into_any())
                })}
            </Transition>
            <a class="button" href="/staff/worksites">"Back to Worksite Lookup"</a>
        </StaffOnly>
    }
}

#[component]
fn StaffWorksiteView(
    worksite: StaffWorksite,
    update: ServerAction<UpdateLockedFields>,
) -> impl IntoView {
    let errors = action_error(update);
    let saved = action_succeeded(update);
    let address = worksite.address.clone();
    view! {
        <section class="card" aria-labelledby="worksite-heading">
            <h2 id="worksite-heading">{format!("{} ({})", worksite.name, worksite.code)}</h2>
            <dl class="facts">
                <dt>"Worksite Type"</dt><dd>{worksite.worksite_type.label()}</dd>
                <dt>"Worksite Address"</dt><dd>{address.display()}</dd>
                <dt>"Worksite Phone"</dt><dd>{worksite.phone.clone()}</dd>
                <dt>"Worksite Email"</dt><dd>{worksite.email.clone()}</dd>
                <dt>"Registered"</dt><dd>{worksite.registered_on.clone()}</dd>
                <dt>"Members"</dt><dd>{format!("{} active, {} inactive", worksite.active_members, worksite.inactive_members)}</dd>
                <dt>"Group / Site Administrators"</dt><dd>{worksite.administrators.join(", ")}</dd>
                <dt>"P&S Declaration"</dt><dd>{worksite.declaration.clone().unwrap_or_else(|| "Not signed".to_owned())}</dd>
            </dl>
        </section>
        <section class="card" aria-labelledby="locked-heading">
            <h2 id="locked-heading">"Address, EMR and Clinic Type"</h2>
            <p class="hint">"Administrators cannot change these; the change is recorded in the audit log."</p>
            <Show when=move || saved.get()>
                <Notice>"The worksite was updated."</Notice>
            </Show>
            <ActionForm action=update attr:novalidate=true>
                <FormError errors/>
                <input type="hidden" name="code" value=worksite.code.to_string()/>
                <Field label="Unit" name="form[unit]" field="unit" errors value=address.unit.clone().unwrap_or_default()/>
                <Field label="Street Address" name="form[street]" field="street" errors value=address.street.clone() required=true/>
                <Field label="City" name="form[city]" field="city" errors value=address.city.clone() required=true/>
                <Field label="Postal Code" name="form[postal_code]" field="postal_code" errors value=address.postal_code.clone() required=true/>
                <SelectField label="Selected EMR" name="form[emr]" field="emr" errors options=plain_options(EMRS)
                    placeholder="Choose the EMR" required=true selected=worksite.emr.clone()/>
                <SelectField label="Clinic Type" name="form[clinic_type]" field="clinic_type" errors options=plain_options(CLINIC_TYPES)
                    placeholder="Choose the clinic type" required=true selected=worksite.clinic_type.clone()/>
                <SubmitButton label="Update Worksite" pending=update.pending()/>
            </ActionForm>
        </section>
    }
}
