//! The account rules, over a database connection. Server functions and the OIDC routes call
//! these; tests call them directly on SQLite and PostgreSQL.

mod emails;
pub mod links;
pub mod throttle;

use super::types::*;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{account, account_identity};
use crate::error::{AppError, FieldErrors, Refusal};
use crate::mail::message::Email;
use crate::platform::{db::insert_unique, Actor, AppState, Change};
use crate::professions::{self, types::Profession};
use chrono::{Duration, NaiveDate, Utc};
use links::Purpose;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::json;

const VERIFICATION_LIFETIME: Duration = Duration::hours(48);
const RESET_LIFETIME: Duration = Duration::hours(1);

pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(conn)
        .await
}

/// The accounts with these ids, in one query, by id.
pub async fn by_ids(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(account::Column::Id)
        .all(conn)
        .await
}

/// The account, which must have a verified email address: worksite requests and registrations
/// send their messages to it.
pub async fn verified_account(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<account::Model, AppError> {
    let account = find(conn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if account.email.is_none() {
        return Err(AppError::Refused(Refusal::EmailNotVerified));
    }
    Ok(account)
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<Option<account::Model>, DbErr> {
    account::Entity::find_by_id(id).one(conn).await
}

/// Called when the identity provider has vouched for someone. Returns their account, if they
/// have one; otherwise they must register.
pub async fn identity_signed_in(
    change: &mut Change<'_>,
    identity: &ValidatedIdentity,
) -> Result<Option<i64>, AppError> {
    let known = account_identity::Entity::find()
        .filter(account_identity::Column::Issuer.eq(&identity.issuer))
        .filter(account_identity::Column::Subject.eq(&identity.subject))
        .one(change.db())
        .await?;
    let target = format!("identity:{}", identity.subject);
    Ok(match known {
        Some(row) => {
            let account_id = row.account_id;
            let mut row: account_identity::ActiveModel = row.into();
            row.last_signed_in_at = Set(Utc::now());
            row.update(change.db()).await?;
            change.audit(
                AuditEntry::new(AuditAction::SignIn, format!("account:{account_id}"))
                    .by(account_id)
                    .with_details(
                        json!({ "method": "identity_provider", "issuer": identity.issuer }),
                    ),
            );
            Some(account_id)
        }
        None => {
            change.audit(
                AuditEntry::new(AuditAction::IdentityValidated, target)
                    .with_details(json!({ "issuer": identity.issuer })),
            );
            None
        }
    })
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

/// Creates the account of a validated identity and emails a link to verify the address. The
/// password is hashed before the write begins, so the write lock is never held for it.
pub async fn register(
    state: &AppState,
    actor: Actor,
    identity: &ValidatedIdentity,
    form: &RegistrationForm,
) -> Result<i64, AppError> {
    let valid = validate_registration(&state.db, form).await?;
    let password_hash = state.passwords.hash(&form.password).await?;
    let birthdate = identity
        .birthdate
        .as_deref()
        .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok());
    state
        .write(actor, async |change| {
            create_account(change, identity, valid, password_hash, birthdate).await
        })
        .await
}

async fn create_account(
    change: &mut Change<'_>,
    identity: &ValidatedIdentity,
    valid: ValidRegistration,
    password_hash: String,
    birthdate: Option<NaiveDate>,
) -> Result<i64, AppError> {
    let txn = change.db();
    let already = account_identity::Entity::find()
        .filter(account_identity::Column::Issuer.eq(&identity.issuer))
        .filter(account_identity::Column::Subject.eq(&identity.subject))
        .one(txn)
        .await?;
    if already.is_some() {
        return Err(AppError::Conflict(
            "This identity already has an account. Please sign in.".into(),
        ));
    }
    let username_key = valid.username.to_lowercase();
    let taken = account::Entity::find()
        .filter(account::Column::UsernameKey.eq(&username_key))
        .one(txn)
        .await?;
    if taken.is_some() {
        return Err(username_taken());
    }
    let now = Utc::now();
    // Another registration may take the username between our check and our insert.
    let account = insert_unique(
        txn,
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
    .insert(txn)
    .await?;
    send_verification(change, &account, &valid.email).await?;
    change.audit(
        AuditEntry::new(
            AuditAction::AccountRegistered,
            format!("account:{}", account.id),
        )
        .by(account.id)
        .with_details(json!({
            "username": account.username,
            "profession": valid.profession.name,
            "issuer": identity.issuer,
        })),
    );
    Ok(account.id)
}

async fn send_verification(
    change: &mut Change<'_>,
    account: &account::Model,
    email: &str,
) -> Result<(), AppError> {
    let token = links::issue(
        change.db(),
        account.id,
        Purpose::VerifyEmail,
        Some(email),
        VERIFICATION_LIFETIME,
    )
    .await?;
    let link = change
        .state()
        .config
        .link(&format!("/account/verify-email?token={token}"));
    change.email(email, emails::verify_email(&account.full_name(), &link));
    Ok(())
}

/// Username and password sign-in. The same answer for an unknown user and a wrong password.
pub async fn sign_in_with_password(
    state: &AppState,
    actor: Actor,
    username: &str,
    password: &str,
) -> Result<i64, AppError> {
    let account = account::Entity::find()
        .filter(account::Column::UsernameKey.eq(username.trim().to_lowercase()))
        .one(&state.db)
        .await?;
    let now = Utc::now();
    if let Some(account) = &account {
        if let Some(left) = throttle::paused_for(&state.db, account.id, now).await? {
            // Refused before the password is even checked: a guess made now tells nothing.
            state
                .write(actor, async |change| {
                    change.audit(
                        AuditEntry::new(
                            AuditAction::SignInFailed,
                            format!("account:{}", account.id),
                        )
                        .with_details(json!({ "paused": true })),
                    );
                    Ok(())
                })
                .await?;
            let minutes = (left.num_seconds() + 59) / 60;
            return Err(AppError::Refused(Refusal::PasswordSignInPaused { minutes }));
        }
    }
    let matches = state
        .passwords
        .verify(password, account.as_ref().map(|a| a.password_hash.as_str()))
        .await?;
    // The failure is recorded and committed too: the refusal is the outcome, not an error.
    let outcome = state
        .write(actor, async |change| {
            Ok(match account {
                Some(account) if matches => {
                    throttle::password_accepted(change.db(), account.id).await?;
                    change.audit(
                        AuditEntry::new(AuditAction::SignIn, format!("account:{}", account.id))
                            .by(account.id)
                            .with_details(json!({ "method": "password" })),
                    );
                    Ok(account.id)
                }
                account => {
                    if let Some(account) = &account {
                        throttle::wrong_password(change.db(), account.id, now).await?;
                    }
                    change.audit(
                        AuditEntry::new(
                            AuditAction::SignInFailed,
                            format!("username:{}", username.trim().to_lowercase()),
                        )
                        .with_details(json!({ "known_account": account.is_some() })),
                    );
                    Err(AppError::Refused(Refusal::WrongCredentials))
                }
            })
        })
        .await?;
    outcome
}

/// Records the actor's sign-out.
pub async fn record_sign_out(change: &mut Change<'_>) -> Result<(), AppError> {
    let account_id = change.account()?;
    change.audit(AuditEntry::new(
        AuditAction::SignOut,
        format!("account:{account_id}"),
    ));
    Ok(())
}

/// Confirms the address a verification link was sent to. Returns the verified address.
pub async fn verify_email(change: &mut Change<'_>, token: &str) -> Result<String, AppError> {
    let txn = change.db();
    let link = links::consume(txn, token, Purpose::VerifyEmail).await?;
    let account = find(txn, link.account_id)
        .await?
        .ok_or(AppError::Internal)?;
    let email = link.email.unwrap_or_default();
    if account.pending_email.as_deref() != Some(email.as_str()) {
        return Err(AppError::Refused("This link is for an address that has since been changed. Please use the newest link we sent.".into()));
    }
    if let Some(other) = find_by_email(txn, &email).await? {
        if other.id != account.id {
            return Err(AppError::Conflict("This email address is already used by another account. Please sign in to that account, or use another address.".into()));
        }
    }
    let account_id = account.id;
    let mut row: account::ActiveModel = account.into();
    row.email = Set(Some(email.clone()));
    row.email_verified_at = Set(Some(Utc::now()));
    row.pending_email = Set(None);
    row.updated_at = Set(Utc::now());
    row.update(txn).await?;
    change.audit(
        AuditEntry::new(AuditAction::EmailVerified, format!("account:{account_id}"))
            .by(account_id)
            .with_details(json!({ "email": email })),
    );
    Ok(email)
}

/// Account recovery by email address: composes a message only when the address belongs to an
/// account, and answers the same either way, so the answer reveals nothing.
async fn recover_by_email(
    change: &mut Change<'_>,
    email: &str,
    action: AuditAction,
    compose: impl AsyncFnOnce(&Change<'_>, &account::Model) -> Result<Email, AppError>,
) -> Result<(), AppError> {
    let email = normalize_email(email).map_err(|m| AppError::invalid("email", m))?;
    if let Some(account) = find_by_email(change.db(), &email).await? {
        if !throttle::may_send_recovery(change.db(), &email, Utc::now()).await? {
            // Answered as any other request, so the limit tells nobody the address is known.
            change.audit(
                AuditEntry::new(action, format!("account:{}", account.id))
                    .with_details(json!({ "sent": false, "reason": "daily limit" })),
            );
            return Ok(());
        }
        let message = compose(change, &account).await?;
        change.email(&email, message);
        change.audit(AuditEntry::new(action, format!("account:{}", account.id)));
    }
    Ok(())
}

/// "Reset My Password": emails a one-hour reset link to the account's address.
pub async fn request_password_reset(change: &mut Change<'_>, email: &str) -> Result<(), AppError> {
    let action = AuditAction::PasswordResetRequested;
    recover_by_email(change, email, action, async |change, account| {
        let token = links::issue(
            change.db(),
            account.id,
            Purpose::ResetPassword,
            None,
            RESET_LIFETIME,
        )
        .await?;
        let link = change
            .state()
            .config
            .link(&format!("/account/reset-password?token={token}"));
        Ok(emails::reset_password(&account.full_name(), &link))
    })
    .await
}

/// Sets a new password through an emailed reset link. The link works once.
pub async fn reset_password(
    state: &AppState,
    actor: Actor,
    token: &str,
    password: &str,
    confirmation: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    validate_new_password(password, confirmation, &mut errors);
    errors.into_result()?;
    // Refuse a bad link before spending a hash on it.
    links::check(&state.db, token, Purpose::ResetPassword).await?;
    let password_hash = state.passwords.hash(password).await?;
    state
        .write(actor, async |change| {
            let txn = change.db();
            let link = links::consume(txn, token, Purpose::ResetPassword).await?;
            set_password(txn, link.account_id, password_hash).await?;
            links::revoke_all(txn, link.account_id, Purpose::ResetPassword).await?;
            throttle::password_accepted(txn, link.account_id).await?;
            change.audit(
                AuditEntry::new(
                    AuditAction::PasswordReset,
                    format!("account:{}", link.account_id),
                )
                .by(link.account_id),
            );
            Ok(())
        })
        .await
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
pub async fn look_up_username(change: &mut Change<'_>, email: &str) -> Result<(), AppError> {
    let action = AuditAction::UsernameLookupRequested;
    recover_by_email(change, email, action, async |change, account| {
        let sign_in = change.state().config.link("/sign-in");
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
    unit: &mut Change<'_>,
    form: &ContactForm,
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
    let account_id = unit.account()?;
    let account = find(unit.db(), account_id)
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
    let account = row.update(unit.db()).await?;
    if let EmailChange::VerificationSent(email) = &change {
        links::revoke_all(unit.db(), account_id, Purpose::VerifyEmail).await?;
        send_verification(unit, &account, email).await?;
    }
    unit.audit(
        AuditEntry::new(AuditAction::ContactUpdated, format!("account:{account_id}")).with_details(
            json!({
                "phone": { "old": old_phone, "new": phone },
                "email_verification_sent": matches!(change, EmailChange::VerificationSent(_)),
            }),
        ),
    );
    Ok(change)
}

/// The signed-in actor changes their password; both hashes are computed before the write begins.
pub async fn change_password(
    state: &AppState,
    actor: Actor,
    form: &PasswordChangeForm,
) -> Result<(), AppError> {
    let account_id = actor.account.ok_or(AppError::Unauthenticated)?;
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
    state
        .write(actor, async |change| {
            set_password(change.db(), account_id, password_hash).await?;
            change.audit(AuditEntry::new(
                AuditAction::PasswordChanged,
                format!("account:{account_id}"),
            ));
            Ok(())
        })
        .await
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

/// Operator command: makes the account with this verified email CareConnect staff.
pub async fn grant_staff(change: &mut Change<'_>, email: &str) -> Result<i64, AppError> {
    let email = normalize_email(email).map_err(|m| AppError::invalid("email", m))?;
    let txn = change.db();
    let account = find_by_email(txn, &email).await?.ok_or_else(|| {
        AppError::NotFound(format!(
            "No account has the verified email address {email}."
        ))
    })?;
    let account_id = account.id;
    let mut row: account::ActiveModel = account.into();
    row.is_staff = Set(true);
    row.updated_at = Set(Utc::now());
    row.update(txn).await?;
    change.audit(
        AuditEntry::new(AuditAction::StaffGranted, format!("account:{account_id}"))
            .with_details(json!({ "by": "operator command" })),
    );
    Ok(account_id)
}
