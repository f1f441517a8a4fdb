//! In-portal notifications: what is stored for each person, the live channel that tells open
//! pages something changed (server-sent events), the header's counter and the list page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
