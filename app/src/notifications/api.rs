//! Server functions of notifications.

use super::types::{Attention, NotificationItem};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

/// What needs the signed-in person's attention (nothing for a visitor).
#[server(prefix = "/api", endpoint = "attention", output = server_fn::codec::Postcard)]
pub async fn load_attention() -> Result<Attention, AppError> {
    let ctx = RequestContext::load().await?;
    match ctx.account_id().await? {
        Some(account_id) => Ok(crate::flows::attention::attention(ctx.db(), account_id).await?),
        None => Ok(Attention::default()),
    }
}

#[server(prefix = "/api", endpoint = "notifications", output = server_fn::codec::Postcard)]
pub async fn my_notifications() -> Result<Vec<NotificationItem>, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    Ok(service::list(ctx.db(), account_id).await?)
}

#[server(prefix = "/api", endpoint = "mark_notifications_read", output = server_fn::codec::Postcard)]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(service::mark_all_read).await
}
