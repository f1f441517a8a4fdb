//! The devices signed in to an account, and signing out all but this one.

use crate::accounts::types::SignedInDevice;
use crate::audit::{AuditAction, AuditEntry};
use crate::error::AppError;
use crate::platform::{session_store, time::display_time, Change, EndSessions};
use chrono::DateTime;
use sea_orm::ConnectionTrait;
use serde_json::json;

/// The account's signed-in sessions: this device first, then the most recently active.
pub async fn signed_in_devices(
    conn: &impl ConnectionTrait,
    account_id: i64,
    this_session: Option<&str>,
) -> Result<Vec<SignedInDevice>, AppError> {
    let at =
        |seconds: i64| DateTime::from_timestamp(seconds, 0).map_or_else(String::new, display_time);
    let mut sessions = session_store::signed_in_sessions(conn, account_id).await?;
    sessions.sort_by_key(|(key, signed_in)| (Some(key.as_str()) != this_session, -signed_in.seen));
    Ok(sessions
        .into_iter()
        .map(|(key, signed_in)| SignedInDevice {
            browser: if signed_in.device.browser.is_empty() {
                "An unknown browser".to_owned()
            } else {
                signed_in.device.browser
            },
            address: signed_in.device.address,
            last_active: at(signed_in.seen),
            signed_in: at(signed_in.since),
            this_device: Some(key.as_str()) == this_session,
        })
        .collect())
}

/// "Sign out other sessions": every session of the actor's account but the one asking ends.
pub async fn sign_out_other_sessions(change: &mut Change<'_>) -> Result<u64, AppError> {
    let account_id = change.account()?;
    let ended = change
        .end_sessions(account_id, EndSessions::AllButMine)
        .await?;
    change.audit(
        AuditEntry::new(AuditAction::SessionsEnded, format!("account:{account_id}"))
            .with_details(json!({ "ended": ended })),
    );
    Ok(ended)
}
