//! The account rules, over a database connection. Server functions and the OIDC routes call
//! these; tests call them directly on SQLite and PostgreSQL.

pub mod devices;
mod emails;
pub mod links;
mod standing;
pub mod throttle;

pub use standing::{disable, enable, grant_staff, revoke_staff};

use super::types::*;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{account, account_identity};
use crate::error::{AppError, FieldErrors, Refusal};
use crate::mail::message::Email;
use crate::platform::{db::insert_unique, Actor, AppState, Change, EndSessions};
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

/// What an identity the provider vouched for leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KnownIdentity {
    /// No account has this identity: the person registers.
    New,
    /// The account is signed in.
    Account(i64),
    /// The account exists but the CareConnect team disabled it.
    Disabled(i64),
}

/// Called when the identity provider has vouched for someone: signs in to their account, if they
/// have one and it is not disabled; otherwise they must register.
pub async fn identity_signed_in(
    change: &mut Change<'_>,
    identity: &ValidatedIdentity,
) -> Result<KnownIdentity, AppError> {
    let known = account_identity::Entity::find()
        .filter(account_identity::Column::Issuer.eq(&identity.issuer))
        .filter(account_identity::Column::Subject.eq(&identity.subject))
        .one(change.db())
        .await?;
    let target = format!("identity:{}", identity.subject);
    let Some(row) = known else {
        change.audit(
            AuditEntry::new(AuditAction::IdentityValidated, target)
                .with_details(json!({ "issuer": identity.issuer })),
        );
        return Ok(KnownIdentity::New);
    };
    let account_id = row.account_id;
    if is_disabled(change.db(), account_id).await? {
        change.audit(
            AuditEntry::new(AuditAction::SignInFailed, format!("account:{account_id}"))
                .with_details(json!({ "method": "identity_provider", "disabled": true })),
        );
        return Ok(KnownIdentity::Disabled(account_id));
    }
    let mut row: account_identity::ActiveModel = row.into();
    row.last_signed_in_at = Set(Utc::now());
    row.update(change.db()).await?;
    change.audit(
        AuditEntry::new(AuditAction::SignIn, format!("account:{account_id}"))
            .by(account_id)
            .with_details(json!({ "method": "identity_provider", "issuer": identity.issuer })),
    );
    Ok(KnownIdentity::Account(account_id))
}

async fn is_disabled(conn: &impl ConnectionTrait, account_id: i64) -> Result<bool, AppError> {
    Ok(find(conn, account_id)
        .await?
        .is_some_and(|account| account.disabled_at.is_some()))
}

/// Refuses a new password that a cracker's word lists would find quickly (a zxcvbn score below
/// 3, i.e. fewer than 10^8 guesses: common and breached passwords, names, dates, keyboard runs),
/// with the estimator's reason. `personal` are the person's own words (username, names, email),
/// which anyone who knows them would try first.
fn refuse_guessable(password: &str, personal: &[&str], errors: &mut FieldErrors) {
    if errors.get("password").is_some() {
        return;
    }
    let estimate = zxcvbn::zxcvbn(password, personal);
    if estimate.score() >= zxcvbn::Score::Three {
        return;
    }
    let reason = estimate
        .feedback()
        .and_then(|feedback| feedback.warning())
        .map(|warning| format!(" {warning}"))
        .unwrap_or_default();
    errors.add(
        "password",
        format!(
            "This password is too easy to guess.{reason} Try a few unrelated words together, or a longer phrase."
        ),
    );
}

