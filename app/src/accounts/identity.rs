//! What happens once an identity provider has vouched for someone, whichever provider it was.

use super::{
    service,
    types::{IdentityOutcome, ValidatedIdentity},
};
use crate::error::AppError;
use crate::platform::{sessions, Actor, AppState};
use tower_sessions::Session;

/// Signs the person in if their identity has an account, or holds the identity in the session
/// for registration.
pub async fn establish(
    state: &AppState,
    session: &Session,
    actor: Actor,
    identity: &ValidatedIdentity,
) -> Result<IdentityOutcome, AppError> {
    let known = state
        .write(actor, async |change| {
            service::identity_signed_in(change, identity).await
        })
        .await?;
    match known {
        Some(account_id) => {
            sessions::sign_in(session, account_id).await?;
            Ok(IdentityOutcome::SignedIn)
        }
        None => {
            sessions::hold_pending_identity(session, identity).await?;
            Ok(IdentityOutcome::MustRegister)
        }
    }
}
