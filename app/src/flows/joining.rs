//! The two ways into a worksite end together: a person who joins by accepting an invitation has
//! their pending request to join closed, and a person whose request is accepted has the
//! invitations to their address closed, in the same change.

use crate::error::AppError;
use crate::invitations::service::{self as invitations, Accepting};
use crate::join_requests::{service as join_requests, types::Decision};
use crate::platform::Change;
use crate::worksites::service::summary_of;
use crate::worksites::types::{WorksiteId, WorksiteSummary};

/// Accepts the invitation (by its emailed link or from the home page).
pub async fn accept_invitation(
    change: &mut Change<'_>,
    which: Accepting<'_>,
) -> Result<WorksiteSummary, AppError> {
    let joined = invitations::accept(change, which).await?;
    join_requests::supersede(change, &joined).await?;
    Ok(summary_of(&joined.worksite))
}

/// "Accept Request" / "Reject Request" on the worksite page.
pub async fn decide_join_request(
    change: &mut Change<'_>,
    code: &WorksiteId,
    request_id: i64,
    decision: Decision,
    reason: &str,
) -> Result<(), AppError> {
    if let Some(joined) = join_requests::decide(change, code, request_id, decision, reason).await? {
        invitations::supersede(change, &joined).await?;
    }
    Ok(())
}

/// The button of the administrators' emailed approval link.
pub async fn approve_by_link(change: &mut Change<'_>, token: &str) -> Result<(), AppError> {
    if let Some(joined) = join_requests::approve_by_link(change, token).await? {
        invitations::supersede(change, &joined).await?;
    }
    Ok(())
}
