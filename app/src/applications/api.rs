//! Server functions of CareConnect applications.

use super::types::*;
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

/// The "CareConnect" module of "View Application".
#[server(prefix = "/api", endpoint = "load_my_applications", output = server_fn::codec::Postcard)]
pub async fn load_my_applications() -> Result<MyApplications, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::mine(ctx.db(), account_id).await
}

/// "Submit" on the CareConnect Enrolment Form; `resubmit` names a returned application.
#[server(prefix = "/api", endpoint = "submit_application", output = server_fn::codec::Postcard)]
pub async fn submit_application(
    form: EnrolmentForm,
    resubmit: Option<i64>,
) -> Result<String, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::submit(change, &form, resubmit).await)
        .await
}

/// The CareConnect team's application queue.
#[server(prefix = "/api", endpoint = "application_queue", output = server_fn::codec::Postcard)]
pub async fn application_queue(filter: QueueFilter) -> Result<QueuePage, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::queue(ctx.db(), account_id, &filter).await
}

/// One application with its applicant's checklist, for the CareConnect team.
#[server(prefix = "/api", endpoint = "load_application_detail", output = server_fn::codec::Postcard)]
pub async fn load_application_detail(id: ApplicationId) -> Result<ApplicationDetail, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::detail(ctx.db(), account_id, id.get()).await
}

/// A staff decision on an application as it stood when they saw it (`seen`); `message` is the
/// denial's reason or what is needed.
#[server(prefix = "/api", endpoint = "decide_application", output = server_fn::codec::Postcard)]
pub async fn decide_application(
    id: ApplicationId,
    decision: Decision,
    seen: ApplicationStatus,
    message: String,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::decide(change, id.get(), decision, seen, &message).await)
        .await
}
