//! `GET /events`: the server-sent event stream that tells a signed-in person's open pages that
//! something of theirs changed (a join request, a decision, a notification). The events say
//! nothing more: the page asks its server functions again, which check access as always.

use crate::router::ServerState;
use app::notifications::live::LiveEvent;
use axum::{
    extract::State,
    http::{HeaderName, HeaderValue},
    response::{
        sse::{Event, KeepAlive, Sse},
        IntoResponse, Response,
    },
};
use futures_util::{stream, StreamExt};
use std::{convert::Infallible, time::Duration};
use tokio::sync::broadcast::error::RecvError;
use tower_sessions::Session;

/// How long a browser waits before it reconnects a lost stream.
const RECONNECT_AFTER: Duration = Duration::from_secs(3);

pub async fn events(State(state): State<ServerState>, session: Session) -> Response {
    let account_id = match crate::security::signed_in(&session).await {
        Ok(account_id) => account_id,
        Err(refusal) => return refusal,
    };
    let receiver = state.app.live.subscribe();
    // The first event says how soon to reconnect; it also makes a proxy that holds a response
    // until its body starts (nginx over HTTP/2 does) pass the stream's headers on at once, so
    // the page knows it is connected.
    let opening =
        stream::once(async { Ok::<_, Infallible>(Event::default().retry(RECONNECT_AFTER)) });
    let changes = stream::unfold(receiver, move |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(LiveEvent::Changed(account)) if account == account_id => break,
                Ok(LiveEvent::Changed(_)) => continue,
                Ok(LiveEvent::Everyone) => break,
                // Missed some: tell the page to look again rather than guess.
                Err(RecvError::Lagged(_)) => break,
                Ok(LiveEvent::Closing) | Err(RecvError::Closed) => return None,
            }
        }
        // Browsers drop events without data, so each carries a token one.
        Some((
            Ok::<_, Infallible>(Event::default().event("changed").data("1")),
            receiver,
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
