//! Privacy & Security requirements. This part: the CareConnect Private Practice Privacy and
//! Security course. The learning system reports completions through an HMAC-signed callback
//! (`/integrations/course-completions`); staff import the ones that arrive otherwise as CSV.
//! Completions are kept by email address, so one may arrive before its account exists.

pub mod api;
#[cfg(feature = "ssr")]
pub mod callback;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
