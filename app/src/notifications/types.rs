use crate::worksites::types::WorksiteId;
use serde::{Deserialize, Serialize};

/// What a notification is about; stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    JoinRequested,
    JoinApproved,
    JoinRejected,
    InvitationAccepted,
    MembershipChanged,
    SponsorshipRequested,
    SponsorshipDecided,
    SponsorshipEnded,
    AccessChanged,
    CourseCompleted,
    ApplicationChanged,
}

impl NotificationKind {
    pub fn code(self) -> &'static str {
        match self {
            NotificationKind::JoinRequested => "join_requested",
            NotificationKind::JoinApproved => "join_approved",
            NotificationKind::JoinRejected => "join_rejected",
            NotificationKind::InvitationAccepted => "invitation_accepted",
            NotificationKind::MembershipChanged => "membership_changed",
            NotificationKind::SponsorshipRequested => "sponsorship_requested",
            NotificationKind::SponsorshipDecided => "sponsorship_decided",
            NotificationKind::SponsorshipEnded => "sponsorship_ended",
            NotificationKind::AccessChanged => "access_changed",
            NotificationKind::CourseCompleted => "course_completed",
            NotificationKind::ApplicationChanged => "application_changed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub text: String,
    pub link: String,
    /// When it was created, in British Columbia's time.
    pub created: String,
    pub unread: bool,
}

/// A worksite of which the viewer is an administrator, with people waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingRequests {
    pub code: WorksiteId,
    pub name: String,
    pub count: u64,
}

/// What needs the signed-in person's attention: drives the header's counter and the popup.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    pub unread_notifications: u64,
    pub waiting_requests: Vec<WaitingRequests>,
    /// Worksites where On-Behalf-Of users wait for the person (an Authorizer) to sponsor them.
    pub sponsorship_requests: Vec<WaitingRequests>,
}

impl Attention {
    /// Where "Manage Requests" leads: straight to the worksite (or its Sponsorships tab) when only
    /// one has requests.
    pub fn manage_requests_href(&self) -> Option<String> {
        match (
            self.waiting_requests.as_slice(),
            self.sponsorship_requests.as_slice(),
        ) {
            ([], []) => None,
            ([only], []) => Some(format!("/worksites/{}#requests", only.code)),
            ([], [only]) => Some(format!("/worksites/{}/sponsorships", only.code)),
            _ => Some("/worksites".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(code: &str) -> WaitingRequests {
        WaitingRequests {
            code: WorksiteId::parse(code).unwrap(),
            name: "Clinic".to_owned(),
            count: 1,
        }
    }

    #[test]
    fn manage_requests_leads_to_the_one_worksite_or_the_list() {
        let mut attention = Attention::default();
        assert_eq!(attention.manage_requests_href(), None);
        attention.waiting_requests.push(waiting("K6MR8QY"));
        assert_eq!(
            attention.manage_requests_href().as_deref(),
            Some("/worksites/K6MR8QY#requests")
        );
        attention.waiting_requests.push(waiting("DHE1Y4N"));
        assert_eq!(
            attention.manage_requests_href().as_deref(),
            Some("/worksites")
        );
    }

    #[test]
    fn sponsorship_requests_lead_to_the_sponsorships_tab() {
        let mut attention = Attention::default();
        attention.sponsorship_requests.push(waiting("K6MR8QY"));
        assert_eq!(
            attention.manage_requests_href().as_deref(),
            Some("/worksites/K6MR8QY/sponsorships")
        );
        attention.waiting_requests.push(waiting("K6MR8QY"));
        assert_eq!(
            attention.manage_requests_href().as_deref(),
            Some("/worksites")
        );
    }
}
