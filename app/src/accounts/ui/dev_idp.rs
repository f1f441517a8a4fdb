use crate::accounts::api::DevIdentitySignIn;
use crate::ui::*;
use leptos::prelude::*;

/// Stands in for BC Services Card when no OpenID Connect provider is configured. The server
/// refuses it in production.
#[component]
pub fn DevIdentityProviderPage() -> impl IntoView {
    let action = ServerAction::<DevIdentitySignIn>::new();
    let errors = action_error(action);
    let next = return_to();
    Effect::new(move |_| {
        if let Some(Ok(outcome)) = action.value().get() {
            reload_to(outcome.next_path(Some(&next.get_untracked())));
        }
    });
    view! {
        <PageTitle title="Development identity provider"/>
        <div class="alert alert-warning" role="note">
            <strong>"For development and testing only. "</strong>
            "This page vouches for any identity you type. A real deployment validates identities with the BC Services Card and never shows this page."
        </div>
        <section class="card">
            <ActionForm action=action attr:novalidate=true>
                <FormError errors/>
                <Field label="Subject (the identity's unique id)" name="form[subject]" field="subject" errors required=true/>
                <Field label="Given name" name="form[given_name]" field="given_name" errors required=true/>
                <Field label="Family name" name="form[family_name]" field="family_name" errors required=true/>
                <Field label="Birthdate (YYYY-MM-DD)" name="form[birthdate]" field="birthdate" errors/>
                <Field label="Email address" name="form[email]" field="email" errors input_type="email"/>
                <SubmitButton label="Continue as this identity" pending=action.pending()/>
            </ActionForm>
        </section>
    }
}
