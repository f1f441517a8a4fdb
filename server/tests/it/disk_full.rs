//! When the disk fills, writes fail with a clear message and nothing half-written; the portal
//! goes on serving reads and recovers by itself when space returns. The `portal` binary runs on
//! SQLite on a small tmpfs that the test fills (mounting one needs root, as the test machines
//! have).

use super::portal::{admins, integrity_check, invite, log, Portal};
use super::smtp::{Mode, Smtp};
use app::entities::{invitation, outbound_email};
use app::error::AppError;
use app::mail::outbox::OutboxStatus;
use app::platform::{db, AppState, PortalConfig};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const DISK_MEGABYTES: u32 = 24;

/// A tmpfs of `megabytes`, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Self {
        let path = std::env::temp_dir().join(format!("portal-small-disk-{}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&path)
            .status()
            .expect("mount runs");
        assert!(
            mounted.success(),
            "the disk-full test mounts a tmpfs at {}: it needs root",
            path.display()
        );
        Self { path }
    }

    /// Writes a file until the disk refuses another byte.
    fn fill(&self) -> PathBuf {
        let ballast = self.path.join("ballast");
        let mut file = std::fs::File::create(&ballast).unwrap();
        for chunk in [1 << 20, 4096, 1] {
            let bytes = vec![0u8; chunk];
            while file.write_all(&bytes).is_ok() {}
        }
        let _ = file.sync_all();
        ballast
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily: a connection still open does not keep it mounted for ever.
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
        let _ = std::fs::remove_dir(&self.path);
    }
}

async fn invitations_to(db: &DatabaseConnection, address: &str) -> usize {
    invitation::Entity::find()
        .filter(invitation::Column::Email.eq(address))
        .all(db)
        .await
        .unwrap()
        .len()
        + outbound_email::Entity::find()
            .filter(outbound_email::Column::ToAddress.eq(address))
            .all(db)
            .await
            .unwrap()
            .len()
}

async fn page(http: &reqwest::Client, base: &str, path: &str, cookie: &str) -> (u16, String) {
    let answer = http
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .expect("an answer");
    let status = answer.status().as_u16();
    (status, answer.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_writes_clearly_serves_reads_and_recovers_by_itself() {
    let disk = SmallDisk::mount(DISK_MEGABYTES);
    let workdir = std::env::temp_dir().join(format!("portal-disk-full-{}", std::process::id()));
    std::fs::create_dir_all(&workdir).unwrap();
    let url = format!("sqlite://{}/portal.db?mode=rwc", disk.path.display());
    let connection = db::connect(&url, 2).await.unwrap();
    Migrator::up(&connection, None).await.unwrap();
    let state = AppState::new(connection, PortalConfig::for_tests(&url));
    let admin = admins(&state, 1).await.remove(0);
    let smtp = Smtp::start(Mode::Accept).await;
    let portal = Portal::start(&url, &smtp, &workdir).await;
    let http = reqwest::Client::new();

    let (status, error) = invite(&http, &portal.base, &admin, "before@invited.example")
        .await
        .unwrap();
    assert_eq!(status, 200, "{error:?}");

    let ballast = disk.fill();
    // A write may still fit in space the database had already; one soon does not.
    let mut fitted = Vec::new();
    let refused = loop {
        let address = format!("full-{}@invited.example", fitted.len());
        let (status, error) = invite(&http, &portal.base, &admin, &address).await.unwrap();
        match (status.as_u16(), error) {
            (200, _) if fitted.len() < 500 => fitted.push(address),
            (503, Some(error)) if error.failure() == &AppError::StorageFull => {
                break (address, error)
            }
            (status, error) => panic!("{status}: {error:?}\n{}", log(&workdir)),
        }
    };
    let (address, error) = refused;
    let words = error.to_string();
    assert!(
        words.contains("storage is full") && words.contains("Nothing was changed"),
        "{words}"
    );
    // The person reads a reference; the log holds the failure under that request id.
    let AppError::Referenced { reference, .. } = &error else {
        panic!("no reference: {error:?}");
    };
    assert!(words.ends_with(&format!("Reference: {reference}.")));
    let logged = log(&workdir).lines().any(|line| {
        serde_json::from_str::<serde_json::Value>(line).is_ok_and(|event| {
            event["level"] == "ERROR" && event["span"]["id"] == reference.as_str()
        })
    });
    assert!(
        logged,
        "no error logged under {reference}: {}",
        log(&workdir)
    );
    assert_eq!(invitations_to(&state.db, &address).await, 0, "half-written");
    for address in &fitted {
        assert_eq!(invitations_to(&state.db, address).await, 2);
    }

    // Reads go on: the home page and the worksite's page, signed in.
    for path in ["/".to_owned(), format!("/worksites/{}", admin.code)] {
        let (status, body) = page(&http, &portal.base, &path, &admin.cookie).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert!(body.contains("Sign out"), "{path} is served signed in");
    }

    // Space returns: the same portal takes writes again, with no restart.
    std::fs::remove_file(ballast).unwrap();
    let (status, error) = invite(&http, &portal.base, &admin, &address).await.unwrap();
    assert_eq!(status, 200, "{error:?}");
    assert_eq!(invitations_to(&state.db, &address).await, 2);
    wait_until_sent(&state.db, Duration::from_secs(60)).await;
    portal.kill().await;
    integrity_check(&state.db).await;
    println!(
        "figure: disk full (SQLite on a {} MB tmpfs): {} writes fitted in space already taken, \
         then refused with 503 \"storage is full\", nothing half-written; pages served signed in \
         meanwhile; the next write after space returned succeeded without a restart; \
         integrity check passed",
        DISK_MEGABYTES,
        fitted.len()
    );
    state.db.close().await.unwrap();
    drop(disk);
    let _ = std::fs::remove_dir_all(&workdir);
}

async fn wait_until_sent(db: &DatabaseConnection, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        let waiting = outbound_email::Entity::find()
            .filter(outbound_email::Column::Status.ne(OutboxStatus::Sent))
            .all(db)
            .await
            .unwrap();
        if waiting.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "mail still waiting: {waiting:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
