use crate::accounts::api::SignIn;
use crate::error::Refusal;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    // Set by the identity provider callback when validation failed, or the account is disabled.
    let error = move || query.with(|q| q.get("error"));
    let identity_failed = move || error().as_deref() == Some("identity");
    let disabled = move || error().as_deref() == Some("disabled");
    view! {
        <PageTitle title="Sign in" lead="Sign in to the my.CareConnect Enrolment Portal to manage your worksites and CareConnect access."/>
        <Show when=identity_failed>
            <p class="alert alert-error" role="alert">
                "We could not validate your identity with the BC Services Card. Please try again. If it keeps failing, contact the CareConnect team at CareConnect@phsa.ca."
            </p>
        </Show>
        <Show when=disabled>
            <p class="alert alert-error" role="alert">{Refusal::AccountDisabled.to_string()}</p>
        </Show>
        <SignInPanel/>
    }
}

/// Both ways in: the identity provider, or username and password.
#[component]
pub fn SignInPanel() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let errors = action_error(action);
    let next = return_to();
    Effect::new(move |_| {
        if action_succeeded(action).get() {
            reload_to(&next.get_untracked());
        }
    });
    // The identity provider's way in brings the person back too (the server checks it again).
    let identity_href =
        move || crate::accounts::types::with_return_to("/auth/oidc/start", &next.get());
    view! {
        <div class="two-columns">
            <section class="card" aria-labelledby="identity-heading">
                <h2 id="identity-heading">"Validate your identity"</h2>
                <p>
                    "First time here? Validate your identity with the BC Services Card app, then register your account. You can also sign in this way at any time."
                </p>
                <a class="button button-primary" href=identity_href rel="external">
                    "Sign in with BC Services Card"
                </a>
            </section>
            <section class="card" aria-labelledby="password-heading">
                <h2 id="password-heading">"Sign in with your username"</h2>
                <PostForm action=action attr:novalidate=true
                    input=|fields| Some(SignIn { username: fields.text("username"), password: fields.text("password") })>
                    <FormError errors/>
                    <Field label="Username" name="username" field="username" errors autocomplete="username" required=true/>
                    <Field label="Password" name="password" field="password" errors input_type="password" autocomplete="current-password" required=true/>
                    <SubmitButton label="Sign in" pending=action.pending()/>
                </PostForm>
                <ul class="link-list">
                    <li><a href="/account/reset-password">"Reset My Password"</a></li>
                    <li><a href="/account/lookup-username">"Look Up My Username"</a></li>
                </ul>
            </section>
        </div>
    }
}
