//! Accounts: registration after identity validation, sign-in, email verification, contact
//! details, passwords and account recovery.

pub mod api;
#[cfg(feature = "ssr")]
pub mod identity;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
