//! Server functions of invitations.

use super::types::*;
use crate::error::AppError;
use crate::paging::NumberedPage;
use crate::worksites::types::WorksiteId;
use crate::worksites::types::WorksiteSummary;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::service::{self, Accepting},
    crate::flows::joining,
    crate::platform::RequestContext,
};

/// "Invite User"; answers with the address the invitation went to.
#[server(prefix = "/api", endpoint = "invite_member", output = server_fn::codec::Postcard)]
pub async fn invite_member(code: WorksiteId, email: String) -> Result<String, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::invite(change, &code, &email).await)
        .await
}

#[server(prefix = "/api", endpoint = "awaiting_invitations", output = server_fn::codec::Postcard)]
pub async fn awaiting_invitations(
    code: WorksiteId,
    page: u64,
) -> Result<NumberedPage<AwaitingInvitation>, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::awaiting(ctx.db(), account_id, &code, page).await
}

#[server(prefix = "/api", endpoint = "resend_invitation", output = server_fn::codec::Postcard)]
pub async fn resend_invitation(
    code: WorksiteId,
    invitation_id: InvitationId,
    emails_sent: i32,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::resend(change, &code, invitation_id.get(), emails_sent).await)
        .await
}

#[server(prefix = "/api", endpoint = "revoke_invitation", output = server_fn::codec::Postcard)]
pub async fn revoke_invitation(
    code: WorksiteId,
    invitation_id: InvitationId,
) -> Result<(), AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| service::revoke(change, &code, invitation_id.get()).await)
        .await
}

/// What the emailed link shows; changes nothing.
#[server(prefix = "/api", endpoint = "invitation_standing", output = server_fn::codec::Postcard)]
pub async fn load_invitation_standing(token: String) -> Result<InvitationStanding, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.account_id().await?;
    service::standing(ctx.db(), account_id, &token).await
}

#[server(prefix = "/api", endpoint = "accept_invitation", output = server_fn::codec::Postcard)]
pub async fn accept_invitation(token: String) -> Result<WorksiteSummary, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| joining::accept_invitation(change, Accepting::Token(&token)).await)
        .await
}

/// The invitations waiting for the signed-in person's verified address.
#[server(prefix = "/api", endpoint = "my_invitations", output = server_fn::codec::Postcard)]
pub async fn my_invitations() -> Result<Vec<InvitationView>, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::for_invitee(ctx.db(), account_id).await
}

#[server(prefix = "/api", endpoint = "accept_my_invitation", output = server_fn::codec::Postcard)]
pub async fn accept_my_invitation(
    invitation_id: InvitationId,
) -> Result<WorksiteSummary, AppError> {
    let ctx = RequestContext::load().await?;
    ctx.write(async |change| {
        joining::accept_invitation(change, Accepting::Id(invitation_id.get())).await
    })
    .await
}
