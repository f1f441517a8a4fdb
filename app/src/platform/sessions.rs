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

const SIGNED_IN: &str = "signed_in";
const PENDING_IDENTITY: &str = "pending_identity";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignedIn {
    account_id: i64,
    since: i64,
}

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless.
pub async fn sign_in(session: &Session, account_id: i64) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.remove_value(PENDING_IDENTITY).await?;
    session
        .insert(
            SIGNED_IN,
            SignedIn {
                account_id,
                since: Utc::now().timestamp(),
            },
        )
        .await?;
    Ok(())
}

/// The signed-in account, if the session has one that has not outlived the absolute timeout.
pub async fn signed_in_account(session: &Session) -> Result<Option<i64>, AppError> {
    let Some(signed_in) = session.get::<SignedIn>(SIGNED_IN).await? else {
        return Ok(None);
    };
    if Utc::now().timestamp() - signed_in.since > ABSOLUTE_TIMEOUT.num_seconds() {
        session.flush().await?;
        return Ok(None);
    }
    Ok(Some(signed_in.account_id))
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
