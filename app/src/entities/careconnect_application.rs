use crate::applications::types::ApplicationStatus;
use sea_orm::entity::prelude::*;

/// A person's request for CareConnect access from one worksite, and the CareConnect team's
/// decision on it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "careconnect_applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub worksite_id: i64,
    /// `submitted`, `in_review`, `approved`, `denied` or `returned`.
    pub status: ApplicationStatus,
    pub licence_number: String,
    pub has_health_authority_access: bool,
    pub health_authority_details: Option<String>,
    /// The applicant's attestation that they use CareConnect for direct patient care.
    pub direct_patient_care: bool,
    /// The reason of a denial, or what a returned application needs.
    pub staff_message: Option<String>,
    pub submitted_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub reviewed_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
