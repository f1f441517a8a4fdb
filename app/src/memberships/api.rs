//! Server functions of the member lists.

use super::types::{MemberChange, MemberCursor, MemberPage};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

#[server(prefix = "/api", endpoint = "worksite_members", output = server_fn::codec::Postcard)]
pub async fn worksite_members(
    code: String,
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
    code: String,
    membership_id: i64,
    change: MemberChange,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |unit| {
        crate::flows::members::change_member(unit, &code, membership_id, change).await
    })
    .await
}
