//! `GET /staff/audit.csv`: the audit search's events as CSV, for the CareConnect team.

use crate::router::ServerState;
use app::audit::{search::export_csv, types::AuditQuery};
use app::error::AppError;
use axum::{
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
    match export_csv(&state.app.db, account_id, &query).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"audit-log.csv\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            csv,
        )
            .into_response(),
        Err(error) => {
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
    }
}
