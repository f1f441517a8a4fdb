use crate::join_requests::types::JoinRequestStatus;
use sea_orm::entity::prelude::*;

/// A person's request to join a worksite: `pending`, then `approved`, `rejected` or `withdrawn`,
/// or `superseded` when the person joined by accepting an invitation.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "join_requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub worksite_id: i64,
    pub account_id: i64,
    pub comment: Option<String>,
    pub status: JoinRequestStatus,
    /// SHA-256 of the token in the administrators' "Click Here to approve" link.
    pub token_hash: String,
    pub token_expires_at: DateTimeUtc,
    pub requested_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i64>,
    /// Why the administrator rejected it, when they said.
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::account::Entity",
        from = "Column::AccountId",
        to = "super::account::Column::Id"
    )]
    Account,
}

impl Related<super::account::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
