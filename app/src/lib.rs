//! The my.CareConnect Enrolment Portal: pages, shared types and server functions, compiled for
//! the browser (`hydrate`) and the server (`ssr`). Server-only code sits behind `ssr`.

// The release browser bundle has no `Debug` formatting (scripts/build-release.sh): `{:?}` would
// show nothing there.
#![cfg_attr(not(test), deny(clippy::use_debug))]

pub mod access;
pub mod accounts;
pub mod applications;
pub mod audit;
#[cfg(feature = "ssr")]
pub mod entities;
pub mod error;
#[cfg(feature = "ssr")]
pub mod flows;
mod home;
mod ids;
pub mod invitations;
pub mod join_requests;
pub mod mail;
pub mod memberships;
pub mod notifications;
pub mod paging;
#[cfg(feature = "ssr")]
pub mod platform;
pub mod privacy;
pub mod professions;
mod shell;
pub mod sponsorships;
mod status;
#[cfg(feature = "test-support")]
pub mod testing;
pub mod text;
pub mod ui;
pub mod worksites;

#[cfg(feature = "hydrate")]
pub use shell::hydrate;
pub use shell::{shell, App};
