//! CareConnect access: who may open CareConnect from which worksite, and On-Behalf-Of users who
//! see it through the Authorizers who sponsor them. Grants come from approved applications (and
//! the operator command `portal access grant`); they end when staff end them or the membership
//! becomes inactive, and an ended grant ends the Authorizer's sponsorships there.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
