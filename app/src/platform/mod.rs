//! Server-side plumbing shared by every domain module: configuration, the database, the
//! request context of server functions, sessions, tokens, passwords and rate limits.

pub mod attempts;
pub mod change;
pub mod client_address;
pub mod config;
pub mod db;
pub mod passwords;
pub mod quota;
pub mod rate_limit;
pub mod request;
pub mod retention;
pub mod session_store;
pub mod sessions;
pub mod spreadsheet;
pub mod staff;
pub mod state;
pub mod time;
pub mod tokens;

pub use change::{Actor, Change, EndSessions};
pub use config::PortalConfig;
pub use request::RequestContext;
pub use state::AppState;
