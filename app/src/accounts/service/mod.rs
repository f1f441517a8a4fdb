//! The account rules, over a database connection. Server functions and the OIDC routes call
//! these; tests call them directly on SQLite and PostgreSQL.

mod emails;
pub mod links;
pub mod staff;

use super::types::*;
use crate::audit::{self, AuditAction, AuditEntry};
use crate::entities::{account, account_identity};
use crate::error::{AppError, FieldErrors};
use crate::mail::{message::Email, outbox};
use crate::platform::{
    db::{begin_write, insert_unique},
    AppState,
};
use crate::professions::{self, types::Profession};
use chrono::{Duration, NaiveDate, Utc};
use links::Purpose;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, Set,
};
use serde_json::json;

const VERIFICATION_LIFETIME: Duration = Duration::hours(48);
const RESET_LIFETIME: Duration = Duration::hours(1);

pub const WRONG_CREDENTIALS: &str = "Incorrect username or password.";

pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(conn)
        .await
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find_by_id(id).one(conn).await
}

/// Called when the identity provider has vouched for someone. Returns their account, if they
/// have one; otherwise they must register.
pub async fn identity_signed_in(
    state: &AppState,
    identity: &ValidatedIdentity,
    client_addr: Option<&str>,
) -> Result<Option<i64>, AppError> {
    let txn = begin_write(&state.db).await?;
    let known = account_identity::Entity::find()
        .filter(account_identity::Column::Issuer.eq(&identity.issuer))
        .filter(account_identity::Column::Subject.eq(&identity.subject))
        .one(&txn)
        .await?;
    let target = format!("identity:{}", identity.subject);
    let account_id = match known {
        Some(row) => {
            let account_id = row.account_id;
            let mut row: account_identity::ActiveModel = row.into();
            row.last_signed_in_at = Set(Utc::now());
            row.update(&txn).await?;
            let entry = AuditEntry::new(AuditAction::SignIn, format!("account:{account_id}"))
                .by(account_id)
                .from_addr(client_addr)
                .with_details(json!({ "method": "identity_provider", "issuer": identity.issuer }));
            audit::record(&txn, entry).await?;
            Some(account_id)
        }
        None => {
            let entry = AuditEntry::new(AuditAction::IdentityValidated, target)
                .from_addr(client_addr)
                .with_details(json!({ "issuer": identity.issuer }));
            audit::record(&txn, entry).await?;
            None
        }
    };
    txn.commit().await?;
    Ok(account_id)
}

struct ValidRegistration {
    email: String,
    username: String,
    phone: String,
    profession: Profession,
    licence_number: Option<String>,
}

