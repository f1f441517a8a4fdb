//! Privacy & Security requirements. The CareConnect Private Practice Privacy and Security
//! course: the learning system reports completions through an HMAC-signed callback
//! (`/integrations/course-completions`); staff import the ones that arrive otherwise as CSV.
//! Completions are kept by email address, so one may arrive before its account exists. The
//! HPCAA: Authorizers and Independent users whose profession requires it read and sign it, and
//! can print it or download it as a PDF. The site-level declaration: an administrator with
//! signing authority signs it for the worksite.

pub mod agreement;
pub mod api;
#[cfg(feature = "ssr")]
pub mod callback;
#[cfg(feature = "ssr")]
pub mod declaration;
#[cfg(feature = "ssr")]
pub mod hpcaa;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
