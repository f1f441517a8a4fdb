use super::types::Profession;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "list_professions", output = server_fn::codec::Postcard)]
pub async fn list_professions() -> Result<Vec<Profession>, AppError> {
    let state = use_context::<crate::platform::AppState>().ok_or(AppError::Internal)?;
    Ok(super::service::list(&state.db).await?)
}

/// The CareConnect team adds or changes a profession.
#[server(prefix = "/api", endpoint = "save_profession", output = server_fn::codec::Postcard)]
pub async fn save_profession(form: super::types::ProfessionForm) -> Result<Profession, AppError> {
    let ctx = crate::platform::RequestContext::load().await?;
    ctx.write(async |change| crate::flows::professions::save_profession(change, &form).await)
        .await
}
