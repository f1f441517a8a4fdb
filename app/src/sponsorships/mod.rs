//! Sponsorships: an Authorizer (physician, nurse practitioner) lets an On-Behalf-Of user (MOA,
//! LPN, …) of the same worksite see CareConnect as the Authorizer would. Requested by the
//! On-Behalf-Of user or granted directly by the Authorizer; ended by either, or automatically
//! when a membership, the Authorizer's access or a profession's user type no longer allows it.

pub mod api;
#[cfg(feature = "ssr")]
mod emails;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
