//! The account rules on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).

use app::accounts::{service, types::*};
use app::entities::{account, audit_event, one_time_token};
use app::error::{AppError, Refusal};
use app::platform::Actor;
use app::testing::*;
use chrono::{Duration, Utc};
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn audit_actions(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    audit_event::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.action)
        .collect()
}

fn refused_with(result: Result<impl std::fmt::Debug, AppError>, text: &str) {
    match result {
        Err(AppError::Refused(refusal)) | Err(AppError::Conflict(refusal)) => {
            let message = refusal.to_string();
            assert!(message.contains(text), "`{message}` should say `{text}`")
        }
        other => panic!("expected a refusal saying `{text}`, got {other:?}"),
    }
}

fn field_error(result: Result<impl std::fmt::Debug, AppError>, field: &str) -> String {
    match result {
        Err(AppError::Invalid(errors)) => errors
            .get(field)
            .unwrap_or_else(|| panic!("no error for {field}: {errors:?}"))
            .to_owned(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_identity_must_register_and_registration_queues_a_verification_email() {
    let test = TestDb::new().await;
    let state = &test.state;
    let who = identity("jane");
    assert_eq!(
        state
            .write(
                Actor {
                    account: None,
                    addr: Some("10.0.0.1".to_owned())
                },
                async |ch| service::identity_signed_in(ch, &who).await
            )
            .await
            .unwrap(),
        None
    );

    let id = registered(state, "jane").await;
    let row = account::Entity::find_by_id(id)
        .one(test.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.username, "jane");
    assert_eq!(row.email, None, "unverified addresses are not used");
    assert_eq!(row.pending_email.as_deref(), Some("jane@clinic.example"));
    assert_eq!(row.phone, "(604) 555-0199");
    assert_eq!(row.licence_number.as_deref(), Some("MD-12345"));
    assert_eq!(
        row.birthdate.map(|d| d.to_string()).as_deref(),
        Some("1980-01-31")
    );
    assert!(row.password_hash.starts_with("$argon2id$"));

    let email = last_email_to(test.db(), "jane@clinic.example").await;
    assert!(email.subject.contains("Verify your email address"));
    assert!(email
        .body_text
        .contains("http://127.0.0.1:3000/account/verify-email?token="));
    // Only the token's hash is stored.
    let token = token_in(&email, "/account/verify-email");
    let stored = one_time_token::Entity::find()
        .one(test.db())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(stored.token_hash, token);
    assert_eq!(stored.token_hash, app::platform::tokens::hash_token(&token));

    assert_eq!(
        as_operator(state, async |ch| service::identity_signed_in(ch, &who)
            .await)
        .await
        .unwrap(),
        Some(id)
    );
    let actions = audit_actions(test.db()).await;
    for action in ["identity_validated", "account_registered", "sign_in"] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action} audited: {actions:?}"
        );
    }
}

#[tokio::test]
async fn invalid_registrations_say_what_is_wrong_and_write_nothing() {
    let test = TestDb::new().await;
    let state = &test.state;
    let good = registration(test.db(), "jane", "jane@clinic.example").await;
    let cases: Vec<(&str, RegistrationForm)> = vec![
        (
            "email",
            RegistrationForm {
                email: "jane@".into(),
                ..good.clone()
            },
        ),
        (
            "username",
            RegistrationForm {
                username: "j".into(),
                ..good.clone()
            },
        ),
        (
            "password",
            RegistrationForm {
                password: "short".into(),
                password_confirmation: "short".into(),
                ..good.clone()
            },
        ),
        (
            "password_confirmation",
            RegistrationForm {
                password_confirmation: "something else entirely".into(),
                ..good.clone()
            },
        ),
        (
            "phone",
            RegistrationForm {
                phone: "12345".into(),
                ..good.clone()
            },
        ),
        (
            "profession_id",
            RegistrationForm {
                profession_id: "9999".into(),
                ..good.clone()
            },
        ),
        (
            "profession_id",
            RegistrationForm {
                profession_id: "not a number".into(),
                ..good.clone()
            },
        ),
        (
            "licence_number",
            RegistrationForm {
                licence_number: "".into(),
                ..good.clone()
            },
        ),
    ];
    for (field, form) in cases {
        field_error(
            service::register(state, Actor::system(), &identity("jane"), &form).await,
            field,
        );
    }
    assert_eq!(account::Entity::find().count(test.db()).await.unwrap(), 0);
    assert!(emails_to(test.db(), "jane@clinic.example").await.is_empty());

    // A profession without a licence requirement registers without one.
    let moa = RegistrationForm {
        profession_id: profession_id(test.db(), "moa").await.to_string(),
        licence_number: String::new(),
        ..good
    };
    service::register(state, Actor::system(), &identity("jane"), &moa)
        .await
        .unwrap();
}

