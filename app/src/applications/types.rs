//! CareConnect applications as browser and server share them.

use crate::status::status_enum;
use crate::worksites::types::{WorksiteSummary, WorksiteType};
use serde::{Deserialize, Serialize};

crate::ids::row_id! {
    /// An application for CareConnect access.
    pub struct ApplicationId;
}

status_enum! {
    /// Where an application stands. Serde and the database name it by its `code`, as the staff's
    /// forms send it.
    pub enum ApplicationStatus {
        Submitted,
        InReview,
        Approved,
        Denied,
        Returned,
    }
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 5] = [
        ApplicationStatus::Submitted,
        ApplicationStatus::InReview,
        ApplicationStatus::Returned,
        ApplicationStatus::Approved,
        ApplicationStatus::Denied,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::InReview => "in_review",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Denied => "denied",
            ApplicationStatus::Returned => "returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "Submitted, pending approval",
            ApplicationStatus::InReview => "In review",
            ApplicationStatus::Approved => "Approved",
            ApplicationStatus::Denied => "Denied",
            ApplicationStatus::Returned => "Returned for information",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.code() == code)
    }

    /// Submitted (again) by the applicant, decided by the CareConnect team, or returned to the
    /// applicant for information, who resubmits it.
    pub fn can_become(self, next: Self) -> bool {
        use ApplicationStatus::*;
        matches!(
            (self, next),
            (Submitted, InReview | Approved | Denied | Returned)
                | (InReview, Approved | Denied | Returned)
                | (Returned, Submitted | Denied)
        )
    }

    /// Still waiting for the CareConnect team or for the applicant.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Submitted
                | ApplicationStatus::InReview
                | ApplicationStatus::Returned
        )
    }
}

/// The "CareConnect Enrolment Form". Radio buttons and checkboxes send nothing when left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentForm {
    /// The Worksite ID of the worksite to access CareConnect from.
    #[serde(default)]
    pub worksite: String,
    #[serde(default)]
    pub licence_number: String,
    /// `yes` or `no`.
    #[serde(default)]
    pub health_authority_access: Option<String>,
    /// Which health authority, when `yes`.
    #[serde(default)]
    pub health_authority_details: String,
    /// `on` when the applicant attests use for direct patient care.
    #[serde(default)]
    pub direct_patient_care: Option<String>,
}

/// One requirement of approval, and whether it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub label: String,
    pub met: bool,
    /// What is missing, or how it was met.
    pub detail: String,
}

/// One application as its applicant (and the CareConnect team) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub id: i64,
    pub worksite: WorksiteSummary,
    pub status: ApplicationStatus,
    pub licence_number: String,
    pub has_health_authority_access: bool,
    pub health_authority_details: Option<String>,
    pub direct_patient_care: bool,
    /// The denial's reason, or what a returned application needs.
    pub staff_message: Option<String>,
    /// In British Columbia's time.
    pub submitted_on: String,
    pub updated_on: String,
    /// The requirements of approval, in the order DESIGN lists them.
    pub checklist: Vec<Requirement>,
}

/// A worksite the person may apply from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorksiteChoice {
    pub worksite: WorksiteSummary,
    /// Why an application from it would be refused, if it would.
    pub refusal: Option<String>,
}

/// The "CareConnect" module of "View Application".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplications {
    /// Why the person cannot apply at all (an On-Behalf-Of user, an undesignated profession,
    /// no active membership); `None` when they can.
    pub cannot_apply: Option<String>,
    pub worksites: Vec<WorksiteChoice>,
    /// The licence number on their account, to start the form with.
    pub licence_number: Option<String>,
    pub applications: Vec<ApplicationView>,
}

/// The CareConnect team's decision on an application. Serde names it by its `code`, as the
/// decision form's buttons send it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    StartReview,
    Approve,
    Deny,
    ReturnForInformation,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::StartReview => "start_review",
            Decision::Approve => "approve",
            Decision::Deny => "deny",
            Decision::ReturnForInformation => "return_for_information",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Decision::StartReview => "Start Review",
            Decision::Approve => "Approve",
            Decision::Deny => "Deny",
            Decision::ReturnForInformation => "Return for Information",
        }
    }

    /// Deny and return tell the applicant why.
    pub fn needs_message(self) -> bool {
        matches!(self, Decision::Deny | Decision::ReturnForInformation)
    }
}

/// The queue's filters, as the query string carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueFilter {
    /// A status code; empty: the open ones.
    #[serde(default)]
    pub status: String,
    /// A worksite type code; empty: all.
    #[serde(default)]
    pub worksite_type: String,
    /// A profession id; empty: all.
    #[serde(default)]
    pub profession: String,
    /// Submitted at least this many days ago; empty: any age.
    #[serde(default)]
    pub older_than_days: String,
    #[serde(default)]
    pub page: u32,
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub applicant: String,
    pub profession: String,
    pub worksite: String,
    pub worksite_type: WorksiteType,
    pub status: ApplicationStatus,
    pub submitted_on: String,
    pub age_days: i64,
}

/// A page of the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub total: u64,
    /// Zero-based.
    pub page: u32,
    pub page_size: u32,
}

/// An application as the CareConnect team reviews it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetail {
    pub application: ApplicationView,
    pub applicant_id: i64,
    pub applicant: String,
    pub applicant_email: Option<String>,
    pub profession: String,
    pub user_type: String,
}
