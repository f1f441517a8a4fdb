//! What the portal keeps in a session: who is signed in (and since when), and a validated
//! identity waiting for its account to be registered.

use crate::accounts::types::ValidatedIdentity;
use crate::error::AppError;
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// Signed-in sessions end this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// Sessions end after this long without a request.
pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
/// A signed-in session's expiry is pushed back at most this often, so reading pages does not
/// cost a session write per request.
const KEEP_ALIVE_EVERY_SECONDS: i64 = 60;

const SIGNED_IN: &str = "signed_in";
const PENDING_IDENTITY: &str = "pending_identity";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedIn {
    account_id: i64,
    since: i64,
    /// When the session was last kept alive.
    seen: i64,
}

impl SignedIn {
    fn outlived(&self, now: i64) -> bool {
        now - self.since > ABSOLUTE_TIMEOUT.num_seconds()
    }
}

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless.
pub async fn sign_in(session: &Session, account_id: i64) -> Result<(), AppError> {
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
            },
        )
        .await?;
    Ok(())
}

/// Runs before each page or server-function request: ends a session past its absolute timeout,
/// and otherwise pushes its idle expiry back (the store saves a session only when it changes).
pub async fn keep_alive(session: &Session) -> Result<(), AppError> {
    let Some(mut signed_in) = session.get::<SignedIn>(SIGNED_IN).await? else {
        return Ok(());
    };
    let now = Utc::now().timestamp();
    if signed_in.outlived(now) {
        session.flush().await?;
    } else if now - signed_in.seen >= KEEP_ALIVE_EVERY_SECONDS {
        signed_in.seen = now;
        session.insert(SIGNED_IN, signed_in).await?;
    }
    Ok(())
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
