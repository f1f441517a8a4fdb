//! The `portal` binary run as an operator runs it, in production mode on a port of its own, for
//! the fault tests: killed, starved of disk, started again.

use super::smtp::Smtp;
use app::error::{AppError, Refusal};
use app::platform::AppState;
use app::testing::{signed_in_session, verified, Clinic};
use app::worksites::types::WorksiteId;
use rand::Rng;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

pub(super) const PUBLIC_URL: &str = "https://portal.test";
/// Every address the loads invite starts so.
pub(super) const INVITED: &str = "load-";

/// An administrator of a worksite, signed in.
pub(super) struct Admin {
    pub(super) cookie: String,
    pub(super) code: WorksiteId,
}

pub(super) async fn admins(state: &AppState, count: usize) -> Vec<Admin> {
    let mut admins = Vec::with_capacity(count);
    for n in 0..count {
        let account = verified(state, &format!("crashadmin{n}")).await;
        let worksite = Clinic::named(&format!("Crash Clinic {n}"))
            .at(&format!("{} Crash Street", n + 1), "V6E 1H4")
            .registered_by(state, account)
            .await;
        let session = signed_in_session(state, account).await;
        let id = session.id().expect("a saved session has an id");
        admins.push(Admin {
            cookie: format!("__Host-portal_session={id}"),
            code: worksite.code,
        });
    }
    admins
}

/// The `portal` binary serving on a port of its own.
pub(super) struct Portal {
    child: Child,
    pub(super) base: String,
}

impl Portal {
    pub(super) async fn start(database_url: &str, smtp: &Smtp, workdir: &Path) -> Self {
        Self::start_with(database_url, smtp, workdir, &[]).await
    }

    /// Started with these variables set as well (or instead).
    pub(super) async fn start_with(
        database_url: &str,
        smtp: &Smtp,
        workdir: &Path,
        settings: &[(&str, &str)],
    ) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log_file(workdir))
            .expect("the portal's log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_portal"));
        command
            .arg("serve")
            .env_clear()
            .env("PORTAL_ENV", "production")
            .env("DATABASE_URL", database_url)
            .env("PORTAL_PUBLIC_URL", PUBLIC_URL)
            .env("SMTP_URL", format!("smtp://127.0.0.1:{}", smtp.port))
            .env("MAIL_RETRY_SECONDS", "1")
            .env("MAIL_SEND_TIMEOUT_SECONDS", "2")
            // Never reached: no one signs in through it here.
            .env("OIDC_ISSUER_URL", "http://127.0.0.1:9")
            .env("OIDC_CLIENT_ID", "portal")
            .env("OIDC_CLIENT_SECRET", "crash-test")
            .env("LEPTOS_OUTPUT_NAME", "portal")
            .env("LEPTOS_SITE_ROOT", workdir)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .envs(settings.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true);
        let child = command.spawn().expect("the portal starts");
        let mut portal = Portal {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        portal.wait_until_serving(workdir).await;
        portal
    }

    async fn wait_until_serving(&mut self, workdir: &Path) {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the portal exited with {status}: {}", log(workdir));
            }
            let health = http.get(format!("{}/healthz", self.base)).send().await;
            if health.is_ok_and(|answer| answer.status().is_success()) {
                return;
            }
            assert!(Instant::now() < deadline, "not serving: {}", log(workdir));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `kill -9`: no shutdown, no flush, no goodbye.
    pub(super) async fn kill(mut self) {
        self.child.start_kill().expect("SIGKILL sent");
        self.child.wait().await.expect("the portal is gone");
    }
}

pub(super) fn log_file(workdir: &Path) -> PathBuf {
    workdir.join("portal.log")
}

pub(super) fn log(workdir: &Path) -> String {
    std::fs::read_to_string(log_file(workdir)).unwrap_or_default()
}

/// An administrator invites `address` to their worksite, as the worksite page does: the answer's
/// status, and the error it carries if it is one.
pub(super) async fn invite(
    http: &reqwest::Client,
    base: &str,
    admin: &Admin,
    address: &str,
) -> reqwest::Result<(reqwest::StatusCode, Option<AppError>)> {
    let answer = http
        .post(format!("{base}/api/invite_member"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("cookie", &admin.cookie)
        .body(format!("code={}&email={address}", admin.code))
        .send()
        .await?;
    let status = answer.status();
    let body = answer.bytes().await?;
    let error = (!status.is_success())
        .then(|| AppError::from_answer(body))
        .flatten();
    Ok((status, error))
}

/// SQLite's own check of every page and index, and its foreign keys; on PostgreSQL, `amcheck`
/// on every B-tree index, with every row checked to be in it.
pub(super) async fn integrity_check(db: &DatabaseConnection) {
    let rows = |sql: &str| {
        let statement = Statement::from_string(db.get_database_backend(), sql);
        async move { db.query_all_raw(statement).await.unwrap() }
    };
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let check = rows("PRAGMA integrity_check").await;
            let verdict: String = check[0].try_get_by_index(0).unwrap();
            assert_eq!(verdict, "ok");
            assert!(rows("PRAGMA foreign_key_check").await.is_empty());
        }
        _ => {
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS amcheck")
                .await
                .unwrap();
            let checked = rows(
                "SELECT bt_index_check(index => c.oid, heapallindexed => true) \
                 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 JOIN pg_am am ON am.oid = c.relam \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE am.amname = 'btree' AND n.nspname = 'public'",
            )
            .await;
            assert!(!checked.is_empty(), "no index was checked");
        }
    }
}

/// What the clients saw: the invitations the portal acknowledged, and any answer that was neither
/// an acknowledgement, a daily limit nor a connection the kill cut.
#[derive(Default)]
pub(super) struct Load {
    pub(super) acknowledged: Mutex<Vec<String>>,
    pub(super) unexpected: Mutex<Vec<String>>,
    next_address: AtomicUsize,
}

/// One administrator after another invites people until the portal is gone; an administrator
/// who reaches the daily limit hands over to the next of this client's (every `clients`-th).
pub(super) async fn invite_until_gone(
    base: String,
    admins: Arc<Vec<Admin>>,
    clients: usize,
    mine: Arc<AtomicUsize>,
    load: Arc<Load>,
) {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client");
    loop {
        let Some(admin) = admins.get(mine.load(Ordering::SeqCst)) else {
            return;
        };
        let address = format!(
            "{INVITED}{}@invited.example",
            load.next_address.fetch_add(1, Ordering::SeqCst)
        );
        let Ok((status, error)) = invite(&http, &base, admin, &address).await else {
            return;
        };
        if status.is_success() {
            load.acknowledged.lock().unwrap().push(address);
        } else if let Some(AppError::Refused(Refusal::DailyLimit { .. })) = error {
            mine.fetch_add(clients, Ordering::SeqCst);
        } else {
            load.unexpected
                .lock()
                .unwrap()
                .push(format!("{status}: {error:?}"));
            return;
        }
        let pause = rand::rng().random_range(0..8);
        tokio::time::sleep(Duration::from_millis(pause)).await;
    }
}