#[tokio::test]
async fn usernames_are_unique_ignoring_case_and_an_identity_registers_once() {
    let test = TestDb::new().await;
    let state = &test.state;
    registered(state, "jane").await;
    let form = registration(test.db(), "JANE", "other@clinic.example").await;
    let message = field_error(
        service::register(state, Actor::system(), &identity("other"), &form).await,
        "username",
    );
    assert!(message.contains("not available"));

    let again = registration(test.db(), "jane2", "jane2@clinic.example").await;
    refused_with(
        service::register(state, Actor::system(), &identity("jane"), &again).await,
        "already has an account",
    );
}

#[tokio::test]
async fn email_verification_links_work_once_and_expire() {
    let test = TestDb::new().await;
    let state = &test.state;
    let id = registered(state, "jane").await;
    let token = token_in(
        &last_email_to(test.db(), "jane@clinic.example").await,
        "/account/verify-email",
    );

    refused_with(
        as_operator(state, async |ch| {
            service::verify_email(ch, "not-a-token").await
        })
        .await,
        "not valid",
    );
    assert_eq!(
        as_operator(state, async |ch| service::verify_email(ch, &token).await)
            .await
            .unwrap(),
        "jane@clinic.example"
    );
    let row = account::Entity::find_by_id(id)
        .one(test.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.email.as_deref(), Some("jane@clinic.example"));
    assert!(row.email_verified_at.is_some());
    assert_eq!(row.pending_email, None);
    refused_with(
        as_operator(state, async |ch| service::verify_email(ch, &token).await).await,
        "already been used",
    );

    // An expired link.
    let form = ContactForm {
        email: "jane.new@clinic.example".into(),
        phone: "604 555 0199".into(),
    };
    as_account(state, id, async |ch| {
        service::update_contact(ch, &form).await
    })
    .await
    .unwrap();
    let token = token_in(
        &last_email_to(test.db(), "jane.new@clinic.example").await,
        "/account/verify-email",
    );
    one_time_token::Entity::update_many()
        .col_expr(
            one_time_token::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .exec(test.db())
        .await
        .unwrap();
    refused_with(
        as_operator(state, async |ch| service::verify_email(ch, &token).await).await,
        "expired",
    );
}

#[tokio::test]
async fn an_address_verified_by_one_account_cannot_be_verified_by_another() {
    let test = TestDb::new().await;
    let state = &test.state;
    verified(state, "jane").await;
    let form = registration(test.db(), "mallory", "jane@clinic.example").await;
    service::register(state, Actor::system(), &identity("mallory"), &form)
        .await
        .unwrap();
    let token = token_in(
        &last_email_to(test.db(), "jane@clinic.example").await,
        "/account/verify-email",
    );
    refused_with(
        as_operator(state, async |ch| service::verify_email(ch, &token).await).await,
        "already used by another account",
    );
}

#[tokio::test]
async fn password_sign_in_gives_one_answer_for_unknown_users_and_wrong_passwords() {
    let test = TestDb::new().await;
    let state = &test.state;
    let id = registered(state, "jane").await;
    assert_eq!(
        service::sign_in_with_password(state, Actor::system(), "JANE", PASSWORD)
            .await
            .unwrap(),
        id
    );
    let wrong =
        service::sign_in_with_password(state, Actor::system(), "jane", "wrong password here").await;
    let unknown = service::sign_in_with_password(state, Actor::system(), "nobody", PASSWORD).await;
    assert_eq!(wrong, Err(AppError::Refused(Refusal::WrongCredentials)));
    assert_eq!(unknown, wrong);
    let failures = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("sign_in_failed"))
        .count(test.db())
        .await
        .unwrap();
    assert_eq!(failures, 2);
}

