//! Requests to join a worksite: the "Worksite Access Form", the administrators' email and
//! in-portal approval ("Users Requesting Access"), approval from the emailed link, withdrawal.

pub mod api;
#[cfg(feature = "ssr")]
mod emails;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
