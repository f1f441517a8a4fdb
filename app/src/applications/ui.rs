//! "View Application": the CareConnect module, the CareConnect Enrolment Form and the
//! applicant's view of their requests and requirements.

use super::api::{load_my_applications, SubmitApplication};
use super::types::*;
use crate::accounts::types::CurrentUser;
use crate::notifications::ui::reload_on_live_updates;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/applications`: the "CareConnect" module.
#[component]
pub fn ApplicationsPage() -> impl IntoView {
    view! {
        <PageTitle title="Application Access" lead="Request and access applications. i.e. CareConnect, Forms"/>
        <RequireUser children=|_user: CurrentUser| view! { <CareConnectModule/> }/>
    }
}

#[component]
fn CareConnectModule() -> impl IntoView {
    let mine = load(|| (), |_| load_my_applications());
    reload_on_live_updates(mine);
    view! {
        <section class="card module" aria-labelledby="module-careconnect-applications">
            <h2 id="module-careconnect-applications">"CareConnect"</h2>
            <p>"CareConnect is the provincial viewer of patients' health records. Request access from the worksite where you provide care; the CareConnect team reviews each request."</p>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    let mine = mine.await?;
                    Ok(view! { <Applications mine/> }.into_any())
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Applications(mine: MyApplications) -> impl IntoView {
    let can_apply = mine.cannot_apply.is_none();
    view! {
        {mine.cannot_apply.map(|reason| view! { <p class="alert alert-warning">{reason}</p> })}
        {can_apply.then(|| view! {
            <a class="button button-primary" href="/applications/careconnect">"Request CareConnect Access"</a>
        })}
        {(!mine.applications.is_empty()).then(|| view! {
            <h3>"My CareConnect Requests"</h3>
            {mine.applications.into_iter().map(|application| view! { <ApplicationCard application/> }).collect_view()}
        })}
    }
}

fn status_class(status: ApplicationStatus) -> &'static str {
    match status {
        ApplicationStatus::Approved => "badge badge-success",
        ApplicationStatus::Denied => "badge badge-error",
        ApplicationStatus::Returned => "badge badge-warning",
        _ => "badge",
    }
}

#[component]
fn ApplicationCard(application: ApplicationView) -> impl IntoView {
    let status = application.status;
    let message_label = match status {
        ApplicationStatus::Denied => Some("Reason"),
        ApplicationStatus::Returned => Some("Information needed"),
        _ => None,
    };
    view! {
        <article class="application" aria-label=format!("CareConnect request from {}", application.worksite.name)>
            <h4>{application.worksite.name.clone()}</h4>
            <p>"Status: " <span class=status_class(status)>{status.label()}</span></p>
            <p class="hint">{format!("Submitted {}; last change {}.", application.submitted_on, application.updated_on)}</p>
            {message_label.zip(application.staff_message.clone()).map(|(label, message)| view! {
                <p class="alert alert-warning"><strong>{format!("{label}: ")}</strong>{message}</p>
            })}
            {(status == ApplicationStatus::Returned).then(|| view! {
                <a class="button button-primary" href=format!("/applications/careconnect?resubmit={}", application.id)>"Update and Resubmit"</a>
            })}
            {status.is_open().then(|| view! {
                <h5>"Requirements"</h5>
                <Checklist items=application.checklist.clone()/>
            })}
        </article>
    }
}

/// The requirements of approval, met or not (under the caller's heading).
#[component]
pub fn Checklist(items: Vec<Requirement>) -> impl IntoView {
    view! {
        <ul class="checklist">
            {items.into_iter().map(|item| view! {
                <li class=if item.met { "met" } else { "unmet" }>
                    <span class="visually-hidden">{if item.met { "Done: " } else { "Not done: " }}</span>
                    <span aria-hidden="true">{if item.met { "✓ " } else { "✗ " }}</span>
                    <strong>{item.label}</strong> " — " {item.detail}
                </li>
            }).collect_view()}
        </ul>
        <p class="hint">"The P&S course is on the Learning Hub; the HPCAA is on the "<a href="/hpcaa">"HPCAA page"</a>"; an administrator with signing authority signs the site-level declaration on the worksite's P&S Declaration tab."</p>
    }
}

/// `/applications/careconnect`: the CareConnect Enrolment Form (`?resubmit=ID` for a returned
/// request).
#[component]
pub fn EnrolmentFormPage() -> impl IntoView {
    view! {
        <PageTitle title="CareConnect Enrolment Form" lead="Answer the highlighted questions; every question marked * is required."/>
        <RequireUser children=|_user: CurrentUser| view! { <EnrolmentFormLoader/> }/>
    }
}

#[component]
fn EnrolmentFormLoader() -> impl IntoView {
    let query = use_query_map();
    let resubmit =
        Memo::new(move |_| query.with(|q| q.get("resubmit").and_then(|id| id.parse::<i64>().ok())));
    let mine = load(|| (), |_| load_my_applications());
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || async move {
                let mine = mine.await?;
                let returned = resubmit.get().and_then(|id| {
                    mine.applications.iter().find(|a| a.id == id && a.status == ApplicationStatus::Returned).cloned()
                });
                Ok::<_, crate::error::AppError>(match (&mine.cannot_apply, resubmit.get(), returned) {
                    (Some(reason), _, _) => view! { <p class="alert alert-warning">{reason.clone()}</p> }.into_any(),
                    (None, Some(_), None) => view! {
                        <p class="alert alert-error" role="alert">"This request is not waiting for more information."</p>
                        <a class="button" href="/applications">"Back to Application Access"</a>
                    }.into_any(),
                    (None, _, returned) => view! { <EnrolmentForm mine returned/> }.into_any(),
                })
            })}
        </Transition>
    }
}

#[component]
fn EnrolmentForm(mine: MyApplications, returned: Option<ApplicationView>) -> impl IntoView {
    let action = ServerAction::<SubmitApplication>::new();
    let errors = action_error(action);
    let done = move || action.value().get().and_then(Result::ok);
    let options: Vec<(String, String)> = mine
        .worksites
        .iter()
        .map(|choice| {
            let label = match &choice.refusal {
                None => format!("{} — {}", choice.worksite.name, choice.worksite.address),
                Some(_) => format!(
                    "{} — {} (not eligible for CareConnect)",
                    choice.worksite.name, choice.worksite.address
                ),
            };
            (choice.worksite.code.to_string(), label)
        })
        .collect();
    let selected = returned
        .as_ref()
        .map(|r| r.worksite.code.to_string())
        .or_else(|| {
            (mine.worksites.len() == 1).then(|| mine.worksites[0].worksite.code.to_string())
        });
    let licence = returned
        .as_ref()
        .map(|r| r.licence_number.clone())
        .or(mine.licence_number)
        .unwrap_or_default();
    let health_authority = returned.as_ref().map(|r| {
        if r.has_health_authority_access {
            "yes"
        } else {
            "no"
        }
        .to_owned()
    });
    let details = returned
        .as_ref()
        .and_then(|r| r.health_authority_details.clone())
        .unwrap_or_default();
    let resubmit = returned
        .as_ref()
        .map(|r| r.id.to_string())
        .unwrap_or_default();
    let needed = returned.and_then(|r| r.staff_message);
    view! {
        {move || done().map(|message| view! {
            <Notice>{message}</Notice>
            <a class="button button-primary" href="/applications">"Back to Application Access"</a>
        })}
            <section class="card" hidden=move || done().is_some()>
                {needed.clone().map(|needed| view! {
                    <p class="alert alert-warning"><strong>"Information needed: "</strong>{needed}</p>
                })}
                <ActionForm action=action attr:novalidate=true>
                    <FormError errors/>
                    {(!resubmit.is_empty()).then(|| view! { <input type="hidden" name="resubmit" value=resubmit.clone()/> })}
                    <SelectField label="Worksite to access CareConnect from" name="form[worksite]" field="worksite" errors
                        options=options.clone() placeholder="Choose a worksite" required=true selected=selected.clone().unwrap_or_default()/>
                    <Field label="Licence / College Number" name="form[licence_number]" field="licence_number" errors
                        value=licence.clone() required=true hint="Your registration number with your regulatory college."/>
                    <RadioField legend="Do you already have CareConnect access through a health authority?"
                        name="form[health_authority_access]" field="health_authority_access" errors
                        options=vec![("yes", "Yes"), ("no", "No")] selected=health_authority.clone().unwrap_or_default()/>
                    <Field label="If yes, which health authority?" name="form[health_authority_details]" field="health_authority_details" errors
                        value=details.clone()/>
                    <CheckboxField label="I attest that I will use CareConnect for the direct care of my patients only" name="form[direct_patient_care]"
                        field="direct_patient_care" errors checked=!resubmit.is_empty()/>
                    <SubmitButton label="Submit" pending=action.pending()/>
                </ActionForm>
            </section>
    }
}
