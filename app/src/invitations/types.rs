use crate::worksites::types::WorksiteSummary;
use serde::{Deserialize, Serialize};

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
