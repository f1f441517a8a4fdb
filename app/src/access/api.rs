//! Server functions of CareConnect access.

use super::types::AccessOverview;
use crate::error::AppError;
use crate::sponsorships::types::SponsorshipId;
use crate::worksites::types::WorksiteId;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

/// The signed-in person's CareConnect access, or the Authorizers they see it through.
#[server(prefix = "/api", endpoint = "my_careconnect_access", output = server_fn::codec::Postcard)]
pub async fn my_careconnect_access() -> Result<AccessOverview, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::overview(ctx.db(), account_id).await
}

/// "Open CareConnect", as oneself or on behalf of the Authorizer of `sponsorship_id`; answers
/// with the viewer's address.
#[server(prefix = "/api", endpoint = "open_careconnect", output = server_fn::codec::Postcard)]
pub async fn open_careconnect(
    code: WorksiteId,
    sponsorship_id: Option<SponsorshipId>,
) -> Result<String, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| {
        service::open(change, &code, sponsorship_id.map(SponsorshipId::get)).await
    })
    .await
}
