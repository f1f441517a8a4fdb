//! The person's Privacy & Security requirements (the home page's lines and the HPCAA page), and
//! the staff import of course completions.

use super::agreement::{
    DECLARATION_STATEMENTS, DECLARATION_TITLE, DECLARATION_VERSION, HPCAA_SECTIONS, HPCAA_TITLE,
    HPCAA_VERSION,
};
use super::api::{
    my_privacy_requirements, site_declaration, ImportCourseCompletions, SignHpcaa,
    SignSiteDeclaration,
};
use super::types::{DeclarationView, HpcaaView, COURSE_NAME, CSV_HEADER};
use crate::accounts::types::CurrentUser;
use crate::notifications::ui::reload_on_live_updates;
use crate::ui::*;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;

/// The home page's lines: the course, and the HPCAA for those who sign it.
#[component]
pub fn RequirementsNote() -> impl IntoView {
    let requirements = load(|| (), |_| my_privacy_requirements());
    reload_on_live_updates(requirements);
    view! {
        <Transition fallback=|| ()>
            {awaiting(move || async move {
                Ok(requirements.await.ok().map(|requirements| view! {
                    {match requirements.course.completed_on {
                        Some(date) => view! {
                            <p class="course-status">"Privacy & Security course: " <strong>{format!("completed on {date}")}</strong></p>
                        }.into_any(),
                        None => view! {
                            <p class="course-status">"Privacy & Security course: " <strong>"not completed yet"</strong>
                                {format!(". CareConnect access requires the {COURSE_NAME} (about 10–15 minutes, on the Learning Hub); the portal hears of your completion from the Learning Hub, for the email address you verified here.")}</p>
                        }.into_any(),
                    }}
                    {requirements.hpcaa.exemption.is_none().then(|| match requirements.hpcaa.signature {
                        Some(signed) => view! {
                            <p class="hpcaa-status">"HPCAA: " <strong>{format!("signed on {}", signed.signed_on)}</strong>
                                " — " <a href="/hpcaa">"View or print the signed agreement"</a></p>
                        }.into_any(),
                        None => view! {
                            <p class="hpcaa-status">"HPCAA: " <strong>"not signed yet"</strong>
                                " — " <a href="/hpcaa">"Read and sign the HPCAA"</a></p>
                        }.into_any(),
                    })}
                }).into_any())
            })}
        </Transition>
    }
}

/// `/hpcaa`: the agreement; its signature form, or the signed copy to print or download.
#[component]
pub fn HpcaaPage() -> impl IntoView {
    view! {
        <PageTitle title=HPCAA_TITLE/>
        <RequireUser children=|_user: CurrentUser| view! { <Agreement/> }/>
    }
}

#[component]
fn Agreement() -> impl IntoView {
    let sign = ServerAction::<SignHpcaa>::new();
    let requirements = load(move || sign.version().get(), |_| my_privacy_requirements());
    view! {
        <article class="card agreement" aria-labelledby="agreement-version">
            <p id="agreement-version" class="hint">{format!("Version {HPCAA_VERSION}")}</p>
            {HPCAA_SECTIONS.iter().map(|(heading, paragraphs)| view! {
                <h2>{*heading}</h2>
                {paragraphs.iter().map(|paragraph| view! { <p>{*paragraph}</p> }).collect_view()}
            }).collect_view()}
        </article>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || async move {
                let requirements = requirements.await?;
                Ok(view! { <Signature hpcaa=requirements.hpcaa sign/> }.into_any())
            })}
        </Transition>
    }
}

#[component]
fn Signature(hpcaa: HpcaaView, sign: ServerAction<SignHpcaa>) -> impl IntoView {
    if let Some(reason) = hpcaa.exemption {
        return view! { <section class="card"><p>{reason}</p></section> }.into_any();
    }
    if let Some(signed) = hpcaa.signature {
        return view! {
            <section class="card signature" aria-labelledby="signature-heading">
                <h2 id="signature-heading">"Signature"</h2>
                <p>{format!("Signed electronically by {} on {} (version {}).", signed.name, signed.signed_on, signed.version)}</p>
                <div class="no-print">
                    <button type="button" class="button" on:click=|_| print_page()>"Print"</button>
                    " "
                    <a class="button button-primary" href="/hpcaa/signed.pdf" download="HPCAA-signed.pdf">"Download PDF"</a>
                </div>
            </section>
        }.into_any();
    }
    let errors = action_error(sign);
    view! {
        <section class="card no-print" aria-labelledby="sign-heading">
            <h2 id="sign-heading">"Sign the Agreement"</h2>
            <ActionForm action=sign attr:novalidate=true>
                <FormError errors/>
                <Field label="Type your full name" name="form[full_name]" field="full_name" errors required=true autocomplete="name"
                    hint=format!("As your identity provider gave it: {}.", hpcaa.legal_name)/>
                <CheckboxField label="I have read and agree to the Healthcare Practitioner CareConnect Access Agreement" name="form[agree]" field="agree" errors/>
                                <SubmitButton label="Sign Agreement" pending=sign.pending()/>
            </ActionForm>
        </section>
    }
    .into_any()
}

