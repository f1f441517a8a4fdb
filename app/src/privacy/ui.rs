//! The person's Privacy & Security course status, and the staff import of completions.

use super::api::{my_course_status, ImportCourseCompletions};
use super::types::{COURSE_NAME, CSV_HEADER};
use crate::notifications::ui::reload_on_live_updates;
use crate::ui::*;
use leptos::prelude::*;

/// One line on the home page: whether the learning system has reported the course complete.
#[component]
pub fn CourseStatusNote() -> impl IntoView {
    let status = Resource::new(|| (), |_| my_course_status());
    reload_on_live_updates(status);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                status.await.ok().map(|status| match status.completed_on {
                    Some(date) => view! {
                        <p class="course-status">"Privacy & Security course: " <strong>{format!("completed on {date}")}</strong></p>
                    }.into_any(),
                    None => view! {
                        <p class="course-status">"Privacy & Security course: " <strong>"not completed yet"</strong>
                            {format!(". CareConnect access requires the {COURSE_NAME} (about 10–15 minutes, on the Learning Hub); the portal hears of your completion from the Learning Hub, for the email address you verified here.")}</p>
                    }.into_any(),
                })
            })}
        </Transition>
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
