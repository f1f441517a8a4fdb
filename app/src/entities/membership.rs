use crate::memberships::types::MembershipStatus;
use sea_orm::entity::prelude::*;

/// A person's membership of a worksite: `active` or `inactive`, with the administrator flag.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub worksite_id: i64,
    pub account_id: i64,
    pub status: MembershipStatus,
    pub is_admin: bool,
    pub joined_at: DateTimeUtc,
    pub deactivated_at: Option<DateTimeUtc>,
    pub deactivated_by: Option<i64>,
    /// The member lists' order: 0 Authorizers, 1 On-Behalf-Of users, 2 Independent users.
    pub list_group: i16,
    /// `family given`, lower-cased: the order within a group and what the list search matches.
    pub list_name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::worksite::Entity",
        from = "Column::WorksiteId",
        to = "super::worksite::Column::Id"
    )]
    Worksite,
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id"
    )]
    Account,
}

impl Related<super::worksite::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Worksite.def()
    }
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
