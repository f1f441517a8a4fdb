//! `GET /staff/audit.csv`: the audit search's events as CSV, for the CareConnect team, streamed a
//! page at a time in constant memory, however many events match.

use crate::router::ServerState;
use app::audit::{search::export_csv, types::AuditQuery};
use app::error::AppError;
use axum::{
    body::Body,
    extract::{Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

pub async fn audit_csv(
    State(state): State<ServerState>,
    session: Session,
    Query(query): Query<AuditQuery>,
) -> Response {
    let account_id = match crate::security::signed_in(&session).await {
        Ok(account_id) => account_id,
        Err(refusal) => return refusal,
    };
    // Who may export and what they asked for are checked before the first byte is sent.
    let export = match export_csv(&state.app.db, account_id, &query).await {
        Ok(export) => export,
        Err(error) => return refused(error),
    };
    let db = state.app.db.clone();
    let parts = futures_util::stream::try_unfold(export, move |mut export| {
        let db = db.clone();
        async move {
            let part = export.next_part(&db).await;
            if let Err(error) = &part {
                // The status line is sent already: the download ends short and the log says why.
                tracing::error!(%error, "the audit export stopped part way");
            }
            Ok::<_, AppError>(part?.map(|part| (part, export)))
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(parts),
    )
        .into_response()
}

fn refused(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let message = match &error {
        AppError::Invalid(fields) => fields
            .0
            .iter()
            .map(|(field, message)| format!("{field}: {message}"))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    };
    (status, message).into_response()
}
