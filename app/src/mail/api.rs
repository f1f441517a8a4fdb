//! Server functions of the email delivery log.

use super::types::{DeliveryQuery, DeliveryRow, EmailId};
use crate::error::AppError;
use crate::paging::NumberedPage;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::log, crate::platform::RequestContext};

/// The CareConnect team's email delivery log.
#[server(prefix = "/api", endpoint = "email_delivery_log", output = server_fn::codec::Postcard)]
pub async fn email_delivery_log(
    query: DeliveryQuery,
) -> Result<NumberedPage<DeliveryRow>, AppError> {
    let ctx = RequestContext::load().await?;
    let viewer = ctx.require_account().await?;
    log::search(ctx.db(), viewer, &query).await
}

/// "Resend" a failed email.
#[server(prefix = "/api", endpoint = "resend_email", output = server_fn::codec::Postcard)]
pub async fn resend_email(id: EmailId) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| log::resend(change, id.get()).await)
        .await
}
