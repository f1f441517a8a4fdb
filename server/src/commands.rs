//! Operator commands of the server binary.

use crate::{open_database, StartError};
use app::platform::{Actor, AppState, PortalConfig};
use app::worksites::types::WorksiteId;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use secrecy::ExposeSecret;

pub async fn migrate() -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    open_database(&config).await?;
    println!("The database schema is up to date.");
    Ok(())
}

pub async fn housekeeping() -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    let state = AppState::new(open_database(&config).await?, config);
    crate::router::housekeeping_round(&state, chrono::Utc::now()).await;
    println!("Housekeeping done.");
    Ok(())
}

pub async fn grant_staff(email: &str) -> Result<(), StartError> {
    let account_id = set_staff(email, true).await?;
    println!("Account {account_id} ({email}) is now CareConnect staff.");
    Ok(())
}

pub async fn revoke_staff(email: &str) -> Result<(), StartError> {
    let account_id = set_staff(email, false).await?;
    println!("Account {account_id} ({email}) is no longer CareConnect staff.");
    Ok(())
}

async fn set_staff(email: &str, staff: bool) -> Result<i64, StartError> {
    let config = PortalConfig::from_env()?;
    let state = AppState::new(open_database(&config).await?, config);
    state
        .write(Actor::system(), async |change| {
            if staff {
                app::accounts::service::grant_staff(change, email).await
            } else {
                app::accounts::service::revoke_staff(change, email).await
            }
        })
        .await
        .map_err(|error| StartError::Command(error.to_string()))
}

async fn state_and_account(email: &str) -> Result<(AppState, i64), StartError> {
    let config = PortalConfig::from_env()?;
    let state = AppState::new(open_database(&config).await?, config);
    let email = app::accounts::types::normalize_email(email)
        .map_err(|message| StartError::Command(message.to_owned()))?;
    let account = app::accounts::service::find_by_email(&state.db, &email)
        .await
        .map_err(|error| StartError::Command(error.to_string()))?
        .ok_or_else(|| {
            StartError::Command(format!(
                "No account has the verified email address {email}."
            ))
        })?;
    Ok((state, account.id))
}

pub async fn grant_access(email: &str, worksite_id: &WorksiteId) -> Result<(), StartError> {
    let (state, account_id) = state_and_account(email).await?;
    state
        .write(Actor::system(), async |change| {
            app::access::service::grant(change, account_id, worksite_id).await
        })
        .await
        .map_err(|error| StartError::Command(error.to_string()))?;
    println!("{email} has CareConnect access from worksite {worksite_id}.");
    Ok(())
}

pub async fn end_access(email: &str, worksite_id: &WorksiteId) -> Result<(), StartError> {
    let (state, account_id) = state_and_account(email).await?;
    state
        .write(Actor::system(), async |change| {
            app::access::service::end(change, account_id, worksite_id, "ended_by_operator").await
        })
        .await
        .map_err(|error| StartError::Command(error.to_string()))?;
    println!("{email} no longer has CareConnect access from worksite {worksite_id}.");
    Ok(())
}

/// `portal seed`: generated data for benchmarks and demonstrations (never in production).
pub async fn seed(plan: crate::seed::SeedPlan) -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    if config.production {
        return Err(StartError::Command(
            "seeding is refused in production mode".to_owned(),
        ));
    }
    let db = open_database(&config).await?;
    let report = crate::seed::seed(&db, plan)
        .await
        .map_err(|error| StartError::Command(error.to_string()))?;
    println!("first account {}", report.first_account);
    for (code, size, admin) in &report.anchors {
        println!("anchor {code} {size} {admin}");
    }
    println!(
        "accounts {}, worksites {}, memberships {}, join requests {}, invitations {}, sponsorships {}, applications {}, audit events {}, emails {}",
        report.accounts,
        report.worksites,
        report.memberships,
        report.join_requests,
        report.invitations,
        report.sponsorships,
        report.applications,
        report.audit_events,
        report.emails
    );
    println!(
        "seeded in {:.1} s (every account's password: \"{}\")",
        report.seconds,
        crate::seed::SEED_PASSWORD
    );
    Ok(())
}

/// Prints the query plans of the member lists of the worksite with this Worksite ID.
pub async fn explain(code: &WorksiteId) -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    let db = open_database(&config).await?;
    let worksite = app::worksites::service::find_by_code(&db, code)
        .await?
        .ok_or_else(|| StartError::Command(format!("no worksite {code}")))?;
    for (query, plan) in crate::explain::member_list_plans(&db, worksite.id).await? {
        println!("-- {query}\n{plan}\n");
    }
    Ok(())
}

/// The SQLite file of the configured database, or why `what` needs one.
fn sqlite_file(config: &PortalConfig, what: &str) -> Result<std::path::PathBuf, StartError> {
    app::platform::db::sqlite_file_path(config.database_url.expose_secret())
        .map(std::path::PathBuf::from)
        .ok_or_else(|| {
            StartError::Command(format!(
                "`portal {what}` works on a SQLite database file; back PostgreSQL up with \
                 pg_dump or continuous archiving (docs/operations.md)"
            ))
        })
}

/// SQLite's own check of every page and index of the database file, opened read-only and as it
/// is (the portal's connections would turn it to WAL mode).
async fn integrity_check(file: &std::path::Path) -> Result<(), StartError> {
    let db = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", file.display())).await?;
    let verdict = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await?
        .map(|row| row.try_get_by_index::<String>(0))
        .transpose()?
        .unwrap_or_default();
    db.close().await?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StartError::Command(format!(
            "the integrity check failed: {verdict}"
        )))
    }
}

/// `portal backup FILE`: a consistent copy of the SQLite database, taken while the portal
/// serves (`VACUUM INTO` reads one snapshot), then checked.
pub async fn backup(file: &std::path::Path) -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    sqlite_file(&config, "backup")?;
    if file.exists() {
        return Err(StartError::Command(format!(
            "{} exists already: name a new file",
            file.display()
        )));
    }
    let started = std::time::Instant::now();
    let db = app::platform::db::connect(config.database_url.expose_secret(), 1).await?;
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "VACUUM INTO ?",
        [file.display().to_string().into()],
    ))
    .await?;
    db.close().await?;
    integrity_check(file).await?;
    let bytes = std::fs::metadata(file)?.len();
    println!(
        "Backed up to {} ({bytes} bytes) in {:.1} s; its integrity check passed.",
        file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `portal restore FILE`: checks the backup, then puts it in place of the SQLite database and
/// brings its schema up to date. Stop the portal first: a server still running would go on
/// with the database it had open.
pub async fn restore(file: &std::path::Path) -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    let target = sqlite_file(&config, "restore")?;
    integrity_check(file).await?;
    let staged = target.with_extension("restoring");
    std::fs::copy(file, &staged)?;
    std::fs::File::open(&staged)?.sync_all()?;
    // The old database's write-ahead log belongs to it, not to the backup.
    for suffix in ["-wal", "-shm"] {
        let stale = format!("{}{suffix}", target.display());
        match std::fs::remove_file(&stale) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(error.into()),
            _ => {}
        }
    }
    std::fs::rename(&staged, &target)?;
    open_database(&config).await?.close().await?;
    println!(
        "Restored {} from {}; the schema is up to date.",
        target.display(),
        file.display()
    );
    Ok(())
}
