//! What the portal keeps in a session: who is signed in (since when, on which device), and a
//! validated identity waiting for its account to be registered.

use super::client_address::ClientAddress;
use super::tokens::hash_token;
use crate::accounts::types::ValidatedIdentity;
use crate::error::AppError;
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// Signed-in sessions end this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Requests that are not activity: they never push a session's idle expiry back.
pub const PASSIVE_PATHS: [&str; 1] = ["/api/session_time_left"];

/// A signed-in session's expiry is pushed back at most this often, so reading pages does not
/// cost a session write per request.
const KEEP_ALIVE_EVERY_SECONDS: i64 = 60;

pub(crate) const SIGNED_IN: &str = "signed_in";
const PENDING_IDENTITY: &str = "pending_identity";

/// What a person sees of a signed-in session in "Manage My Account".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    /// E.g. "Firefox on Windows", from the browser's `User-Agent`.
    pub browser: String,
    /// The client address last seen on the session.
    pub address: Option<String>,
}

impl Device {
    pub fn new(user_agent: Option<&str>, client: Option<ClientAddress>) -> Self {
        Self {
            browser: browser_of(user_agent.unwrap_or_default()),
            address: client.map(|client| client.to_string()),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedIn {
    pub account_id: i64,
    pub since: i64,
    /// When the session was last kept alive.
    pub seen: i64,
    #[serde(default)]
    pub device: Device,
}

impl SignedIn {
    fn outlived(&self, now: i64) -> bool {
        now - self.since > ABSOLUTE_TIMEOUT.num_seconds()
    }
}

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless.
pub async fn sign_in(session: &Session, account_id: i64, device: Device) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.remove_value(PENDING_IDENTITY).await?;
    let now = Utc::now().timestamp();
    session
        .insert(
            SIGNED_IN,
            SignedIn {
                account_id,
                since: now,
                seen: now,
                device,
            },
        )
        .await?;
    Ok(())
}

/// Runs before each page or server-function request: ends a session past its absolute timeout,
/// and otherwise pushes its idle expiry back (the store saves a session only when it changes).
pub async fn keep_alive(session: &Session, client: Option<ClientAddress>) -> Result<(), AppError> {
    let Some(mut signed_in) = session.get::<SignedIn>(SIGNED_IN).await? else {
        return Ok(());
    };
    let now = Utc::now().timestamp();
    if signed_in.outlived(now) {
        session.flush().await?;
    } else if now - signed_in.seen >= KEEP_ALIVE_EVERY_SECONDS {
        signed_in.seen = now;
        if let Some(client) = client {
            signed_in.device.address = Some(client.to_string());
        }
        session.insert(SIGNED_IN, signed_in).await?;
    }
    Ok(())
}

/// Marks the session active now, whenever it was last kept alive ("Stay signed in").
pub async fn touch(session: &Session) -> Result<(), AppError> {
    if let Some(mut signed_in) = session.get::<SignedIn>(SIGNED_IN).await? {
        signed_in.seen = Utc::now().timestamp();
        session.insert(SIGNED_IN, signed_in).await?;
    }
    Ok(())
}

/// Seconds until a signed-in session ends without activity (or at its absolute timeout, if
/// sooner); `None` when nobody is signed in. The store's expiry is at least `idle_minutes` after
/// the session was last kept alive, so this never promises more time than there is.
pub async fn seconds_left(session: &Session, idle_minutes: i64) -> Result<Option<i64>, AppError> {
    let Some(signed_in) = session.get::<SignedIn>(SIGNED_IN).await? else {
        return Ok(None);
    };
    let now = Utc::now().timestamp();
    let idle_ends = signed_in.seen + idle_minutes * 60;
    let absolute_ends = signed_in.since + ABSOLUTE_TIMEOUT.num_seconds();
    Ok(Some((idle_ends.min(absolute_ends) - now).max(0)))
}

/// How the store and the write path name a session: a hash of its id, never the id itself.
pub fn key_of(session: &Session) -> Option<String> {
    session.id().map(|id| hash_token(&id.to_string()))
}

/// The signed-in account, if the session has one that has not outlived the absolute timeout.
pub async fn signed_in_account(session: &Session) -> Result<Option<i64>, AppError> {
    Ok(session
        .get::<SignedIn>(SIGNED_IN)
        .await?
        .filter(|signed_in| !signed_in.outlived(Utc::now().timestamp()))
        .map(|signed_in| signed_in.account_id))
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}

/// Remembers an identity the provider vouched for that has no account yet.
pub async fn hold_pending_identity(
    session: &Session,
    identity: &ValidatedIdentity,
) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.remove_value(SIGNED_IN).await?;
    session.insert(PENDING_IDENTITY, identity).await?;
    Ok(())
}

pub async fn pending_identity(session: &Session) -> Result<Option<ValidatedIdentity>, AppError> {
    Ok(session.get(PENDING_IDENTITY).await?)
}

/// A short, readable name for the browser and system behind a `User-Agent`. Order matters:
/// Edge and Opera say "Chrome" too, and Chrome says "Safari".
pub fn browser_of(user_agent: &str) -> String {
    const BROWSERS: [(&str, &str); 7] = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    const SYSTEMS: [(&str, &str); 7] = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |names: &[(&str, &'static str)]| {
        names
            .iter()
            .find(|(marker, _)| user_agent.contains(marker))
            .map(|(_, name)| *name)
    };
    match (find(&BROWSERS), find(&SYSTEMS)) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, Some(system)) => format!("A browser on {system}"),
        (None, None) => "An unknown browser".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::browser_of;

    #[test]
    fn names_common_browsers_and_systems() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge on Windows"),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on Linux"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari on macOS"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1", "Chrome on iPhone"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Windows"),
            ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36", "Chrome on Android"),
            ("curl/8.5.0", "An unknown browser"),
            ("", "An unknown browser"),
        ];
        for (agent, expected) in cases {
            assert_eq!(browser_of(agent), expected, "{agent}");
        }
    }
}