async fn validate_registration(
    conn: &impl ConnectionTrait,
    form: &RegistrationForm,
) -> Result<ValidRegistration, AppError> {
    let mut errors = FieldErrors::new();
    let email = normalize_email(&form.email)
        .map_err(|m| errors.add("email", m))
        .ok();
    let username = validate_username(&form.username)
        .map_err(|m| errors.add("username", m))
        .ok();
    validate_new_password(&form.password, &form.password_confirmation, &mut errors);
    let phone = normalize_phone(&form.phone)
        .map_err(|m| errors.add("phone", m))
        .ok();
    let profession = match form.profession_id.trim().parse::<i32>() {
        Ok(id) => professions::service::find(conn, id).await?,
        Err(_) => None,
    };
    if profession.is_none() {
        errors.add("profession_id", "Select your profession.");
    }
    let licence_required = profession.as_ref().is_some_and(|p| p.requires_licence);
    let licence_number = validate_licence(&form.licence_number, licence_required)
        .map_err(|m| errors.add("licence_number", m))
        .ok()
        .flatten();
    match (email, username, phone, profession) {
        (Some(email), Some(username), Some(phone), Some(profession)) if errors.is_empty() => {
            Ok(ValidRegistration {
                email,
                username,
                phone,
                profession,
                licence_number,
            })
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

fn username_taken() -> AppError {
    AppError::invalid(
        "username",
        "This username is not available. Please choose another.",
    )
}

/// Creates the account of a validated identity and emails a link to verify the address.
pub async fn register(
    state: &AppState,
    identity: &ValidatedIdentity,
    form: &RegistrationForm,
    client_addr: Option<&str>,
) -> Result<i64, AppError> {
    let valid = validate_registration(&state.db, form).await?;
    let password_hash = state.passwords.hash(&form.password).await?;
    let birthdate = identity
        .birthdate
        .as_deref()
        .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok());

    let txn = begin_write(&state.db).await?;
    let already = account_identity::Entity::find()
        .filter(account_identity::Column::Issuer.eq(&identity.issuer))
        .filter(account_identity::Column::Subject.eq(&identity.subject))
        .one(&txn)
        .await?;
    if already.is_some() {
        return Err(AppError::Conflict(
            "This identity already has an account. Please sign in.".to_owned(),
        ));
    }
    let username_key = valid.username.to_lowercase();
    let taken = account::Entity::find()
        .filter(account::Column::UsernameKey.eq(&username_key))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(username_taken());
    }
    let now = Utc::now();
    // Another registration may take the username between our check and our insert.
    let account = insert_unique(
        &txn,
        account::ActiveModel {
            username: Set(valid.username.clone()),
            username_key: Set(username_key),
            email: Set(None),
            email_verified_at: Set(None),
            pending_email: Set(Some(valid.email.clone())),
            password_hash: Set(password_hash),
            phone: Set(valid.phone),
            profession_id: Set(valid.profession.id),
            licence_number: Set(valid.licence_number),
            given_name: Set(identity.given_name.clone()),
            family_name: Set(identity.family_name.clone()),
            birthdate: Set(birthdate),
            is_staff: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        },
        username_taken,
    )
    .await?;
    account_identity::ActiveModel {
        account_id: Set(account.id),
        issuer: Set(identity.issuer.clone()),
        subject: Set(identity.subject.clone()),
        created_at: Set(now),
        last_signed_in_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    send_verification(state, &txn, &account, &valid.email).await?;
    let entry = AuditEntry::new(
        AuditAction::AccountRegistered,
        format!("account:{}", account.id),
    )
    .by(account.id)
    .from_addr(client_addr)
    .with_details(json!({
        "username": account.username,
        "profession": valid.profession.name,
        "issuer": identity.issuer,
    }));
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(account.id)
}

async fn send_verification(
    state: &AppState,
    conn: &impl ConnectionTrait,
    account: &account::Model,
    email: &str,
) -> Result<(), AppError> {
    let token = links::issue(
        conn,
        account.id,
        Purpose::VerifyEmail,
        Some(email),
        VERIFICATION_LIFETIME,
    )
    .await?;
    let link = state
        .config
        .link(&format!("/account/verify-email?token={token}"));
    outbox::enqueue(
        conn,
        email,
        emails::verify_email(&account.full_name(), &link),
    )
    .await?;
    Ok(())
}

/// Username and password sign-in. The same answer for an unknown user and a wrong password.
pub async fn sign_in_with_password(
    state: &AppState,
    username: &str,
    password: &str,
    client_addr: Option<&str>,
) -> Result<i64, AppError> {
    let account = account::Entity::find()
        .filter(account::Column::UsernameKey.eq(username.trim().to_lowercase()))
        .one(&state.db)
        .await?;
    let matches = state
        .passwords
        .verify(password, account.as_ref().map(|a| a.password_hash.as_str()))
        .await?;
    let txn = begin_write(&state.db).await?;
    let outcome = match account {
        Some(account) if matches => {
            let entry = AuditEntry::new(AuditAction::SignIn, format!("account:{}", account.id))
                .by(account.id)
                .from_addr(client_addr)
                .with_details(json!({ "method": "password" }));
            audit::record(&txn, entry).await?;
            Ok(account.id)
        }
        account => {
            let entry = AuditEntry::new(
                AuditAction::SignInFailed,
                format!("username:{}", username.trim().to_lowercase()),
            )
            .from_addr(client_addr)
            .with_details(json!({ "known_account": account.is_some() }));
            audit::record(&txn, entry).await?;
            Err(AppError::Refused(WRONG_CREDENTIALS.to_owned()))
        }
    };
    txn.commit().await?;
    outcome
}

pub async fn record_sign_out(
    state: &AppState,
    account_id: i64,
    client_addr: Option<&str>,
) -> Result<(), AppError> {
    let entry = AuditEntry::new(AuditAction::SignOut, format!("account:{account_id}"))
        .by(account_id)
        .from_addr(client_addr);
    audit::record(&state.db, entry).await?;
    Ok(())
}

/// Confirms the address a verification link was sent to. Returns the verified address.
pub async fn verify_email(
    state: &AppState,
    token: &str,
    client_addr: Option<&str>,
) -> Result<String, AppError> {
    let txn = begin_write(&state.db).await?;
    let link = links::consume(&txn, token, Purpose::VerifyEmail).await?;
    let account = find(&txn, link.account_id)
        .await?
        .ok_or(AppError::Internal)?;
    let email = link.email.unwrap_or_default();
    if account.pending_email.as_deref() != Some(email.as_str()) {
        return Err(AppError::Refused(
            "This link is for an address that has since been changed. Please use the newest link we sent.".to_owned(),
        ));
    }
    if let Some(other) = find_by_email(&txn, &email).await? {
        if other.id != account.id {
            return Err(AppError::Conflict(
                "This email address is already used by another account. Please sign in to that account, or use another address.".to_owned(),
            ));
        }
    }
    let account_id = account.id;
    let mut row: account::ActiveModel = account.into();
    row.email = Set(Some(email.clone()));
    row.email_verified_at = Set(Some(Utc::now()));
    row.pending_email = Set(None);
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    let entry = AuditEntry::new(AuditAction::EmailVerified, format!("account:{account_id}"))
        .by(account_id)
        .from_addr(client_addr)
        .with_details(json!({ "email": email }));
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(email)
}

/// Account recovery by email address: composes a message only when the address belongs to an
/// account, and answers the same either way, so the answer reveals nothing.
async fn recover_by_email(
    state: &AppState,
    email: &str,
    client_addr: Option<&str>,
    action: AuditAction,
    compose: impl AsyncFnOnce(&DatabaseTransaction, &account::Model) -> Result<Email, AppError>,
) -> Result<(), AppError> {
    let email = normalize_email(email).map_err(|m| AppError::invalid("email", m))?;
    let txn = begin_write(&state.db).await?;
    if let Some(account) = find_by_email(&txn, &email).await? {
        let message = compose(&txn, &account).await?;
        outbox::enqueue(&txn, &email, message).await?;
        let entry =
            AuditEntry::new(action, format!("account:{}", account.id)).from_addr(client_addr);
        audit::record(&txn, entry).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// "Reset My Password": emails a one-hour reset link to the account's address.
pub async fn request_password_reset(
    state: &AppState,
    email: &str,
    client_addr: Option<&str>,
) -> Result<(), AppError> {
    let action = AuditAction::PasswordResetRequested;
    recover_by_email(state, email, client_addr, action, async |txn, account| {
        let token = links::issue(
            txn,
            account.id,
            Purpose::ResetPassword,
            None,
            RESET_LIFETIME,
        )
        .await?;
        let link = state
            .config
            .link(&format!("/account/reset-password?token={token}"));
        Ok(emails::reset_password(&account.full_name(), &link))
    })
    .await
}

/// Sets a new password through an emailed reset link. The link works once.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
    confirmation: &str,
    client_addr: Option<&str>,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    validate_new_password(password, confirmation, &mut errors);
    errors.into_result()?;
    // Refuse a bad link before spending a hash on it.
    links::check(&state.db, token, Purpose::ResetPassword).await?;
    let password_hash = state.passwords.hash(password).await?;
    let txn = begin_write(&state.db).await?;
    let link = links::consume(&txn, token, Purpose::ResetPassword).await?;
    set_password(&txn, link.account_id, password_hash).await?;
    links::revoke_all(&txn, link.account_id, Purpose::ResetPassword).await?;
    let entry = AuditEntry::new(
        AuditAction::PasswordReset,
        format!("account:{}", link.account_id),
    )
    .by(link.account_id)
    .from_addr(client_addr);
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(())
}

async fn set_password(
    conn: &impl ConnectionTrait,
    account_id: i64,
    password_hash: String,
) -> Result<(), AppError> {
    let account = find(conn, account_id).await?.ok_or(AppError::Internal)?;
    let mut row: account::ActiveModel = account.into();
    row.password_hash = Set(password_hash);
    row.updated_at = Set(Utc::now());
    row.update(conn).await?;
    Ok(())
}

/// "Look Up My Username": emails the username to the account's address.
pub async fn look_up_username(
    state: &AppState,
    email: &str,
    client_addr: Option<&str>,
) -> Result<(), AppError> {
    let action = AuditAction::UsernameLookupRequested;
    recover_by_email(state, email, client_addr, action, async |_, account| {
        let sign_in = state.config.link("/sign-in");
        Ok(emails::username_reminder(
            &account.full_name(),
            &account.username,
            &sign_in,
        ))
    })
    .await
}

/// Where a contact update left the email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailChange {
    Unchanged,
    VerificationSent(String),
}

pub async fn update_contact(
    state: &AppState,
    account_id: i64,
    form: &ContactForm,
    client_addr: Option<&str>,
) -> Result<EmailChange, AppError> {
    let mut errors = FieldErrors::new();
    let email = normalize_email(&form.email)
        .map_err(|m| errors.add("email", m))
        .ok();
    let phone = normalize_phone(&form.phone)
        .map_err(|m| errors.add("phone", m))
        .ok();
    let (Some(email), Some(phone)) = (email, phone) else {
        return Err(AppError::Invalid(errors));
    };
    let txn = begin_write(&state.db).await?;
    let account = find(&txn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let change = if account.email.as_deref() == Some(email.as_str()) {
        EmailChange::Unchanged
    } else {
        EmailChange::VerificationSent(email.clone())
    };
    let old_phone = account.phone.clone();
    let mut row: account::ActiveModel = account.clone().into();
    row.phone = Set(phone.clone());
    row.pending_email = Set(match &change {
        EmailChange::Unchanged => None,
        EmailChange::VerificationSent(email) => Some(email.clone()),
    });
    row.updated_at = Set(Utc::now());
    let account = row.update(&txn).await?;
    if let EmailChange::VerificationSent(email) = &change {
        links::revoke_all(&txn, account_id, Purpose::VerifyEmail).await?;
        send_verification(state, &txn, &account, email).await?;
    }
    let entry = AuditEntry::new(AuditAction::ContactUpdated, format!("account:{account_id}"))
        .by(account_id)
        .from_addr(client_addr)
        .with_details(json!({
            "phone": { "old": old_phone, "new": phone },
            "email_verification_sent": matches!(change, EmailChange::VerificationSent(_)),
        }));
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(change)
}

pub async fn change_password(
    state: &AppState,
    account_id: i64,
    form: &PasswordChangeForm,
    client_addr: Option<&str>,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    validate_new_password(&form.password, &form.password_confirmation, &mut errors);
    errors.into_result()?;
    let account = find(&state.db, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !state
        .passwords
        .verify(&form.current_password, Some(&account.password_hash))
        .await?
    {
        return Err(AppError::invalid(
            "current_password",
            "This is not your current password.",
        ));
    }
    let password_hash = state.passwords.hash(&form.password).await?;
    let txn = begin_write(&state.db).await?;
    set_password(&txn, account_id, password_hash).await?;
    let entry = AuditEntry::new(
        AuditAction::PasswordChanged,
        format!("account:{account_id}"),
    )
    .by(account_id)
    .from_addr(client_addr);
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn current_user(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(account) = find(conn, account_id).await? else {
        return Ok(None);
    };
    let profession = professions::service::find(conn, account.profession_id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(Some(CurrentUser {
        id: account.id,
        full_name: account.full_name(),
        username: account.username,
        email: account.email,
        pending_email: account.pending_email,
        phone: account.phone,
        profession: profession.name,
        user_type: profession.user_type,
        licence_number: account.licence_number,
        is_staff: account.is_staff,
    }))
}

/// Whether a real identity provider has vouched for the account (every registration starts with
/// one): the development provider vouches for whatever is typed into it.
pub async fn identity_validated(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<bool, DbErr> {
    Ok(crate::entities::account_identity::Entity::find()
        .filter(crate::entities::account_identity::Column::AccountId.eq(account_id))
        .filter(crate::entities::account_identity::Column::Issuer.ne(DEVELOPMENT_ISSUER))
        .one(conn)
        .await?
        .is_some())
}

/// The CareConnect team's back office only.
pub async fn require_staff(conn: &impl ConnectionTrait, account_id: i64) -> Result<(), AppError> {
    match find(conn, account_id).await? {
        Some(account) if account.is_staff => Ok(()),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthenticated),
    }
}

/// Operator command: makes the account with this verified email CareConnect staff.
pub async fn grant_staff(state: &AppState, email: &str) -> Result<i64, AppError> {
    let email = normalize_email(email).map_err(|m| AppError::invalid("email", m))?;
    let txn = begin_write(&state.db).await?;
    let account = find_by_email(&txn, &email).await?.ok_or_else(|| {
        AppError::NotFound(format!(
            "No account has the verified email address {email}."
        ))
    })?;
    let account_id = account.id;
    let mut row: account::ActiveModel = account.into();
    row.is_staff = Set(true);
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    let entry = AuditEntry::new(AuditAction::StaffGranted, format!("account:{account_id}"))
        .with_details(json!({ "by": "operator command" }));
    audit::record(&txn, entry).await?;
    txn.commit().await?;
    Ok(account_id)
}
