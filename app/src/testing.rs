//! Test support shared by the app's and the server's tests (feature `test-support`): a fresh,
//! migrated database per test — a SQLite file by default, or a new PostgreSQL database on the
//! server named by `TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:5432/postgres`) — and
//! shortcuts to accounts in known states.

use crate::accounts::types::{RegistrationForm, ValidatedIdentity};
use crate::entities::{outbound_email, profession};
use crate::platform::{
    config::DEFAULT_DATABASE_CONNECTIONS, db, session_store::DbSessionStore, sessions, Actor,
    AppState, PortalConfig,
};
use crate::worksites::types::WorksiteId;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use std::sync::atomic::{AtomicU32, Ordering};

pub struct TestDb {
    pub state: AppState,
    sqlite_file: Option<std::path::PathBuf>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    format!(
        "portal_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        chrono::Utc::now().timestamp_micros()
    )
}

impl TestDb {
    pub async fn new() -> Self {
        let name = unique_name();
        let (url, sqlite_file) = match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("PostgreSQL reachable");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .unwrap_or(&admin_url);
                (format!("{base}/{name}"), None)
            }
            _ => {
                let file = std::env::temp_dir().join(format!("{name}.db"));
                (format!("sqlite://{}?mode=rwc", file.display()), Some(file))
            }
        };
        let connection = db::connect(&url, DEFAULT_DATABASE_CONNECTIONS)
            .await
            .expect("connect to test database");
        Migrator::up(&connection, None).await.expect("migrate");
        Self {
            state: AppState::new(connection, PortalConfig::for_tests(&url)),
            sqlite_file,
        }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    /// The session store app servers use, on this database.
    pub fn store(&self) -> std::sync::Arc<DbSessionStore> {
        std::sync::Arc::new(DbSessionStore::new(self.state.db.clone()))
    }
}

