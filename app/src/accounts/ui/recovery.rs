use crate::accounts::api::{LookUpUsername, RequestPasswordReset, ResetPassword};
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// "Reset My Password": asks for the address, or, opened from the emailed link, for the new
/// password.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let token = Memo::new(move |_| query.with(|q| q.get("token")).filter(|t| !t.is_empty()));
    view! {
        <PageTitle title="Reset My Password"/>
        <section class="card">
            {move || match token.get() {
                Some(token) => view! { <ChooseNewPassword token/> }.into_any(),
                None => view! { <RequestResetLink/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RequestResetLink() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let errors = action_error(action);
    view! {
        <p>"Enter the email address of your account. We will email you a link to choose a new password."</p>
        <ActionForm action=action attr:novalidate=true>
            <FormError errors/>
            <Field label="Email address" name="email" field="email" errors input_type="email" autocomplete="email" required=true/>
            <SubmitButton label="Send reset link" pending=action.pending()/>
        </ActionForm>
        <Show when=move || action_succeeded(action).get()>
            <Notice>
                "If an account uses that address, we have emailed it a link to reset the password. The link expires in 1 hour."
            </Notice>
        </Show>
    }
}

#[component]
fn ChooseNewPassword(token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let errors = action_error(action);
    view! {
        <Show
            when=move || action_succeeded(action).get()
            fallback=move || {
                let token = token.clone();
                view! {
                <p>"Choose a new password for your account."</p>
                <ActionForm action=action attr:novalidate=true>
                    <FormError errors/>
                    <input type="hidden" name="token" value=token/>
                    <Field label="New password" name="password" field="password" errors input_type="password"
                        autocomplete="new-password" required=true hint="At least 12 characters."/>
                    <Field label="Confirm new password" name="password_confirmation" field="password_confirmation"
                        errors input_type="password" autocomplete="new-password" required=true/>
                    <SubmitButton label="Save new password" pending=action.pending()/>
                </ActionForm>
            }}
        >
            <Notice>"Your password has been changed. You can now sign in with it."</Notice>
            <a class="button button-primary" href="/sign-in">"Sign in"</a>
        </Show>
    }
}

/// "Look Up My Username": emails the username to the account's address.
#[component]
pub fn LookUpUsernamePage() -> impl IntoView {
    let action = ServerAction::<LookUpUsername>::new();
    let errors = action_error(action);
    view! {
        <PageTitle title="Look Up My Username"/>
        <section class="card">
            <p>"Enter the email address of your account. We will email your username to it."</p>
            <ActionForm action=action attr:novalidate=true>
                <FormError errors/>
                <Field label="Email address" name="email" field="email" errors input_type="email" autocomplete="email" required=true/>
                <SubmitButton label="Email my username" pending=action.pending()/>
            </ActionForm>
            <Show when=move || action_succeeded(action).get()>
                <Notice>"If an account uses that address, we have emailed its username to it."</Notice>
            </Show>
        </section>
    }
}
