//! `GET /hpcaa/signed.pdf`: the signed-in person's signed HPCAA as a PDF.

use crate::router::ServerState;
use app::privacy::{hpcaa::signature_of, pdf::signed_agreement};
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use tower_sessions::Session;

pub async fn signed_pdf(State(state): State<ServerState>, session: Session) -> Response {
    let account_id = match crate::security::signed_in(&session).await {
        Ok(account_id) => account_id,
        Err(refusal) => return refusal,
    };
    let signature = match signature_of(&state.app.db, account_id).await {
        Ok(Some(signature)) => signature,
        Ok(None) => {
            return (StatusCode::NOT_FOUND, "You have not signed the HPCAA.").into_response()
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match signed_agreement(&signature) {
        Ok(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"HPCAA-signed.pdf\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            pdf,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "could not make the signed HPCAA's PDF");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
