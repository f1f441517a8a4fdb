//! The audit log: who did what to whom, from where and when. Every change of access writes one
//! event inside the same transaction as the change itself.

#[cfg(feature = "ssr")]
mod service;
#[cfg(feature = "ssr")]
pub use service::*;
