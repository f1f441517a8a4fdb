//! The profession catalogue: each profession's user type and whether a Designation Order lets
//! it be granted CareConnect access. Every profession may register in the portal.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
