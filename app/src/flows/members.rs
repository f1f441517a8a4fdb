//! A membership that ends — an administrator sets a member inactive, or the member leaves — with
//! what it ends in the concepts built on it.

use crate::access::service::end_current;
use crate::error::AppError;
use crate::invitations::service::revoke_sent_by;
use crate::memberships::{
    service::{self as memberships, MemberChanged},
    types::MemberChange,
};
use crate::platform::Change;
use crate::sponsorships::service::{end_automatically, Ending};
use crate::worksites::types::WorksiteId;

/// "Promote To Admin", "Remove Admin", "Set Member Inactive", "Set Member Active". A member set
/// inactive loses what the membership carried (see [`end_what_it_carried`]), in the same change.
pub async fn change_member(
    change: &mut Change<'_>,
    code: &WorksiteId,
    membership_id: i64,
    kind: MemberChange,
) -> Result<(), AppError> {
    let changed = memberships::change(change, code, membership_id, kind).await?;
    if kind == MemberChange::SetInactive {
        end_what_it_carried(change, &changed).await?;
    }
    Ok(())
}

/// "Leave Worksite": the signed-in member leaves, with the same consequences as being set
/// inactive.
pub async fn leave(change: &mut Change<'_>, code: &WorksiteId) -> Result<(), AppError> {
    let left = memberships::leave(change, code).await?;
    end_what_it_carried(change, &left).await
}

/// A membership no longer active ends CareConnect access from the worksite and the sponsorships
/// there, and the invitations the member sent no longer speak for the worksite.
async fn end_what_it_carried(
    change: &mut Change<'_>,
    ended: &MemberChanged,
) -> Result<(), AppError> {
    let (worksite, account_id) = (&ended.worksite, ended.account_id);
    end_current(change.db(), worksite.id, account_id, "membership_inactive").await?;
    end_automatically(
        change,
        Ending::Member {
            worksite_id: worksite.id,
            account_id,
        },
    )
    .await?;
    revoke_sent_by(change, worksite, account_id).await
}
