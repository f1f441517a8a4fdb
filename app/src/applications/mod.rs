//! CareConnect applications: an Independent user or Authorizer asks for CareConnect access from
//! one of their worksites on the "CareConnect Enrolment Form"; the CareConnect team starts a
//! review, approves (which grants the access, and is refused while any requirement is unmet),
//! denies with a reason, or returns it for information, which the applicant answers by
//! resubmitting. Every change emails and notifies the applicant.

pub mod api;
#[cfg(feature = "ssr")]
mod emails;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_ui;
pub mod types;
pub mod ui;
