//! Invitations by email: "Invite Members", "Invites Awaiting Response" (resend, revoke), the
//! emailed link's page, and acceptance by the person whose verified email was invited.

pub mod api;
#[cfg(feature = "ssr")]
mod emails;
#[cfg(feature = "ssr")]
pub mod service;
pub mod types;
pub mod ui;
