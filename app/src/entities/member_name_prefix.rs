use crate::memberships::types::MembershipStatus;
use sea_orm::entity::prelude::*;

/// A prefix of a word of a member's name (lower-cased), keyed by the member's place in the
/// worksite's list: the member lists' search, read in list order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_name_prefixes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub worksite_id: i64,
    /// The membership's status, followed when it changes.
    #[sea_orm(primary_key, auto_increment = false)]
    pub status: MembershipStatus,
    #[sea_orm(primary_key, auto_increment = false)]
    pub prefix: String,
    /// The membership's `list_group` and `list_name`, followed when they change.
    #[sea_orm(primary_key, auto_increment = false)]
    pub list_group: i16,
    #[sea_orm(primary_key, auto_increment = false)]
    pub list_name: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub membership_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::membership::Entity",
        from = "Column::MembershipId",
        to = "super::membership::Column::Id"
    )]
    Membership,
}

impl ActiveModelBehavior for ActiveModel {}
