//! Outbound email: messages are written to an outbox in the transaction that causes them and
//! delivered by a background worker (see `server/src/mail_worker.rs`), so none is ever lost.
//! The CareConnect team follows every message in the delivery log (`/staff/emails`); in
//! development, `/dev/mailbox` shows every message.

pub mod api;
#[cfg(feature = "ssr")]
pub mod log;
pub mod mailbox;
#[cfg(feature = "ssr")]
pub mod message;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod types;
pub mod ui;
