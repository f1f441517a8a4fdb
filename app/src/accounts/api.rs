//! Server functions of the account pages: thin adapters from the request to the rules.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::service,
    crate::platform::{rate_limit::Limited, sessions, RequestContext},
};

#[server(prefix = "/api", endpoint = "load_session", output = server_fn::codec::Postcard)]
pub async fn load_session() -> Result<SessionInfo, AppError> {
    let ctx = RequestContext::load().await?;
    let user = match ctx.account_id().await? {
        Some(account_id) => service::current_user(ctx.db(), account_id).await?,
        None => None,
    };
    Ok(SessionInfo {
        user,
        development: ctx.state.config.development_tools_enabled(),
    })
}

#[server(prefix = "/api", endpoint = "sign_in", output = server_fn::codec::Postcard)]
pub async fn sign_in(username: String, password: String) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    let limits = &ctx.state.limits;
    limits.check(Limited::SignInFromAddress, &ctx.address_key())?;
    let mut errors = crate::error::FieldErrors::new();
    if username.trim().is_empty() {
        errors.add("username", "Enter your username.");
    }
    if password.is_empty() {
        errors.add("password", "Enter your password.");
    }
    errors.into_result()?;
    let account_id =
        service::sign_in_with_password(&ctx.state, ctx.actor().await?, &username, &password)
            .await?;
    sessions::sign_in(&ctx.session, account_id, ctx.device().await).await
}

#[server(prefix = "/api", endpoint = "sign_out", output = server_fn::codec::Postcard)]
pub async fn sign_out() -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.account_id().await?;
    if account_id.is_some() {
        ctx.write(service::record_sign_out).await?;
    }
    // Clinics share computers: the browser forgets what it kept of the session's pages.
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            axum::http::header::HeaderName::from_static("clear-site-data"),
            axum::http::HeaderValue::from_static("\"cache\", \"storage\""),
        );
    }
    sessions::sign_out(&ctx.session).await?;
    // The session is gone now: its live-update streams, on every app server, end.
    ctx.state.live.announce(account_id);
    Ok(())
}

/// The identity waiting to register, if the session holds one.
#[server(prefix = "/api", endpoint = "load_registration", output = server_fn::codec::Postcard)]
pub async fn load_registration() -> Result<Option<RegistrationStart>, AppError> {
    let ctx = RequestContext::load().await?;
    Ok(sessions::pending_identity(&ctx.session)
        .await?
        .map(|identity| RegistrationStart {
            full_name: format!("{} {}", identity.given_name, identity.family_name),
            suggested_email: identity.email,
        }))
}

#[server(prefix = "/api", endpoint = "register", output = server_fn::codec::Postcard)]
pub async fn register(form: RegistrationForm) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.state
        .limits
        .check(Limited::Registration, &ctx.address_key())?;
    let identity = sessions::pending_identity(&ctx.session)
        .await?
        .ok_or_else(|| {
            AppError::Refused(
                "Please validate your identity with the BC Services Card before registering."
                    .into(),
            )
        })?;
    let account_id = service::register(&ctx.state, ctx.actor().await?, &identity, &form).await?;
    sessions::sign_in(&ctx.session, account_id, ctx.device().await).await
}

#[server(prefix = "/api", endpoint = "verify_email", output = server_fn::codec::Postcard)]
pub async fn verify_email(token: String) -> Result<String, AppError> {
    let ctx = RequestContext::load().await?;
    let actor = ctx.actor().await?;
    ctx.state
        .write(actor, async |change| {
            service::verify_email(change, &token).await
        })
        .await
}

#[server(prefix = "/api", endpoint = "request_password_reset", output = server_fn::codec::Postcard)]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.state
        .limits
        .check(Limited::Recovery, &ctx.address_key())?;
    let actor = ctx.actor().await?;
    ctx.state
        .write(actor, async |change| {
            service::request_password_reset(change, &email).await
        })
        .await
}

#[server(prefix = "/api", endpoint = "reset_password", output = server_fn::codec::Postcard)]
pub async fn reset_password(
    token: String,
    password: String,
    password_confirmation: String,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.state
        .limits
        .check(Limited::Recovery, &ctx.address_key())?;
    service::reset_password(
        &ctx.state,
        ctx.actor().await?,
        &token,
        &password,
        &password_confirmation,
    )
    .await
}

#[server(prefix = "/api", endpoint = "look_up_username", output = server_fn::codec::Postcard)]
pub async fn look_up_username(email: String) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.state
        .limits
        .check(Limited::Recovery, &ctx.address_key())?;
    let actor = ctx.actor().await?;
    ctx.state
        .write(actor, async |change| {
            service::look_up_username(change, &email).await
        })
        .await
}

/// Returns the address now waiting for verification, if the email changed.
#[server(prefix = "/api", endpoint = "update_contact", output = server_fn::codec::Postcard)]
pub async fn update_contact(form: ContactForm) -> Result<Option<String>, AppError> {
    let ctx = RequestContext::load().await?;
    match service::update_contact(&ctx.state, ctx.actor().await?, &form).await? {
        service::EmailChange::Unchanged => Ok(None),
        service::EmailChange::VerificationSent(email) => Ok(Some(email)),
    }
}