fn print_page() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// `/staff/course-completions`: completions that reached the CareConnect team outside the
/// Learning Hub's callback, pasted as CSV.
#[component]
pub fn ImportCompletionsPage() -> impl IntoView {
    let action = ServerAction::<ImportCourseCompletions>::new();
    let errors = action_error(action);
    view! {
        <PageTitle title="Import Course Completions"
            lead="Privacy & Security course completions the Learning Hub did not report to the portal itself."/>
        <StaffOnly>
            <section class="card">
                <ActionForm action=action attr:novalidate=true>
                    <FormError errors/>
                    <TextAreaField label="Course completions (CSV)" name="csv" field="csv" errors rows=10
                        hint=format!("First line \"{CSV_HEADER}\"; then one completion a line, e.g. jane.doe@clinic.ca,2026-11-02,LH-55120. Every line is checked first: with any error, nothing is imported.")/>
                    <SubmitButton label="Import Completions" pending=action.pending()/>
                </ActionForm>
                {move || action.value().get().and_then(Result::ok).map(|report| if report.errors.is_empty() {
                    view! {
                        <Notice>{format!("{} completions imported; {} were already recorded.", report.imported, report.already_recorded)}</Notice>
                    }.into_any()
                } else {
                    view! {
                        <div class="alert alert-error" role="alert">
                            <p>"Nothing was imported. Please correct these lines and import again:"</p>
                            <ul>{report.errors.into_iter().map(|error| view! { <li>{error}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any()
                })}
            </section>
        </StaffOnly>
    }
}

/// The worksite page's "P&S Declaration" tab: the declaration, who signed it, or (for an
/// administrator) the form to sign it.
#[component]
pub fn SiteDeclarationPanel(code: WorksiteId) -> impl IntoView {
    let sign = ServerAction::<SignSiteDeclaration>::new();
    let load_code = code.clone();
    let declaration = load(
        move || sign.version().get(),
        move |_| site_declaration(load_code.clone()),
    );
    view! {
        <h2>{DECLARATION_TITLE}</h2>
        <p class="hint">{format!("Version {DECLARATION_VERSION}. Signed once for the worksite by a Group / Site Administrator with signing authority; every CareConnect application from the worksite needs it.")}</p>
        <p>"On behalf of the worksite, I declare that:"</p>
        <ul class="declaration">
            {DECLARATION_STATEMENTS.iter().map(|statement| view! { <li>{*statement}</li> }).collect_view()}
        </ul>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || {
                let code = code.clone();
                async move {
                    let view = declaration.await?;
                    Ok(view! { <DeclarationStatus view code sign/> }.into_any())
                }
            })}
        </Transition>
    }
}

#[component]
fn DeclarationStatus(
    view: DeclarationView,
    code: WorksiteId,
    sign: ServerAction<SignSiteDeclaration>,
) -> impl IntoView {
    if let Some(signed) = view.signature {
        return view! {
            <p class="alert alert-success" role="status">{format!(
                "Declared for the worksite by {} ({}) on {} (version {}).",
                signed.name, signed.title, signed.signed_on, signed.version
            )}</p>
        }
        .into_any();
    }
    if !view.viewer_is_admin {
        return view! {
            <p class="alert alert-warning">"Not signed yet. A Group / Site Administrator with signing authority for the worksite signs it on this tab."</p>
        }
        .into_any();
    }
    let errors = action_error(sign);
    view! {
        <ActionForm action=sign attr:novalidate=true>
            <FormError errors/>
            <input type="hidden" name="code" value=code.to_string()/>
            <Field label="Type your full name" name="form[full_name]" field="full_name" errors required=true autocomplete="name"
                hint=format!("As your identity provider gave it: {}.", view.legal_name)/>
            <Field label="Your title or role at the worksite" name="form[title]" field="title" errors required=true
                autocomplete="organization-title"/>
            <CheckboxField label="I have signing authority for this worksite" name="form[signing_authority]" field="signing_authority" errors/>
            <CheckboxField label="I make this declaration on behalf of the worksite" name="form[agree]" field="agree" errors/>
            <SubmitButton label="Sign Declaration" pending=sign.pending()/>
        </ActionForm>
    }
    .into_any()
}
