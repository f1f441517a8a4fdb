use crate::status::status_enum;
use crate::worksites::types::WorksiteSummary;
use serde::{Deserialize, Serialize};

crate::ids::row_id! {
    /// An invitation to join a worksite.
    pub struct InvitationId;
}

status_enum! {
    /// Where an invitation stands: pending (its link works until it expires) until it is accepted,
    /// revoked, or superseded (the person joined when their own request was approved). An
    /// expired invitation is still pending: "Resend" gives it a new link and expiry.
    pub enum InvitationStatus {
        Pending,
        Accepted,
        Revoked,
        Superseded,
    }
}

impl InvitationStatus {
    pub fn can_become(self, next: Self) -> bool {
        self == InvitationStatus::Pending && next != InvitationStatus::Pending
    }
}

/// Invitations shown per page of "Invites Awaiting Response".
pub const INVITATIONS_PER_PAGE: u64 = 10;

/// A row of "Invites Awaiting Response".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwaitingInvitation {
    pub id: i64,
    pub email: String,
    pub invited_on: String,
    pub emails_sent: i32,
    pub expires: String,
    pub expired: bool,
    /// How the latest email about it fared.
    pub delivery: Option<crate::mail::types::DeliveryStanding>,
}

/// An invitation as the person invited sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: i64,
    pub worksite: WorksiteSummary,
    pub inviter: String,
    pub email: String,
    pub expires: String,
}

/// Where the emailed link stands for whoever opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStanding {
    /// The signed-in person may accept it.
    Open(InvitationView),
    /// Nobody is signed in: sign in, or register with the invited address.
    SignInFirst(InvitationView),
    /// It cannot be accepted, for this reason.
    Closed(String),
}

#[cfg(test)]
mod status_tests {
    use super::*;

    #[test]
    fn an_invitation_is_accepted_revoked_or_superseded_once() {
        use InvitationStatus::*;
        for next in [Accepted, Revoked, Superseded] {
            assert!(Pending.can_become(next));
        }
        for done in [Accepted, Revoked, Superseded] {
            for next in [Pending, Accepted, Revoked, Superseded] {
                assert!(!done.can_become(next), "{done:?} -> {next:?}");
            }
        }
    }
}