#[server(prefix = "/api", endpoint = "change_password", output = server_fn::codec::Postcard)]
pub async fn change_password(form: PasswordChangeForm) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    service::change_password(&ctx.state, ctx.actor().await?, &form).await
}

/// The devices signed in to the caller's account.
#[server(prefix = "/api", endpoint = "signed_in_devices", output = server_fn::codec::Postcard)]
pub async fn signed_in_devices() -> Result<Vec<SignedInDevice>, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    let this_session = sessions::key_of(&ctx.session);
    service::devices::signed_in_devices(ctx.db(), account_id, this_session.as_deref()).await
}

/// "Sign out other sessions". Returns how many ended.
#[server(prefix = "/api", endpoint = "sign_out_other_sessions", output = server_fn::codec::Postcard)]
pub async fn sign_out_other_sessions() -> Result<u64, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(service::devices::sign_out_other_sessions).await
}

/// Seconds before the caller's session idles out; `None` when not signed in. Asking is not
/// activity: the session middleware leaves this path alone (`sessions::PASSIVE_PATHS`).
#[server(prefix = "/api", endpoint = "session_time_left", output = server_fn::codec::Postcard)]
pub async fn session_time_left() -> Result<Option<i64>, AppError> {
    let ctx = RequestContext::load().await?;
    sessions::seconds_left(&ctx.session, ctx.state.config.session_idle_minutes).await
}

/// "Stay signed in": the session's idle time starts again. Returns the seconds it now has.
#[server(prefix = "/api", endpoint = "stay_signed_in", output = server_fn::codec::Postcard)]
pub async fn stay_signed_in() -> Result<Option<i64>, AppError> {
    let ctx = RequestContext::load().await?;
    sessions::touch(&ctx.session).await?;
    sessions::seconds_left(&ctx.session, ctx.state.config.session_idle_minutes).await
}

/// The CareConnect team disables an account: its sessions end and sign-in is refused.
#[server(prefix = "/api", endpoint = "staff_disable_account", output = server_fn::codec::Postcard)]
pub async fn staff_disable_account(id: AccountId, reason: String) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::disable(change, id.get(), &reason).await)
        .await
}

#[server(prefix = "/api", endpoint = "staff_enable_account", output = server_fn::codec::Postcard)]
pub async fn staff_enable_account(id: AccountId) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::enable(change, id.get()).await)
        .await
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DevIdentityForm {
    pub subject: String,
    pub given_name: String,
    pub family_name: String,
    #[serde(default)]
    pub birthdate: String,
    #[serde(default)]
    pub email: String,
}

/// The development identity provider: vouches for whatever identity is typed in. Refused in
/// production, where only the configured OpenID Connect provider may validate identities.
#[server(prefix = "/api", endpoint = "dev_identity_sign_in", output = server_fn::codec::Postcard)]
pub async fn dev_identity_sign_in(form: DevIdentityForm) -> Result<IdentityOutcome, AppError> {
    let ctx = RequestContext::load().await?;
    if !ctx.state.config.development_tools_enabled() {
        return Err(AppError::Forbidden);
    }
    let mut errors = crate::error::FieldErrors::new();
    for (field, value, message) in [
        (
            "subject",
            &form.subject,
            "Enter a subject (the identity's unique id).",
        ),
        ("given_name", &form.given_name, "Enter a given name."),
        ("family_name", &form.family_name, "Enter a family name."),
    ] {
        if value.trim().is_empty() {
            errors.add(field, message);
        }
    }
    let birthdate = form.birthdate.trim();
    if !birthdate.is_empty() && chrono::NaiveDate::parse_from_str(birthdate, "%Y-%m-%d").is_err() {
        errors.add("birthdate", "Enter a date as YYYY-MM-DD.");
    }
    errors.into_result()?;
    let identity = ValidatedIdentity {
        issuer: DEVELOPMENT_ISSUER.to_owned(),
        subject: form.subject.trim().to_owned(),
        given_name: form.given_name.trim().to_owned(),
        family_name: form.family_name.trim().to_owned(),
        birthdate: (!birthdate.is_empty()).then(|| birthdate.to_owned()),
        email: Some(form.email.trim().to_owned()).filter(|e| !e.is_empty()),
    };
    super::identity::establish(
        &ctx.state,
        &ctx.session,
        ctx.actor().await?,
        &identity,
        ctx.device().await,
    )
    .await
}

/// The CareConnect team's user lookup: name, username or email.
#[server(prefix = "/api", endpoint = "staff_find_people", output = server_fn::codec::Postcard)]
pub async fn staff_find_people(query: String) -> Result<Vec<PersonSummary>, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    crate::flows::people::find_people(ctx.db(), account_id, &query).await
}

/// One person's record, for the CareConnect team.
#[server(prefix = "/api", endpoint = "staff_person", output = server_fn::codec::Postcard)]
pub async fn staff_person(id: AccountId) -> Result<PersonRecord, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    crate::flows::people::record(ctx.db(), account_id, id.get()).await
}
