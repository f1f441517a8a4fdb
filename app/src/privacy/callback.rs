//! The learning system's signed callback for course completions. A request carries
//! `X-CareConnect-Timestamp` (Unix seconds) and `X-CareConnect-Signature: sha256=HEX`, the
//! HMAC-SHA256 of `TIMESTAMP.BODY` under the shared secret (`COURSE_CALLBACK_SECRET`). It is
//! accepted once, within five minutes of its timestamp.

use super::service::{record, Completion, Recorded, FROM_CALLBACK};
use crate::entities::callback_receipt;
use crate::platform::{db::insert_unique, tokens::hash_token, Actor, AppState, Change};
use chrono::{Duration, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use secrecy::ExposeSecret;
use sha2::Sha256;

pub const TIMESTAMP_HEADER: &str = "x-careconnect-timestamp";
pub const SIGNATURE_HEADER: &str = "x-careconnect-signature";
/// How far a request's timestamp may be from the server's clock.
pub const FRESHNESS_SECONDS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackRefusal {
    #[error("course completion callbacks are not configured on this portal")]
    NotConfigured,
    #[error("the request needs the X-CareConnect-Timestamp and X-CareConnect-Signature headers")]
    Unsigned,
    #[error("the signature does not match the request")]
    BadSignature,
    #[error("the timestamp is more than five minutes from the portal's clock")]
    Stale,
    #[error("this request was already received")]
    Replayed,
    #[error("{0}")]
    Malformed(String),
    #[error("the portal could not record the completion; please send it again later")]
    Internal,
}

impl CallbackRefusal {
    pub fn status(&self) -> u16 {
        match self {
            CallbackRefusal::NotConfigured => 404,
            CallbackRefusal::Unsigned | CallbackRefusal::BadSignature | CallbackRefusal::Stale => {
                401
            }
            CallbackRefusal::Replayed => 409,
            CallbackRefusal::Malformed(_) => 422,
            CallbackRefusal::Internal => 503,
        }
    }
}

impl From<sea_orm::DbErr> for CallbackRefusal {
    fn from(error: sea_orm::DbErr) -> Self {
        tracing::error!(%error, "course completion callback");
        CallbackRefusal::Internal
    }
}

impl From<crate::error::AppError> for CallbackRefusal {
    fn from(_: crate::error::AppError) -> Self {
        CallbackRefusal::Internal
    }
}

fn mac(secret: &[u8], timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"));
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `X-CareConnect-Signature` value for a body sent at `timestamp`, as the learning system
/// computes it.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, &timestamp.to_string(), body)
        .finalize()
        .into_bytes();
    format!("sha256={}", hex::encode(digest))
}

/// Checks the signature (in constant time) and the timestamp's freshness.
pub fn verify(
    secret: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), CallbackRefusal> {
    let timestamp = timestamp.map(str::trim).ok_or(CallbackRefusal::Unsigned)?;
    let sent_at: i64 = timestamp.parse().map_err(|_| CallbackRefusal::Unsigned)?;
    let claimed = signature
        .and_then(|value| value.trim().strip_prefix("sha256="))
        .and_then(|digits| hex::decode(digits).ok())
        .ok_or(CallbackRefusal::Unsigned)?;
    mac(secret, timestamp, body)
        .verify_slice(&claimed)
        .map_err(|_| CallbackRefusal::BadSignature)?;
    if (now - sent_at).abs() > FRESHNESS_SECONDS {
        return Err(CallbackRefusal::Stale);
    }
    Ok(())
}

/// Verifies, then records the completion once; a request seen before is refused.
pub async fn receive(
    state: &AppState,
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
) -> Result<Recorded, CallbackRefusal> {
    let config = &state.config;
    let current = config
        .course_callback_secret
        .as_ref()
        .ok_or(CallbackRefusal::NotConfigured)?;
    let now = Utc::now();
    // While the learning system changes its secret, the one it used before still signs.
    let verified = |secret: &secrecy::SecretString| {
        verify(
            secret.expose_secret().as_bytes(),
            timestamp,
            signature,
            body,
            now.timestamp(),
        )
    };
    match (verified(current), &config.course_callback_previous_secret) {
        (Err(CallbackRefusal::BadSignature), Some(previous)) => verified(previous)?,
        (outcome, _) => outcome?,
    }
    let completion: Completion = serde_json::from_slice(body).map_err(|_| {
        CallbackRefusal::Malformed(
            "the body must be a JSON object with email, completed_on and reference".to_owned(),
        )
    })?;
    let completion = completion.validate().map_err(CallbackRefusal::Malformed)?;
    let mut change = Change::begin(state, Actor::system()).await?;
    callback_receipt::Entity::delete_many()
        .filter(
            callback_receipt::Column::ReceivedAt.lt(now - Duration::seconds(2 * FRESHNESS_SECONDS)),
        )
        .exec(change.db())
        .await?;
    insert_unique(
        change.db(),
        callback_receipt::ActiveModel {
            // The hex digits in one case: the same signature in capitals is the same request.
            signature_hash: Set(hash_token(
                &signature.unwrap_or_default().trim().to_ascii_lowercase(),
            )),
            received_at: Set(now),
        },
        || CallbackRefusal::Replayed,
    )
    .await?;
    let recorded = record(&mut change, &completion, FROM_CALLBACK).await?;
    change.commit().await?;
    Ok(recorded)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"learning-hub-shared-secret";

    #[test]
    fn a_signed_fresh_request_passes_and_any_change_fails() {
        let body = br#"{"email":"a@b.ca","completed_on":"2026-11-01","reference":"LH-1"}"#;
        let now = 1_800_000_000;
        let signed = signature(SECRET, now, body);
        let at = now.to_string();
        assert_eq!(verify(SECRET, Some(&at), Some(&signed), body, now), Ok(()));
        let tampered = br#"{"email":"x@b.ca","completed_on":"2026-11-01","reference":"LH-1"}"#;
        assert_eq!(
            verify(SECRET, Some(&at), Some(&signed), tampered, now),
            Err(CallbackRefusal::BadSignature)
        );
        assert_eq!(
            verify(b"another secret", Some(&at), Some(&signed), body, now),
            Err(CallbackRefusal::BadSignature)
        );
        let later = (now + 1).to_string();
        assert_eq!(
            verify(SECRET, Some(&later), Some(&signed), body, now),
            Err(CallbackRefusal::BadSignature),
            "the timestamp is signed too"
        );
        assert_eq!(
            verify(
                SECRET,
                Some(&at),
                Some(&signed),
                body,
                now + FRESHNESS_SECONDS + 1
            ),
            Err(CallbackRefusal::Stale)
        );
        assert_eq!(
            verify(SECRET, None, Some(&signed), body, now),
            Err(CallbackRefusal::Unsigned)
        );
        assert_eq!(
            verify(SECRET, Some(&at), Some("sha256=zz"), body, now),
            Err(CallbackRefusal::Unsigned)
        );
    }
}