#[tokio::test]
async fn wrong_passwords_pause_password_sign_in_on_every_server_but_never_identity_sign_in() {
    use app::accounts::service::throttle::FREE_PASSWORD_FAILURES;
    use app::entities::attempt_count;
    use app::platform::AppState;
    let test = TestDb::new().await;
    let first = &test.state;
    // A second app server: its own in-process limits, the same database.
    let second = AppState::new(first.db.clone(), first.config.as_ref().clone());
    let jane = registered(first, "jane").await;
    for attempt in 0..FREE_PASSWORD_FAILURES {
        let server = if attempt % 2 == 0 { first } else { &second };
        assert_eq!(
            service::sign_in_with_password(server, Actor::system(), "jane", "not her password")
                .await,
            Err(AppError::Refused(Refusal::WrongCredentials))
        );
    }
    // Paused everywhere, even for the right password, which is not even checked.
    for server in [first, &second] {
        assert!(matches!(
            service::sign_in_with_password(server, Actor::system(), "jane", PASSWORD).await,
            Err(AppError::Refused(Refusal::PasswordSignInPaused {
                minutes: 1
            }))
        ));
    }
    // Nobody else is slowed, and Jane still signs in with her identity provider.
    registered(first, "john").await;
    service::sign_in_with_password(&second, Actor::system(), "john", PASSWORD)
        .await
        .unwrap();
    let by_identity = as_operator(first, async |ch| {
        service::identity_signed_in(ch, &identity("jane")).await
    })
    .await
    .unwrap();
    assert_eq!(by_identity, Some(jane));

    // Once the pause has passed, the right password signs in and ends the run of wrong ones.
    attempt_count::Entity::update_many()
        .col_expr(
            attempt_count::Column::LastAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .exec(test.db())
        .await
        .unwrap();
    assert_eq!(
        service::sign_in_with_password(&second, Actor::system(), "jane", PASSWORD).await,
        Ok(jane)
    );
    assert_eq!(
        attempt_count::Entity::find()
            .count(test.db())
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn one_address_receives_at_most_its_daily_share_of_recovery_emails() {
    use app::accounts::service::throttle::RECOVERY_EMAILS_PER_DAY;
    let test = TestDb::new().await;
    let state = &test.state;
    verified(state, "jane").await;
    let before = emails_to(test.db(), "jane@clinic.example").await.len();
    for _ in 0..RECOVERY_EMAILS_PER_DAY + 3 {
        // Each request is answered alike, sent or not.
        as_operator(state, async |ch| {
            service::request_password_reset(ch, "jane@clinic.example").await
        })
        .await
        .unwrap();
    }
    let sent = emails_to(test.db(), "jane@clinic.example").await.len() - before;
    assert_eq!(sent, RECOVERY_EMAILS_PER_DAY as usize);
}

#[tokio::test]
async fn password_reset_is_silent_for_unknown_addresses_and_single_use() {
    let test = TestDb::new().await;
    let state = &test.state;
    verified(state, "jane").await;

    as_operator(state, async |ch| {
        service::request_password_reset(ch, "nobody@clinic.example").await
    })
    .await
    .unwrap();
    assert!(emails_to(test.db(), "nobody@clinic.example")
        .await
        .is_empty());
    field_error(
        as_operator(state, async |ch| {
            service::request_password_reset(ch, "not an email").await
        })
        .await,
        "email",
    );

    as_operator(state, async |ch| {
        service::request_password_reset(ch, "Jane@Clinic.example").await
    })
    .await
    .unwrap();
    let email = last_email_to(test.db(), "jane@clinic.example").await;
    assert!(email.subject.contains("Reset your my.CareConnect password"));
    let token = token_in(&email, "/account/reset-password");

    // Bad input does not use the link up.
    field_error(
        service::reset_password(state, Actor::system(), &token, "short", "short").await,
        "password",
    );
    let new_password = "a brand new passphrase";
    service::reset_password(state, Actor::system(), &token, new_password, new_password)
        .await
        .unwrap();
    refused_with(
        service::reset_password(state, Actor::system(), &token, new_password, new_password).await,
        "already been used",
    );
    assert!(
        service::sign_in_with_password(state, Actor::system(), "jane", PASSWORD)
            .await
            .is_err()
    );
    service::sign_in_with_password(state, Actor::system(), "jane", new_password)
        .await
        .unwrap();

    // Reset links last an hour.
    as_operator(state, async |ch| {
        service::request_password_reset(ch, "jane@clinic.example").await
    })
    .await
    .unwrap();
    let token = token_in(
        &last_email_to(test.db(), "jane@clinic.example").await,
        "/account/reset-password",
    );
    let stored = one_time_token::Entity::find()
        .filter(one_time_token::Column::TokenHash.eq(app::platform::tokens::hash_token(&token)))
        .one(test.db())
        .await
        .unwrap()
        .unwrap();
    let lifetime = stored.expires_at - stored.created_at;
    assert_eq!(lifetime, Duration::hours(1));
    one_time_token::Entity::update_many()
        .col_expr(
            one_time_token::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::seconds(1)),
        )
        .filter(one_time_token::Column::Id.eq(stored.id))
        .exec(test.db())
        .await
        .unwrap();
    refused_with(
        service::reset_password(state, Actor::system(), &token, new_password, new_password).await,
        "expired",
    );
}

#[tokio::test]
async fn concurrent_uses_of_one_reset_link_succeed_exactly_once() {
    let test = TestDb::new().await;
    let state = &test.state;
    verified(state, "jane").await;
    as_operator(state, async |ch| {
        service::request_password_reset(ch, "jane@clinic.example").await
    })
    .await
    .unwrap();
    let token = token_in(
        &last_email_to(test.db(), "jane@clinic.example").await,
        "/account/reset-password",
    );
    let attempts = (0..4).map(|i| {
        let state = state.clone();
        let token = token.clone();
        tokio::spawn(async move {
            let password = format!("concurrent passphrase {i}");
            service::reset_password(&state, Actor::system(), &token, &password, &password).await
        })
    });
    let results = futures_join(attempts).await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    for failure in results.iter().filter(|r| r.is_err()) {
        assert_eq!(failure, &Err(AppError::Refused(Refusal::LinkUsed)));
    }
}

async fn futures_join<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.unwrap());
    }
    results
}

