//! Outbound email: messages are written to an outbox in the transaction that causes them and
//! delivered by a background worker (see `server/src/mail_worker.rs`), so none is ever lost.
//! In development, `/dev/mailbox` shows every message.

pub mod mailbox;
#[cfg(feature = "ssr")]
pub mod message;
#[cfg(feature = "ssr")]
pub mod outbox;
