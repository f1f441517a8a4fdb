//! `POST /integrations/course-completions`: the learning system reports a Privacy & Security
//! course completion (signed; see `app::privacy::callback` and the README).

use crate::router::ServerState;
use app::privacy::{callback, service::Recorded};
use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

pub async fn course_completion(
    State(state): State<ServerState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    match callback::receive(
        &state.app,
        header(callback::TIMESTAMP_HEADER),
        header(callback::SIGNATURE_HEADER),
        &body,
    )
    .await
    {
        Ok(Recorded::New) => {
            (StatusCode::CREATED, Json(json!({ "recorded": true }))).into_response()
        }
        Ok(Recorded::AlreadyRecorded) => (
            StatusCode::OK,
            Json(json!({ "recorded": false, "reason": "already recorded" })),
        )
            .into_response(),
        Err(refusal) => {
            tracing::warn!(%refusal, "course completion callback refused");
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, Json(json!({ "error": refusal.to_string() }))).into_response()
        }
    }
}
