//! Server functions of sponsorships: each authenticates, then the service authorizes.

use super::types::*;
use crate::error::AppError;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

/// The viewer's own sponsorships at the worksite.
#[server(prefix = "/api", endpoint = "load_sponsorships", output = server_fn::codec::Postcard)]
pub async fn load_sponsorships(code: WorksiteId) -> Result<SponsorshipsView, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::view(ctx.db(), account_id, &code).await
}

/// An On-Behalf-Of user asks an Authorizer of the worksite for sponsorship.
#[server(prefix = "/api", endpoint = "request_sponsorship", output = server_fn::codec::Postcard)]
pub async fn request_sponsorship(
    code: WorksiteId,
    membership_id: String,
) -> Result<String, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| {
        let membership_id = chosen_member(&membership_id, "an Authorizer")?;
        service::request(change, &code, membership_id).await
    })
    .await
}

/// An Authorizer sponsors an On-Behalf-Of member of the worksite directly.
#[server(prefix = "/api", endpoint = "authorize_on_behalf_of_user", output = server_fn::codec::Postcard)]
pub async fn authorize_on_behalf_of_user(
    code: WorksiteId,
    membership_id: String,
    last_day: Option<String>,
) -> Result<String, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| {
        let membership_id = chosen_member(&membership_id, "an On-Behalf-Of user")?;
        let last_day = last_day.as_deref().unwrap_or_default();
        service::authorize(change, &code, membership_id, last_day).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "change_sponsorship", output = server_fn::codec::Postcard)]
pub async fn change_sponsorship(
    code: WorksiteId,
    sponsorship_id: SponsorshipId,
    change: SponsorshipChange,
    reason: Option<String>,
    last_day: Option<String>,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |unit| {
        let (reason, last_day) = (
            reason.as_deref().unwrap_or_default(),
            last_day.as_deref().unwrap_or_default(),
        );
        service::change(unit, &code, sponsorship_id.get(), change, reason, last_day).await
    })
    .await
}

/// "Set Last Day": the Authorizer sets, changes or removes (empty) an active sponsorship's last
/// day.
#[server(prefix = "/api", endpoint = "set_sponsorship_last_day", output = server_fn::codec::Postcard)]
pub async fn set_sponsorship_last_day(
    code: WorksiteId,
    sponsorship_id: SponsorshipId,
    last_day: String,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |unit| {
        service::set_last_day(unit, &code, sponsorship_id.get(), &last_day).await
    })
    .await
}
