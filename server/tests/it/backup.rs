//! `portal backup` copies a live SQLite database while administrators write to it, and
//! `portal restore` puts the copy back: it passes its integrity check and holds every change
//! acknowledged before the backup began.

use super::portal::{admins, integrity_check, invite_until_gone, log, Load, Portal, INVITED};
use super::smtp::{Mode, Smtp};
use app::entities::invitation;
use app::platform::{db, AppState, PortalConfig};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration;

const CLIENTS: usize = 2;

/// Runs a `portal` command on the database at `url`, as an operator would; what it printed.
fn operator(url: &str, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(args)
        .env_clear()
        .env("PORTAL_ENV", "development")
        .env("DATABASE_URL", url)
        .output()
        .expect("portal runs");
    assert!(
        output.status.success(),
        "portal {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_under_load_restores_every_change_acknowledged_before_it() {
    let workdir = std::env::temp_dir().join(format!("portal-backup-{}", std::process::id()));
    std::fs::create_dir_all(&workdir).unwrap();
    let url = sqlite_url(&workdir.join("portal.db"));
    let connection = db::connect(&url, 2).await.unwrap();
    Migrator::up(&connection, None).await.unwrap();
    let state = AppState::new(connection, PortalConfig::for_tests(&url));
    let admins = Arc::new(admins(&state, CLIENTS).await);
    let smtp = Smtp::start(Mode::Accept).await;
    let portal = Portal::start(&url, &smtp, &workdir).await;
    let load = Arc::new(Load::default());
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            tokio::spawn(invite_until_gone(
                portal.base.clone(),
                admins.clone(),
                CLIENTS,
                Arc::new(AtomicUsize::new(n)),
                load.clone(),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(400)).await;

    let before: Vec<String> = load.acknowledged.lock().unwrap().clone();
    let file = workdir.join("backup.db");
    let file_name = file.display().to_string();
    let backed_up = tokio::task::spawn_blocking({
        let url = url.clone();
        move || operator(&url, &["backup", &file_name])
    })
    .await
    .unwrap();
    assert!(backed_up.contains("integrity check passed"), "{backed_up}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    portal.kill().await;
    for client in clients {
        client.await.unwrap();
    }
    let unexpected = load.unexpected.lock().unwrap().clone();
    assert!(unexpected.is_empty(), "{unexpected:?}\n{}", log(&workdir));
    let during = load.acknowledged.lock().unwrap().len() - before.len();
    assert!(
        !before.is_empty() && during > 0,
        "the backup ran under load"
    );

    // A second backup to the same file is refused rather than overwriting it.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(["backup", &file.display().to_string()])
        .env_clear()
        .env("PORTAL_ENV", "development")
        .env("DATABASE_URL", &url)
        .output()
        .unwrap();
    assert!(!again.status.success());

    let restored_url = sqlite_url(&workdir.join("restored.db"));
    let restored = operator(&restored_url, &["restore", &file.display().to_string()]);
    assert!(restored.contains("Restored"), "{restored}");
    let restored_db = db::connect(&restored_url, 1).await.unwrap();
    integrity_check(&restored_db).await;
    let invited: HashSet<String> = invitation::Entity::find()
        .filter(invitation::Column::Email.starts_with(INVITED))
        .all(&restored_db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.email)
        .collect();
    let lost: Vec<_> = before.iter().filter(|a| !invited.contains(*a)).collect();
    assert!(
        lost.is_empty(),
        "acknowledged before the backup, missing: {lost:?}"
    );
    println!(
        "figure: backup under load (SQLite): {} invitations acknowledged before it began, all \
         in the restored copy ({} in it, {during} more acknowledged while and after it ran); \
         integrity check passed",
        before.len(),
        invited.len()
    );
    restored_db.close().await.unwrap();
    state.db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&workdir);
}
