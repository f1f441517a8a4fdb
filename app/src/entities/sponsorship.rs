use crate::sponsorships::types::SponsorshipStatus;
use sea_orm::entity::prelude::*;

/// An Authorizer sponsoring an On-Behalf-Of user at a worksite: `requested`, then `active`,
/// `declined` or `withdrawn`; an active one becomes `ended`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sponsorships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub worksite_id: i64,
    pub authorizer_id: i64,
    pub obo_id: i64,
    pub status: SponsorshipStatus,
    /// The On-Behalf-Of user (a request) or the Authorizer (a direct authorization).
    pub requested_by: i64,
    pub requested_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub ended_at: Option<DateTimeUtc>,
    /// `None` when it ended automatically.
    pub ended_by: Option<i64>,
    pub end_reason: Option<String>,
    /// Why the request was declined, when the decider said.
    pub decline_reason: Option<String>,
    /// The last day (in British Columbia) the sponsorship gives access, when the Authorizer set
    /// one; it ends after it.
    pub last_day: Option<Date>,
    /// When both people were reminded that the last day is near (once per last day).
    pub end_reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
