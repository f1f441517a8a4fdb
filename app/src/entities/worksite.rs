use crate::worksites::types::WorksiteId;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "worksites")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The Worksite ID people type: 7 uppercase letters and digits.
    pub code: WorksiteId,
    pub name: String,
    pub worksite_type: String,
    pub unit: Option<String>,
    pub street: String,
    pub city: String,
    pub province: String,
    pub postal_code: String,
    pub country: String,
    /// Unit, street and postal code normalised: equal keys are the same place.
    pub address_key: String,
    pub phone: String,
    pub phone_extension: Option<String>,
    pub email: String,
    pub emr: String,
    pub clinic_type: String,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Kept by triggers on `memberships` (migration `member_counts`); never written by the portal.
    pub active_members: i64,
    pub inactive_members: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
