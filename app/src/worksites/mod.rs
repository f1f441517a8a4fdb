//! Worksites: registering a clinic, finding one by Worksite ID or address, the worksite page and
//! its administrators' edits.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
