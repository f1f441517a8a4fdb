//! The account rules on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).

use app::accounts::{
    service::{self, KnownIdentity},
    types::*,
};
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

/// A password sign-in as the sign-in page makes it.
async fn password_sign_in(
    state: &app::platform::AppState,
    username: &str,
    password: &str,
) -> Result<i64, AppError> {
    service::sign_in_with_password(state, Actor::system(), username, password).await
}

/// What a sign-in through the identity provider as `subject` leads to.
async fn identity_sign_in(state: &app::platform::AppState, subject: &str) -> KnownIdentity {
    as_operator(state, async |ch| {
        service::identity_signed_in(ch, &identity(subject)).await
    })
    .await
    .expect("identity sign-in")
}

/// Fails unless each of these actions is in the audit log.
async fn assert_audited(db: &sea_orm::DatabaseConnection, expected: &[&str]) {
    let actions = audit_actions(db).await;
    for action in expected {
        assert!(
            actions.contains(&(*action).to_owned()),
            "{action} audited: {actions:?}"
        );
    }
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
                    addr: Some("10.0.0.1".to_owned()),
                    session: None,
                },
                async |ch| service::identity_signed_in(ch, &who).await
            )
            .await
            .unwrap(),
        KnownIdentity::New
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
        KnownIdentity::Account(id)
    );
    assert_audited(
        test.db(),
        &["identity_validated", "account_registered", "sign_in"],
    )
    .await;
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
        current_password: PASSWORD.into(),
    };
    service::update_contact(state, Actor::account(id), &form)
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
    assert_eq!(password_sign_in(state, "JANE", PASSWORD).await.unwrap(), id);
    let wrong = password_sign_in(state, "jane", "wrong password here").await;
    let unknown = password_sign_in(state, "nobody", PASSWORD).await;
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
    // Each refusal while paused is itself an audit event.
    let paused = audit_event::Entity::find()
        .all(test.db())
        .await
        .unwrap()
        .into_iter()
        .filter(|event| event.action == "sign_in_failed" && event.details.contains("paused"))
        .count();
    assert_eq!(paused, 2);
    // A username nobody has pauses alike: the answers never tell which usernames exist.
    for _ in 0..FREE_PASSWORD_FAILURES {
        assert_eq!(
            service::sign_in_with_password(first, Actor::system(), "nobody", "a guess").await,
            Err(AppError::Refused(Refusal::WrongCredentials))
        );
    }
    assert!(matches!(
        service::sign_in_with_password(&second, Actor::system(), "nobody", "a guess").await,
        Err(AppError::Refused(Refusal::PasswordSignInPaused { .. }))
    ));
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
    assert_eq!(by_identity, KnownIdentity::Account(jane));

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
        1,
        "only the unknown username's run is left"
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
    assert!(password_sign_in(state, "jane", PASSWORD).await.is_err());
    password_sign_in(state, "jane", new_password).await.unwrap();

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
        current_password: String::new(),
    };
    assert_eq!(
        service::update_contact(state, Actor::account(id), &same)
            .await
            .unwrap(),
        service::EmailChange::Unchanged
    );
    let bad = ContactForm {
        email: "nope".into(),
        phone: "1".into(),
        current_password: String::new(),
    };
    let result = service::update_contact(state, Actor::account(id), &bad).await;
    field_error(result.clone(), "email");
    field_error(result, "phone");

    // A new address needs the current password, so a session alone cannot move the account.
    let mut moved = ContactForm {
        email: "jane@newclinic.example".into(),
        phone: "250-555-0101".into(),
        current_password: String::new(),
    };
    for wrong in ["", "not my password"] {
        moved.current_password = wrong.into();
        let message = field_error(
            service::update_contact(state, Actor::account(id), &moved).await,
            "contact_password",
        );
        assert!(message.contains("password"), "{message}");
    }
    assert!(emails_to(test.db(), "jane@newclinic.example")
        .await
        .is_empty());
    moved.current_password = PASSWORD.into();
    assert_eq!(
        service::update_contact(state, Actor::account(id), &moved)
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
    // The address it moves from is told.
    let told = last_email_to(test.db(), "jane@clinic.example").await;
    assert_eq!(
        told.subject,
        "Your my.CareConnect email address is changing"
    );
    assert!(told.body_text.contains("jane@newclinic.example"));

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
    password_sign_in(state, "jane", "a better passphrase")
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

/// The account's sessions still signed in, as every app server reads them.
async fn sessions_of(test: &TestDb, account_id: i64) -> usize {
    app::platform::session_store::signed_in_sessions(test.db(), account_id)
        .await
        .unwrap()
        .len()
}

/// The account acting from this session, as its server function does.
fn from_session(account_id: i64, session: &tower_sessions::Session) -> Actor {
    Actor {
        account: Some(account_id),
        session: app::platform::sessions::key_of(session),
        ..Actor::default()
    }
}

#[tokio::test]
async fn a_password_change_reset_or_email_change_signs_the_account_out_everywhere_else() {
    let test = TestDb::new().await;
    let state = &test.state;
    let jane = verified(state, "jane").await;
    let john = verified(state, "john").await;
    let _johns = signed_in_session(state, john).await;

    // A password change keeps the session it was made from.
    let here = signed_in_session(state, jane).await;
    signed_in_session(state, jane).await;
    signed_in_session(state, jane).await;
    let change = PasswordChangeForm {
        current_password: PASSWORD.into(),
        password: "a better passphrase".into(),
        password_confirmation: "a better passphrase".into(),
    };
    service::change_password(state, from_session(jane, &here), &change)
        .await
        .unwrap();
    assert_eq!(sessions_of(&test, jane).await, 1);
    let kept = app::platform::session_store::signed_in_sessions(test.db(), jane)
        .await
        .unwrap();
    assert_eq!(
        Some(&kept[0].0),
        app::platform::sessions::key_of(&here).as_ref()
    );

    // A reset from a browser that is not signed in ends every session.
    signed_in_session(state, jane).await;
    as_operator(state, async |ch| {
        service::request_password_reset(ch, "jane@clinic.example").await
    })
    .await
    .unwrap();
    let token = token_in(
        &last_email_to(test.db(), "jane@clinic.example").await,
        "/account/reset-password",
    );
    let reset = "an even better passphrase";
    service::reset_password(state, Actor::system(), &token, reset, reset)
        .await
        .unwrap();
    assert_eq!(sessions_of(&test, jane).await, 0);

    // A new address, once verified, keeps only the session that verified it.
    let here = signed_in_session(state, jane).await;
    signed_in_session(state, jane).await;
    let moved = ContactForm {
        email: "jane@newclinic.example".into(),
        phone: "250-555-0101".into(),
        current_password: reset.into(),
    };
    service::update_contact(state, Actor::account(jane), &moved)
        .await
        .unwrap();
    let token = token_in(
        &last_email_to(test.db(), "jane@newclinic.example").await,
        "/account/verify-email",
    );
    state
        .write(from_session(jane, &here), async |ch| {
            service::verify_email(ch, &token).await
        })
        .await
        .unwrap();
    assert_eq!(sessions_of(&test, jane).await, 1);

    assert_eq!(
        sessions_of(&test, john).await,
        1,
        "nobody else is signed out"
    );
    assert_audited(
        test.db(),
        &["password_changed", "password_reset", "email_verified"],
    )
    .await;
}

#[tokio::test]
async fn the_first_verified_address_signs_nobody_out() {
    let test = TestDb::new().await;
    let state = &test.state;
    let jane = registered(state, "jane").await;
    // Registered on the computer, verified from the phone.
    signed_in_session(state, jane).await;
    let token = token_in(
        &last_email_to(test.db(), "jane@clinic.example").await,
        "/account/verify-email",
    );
    as_operator(state, async |ch| service::verify_email(ch, &token).await)
        .await
        .unwrap();
    assert_eq!(sessions_of(&test, jane).await, 1);
}

#[tokio::test]
async fn people_list_their_devices_and_sign_out_the_others() {
    let test = TestDb::new().await;
    let state = &test.state;
    let jane = verified(state, "jane").await;
    let here = signed_in_session(state, jane).await;
    signed_in_session(state, jane).await;
    let key = app::platform::sessions::key_of(&here);
    let devices = service::devices::signed_in_devices(test.db(), jane, key.as_deref())
        .await
        .unwrap();
    assert_eq!(devices.len(), 2);
    assert!(devices[0].this_device, "this device first");
    assert!(!devices[1].this_device);

    let ended = state
        .write(
            from_session(jane, &here),
            service::devices::sign_out_other_sessions,
        )
        .await
        .unwrap();
    assert_eq!(ended, 1);
    let devices = service::devices::signed_in_devices(test.db(), jane, key.as_deref())
        .await
        .unwrap();
    assert_eq!(devices.len(), 1);
    assert!(devices[0].this_device);
    assert!(audit_actions(test.db())
        .await
        .contains(&"sessions_ended".to_owned()));
    // Nobody signed in has no sessions to end.
    assert_eq!(
        as_operator(state, service::devices::sign_out_other_sessions).await,
        Err(AppError::Unauthenticated)
    );
}

#[tokio::test]
async fn a_disabled_account_is_signed_out_and_refused_every_sign_in_until_enabled() {
    let test = TestDb::new().await;
    let state = &test.state;
    let staff = verified(state, "staff").await;
    as_operator(state, async |ch| {
        service::grant_staff(ch, "staff@clinic.example").await
    })
    .await
    .unwrap();
    let jane = verified(state, "jane").await;
    signed_in_session(state, jane).await;
    signed_in_session(state, jane).await;

    // Only the CareConnect team may, with a reason, and never on their own account.
    assert_eq!(
        as_account(state, jane, async |ch| service::disable(ch, staff, "no")
            .await)
        .await,
        Err(AppError::Forbidden)
    );
    field_error(
        as_account(state, staff, async |ch| {
            service::disable(ch, jane, "  ").await
        })
        .await,
        "reason",
    );
    assert!(matches!(
        as_account(state, staff, async |ch| service::disable(ch, staff, "test")
            .await)
        .await,
        Err(AppError::Refused(_))
    ));
    assert_eq!(sessions_of(&test, jane).await, 2, "refusals change nothing");

    as_account(state, staff, async |ch| {
        service::disable(ch, jane, "Left the clinic; reported by the MOA").await
    })
    .await
    .unwrap();
    assert_eq!(sessions_of(&test, jane).await, 0);
    assert_eq!(
        as_account(state, staff, async |ch| service::disable(ch, jane, "again")
            .await)
        .await,
        Err(AppError::Conflict(Refusal::AlreadyHandled))
    );
    assert_eq!(
        password_sign_in(state, "jane", PASSWORD).await,
        Err(AppError::Refused(Refusal::AccountDisabled))
    );
    // A wrong password gets the usual answer: the state is told only to the owner.
    assert_eq!(
        password_sign_in(state, "jane", "wrong guess").await,
        Err(AppError::Refused(Refusal::WrongCredentials))
    );
    let by_identity = identity_sign_in(state, "jane").await;
    assert_eq!(by_identity, KnownIdentity::Disabled(jane));
    let record = app::flows::people::record(test.db(), staff, jane)
        .await
        .unwrap();
    assert!(record
        .disabled
        .is_some_and(|line| line.contains("Left the clinic")));

    assert_eq!(
        as_account(state, jane, async |ch| service::enable(ch, jane).await).await,
        Err(AppError::Forbidden)
    );
    as_account(state, staff, async |ch| service::enable(ch, jane).await)
        .await
        .unwrap();
    password_sign_in(state, "jane", PASSWORD).await.unwrap();
    assert_audited(
        test.db(),
        &["account_disabled", "account_enabled", "sign_in_failed"],
    )
    .await;
}

#[tokio::test]
async fn staff_sign_in_through_the_identity_provider_only_and_can_be_revoked() {
    let test = TestDb::new().await;
    let state = &test.state;
    let jane = verified(state, "jane").await;
    signed_in_session(state, jane).await;
    as_operator(state, async |ch| {
        service::grant_staff(ch, "jane@clinic.example").await
    })
    .await
    .unwrap();
    assert_eq!(sessions_of(&test, jane).await, 0, "password sessions end");
    assert_eq!(
        password_sign_in(state, "jane", PASSWORD).await,
        Err(AppError::Refused(Refusal::StaffSignInWithIdentityProvider))
    );
    assert_eq!(
        password_sign_in(state, "jane", "wrong guess").await,
        Err(AppError::Refused(Refusal::WrongCredentials))
    );
    let by_identity = identity_sign_in(state, "jane").await;
    assert_eq!(by_identity, KnownIdentity::Account(jane));
    app::flows::people::find_people(test.db(), jane, "jane")
        .await
        .unwrap();
    as_operator(state, async |ch| {
        service::revoke_staff(ch, "jane@clinic.example").await
    })
    .await
    .unwrap();
    assert_eq!(
        app::flows::people::find_people(test.db(), jane, "jane").await,
        Err(AppError::Forbidden)
    );
    password_sign_in(state, "jane", PASSWORD).await.unwrap();
    assert!(audit_actions(test.db())
        .await
        .contains(&"staff_revoked".to_owned()));
}

#[tokio::test]
async fn common_or_personal_passwords_are_refused_with_the_reason() {
    let test = TestDb::new().await;
    let state = &test.state;
    let mut form = registration(test.db(), "jane", "jane@clinic.example").await;
    for guessable in ["password1234", "qwertyuiop123", "jane@clinic.example"] {
        form.password = guessable.to_owned();
        form.password_confirmation = guessable.to_owned();
        let refused = service::register(state, Actor::system(), &identity("jane"), &form).await;
        let message = field_error(refused, "password");
        assert!(
            message.contains("too easy to guess"),
            "{guessable}: {message}"
        );
    }
    let jane = verified(state, "jane").await;
    let change = PasswordChangeForm {
        current_password: PASSWORD.into(),
        password: "jane@clinic.example".into(),
        password_confirmation: "jane@clinic.example".into(),
    };
    let message = field_error(
        service::change_password(state, Actor::account(jane), &change).await,
        "password",
    );
    assert!(message.contains("too easy to guess"), "{message}");
    password_sign_in(state, "jane", PASSWORD)
        .await
        .expect("the password is unchanged");
}