#[tokio::test]
async fn username_lookup_emails_only_known_addresses() {
    let test = TestDb::new().await;
    let state = &test.state;
    verified(state, "jane").await;
    as_operator(state, async |ch| {
        service::look_up_username(ch, "nobody@clinic.example").await
    })
    .await
    .unwrap();
    assert!(emails_to(test.db(), "nobody@clinic.example")
        .await
        .is_empty());
    as_operator(state, async |ch| {
        service::look_up_username(ch, "jane@clinic.example").await
    })
    .await
    .unwrap();
    let email = last_email_to(test.db(), "jane@clinic.example").await;
    assert!(email.body_text.contains("Your username is: jane"));
}

#[tokio::test]
async fn contact_updates_reverify_a_new_email_and_password_changes_need_the_current_one() {
    let test = TestDb::new().await;
    let state = &test.state;
    let id = verified(state, "jane").await;

    let same = ContactForm {
        email: "jane@clinic.example".into(),
        phone: "(250) 555-0101".into(),
    };
    assert_eq!(
        as_account(state, id, async |ch| service::update_contact(ch, &same)
            .await)
        .await
        .unwrap(),
        service::EmailChange::Unchanged
    );
    let bad = ContactForm {
        email: "nope".into(),
        phone: "1".into(),
    };
    let result = as_account(state, id, async |ch| {
        service::update_contact(ch, &bad).await
    })
    .await;
    field_error(result.clone(), "email");
    field_error(result, "phone");

    let moved = ContactForm {
        email: "jane@newclinic.example".into(),
        phone: "250-555-0101".into(),
    };
    assert_eq!(
        as_account(state, id, async |ch| service::update_contact(ch, &moved)
            .await)
        .await
        .unwrap(),
        service::EmailChange::VerificationSent("jane@newclinic.example".into())
    );
    let row = account::Entity::find_by_id(id)
        .one(test.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.email.as_deref(),
        Some("jane@clinic.example"),
        "old address stays until verified"
    );
    assert_eq!(row.pending_email.as_deref(), Some("jane@newclinic.example"));
    assert_eq!(row.phone, "(250) 555-0101");

    let wrong = PasswordChangeForm {
        current_password: "not my password".into(),
        password: "a better passphrase".into(),
        password_confirmation: "a better passphrase".into(),
    };
    field_error(
        service::change_password(state, Actor::account(id), &wrong).await,
        "current_password",
    );
    let right = PasswordChangeForm {
        current_password: PASSWORD.into(),
        ..wrong
    };
    service::change_password(state, Actor::account(id), &right)
        .await
        .unwrap();
    service::sign_in_with_password(state, Actor::system(), "jane", "a better passphrase")
        .await
        .unwrap();
}

#[tokio::test]
async fn staff_is_granted_only_to_a_verified_address() {
    let test = TestDb::new().await;
    let state = &test.state;
    registered(state, "pending").await;
    assert!(matches!(
        as_operator(state, async |ch| service::grant_staff(
            ch,
            "pending@clinic.example"
        )
        .await)
        .await,
        Err(AppError::NotFound(_))
    ));
    let id = verified(state, "jane").await;
    assert_eq!(
        as_operator(state, async |ch| service::grant_staff(
            ch,
            "jane@clinic.example"
        )
        .await)
        .await
        .unwrap(),
        id
    );
    let user = service::current_user(test.db(), id).await.unwrap().unwrap();
    assert!(user.is_staff);
    assert_eq!(user.profession, "Physician");
}
