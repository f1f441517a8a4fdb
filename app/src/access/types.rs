use crate::professions::types::UserType;
use crate::worksites::types::WorksiteSummary;
use serde::{Deserialize, Serialize};

/// CareConnect access from one worksite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessGrant {
    pub worksite: WorksiteSummary,
    /// Since when, in British Columbia's time.
    pub since: String,
}

/// An On-Behalf-Of user's view through one sponsoring Authorizer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingFor {
    pub sponsorship_id: i64,
    pub authorizer: String,
    pub worksite: WorksiteSummary,
    /// The Authorizer's access from that worksite, if they have it.
    pub access_since: Option<String>,
}

/// What the home page shows about the person's CareConnect access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessOverview {
    pub user_type: UserType,
    pub profession: String,
    /// Without a Designation Order the profession cannot be granted access.
    pub designated: bool,
    /// Independent users and Authorizers: their own access.
    pub own: Vec<AccessGrant>,
    /// On-Behalf-Of users: the Authorizers they act for.
    pub on_behalf_of: Vec<ActingFor>,
    /// On-Behalf-Of users: why they cannot use that access yet (e.g. the course), if so.
    pub on_behalf_refusal: Option<String>,
}

/// What an On-Behalf-Of user without the Privacy & Security course reads where their sponsors'
/// access would open.
pub const COURSE_NEEDED_FOR_ON_BEHALF_ACCESS: &str =
    "Complete the Privacy & Security course to use this access.";

/// The sentence an undesignated profession reads wherever CareConnect access is offered.
pub fn undesignated_notice(profession: &str) -> String {
    crate::error::Refusal::NoDesignationOrder {
        profession: profession.to_owned(),
    }
    .to_string()
}