/// Refuses a new password for the account that is easy to guess, or leans on its own words
/// (username, names, email).
fn refuse_guessable_for(account: &account::Model, password: &str) -> Result<(), AppError> {
    let mut personal = vec![
        account.username.as_str(),
        account.given_name.as_str(),
        account.family_name.as_str(),
    ];
    personal.extend(account.email.as_deref());
    let mut errors = FieldErrors::new();
    refuse_guessable(password, &personal, &mut errors);
    errors.into_result()
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
    refuse_guessable(
        &form.password,
        &[form.username.as_str(), form.email.as_str()],
        &mut errors,
    );
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
    // No account can have a username outside the rules: it gets the usual answer without a
    // look-up (and cannot fill the attempt counts with oversized keys).
    let Ok(username) = validate_username(username) else {
        state.passwords.verify(password, None).await?;
        return Err(AppError::Refused(Refusal::WrongCredentials));
    };
    let username_key = username.to_lowercase();
    let account = account::Entity::find()
        .filter(account::Column::UsernameKey.eq(&username_key))
        .one(&state.db)
        .await?;
    let now = Utc::now();
    if let Some(left) = throttle::paused_for(&state.db, &username_key, now).await? {
        // Refused before the password is even checked: a guess made now tells nothing. Unknown
        // usernames pause alike, so the pause does not tell which usernames exist.
        state
            .write(actor, async |change| {
                change.audit(
                    AuditEntry::new(
                        AuditAction::SignInFailed,
                        format!("username:{username_key}"),
                    )
                    .with_details(json!({ "paused": true })),
                );
                Ok(())
            })
            .await?;
        let minutes = (left.num_seconds() + 59) / 60;
        return Err(AppError::Refused(Refusal::PasswordSignInPaused { minutes }));
    }
    let matches = state
        .passwords
        .verify(password, account.as_ref().map(|a| a.password_hash.as_str()))
        .await?;
    // The failure is recorded and committed too: the refusal is the outcome, not an error.
    let outcome = state
        .write(actor, async |change| {
            Ok(match account {
                Some(account) if matches && account.disabled_at.is_some() => {
                    // Told only to someone who knows the password.
                    change.audit(
                        AuditEntry::new(
                            AuditAction::SignInFailed,
                            format!("account:{}", account.id),
                        )
                        .with_details(json!({ "method": "password", "disabled": true })),
                    );
                    Err(AppError::Refused(Refusal::AccountDisabled))
                }
                Some(account) if matches && account.is_staff => {
                    // The back office needs the identity provider's second factor.
                    throttle::password_accepted(change.db(), &username_key).await?;
                    change.audit(
                        AuditEntry::new(
                            AuditAction::SignInFailed,
                            format!("account:{}", account.id),
                        )
                        .with_details(json!({ "method": "password", "staff": true })),
                    );
                    Err(AppError::Refused(Refusal::StaffSignInWithIdentityProvider))
                }
                Some(account) if matches => {
                    throttle::password_accepted(change.db(), &username_key).await?;
                    change.audit(
                        AuditEntry::new(AuditAction::SignIn, format!("account:{}", account.id))
                            .by(account.id)
                            .with_details(json!({ "method": "password" })),
                    );
                    Ok(account.id)
                }
                account => {
                    throttle::wrong_password(change.db(), &username_key, now).await?;
                    change.audit(
                        AuditEntry::new(
                            AuditAction::SignInFailed,
                            format!("username:{username_key}"),
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
    let changed = account.email.is_some();
    let mut row: account::ActiveModel = account.into();
    row.email = Set(Some(email.clone()));
    row.email_verified_at = Set(Some(Utc::now()));
    row.pending_email = Set(None);
    row.updated_at = Set(Utc::now());
    row.update(txn).await?;
    // A changed address (not the first one verified) signs the account out everywhere else.
    let ended = if changed {
        change
            .end_sessions(account_id, EndSessions::AllButMine)
            .await?
    } else {
        0
    };
    change.audit(
        AuditEntry::new(AuditAction::EmailVerified, format!("account:{account_id}"))
            .by(account_id)
            .with_details(json!({ "email": email, "sessions_ended": ended })),
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
    let link = links::check(&state.db, token, Purpose::ResetPassword).await?;
    if let Some(account) = find(&state.db, link.account_id).await? {
        refuse_guessable_for(&account, password)?;
    }
    let password_hash = state.passwords.hash(password).await?;
    state
        .write(actor, async |change| {
            let txn = change.db();
            let link = links::consume(txn, token, Purpose::ResetPassword).await?;
            set_password(txn, link.account_id, password_hash).await?;
            links::revoke_all(txn, link.account_id, Purpose::ResetPassword).await?;
            if let Some(account) = find(txn, link.account_id).await? {
                throttle::password_accepted(txn, &account.username_key).await?;
            }
            let ended = change
                .end_sessions(link.account_id, EndSessions::AllButMine)
                .await?;
            change.audit(
                AuditEntry::new(
                    AuditAction::PasswordReset,
                    format!("account:{}", link.account_id),
                )
                .by(link.account_id)
                .with_details(json!({ "sessions_ended": ended })),
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

/// "Update My Contact Information". A new email address needs the current password (checked
/// before the write begins), is used once verified, and the old address is told.
pub async fn update_contact(
    state: &AppState,
    actor: Actor,
    form: &ContactForm,
) -> Result<EmailChange, AppError> {
    let account_id = actor.account.ok_or(AppError::Unauthenticated)?;
    let account = find(&state.db, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let moving = normalize_email(&form.email)
        .is_ok_and(|email| account.email.as_deref() != Some(email.as_str()));
    if moving
        && !state
            .passwords
            .verify(&form.current_password, Some(&account.password_hash))
            .await?
    {
        let message = if form.current_password.is_empty() {
            "Enter your current password to change your email address."
        } else {
            "This is not your current password."
        };
        return Err(AppError::invalid("contact_password", message));
    }
    state
        .write(actor, async |change| write_contact(change, form).await)
        .await
}

async fn write_contact(unit: &mut Change<'_>, form: &ContactForm) -> Result<EmailChange, AppError> {
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
        if let Some(old) = &account.email {
            unit.email(old, emails::email_changing(&account.full_name(), email));
        }
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
    refuse_guessable_for(&account, &form.password)?;
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
            // Whoever knew the old password is signed out everywhere but here.
            let ended = change
                .end_sessions(account_id, EndSessions::AllButMine)
                .await?;
            change.audit(
                AuditEntry::new(
                    AuditAction::PasswordChanged,
                    format!("account:{account_id}"),
                )
                .with_details(json!({ "sessions_ended": ended })),
            );
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
