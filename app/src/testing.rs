//! Test support shared by the app's and the server's tests (feature `test-support`): a fresh,
//! migrated database per test — a SQLite file by default, or a new PostgreSQL database on the
//! server named by `TEST_DATABASE_URL` (e.g. `postgres://postgres@127.0.0.1:5432/postgres`) — and
//! shortcuts to accounts in known states.

use crate::accounts::types::{RegistrationForm, ValidatedIdentity};
use crate::entities::{outbound_email, profession};
use crate::platform::{db, AppState, PortalConfig};
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
        let connection = db::connect(&url).await.expect("connect to test database");
        Migrator::up(&connection, None).await.expect("migrate");
        Self {
            state: AppState::new(connection, PortalConfig::for_tests(&url)),
            sqlite_file,
        }
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }
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
    crate::accounts::service::register(state, &identity(subject), &form, None)
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
    crate::accounts::service::verify_email(state, &token, None)
        .await
        .expect("verification");
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
