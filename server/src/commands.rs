//! Operator commands of the server binary.

use crate::{open_database, StartError};
use app::platform::{Actor, AppState, PortalConfig};
use app::worksites::types::WorksiteId;

pub async fn migrate() -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    open_database(&config).await?;
    println!("The database schema is up to date.");
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
