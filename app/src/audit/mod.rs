//! The audit log: who did what to whom, from where and when. Every change of access writes one
//! event inside the same transaction as the change itself; the CareConnect team searches it and
//! exports it as CSV.

pub mod api;
pub mod types;
pub mod ui;
pub use types::AuditAction;

#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;
