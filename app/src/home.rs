//! The home page: the portal's modules for a signed-in user (and their CareConnect access), the
//! ways in otherwise.

use crate::access::ui::CareConnectAccessCard;
use crate::accounts::{
    types::{CurrentUser, SessionInfo},
    ui::SignInPanel,
};
use crate::invitations::ui::MyInvitations;
use crate::notifications::ui::{use_attention, AttentionPopup};
use crate::professions::types::UserType;
use crate::ui::*;
use crate::worksites::api::my_worksites;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || async move {
                Ok(match session.await {
                    Ok(SessionInfo { user: Some(user), .. }) => view! { <Modules user/> }.into_any(),
                    _ => view! {
                        <PageTitle title="my.CareConnect Enrolment Portal"
                            lead="Community health practitioners in British Columbia enrol here for CareConnect, the province's viewer of patients' health records: validate your identity, register or join your worksite, and request access."/>
                        <SignInPanel/>
                    }.into_any(),
                })
            })}
        </Suspense>
    }
}

#[component]
fn Modules(user: CurrentUser) -> impl IntoView {
    let needs_verification = user.email.is_none();
    let pending = user.pending_email.clone();
    let application_access = user.user_type != UserType::OnBehalfOf;
    let attention = use_attention();
    view! {
        <PageTitle title=format!("Welcome {}", user.full_name)/>
        {needs_verification.then(|| view! {
            <div class="alert alert-warning" role="status">
                "Please verify your email address: follow the link we emailed to "
                <strong>{pending.unwrap_or_default()}</strong> "."
            </div>
        })}
        <AfterHydration><AttentionPopup/></AfterHydration>
        <MyInvitations/>
        <div class="modules">
            <section class="card module" aria-labelledby="module-worksite">
                <h2 id="module-worksite">"Worksite Access"</h2>
                <p>"Join a Worksite or setup access for your Clinic. Some applications will require you to be a member of a worksite"</p>
                <Suspense fallback=|| ()>
                    {awaiting(move || async move {
                        Ok(attention.await.ok().filter(|a| !a.waiting_requests.is_empty()).map(|_| view! {
                            <p class="alert alert-warning">"A worksite which you are a manager of has one or more people requesting access"</p>
                        }).into_any())
                    })}
                </Suspense>
                <a class="button button-primary" href="/worksites">"Update / Review Worksite"</a>
            </section>
            {application_access.then(|| view! { <ApplicationAccessModule/> })}
            <CareConnectAccessCard/>
            <section class="card module" aria-labelledby="module-account">
                <h2 id="module-account">"Manage My Account / Preferences"</h2>
                <ul class="link-list">
                    <li><a href="/account/reset-password">"Reset My Password"</a></li>
                    <li><a href="/account/lookup-username">"Look Up My Username"</a></li>
                    <li><a href="/account#contact">"Update My Contact Information"</a></li>
                </ul>
                <a class="button button-primary" href="/account">"Manage My Account"</a>
            </section>
        </div>
    }
}

/// `/staff`: the CareConnect team's back office.
#[component]
pub fn BackOfficePage() -> impl IntoView {
    let sections = [
        (
            "/staff/applications",
            "Application Queue",
            "CareConnect access requests: review, approve, deny or return for information.",
        ),
        (
            "/staff/worksites",
            "Worksite Lookup",
            "Find a worksite; change its address, EMR or clinic type.",
        ),
        (
            "/staff/users",
            "User Lookup",
            "Find a person: their worksites, requests, requirements, sponsorships and access.",
        ),
        (
            "/staff/professions",
            "Profession Catalogue",
            "User types and Designation Orders.",
        ),
        (
            "/staff/course-completions",
            "Import Course Completions",
            "Privacy & Security course completions the Learning Hub did not report itself.",
        ),
        (
            "/staff/audit",
            "Audit Log",
            "Search every change of access; export it as CSV.",
        ),
        (
            "/staff/emails",
            "Email Delivery Log",
            "Every email the portal sends: delivered, retrying or failed with the server's reason; resend a failed one.",
        ),
    ];
    view! {
        <PageTitle title="CareConnect Back Office"/>
        <StaffOnly>
            <div class="modules">
                {sections.into_iter().map(|(href, title, what)| view! {
                    <section class="card module">
                        <h2><a href=href>{title}</a></h2>
                        <p>{what}</p>
                    </section>
                }).collect_view()}
            </div>
        </StaffOnly>
    }
}

/// "Application Access", for members of a worksite (On-Behalf-Of users never see it).
#[component]
fn ApplicationAccessModule() -> impl IntoView {
    let worksites = load(|| (), |_| my_worksites());
    view! {
        <Suspense fallback=|| ()>
            {awaiting(move || async move {
                Ok(worksites.await.ok().filter(|mine| mine.iter().any(|w| w.active)).map(|_| view! {
                    <section class="card module" aria-labelledby="module-application">
                        <h2 id="module-application">"Application Access"</h2>
                        <p>"Request and access applications. i.e. CareConnect, Forms"</p>
                        <a class="button button-primary" href="/applications">"View Application"</a>
                    </section>
                }).into_any())
            })}
        </Suspense>
    }
}
