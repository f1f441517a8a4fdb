//! Server functions of join requests.

use super::types::*;
use crate::error::AppError;
use crate::worksites::types::WorksiteId;
use crate::worksites::types::WorksiteSummary;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::flows::joining, crate::platform::RequestContext};

/// "Request Access" on the Worksite Access Form.
#[server(prefix = "/api", endpoint = "request_access", output = server_fn::codec::Postcard)]
pub async fn request_access(form: AccessRequestForm) -> Result<WorksiteSummary, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::request(change, &form).await)
        .await
}

#[server(prefix = "/api", endpoint = "my_join_requests", output = server_fn::codec::Postcard)]
pub async fn my_join_requests() -> Result<Vec<MyRequest>, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::mine(ctx.db(), account_id).await
}

#[server(prefix = "/api", endpoint = "withdraw_join_request", output = server_fn::codec::Postcard)]
pub async fn withdraw_join_request(request_id: JoinRequestId) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::withdraw(change, request_id.get()).await)
        .await
}

/// A page (zero-based) of "Users Requesting Access" of a worksite; administrators only.
#[server(prefix = "/api", endpoint = "waiting_join_requests", output = server_fn::codec::Postcard)]
pub async fn waiting_join_requests(code: WorksiteId, page: u64) -> Result<WaitingPage, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::waiting(ctx.db(), account_id, &code, page).await
}

#[server(prefix = "/api", endpoint = "decide_join_request", output = server_fn::codec::Postcard)]
pub async fn decide_join_request(
    code: WorksiteId,
    request_id: JoinRequestId,
    decision: Decision,
    reason: Option<String>,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| {
        let reason = reason.as_deref().unwrap_or_default();
        joining::decide_join_request(change, &code, request_id.get(), decision, reason).await
    })
    .await
}

/// What the emailed approval link is about; changes nothing.
#[server(prefix = "/api", endpoint = "approval_preview", output = server_fn::codec::Postcard)]
pub async fn load_approval_preview(token: String) -> Result<ApprovalPreview, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::preview(ctx.db(), account_id, &token).await
}

#[server(prefix = "/api", endpoint = "approve_by_link", output = server_fn::codec::Postcard)]
pub async fn approve_by_link(token: String) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| joining::approve_by_link(change, &token).await)
        .await
}
