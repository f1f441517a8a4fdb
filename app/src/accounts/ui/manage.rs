use crate::accounts::{
    api::{signed_in_devices, ChangePassword, SignOutOtherSessions, UpdateContact},
    types::{CurrentUser, SignedInDevice},
};
use crate::ui::*;
use leptos::prelude::*;

/// "Manage My Account / Preferences".
#[component]
pub fn ManageAccountPage() -> impl IntoView {
    view! {
        <PageTitle title="Manage My Account / Preferences"/>
        <RequireUser children=|user: CurrentUser| view! {
            <AccountSummary user=user.clone()/>
            <ContactForm user/>
            <PasswordForm/>
            <SignedInDevices/>
            <section class="card">
                <h2>"Account recovery"</h2>
                <ul class="link-list">
                    <li><a href="/account/reset-password">"Reset My Password"</a></li>
                    <li><a href="/account/lookup-username">"Look Up My Username"</a></li>
                </ul>
            </section>
        }/>
    }
}

#[component]
fn AccountSummary(user: CurrentUser) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="summary-heading">
            <h2 id="summary-heading">"Your account"</h2>
            <dl class="facts">
                <dt>"Name"</dt><dd>{user.full_name}</dd>
                <dt>"Username"</dt><dd>{user.username}</dd>
                <dt>"Profession"</dt><dd>{user.profession} " (" {user.user_type.label()} ")"</dd>
                <dt>"College licence number"</dt><dd>{user.licence_number.unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Email address"</dt>
                <dd>
                    {user.email.clone().unwrap_or_else(|| "not verified yet".to_owned())}
                    {user.pending_email.map(|pending| view! {
                        <span class="badge badge-warning">"Waiting for verification: " {pending}</span>
                    })}
                </dd>
                <dt>"Phone number"</dt><dd>{user.phone}</dd>
            </dl>
            <p class="hint">
                "Your name comes from your validated identity. To change your profession or college licence number, contact the CareConnect team at "
                <a href="mailto:CareConnect@phsa.ca">"CareConnect@phsa.ca"</a> "."
            </p>
        </section>
    }
}

#[component]
fn ContactForm(user: CurrentUser) -> impl IntoView {
    let action = ServerAction::<UpdateContact>::new();
    let errors = action_error(action);
    let email = user.pending_email.or(user.email).unwrap_or_default();
    view! {
        <section class="card" id="contact" aria-labelledby="contact-heading">
            <h2 id="contact-heading">"Update My Contact Information"</h2>
            <ActionForm action=action attr:novalidate=true>
                <FormError errors/>
                <Field label="Email address" name="form[email]" field="email" errors input_type="email"
                    value=email autocomplete="email" required=true
                    hint="A new address is used once you follow the link we email to it."/>
                <Field label="Phone number" name="form[phone]" field="phone" errors input_type="tel"
                    value=user.phone autocomplete="tel" required=true/>
                <Field label="Password (to confirm a new email)" name="form[current_password]"
                    field="contact_password" errors input_type="password" autocomplete="current-password"
                    hint="We also tell your current address about the change."/>
                <SubmitButton label="Update Contact Information" pending=action.pending()/>
            </ActionForm>
            {move || match action.value().get() {
                Some(Ok(Some(pending))) => Some(view! {
                    <Notice>
                        "Your contact information is saved. We sent a verification link to "
                        <strong>{pending}</strong>
                        ": your email address changes once you follow it."
                    </Notice>
                }.into_any()),
                Some(Ok(None)) => Some(view! { <Notice>"Your contact information is saved."</Notice> }.into_any()),
                _ => None,
            }}
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let errors = action_error(action);
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Change Password"</h2>
            <ActionForm action=action attr:novalidate=true>
                <FormError errors/>
                <Field label="Current password" name="form[current_password]" field="current_password" errors
                    input_type="password" autocomplete="current-password" required=true/>
                <Field label="New password" name="form[password]" field="password" errors input_type="password"
                    autocomplete="new-password" required=true hint="At least 12 characters."/>
                <Field label="Confirm new password" name="form[password_confirmation]" field="password_confirmation"
                    errors input_type="password" autocomplete="new-password" required=true/>
                <SubmitButton label="Change Password" pending=action.pending()/>
            </ActionForm>
            <Show when=move || action_succeeded(action).get()>
                <Notice>"Your password has been changed."</Notice>
            </Show>
        </section>
    }
}

/// The devices signed in to the account, and "Sign out other sessions".
#[component]
fn SignedInDevices() -> impl IntoView {
    let sign_out_others = ServerAction::<SignOutOtherSessions>::new();
    let errors = action_error(sign_out_others);
    let devices = load(
        move || sign_out_others.version().get(),
        |_| signed_in_devices(),
    );
    view! {
        <section class="card" aria-labelledby="devices-heading">
            <h2 id="devices-heading">"Signed-in devices"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {awaiting(move || async move {
                    let devices = devices.await?;
                    let others = devices.iter().filter(|device| !device.this_device).count();
                    Ok(view! {
                        <ul class="results">
                            {devices.into_iter().map(|device| view! { <DeviceLine device/> }).collect_view()}
                        </ul>
                        {if others == 0 {
                            view! { <p class="hint">"You are signed in on this device only."</p> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=sign_out_others>
                                    <FormError errors/>
                                    <SubmitButton label="Sign out other sessions" pending=sign_out_others.pending()/>
                                </ActionForm>
                            }.into_any()
                        }}
                    }.into_any())
                })}
            </Transition>
            {move || sign_out_others.value().get().and_then(Result::ok).map(|ended| view! {
                <Notice>{match ended {
                    1 => "One other session was signed out.".to_owned(),
                    ended => format!("{ended} other sessions were signed out."),
                }}</Notice>
            })}
        </section>
    }
}

#[component]
fn DeviceLine(device: SignedInDevice) -> impl IntoView {
    let address = device
        .address
        .unwrap_or_else(|| "address unknown".to_owned());
    view! {
        <li>
            <strong>{device.browser}</strong>
            {device.this_device.then(|| view! { " " <span class="badge">"This device"</span> })}
            <br/>
            <span class="hint">
                {format!("{address} · last active {} · signed in {}", device.last_active, device.signed_in)}
            </span>
        </li>
    }
}