/// A session signed in to the account and saved, as a browser's would be after signing in.
pub async fn signed_in_session(state: &AppState, account_id: i64) -> tower_sessions::Session {
    let store = std::sync::Arc::new(DbSessionStore::new(state.db.clone()));
    let session = tower_sessions::Session::new(None, store, None);
    sessions::sign_in(&session, account_id, sessions::Device::default())
        .await
        .expect("sign in");
    session.save().await.expect("session saved");
    session
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

pub fn identity(subject: &str) -> ValidatedIdentity {
    ValidatedIdentity {
        issuer: "https://idp.test".to_owned(),
        subject: subject.to_owned(),
        given_name: "Jane".to_owned(),
        family_name: "Doe".to_owned(),
        birthdate: Some("1980-01-31".to_owned()),
        email: Some(format!("{subject}@clinic.example")),
    }
}

pub const PASSWORD: &str = "correct horse battery staple";

pub async fn profession_id(db: &DatabaseConnection, code: &str) -> i32 {
    profession::Entity::find()
        .filter(profession::Column::Code.eq(code))
        .one(db)
        .await
        .unwrap()
        .expect("seeded profession")
        .id
}

pub async fn registration(
    db: &DatabaseConnection,
    username: &str,
    email: &str,
) -> RegistrationForm {
    RegistrationForm {
        email: email.to_owned(),
        username: username.to_owned(),
        password: PASSWORD.to_owned(),
        password_confirmation: PASSWORD.to_owned(),
        phone: "604-555-0199".to_owned(),
        profession_id: profession_id(db, "physician").await.to_string(),
        licence_number: "md-12345".to_owned(),
    }
}

/// Registers `subject` with username `subject` and email `subject@clinic.example`; returns the id.
pub async fn registered(state: &AppState, subject: &str) -> i64 {
    let form = registration(&state.db, subject, &format!("{subject}@clinic.example")).await;
    crate::accounts::service::register(state, Actor::system(), &identity(subject), &form)
        .await
        .expect("registration")
}

/// Registers and verifies the email of `subject`; returns the account id.
pub async fn verified(state: &AppState, subject: &str) -> i64 {
    let id = registered(state, subject).await;
    let email = format!("{subject}@clinic.example");
    let token = token_in(
        &last_email_to(&state.db, &email).await,
        "/account/verify-email",
    );
    as_operator(state, async |change| {
        crate::accounts::service::verify_email(change, &token).await
    })
    .await
    .expect("verification");
    id
}

/// A verified account (with a password) with this name and profession.
pub async fn person(
    state: &AppState,
    subject: &str,
    given: &str,
    family: &str,
    profession: &str,
) -> i64 {
    use crate::entities::account;
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let id = verified(state, subject).await;
    let mut row = account::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    row.given_name = Set(given.to_owned());
    row.family_name = Set(family.to_owned());
    row.profession_id = Set(profession_id(&state.db, profession).await);
    row.update(&state.db).await.unwrap();
    id
}

pub async fn emails_to(db: &DatabaseConnection, address: &str) -> Vec<outbound_email::Model> {
    outbound_email::Entity::find()
        .filter(outbound_email::Column::ToAddress.eq(address))
        .order_by_asc(outbound_email::Column::Id)
        .all(db)
        .await
        .unwrap()
}

pub async fn last_email_to(db: &DatabaseConnection, address: &str) -> outbound_email::Model {
    emails_to(db, address)
        .await
        .pop()
        .unwrap_or_else(|| panic!("no email to {address}"))
}

/// The token of the first link to `path` in the message.
pub fn token_in(email: &outbound_email::Model, path: &str) -> String {
    let marker = format!("{path}?token=");
    let start = email
        .body_text
        .find(&marker)
        .unwrap_or_else(|| panic!("no {path} link in {}", email.body_text))
        + marker.len();
    email.body_text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// A valid registration of a Community Based Private Practice at this street and postal code.
pub fn worksite_form(
    name: &str,
    street: &str,
    postal_code: &str,
) -> crate::worksites::types::WorksiteForm {
    use crate::worksites::types::{WorksiteForm, WorksiteType};
    WorksiteForm {
        name: name.to_owned(),
        worksite_type: WorksiteType::CommunityBasedPrivatePractice
            .code()
            .to_owned(),
        unit: "101".to_owned(),
        street: street.to_owned(),
        city: "Vancouver".to_owned(),
        postal_code: postal_code.to_owned(),
        phone: "778-888-9999".to_owned(),
        phone_extension: "123".to_owned(),
        email: "front@barclay.example".to_owned(),
        emr: "OSCAR Pro".to_owned(),
        clinic_type: "Family Practice".to_owned(),
        register_anyway: String::new(),
    }
}

/// Registers the worksite with `account_id` as its administrator.
pub async fn register_worksite(
    state: &AppState,
    account_id: i64,
    form: &crate::worksites::types::WorksiteForm,
) -> crate::worksites::types::WorksiteSummary {
    use crate::worksites::types::RegistrationOutcome;
    match as_account(state, account_id, async |change| {
        crate::worksites::service::register(change, form).await
    })
    .await
    .expect("worksite registration")
    {
        RegistrationOutcome::Registered(summary) => summary,
        other => panic!("expected a registration, got {other:?}"),
    }
}

/// Makes the account an active member (administrator or not) of the worksite, directly.
pub async fn add_member(state: &AppState, code: &WorksiteId, account_id: i64, is_admin: bool) {
    let worksite = crate::worksites::service::find_by_code(&state.db, code)
        .await
        .unwrap()
        .expect("worksite");
    crate::memberships::service::insert_membership(&state.db, worksite.id, account_id, is_admin)
        .await
        .expect("membership");
}

/// A worksite for a test, built up in words: `Clinic::named("Barclay Clinic").members([greg])
/// .administrators([olga]).registered_by(state, dalia)`. The registrant administers it through
/// the real registration; the others join directly, as an approved request would leave them.
#[derive(Debug, Clone)]
pub struct Clinic {
    form: crate::worksites::types::WorksiteForm,
    members: Vec<(i64, bool)>,
}

impl Clinic {
    /// A Community Based Private Practice, at an address of its own for every name.
    pub fn named(name: &str) -> Self {
        let street = format!("{} Barclay St", name.len() * 7);
        Self {
            form: worksite_form(name, &street, "V6E 1H4"),
            members: Vec::new(),
        }
    }

    pub fn of_type(mut self, worksite_type: crate::worksites::types::WorksiteType) -> Self {
        self.form.worksite_type = worksite_type.code().to_owned();
        self
    }

    pub fn at(mut self, street: &str, postal_code: &str) -> Self {
        self.form.street = street.to_owned();
        self.form.postal_code = postal_code.to_owned();
        self
    }

    pub fn members(mut self, accounts: impl IntoIterator<Item = i64>) -> Self {
        self.members
            .extend(accounts.into_iter().map(|account| (account, false)));
        self
    }

    pub fn administrators(mut self, accounts: impl IntoIterator<Item = i64>) -> Self {
        self.members
            .extend(accounts.into_iter().map(|account| (account, true)));
        self
    }

    pub async fn registered_by(
        self,
        state: &AppState,
        registrant: i64,
    ) -> crate::worksites::types::WorksiteSummary {
        let worksite = register_worksite(state, registrant, &self.form).await;
        for (account, is_admin) in self.members {
            add_member(state, &worksite.code, account, is_admin).await;
        }
        worksite
    }
}

/// A verified account written straight to the database (no password hashing, no rate limits):
/// for tests that need many people.
pub async fn quick_account(
    state: &AppState,
    username: &str,
    given_name: &str,
    family_name: &str,
    profession: &str,
) -> i64 {
    use crate::entities::account;
    use sea_orm::{ActiveModelTrait, Set};
    let now = chrono::Utc::now();
    let id = account::ActiveModel {
        username: Set(username.to_owned()),
        username_key: Set(username.to_lowercase()),
        email: Set(Some(format!("{username}@clinic.example"))),
        email_verified_at: Set(Some(now)),
        pending_email: Set(None),
        password_hash: Set("not-a-password-hash".to_owned()),
        phone: Set("604-555-0199".to_owned()),
        profession_id: Set(profession_id(&state.db, profession).await),
        licence_number: Set(None),
        given_name: Set(given_name.to_owned()),
        family_name: Set(family_name.to_owned()),
        birthdate: Set(None),
        is_staff: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .expect("account")
    .id;
    // Every real account was registered after its identity was validated.
    crate::entities::account_identity::ActiveModel {
        account_id: Set(id),
        issuer: Set("https://idp.test".to_owned()),
        subject: Set(format!("quick-{username}")),
        created_at: Set(now),
        last_signed_in_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .expect("identity");
    id
}

/// The Learning Hub reports that the person with this verified email completed the P&S course.
pub async fn complete_course(state: &AppState, email: &str) {
    use crate::privacy::service::{record, Completion, FROM_CALLBACK};
    let completion = Completion {
        email: email.to_owned(),
        completed_on: "2026-11-02".to_owned(),
        reference: format!("LH-{email}"),
    }
    .validate()
    .expect("a valid completion");
    as_operator(state, async |change| {
        record(change, &completion, FROM_CALLBACK).await
    })
    .await
    .expect("recorded");
}

/// Runs one write as the account, as its server function does.
pub async fn as_account<T>(
    state: &AppState,
    account_id: i64,
    work: impl AsyncFnOnce(&mut crate::platform::Change<'_>) -> Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    state.write(Actor::account(account_id), work).await
}

/// Runs one write as an operator command does (no account, no address).
pub async fn as_operator<T>(
    state: &AppState,
    work: impl AsyncFnOnce(&mut crate::platform::Change<'_>) -> Result<T, crate::error::AppError>,
) -> Result<T, crate::error::AppError> {
    state.write(Actor::system(), work).await
}

/// The text of a PDF as poppler's `pdftotext` extracts it, lines joined by spaces (a long
/// sentence wraps). `scripts/setup.sh --for-tests` installs it.
pub fn pdf_text(pdf: &[u8]) -> String {
    use std::io::Write;
    let mut extract = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup.sh --for-tests");
    extract
        .stdin
        .take()
        .expect("stdin")
        .write_all(pdf)
        .expect("the PDF goes to pdftotext");
    let output = extract.wait_with_output().expect("pdftotext ends");
    assert!(output.status.success(), "pdftotext could not read the PDF");
    String::from_utf8(output.stdout)
        .expect("UTF-8 text")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
