use crate::paging::NumberedPage;
use crate::status::status_enum;
use crate::worksites::types::WorksiteId;
use crate::worksites::types::WorksiteSummary;
use serde::{Deserialize, Serialize};

crate::ids::row_id! {
    /// A request to join a worksite.
    pub struct JoinRequestId;
}

status_enum! {
    /// Where a join request stands: pending until an administrator decides it, the person
    /// withdraws it, or the person joins by accepting an invitation (superseded); every other
    /// status is final.
    pub enum JoinRequestStatus {
        Pending,
        Approved,
        Rejected,
        Withdrawn,
        Superseded,
    }
}

impl JoinRequestStatus {
    pub fn can_become(self, next: Self) -> bool {
        self == JoinRequestStatus::Pending && next != JoinRequestStatus::Pending
    }

    /// The status an administrator's decision gives a pending request.
    pub fn decided(decision: Decision) -> Self {
        match decision {
            Decision::Accept => JoinRequestStatus::Approved,
            Decision::Reject => JoinRequestStatus::Rejected,
        }
    }
}

/// The longest comment a request may carry.
pub const COMMENT_MAX: usize = 1000;

/// The "Worksite Access Form".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestForm {
    pub code: WorksiteId,
    #[serde(default)]
    pub comment: String,
}

/// A request waiting for the worksite's administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRequest {
    pub id: JoinRequestId,
    pub name: String,
    pub email: String,
    pub profession: String,
    pub comment: Option<String>,
    pub requested: String,
}

/// Requests shown per page of "Users Requesting Access".
pub const REQUESTS_PER_PAGE: u64 = 10;

/// One page of "Users Requesting Access", oldest first.
pub type WaitingPage = NumberedPage<WaitingRequest>;

/// A request the person made, as their Worksite Access page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequest {
    pub id: i64,
    pub worksite: WorksiteSummary,
    pub requested: String,
}

/// What the "Click Here to approve" link shows before anything changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalPreview {
    pub request: WaitingRequest,
    pub worksite: WorksiteSummary,
    /// `None` while pending; otherwise what became of it.
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Accept,
    Reject,
}

impl Decision {
    pub fn label(self) -> &'static str {
        match self {
            Decision::Accept => "Accept Request",
            Decision::Reject => "Reject Request",
        }
    }

    pub fn confirmation(self, name: &str, worksite: &str) -> String {
        match self {
            Decision::Accept => format!("ACCEPT {name}'s request to join {worksite}. {name} becomes an active member of the worksite."),
            Decision::Reject => format!("REJECT {name}'s request to join {worksite}. {name} is told by email that the request was not approved."),
        }
    }

    pub fn done(self, name: &str) -> String {
        match self {
            Decision::Accept => format!("{name} is now a member of this worksite."),
            Decision::Reject => format!("{name}'s request was rejected."),
        }
    }
}

#[cfg(test)]
mod status_tests {
    use super::*;

    #[test]
    fn a_request_is_decided_or_withdrawn_once_from_pending() {
        use JoinRequestStatus::*;
        for next in [Approved, Rejected, Withdrawn, Superseded] {
            assert!(Pending.can_become(next));
            for done in [Approved, Rejected, Withdrawn, Superseded] {
                assert!(!done.can_become(next), "{done:?} -> {next:?}");
            }
        }
        assert!(!Pending.can_become(Pending));
        assert_eq!(JoinRequestStatus::decided(Decision::Accept), Approved);
        assert_eq!(JoinRequestStatus::decided(Decision::Reject), Rejected);
    }
}
