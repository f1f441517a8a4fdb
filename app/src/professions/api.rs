use super::types::Profession;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_professions")]
pub async fn list_professions() -> Result<Vec<Profession>, AppError> {
    let state = use_context::<crate::platform::AppState>().ok_or(AppError::Internal)?;
    Ok(super::service::list(&state.db).await?)
}
