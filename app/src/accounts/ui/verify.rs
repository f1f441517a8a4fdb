use crate::accounts::api::VerifyEmail;
use crate::ui::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The emailed link opens this page; only its button verifies, so a mail scanner that follows
/// links verifies nothing.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.with(|q| q.get("token").unwrap_or_default());
    let action = ServerAction::<VerifyEmail>::new();
    let errors = action_error(action);
    view! {
        <PageTitle title="Verify your email address"/>
        <section class="card">
            <Show
                when=move || action_succeeded(action).get()
                fallback=move || view! {
                    <p>"Confirm that this email address is yours."</p>
                    <ActionForm action=action attr:novalidate=true>
                        <FormError errors/>
                        <input type="hidden" name="token" value=token/>
                        <SubmitButton label="Verify my email address" pending=action.pending()/>
                    </ActionForm>
                }
            >
                <Notice>
                    "Your email address "
                    <strong>{move || action.value().get().and_then(Result::ok)}</strong>
                    " is verified."
                </Notice>
                <a class="button" href="/">"Go to the home page"</a>
            </Show>
        </section>
    }
}
