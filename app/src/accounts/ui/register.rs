use crate::accounts::api::{load_registration, Register};
use crate::professions::{api::list_professions, types::Profession};
use crate::ui::*;
use leptos::prelude::*;

fn profession_label(profession: &Profession) -> String {
    if profession.designation_order {
        format!("{} ({})", profession.name, profession.user_type.label())
    } else {
        format!(
            "{} ({}; not yet eligible for CareConnect access)",
            profession.name,
            profession.user_type.label()
        )
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let start = load(|| (), |_| load_registration());
    let professions = load(|| (), |_| list_professions());
    view! {
        <PageTitle title="Register your account" lead="Your identity is validated. Tell us how to reach you and choose how you will sign in."/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {awaiting(move || async move {
                let start = start.await;
                let professions = professions.await;
                Ok(match (start, professions) {
                    (Ok(Some(start)), Ok(professions)) => {
                        view! { <RegistrationForm start professions/> }.into_any()
                    }
                    (Ok(None), _) => view! {
                        <div class="card">
                            <p>"Please validate your identity with the BC Services Card before you register."</p>
                            <a class="button button-primary" href="/auth/oidc/start" rel="external">
                                "Sign in with BC Services Card"
                            </a>
                        </div>
                    }
                    .into_any(),
                    (Err(error), _) | (_, Err(error)) => view! {
                        <p class="alert alert-error" role="alert">{error.to_string()}</p>
                    }
                    .into_any(),
                })
            })}
        </Suspense>
    }
}

#[component]
fn RegistrationForm(
    start: crate::accounts::types::RegistrationStart,
    professions: Vec<Profession>,
) -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let errors = action_error(action);
    Effect::new(move |_| {
        if action_succeeded(action).get() {
            reload_to("/");
        }
    });
    let options = professions
        .iter()
        .map(|p| (p.id.to_string(), profession_label(p)))
        .collect::<Vec<_>>();
    view! {
        <section class="card">
            <p class="identity-line">"Validated identity: " <strong>{start.full_name}</strong></p>
            <ActionForm action=action attr:novalidate=true>
                <FormError errors/>
                <Field label="Email address" name="form[email]" field="email" errors input_type="email"
                    value=start.suggested_email.unwrap_or_default() autocomplete="email" required=true
                    hint="We will email you a link to verify this address. Invitations to worksites are sent here."/>
                <Field label="Username" name="form[username]" field="username" errors autocomplete="username" required=true
                    hint="3 to 32 letters, digits, dots, dashes or underscores."/>
                <Field label="Password" name="form[password]" field="password" errors input_type="password"
                    autocomplete="new-password" required=true hint="At least 12 characters."/>
                <Field label="Confirm password" name="form[password_confirmation]" field="password_confirmation" errors
                    input_type="password" autocomplete="new-password" required=true/>
                <Field label="Phone number" name="form[phone]" field="phone" errors input_type="tel" autocomplete="tel" required=true/>
                <SelectField label="Profession" name="form[profession_id]" field="profession_id" errors
                    options placeholder="Select your profession" required=true/>
                <Field label="College licence number" name="form[licence_number]" field="licence_number" errors
                    hint="Required for regulated professions."/>
                <SubmitButton label="Register" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
