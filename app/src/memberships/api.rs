//! Server functions of the member lists.

use super::types::{MemberChange, MemberCursor, MemberPage, MembershipId};
use crate::error::AppError;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

#[server(prefix = "/api", endpoint = "worksite_members", output = server_fn::codec::Postcard)]
pub async fn worksite_members(
    code: WorksiteId,
    active: bool,
    search: String,
    cursor: MemberCursor,
) -> Result<MemberPage, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::list(ctx.db(), account_id, &code, active, &search, cursor).await
}

#[server(prefix = "/api", endpoint = "change_member", output = server_fn::codec::Postcard)]
pub async fn change_member(
    code: WorksiteId,
    membership_id: MembershipId,
    change: MemberChange,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |unit| {
        crate::flows::members::change_member(unit, &code, membership_id.get(), change).await
    })
    .await
}

/// "Leave Worksite": the signed-in member leaves the worksite.
#[server(prefix = "/api", endpoint = "leave_worksite", output = server_fn::codec::Postcard)]
pub async fn leave_worksite(code: WorksiteId) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |unit| crate::flows::members::leave(unit, &code).await)
        .await
}
