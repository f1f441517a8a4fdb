//! What every server function and route handler can reach.

use super::{passwords::PasswordHasher, rate_limit::RateLimits, PortalConfig};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<PortalConfig>,
    pub limits: Arc<RateLimits>,
    pub passwords: PasswordHasher,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: PortalConfig) -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        Self {
            db,
            config: Arc::new(config),
            limits: Arc::new(RateLimits::default()),
            passwords: PasswordHasher::new(cores),
        }
    }
}
