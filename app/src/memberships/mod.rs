//! Memberships of worksites: who belongs, who administers, and the administrators' changes
//! (promote, remove admin, set inactive, set active) under the rule that a worksite always keeps
//! an active administrator.

pub mod api;
#[cfg(feature = "ssr")]
pub mod listing;
#[cfg(feature = "ssr")]
pub mod name_index;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
