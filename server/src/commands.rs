//! Operator commands of the server binary.

use crate::{open_database, StartError};
use app::platform::{AppState, PortalConfig};

pub async fn migrate() -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    open_database(&config).await?;
    println!("The database schema is up to date.");
    Ok(())
}

pub async fn grant_staff(email: &str) -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    let state = AppState::new(open_database(&config).await?, config);
    let account_id = app::accounts::service::grant_staff(&state, email)
        .await
        .map_err(|error| StartError::Command(error.to_string()))?;
    println!("Account {account_id} ({email}) is now CareConnect staff.");
    Ok(())
}
