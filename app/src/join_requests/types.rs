use crate::worksites::types::WorksiteSummary;
use serde::{Deserialize, Serialize};

/// The longest comment a request may carry.
pub const COMMENT_MAX: usize = 1000;

/// The "Worksite Access Form".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessRequestForm {
    pub code: String,
    #[serde(default)]
    pub comment: String,
}

/// A request waiting for the worksite's administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRequest {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub profession: String,
    pub comment: Option<String>,
    pub requested: String,
}

/// Requests shown per page of "Users Requesting Access".
pub const REQUESTS_PER_PAGE: u64 = 10;

/// One page of "Users Requesting Access", oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingPage {
    pub requests: Vec<WaitingRequest>,
    /// Every pending request of the worksite.
    pub total: u64,
    /// Zero-based; the last page when the one asked for is past the end (its last request was
    /// just decided).
    pub page: u64,
}

impl WaitingPage {
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(REQUESTS_PER_PAGE).max(1)
    }

    pub fn has_previous(&self) -> bool {
        self.page > 0
    }

    pub fn has_next(&self) -> bool {
        self.page + 1 < self.page_count()
    }

    /// "Page 2 of 3 (23 people waiting)".
    pub fn position(&self) -> String {
        let people = match self.total {
            1 => "1 person waiting".to_owned(),
            total => format!("{total} people waiting"),
        };
        format!("Page {} of {} ({people})", self.page + 1, self.page_count())
    }
}

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
