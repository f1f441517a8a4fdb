//! `GET /events`: the server-sent event stream that tells a signed-in person's open pages that
//! something of theirs changed (a join request, a decision, a notification). The events say
//! nothing more: the page asks its server functions again, which check access as always. A
//! stream lasts as long as its session: it ends at sign-out, when the session expires or is
//! ended (a password change, a disabled account), and when the server stops.

use crate::router::ServerState;
use app::notifications::live::{LiveStream, TooManyStreams};
use app::platform::{session_store, sessions};
use axum::{
    extract::State,
    http::{HeaderName, HeaderValue, StatusCode},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use chrono::{DateTime, Utc};
use futures_util::{stream, StreamExt};
use sea_orm::DatabaseConnection;
use std::{convert::Infallible, time::Duration};
use tower_sessions::Session;

/// How long a browser waits before it reconnects a lost stream.
const RECONNECT_AFTER: Duration = Duration::from_secs(3);

pub async fn events(State(state): State<ServerState>, session: Session) -> Response {
    let account_id = match crate::security::signed_in(&session).await {
        Ok(account_id) => account_id,
        Err(refusal) => return refusal,
    };
    let Some(key) = sessions::key_of(&session) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let live = match state.app.live.open(account_id) {
        Ok(live) => live,
        Err(too_many) => {
            tracing::warn!(account_id, ?too_many, "live-update stream refused");
            // The page works on without live updates (a browser does not retry a 429).
            return (
                StatusCode::TOO_MANY_REQUESTS,
                match too_many {
                    TooManyStreams::ForAccount => "Too many open pages for this account.",
                    TooManyStreams::ForServer => "This server has too many open pages.",
                },
            )
                .into_response();
        }
    };
    let watch = Watch {
        live,
        db: state.app.db.clone(),
        key,
        look_again_at: Utc::now(),
    };
    // The first event says how soon to reconnect; it also makes a proxy that holds a response
    // until its body starts (nginx over HTTP/2 does) pass the stream's headers on at once, so
    // the page knows it is connected.
    let opening =
        stream::once(async { Ok::<_, Infallible>(Event::default().retry(RECONNECT_AFTER)) });
    let changes = stream::unfold(watch, |mut watch| async move {
        watch.next_change().await?;
        // Browsers drop events without data, so each carries a token one.
        Some((
            Ok::<_, Infallible>(Event::default().event("changed").data("1")),
            watch,
        ))
    });
    let mut response = Sse::new(opening.chain(changes))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response();
    // A buffering reverse proxy (nginx by default) would hold the events back until its buffer
    // fills: this header asks it to pass them on at once.
    response.headers_mut().insert(
        HeaderName::from_static("x-accel-buffering"),
        HeaderValue::from_static("no"),
    );
    response
}

/// A stream and the session it lives by.
struct Watch {
    live: LiveStream,
    db: DatabaseConnection,
    /// The session's store key.
    key: String,
    /// When to look whether the session still lasts (its expiry, as last read).
    look_again_at: DateTime<Utc>,
}

impl Watch {
    /// Waits for the next change of the account while its session lasts; `None` ends the stream.
    async fn next_change(&mut self) -> Option<()> {
        loop {
            let wait = (self.look_again_at - Utc::now())
                .to_std()
                .unwrap_or(Duration::ZERO);
            tokio::select! {
                changed = self.live.changed() => {
                    if !changed {
                        return None;
                    }
                    // Sign-out and ended sessions are announced too: look whether it was this one.
                    self.session_lasts().await?;
                    return Some(());
                }
                _ = tokio::time::sleep(wait) => self.session_lasts().await?,
            }
        }
    }

    /// Reads the session's expiry; `None` once it has ended.
    async fn session_lasts(&mut self) -> Option<()> {
        match session_store::session_ends(&self.db, &self.key, self.live.account()).await {
            Ok(Some(ends)) => {
                self.look_again_at = ends;
                Some(())
            }
            Ok(None) => None,
            Err(error) => {
                // The page reconnects and is checked afresh.
                tracing::warn!(%error, "live-update stream could not read its session");
                None
            }
        }
    }
}
