//! Server functions of the worksite pages.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

#[server(prefix = "/api", endpoint = "register_worksite", output = server_fn::codec::Postcard)]
pub async fn register_worksite(form: WorksiteForm) -> Result<RegistrationOutcome, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::register(change, &form).await)
        .await
}

#[server(prefix = "/api", endpoint = "find_worksite", output = server_fn::codec::Postcard)]
pub async fn find_worksite(worksite_id: String) -> Result<WorksiteSummary, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.require_account().await?;
    service::look_up(ctx.db(), &worksite_id).await
}

#[server(prefix = "/api", endpoint = "search_worksites", output = server_fn::codec::Postcard)]
pub async fn search_worksites(query: String) -> Result<Vec<WorksiteSummary>, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.require_account().await?;
    Ok(service::search::search(ctx.db(), &query).await?)
}

#[server(prefix = "/api", endpoint = "my_worksites", output = server_fn::codec::Postcard)]
pub async fn my_worksites() -> Result<Vec<MyWorksite>, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::my_worksites(ctx.db(), account_id).await
}

#[server(prefix = "/api", endpoint = "load_worksite", output = server_fn::codec::Postcard)]
pub async fn load_worksite(code: WorksiteId) -> Result<WorksiteDetails, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::details(ctx.db(), account_id, &code).await
}

#[server(prefix = "/api", endpoint = "update_worksite", output = server_fn::codec::Postcard)]
pub async fn update_worksite(code: WorksiteId, form: WorksiteEditForm) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::update(change, &code, &form).await)
        .await
}

/// Addresses to choose from while registering a worksite.
#[server(prefix = "/api", endpoint = "suggest_addresses", output = server_fn::codec::Postcard)]
pub async fn suggest_addresses(query: String) -> Result<Vec<AddressSuggestion>, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.require_account().await?;
    ctx.state.addresses.suggest(ctx.db(), &query).await
}

/// The CareConnect team's worksite lookup: a Worksite ID, or words of the name and address.
#[server(prefix = "/api", endpoint = "staff_find_worksites", output = server_fn::codec::Postcard)]
pub async fn staff_find_worksites(query: String) -> Result<Vec<WorksiteSummary>, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::staff::lookup(ctx.db(), account_id, &query).await
}

/// One worksite, for the CareConnect team.
#[server(prefix = "/api", endpoint = "load_staff_worksite", output = server_fn::codec::Postcard)]
pub async fn load_staff_worksite(code: WorksiteId) -> Result<StaffWorksite, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::staff::view(ctx.db(), account_id, &code).await
}

/// The CareConnect team changes the address, EMR or clinic type.
#[server(prefix = "/api", endpoint = "update_locked_fields", output = server_fn::codec::Postcard)]
pub async fn update_locked_fields(
    code: WorksiteId,
    form: LockedFieldsForm,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::staff::update_locked(change, &code, &form).await)
        .await
}
