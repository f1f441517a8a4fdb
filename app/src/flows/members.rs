//! An administrator's change to a member, with what a membership set inactive ends in the
//! concepts built on it.

use crate::access::service::end_current;
use crate::error::AppError;
use crate::invitations::service::revoke_sent_by;
use crate::memberships::{service as memberships, types::MemberChange};
use crate::platform::Change;
use crate::sponsorships::service::{end_automatically, Ending};
use crate::worksites::types::WorksiteId;

/// "Promote To Admin", "Remove Admin", "Set Member Inactive", "Set Member Active". A member set
/// inactive loses CareConnect access from the worksite and the sponsorships there, and the
/// invitations they sent no longer speak for the worksite: all in the same change.
pub async fn change_member(
    change: &mut Change<'_>,
    code: &WorksiteId,
    membership_id: i64,
    kind: MemberChange,
) -> Result<(), AppError> {
    let changed = memberships::change(change, code, membership_id, kind).await?;
    if kind == MemberChange::SetInactive {
        let (worksite, account_id) = (&changed.worksite, changed.account_id);
        end_current(change.db(), worksite.id, account_id, "membership_inactive").await?;
        end_automatically(
            change,
            Ending::Member {
                worksite_id: worksite.id,
                account_id,
            },
        )
        .await?;
        revoke_sent_by(change, worksite, account_id).await?;
    }
    Ok(())
}
