//! What happens once an identity provider has vouched for someone, whichever provider it was.

use super::{
    service::{self, KnownIdentity},
    types::{IdentityOutcome, ValidatedIdentity},
};
use crate::error::{AppError, Refusal};
use crate::platform::{
    sessions::{self, Device},
    Actor, AppState,
};
use tower_sessions::Session;

/// Signs the person in if their identity has an account, or holds the identity in the session
/// for registration.
pub async fn establish(
    state: &AppState,
    session: &Session,
    actor: Actor,
    identity: &ValidatedIdentity,
    device: Device,
) -> Result<IdentityOutcome, AppError> {
    let known = state
        .write(actor, async |change| {
            service::identity_signed_in(change, identity).await
        })
        .await?;
    match known {
        KnownIdentity::Account(account_id) => {
            sessions::sign_in(session, account_id, device).await?;
            Ok(IdentityOutcome::SignedIn)
        }
        KnownIdentity::Disabled(_) => Err(AppError::Refused(Refusal::AccountDisabled)),
        KnownIdentity::New => {
            sessions::hold_pending_identity(session, identity).await?;
            Ok(IdentityOutcome::MustRegister)
        }
    }
}
