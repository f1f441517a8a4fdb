//! What every server function and route handler can reach.

use super::{db::WriteQueue, passwords::PasswordHasher, rate_limit::RateLimits, PortalConfig};
use crate::notifications::live::LiveHub;
use crate::worksites::service::address_lookup::{
    AddressLookup, BuiltInAddressLookup, ReferenceAddresses,
};
use sea_orm::DatabaseConnection;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<PortalConfig>,
    pub limits: Arc<RateLimits>,
    pub passwords: PasswordHasher,
    pub addresses: Arc<dyn AddressLookup>,
    /// Tells open pages that something changed for their user.
    pub live: LiveHub,
    /// The order in which this server's writes take SQLite's write lock.
    pub writes: WriteQueue,
}

impl AppState {
    pub fn new(db: DatabaseConnection, config: PortalConfig) -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        let limits = RateLimits::new(config.sign_ins_per_address_per_minute);
        let live_streams = config.live_streams;
        Self {
            config: Arc::new(config),
            limits: Arc::new(limits),
            // Argon2 keeps a core busy for each hash: leave the other cores to every other
            // request, so a burst of sign-ins queues for the hasher instead of slowing the portal.
            passwords: PasswordHasher::new(cores / 2),
            addresses: Arc::new(BuiltInAddressLookup {
                reference: ReferenceAddresses::default(),
            }),
            live: LiveHub::for_database(&db, live_streams),
            writes: WriteQueue::for_database(&db),
            db,
        }
    }

    /// Replaces the address lookup, e.g. with one that knows a reference file or asks a
    /// validation service.
    pub fn with_address_lookup(mut self, lookup: impl AddressLookup + 'static) -> Self {
        self.addresses = Arc::new(lookup);
        self
    }
}
