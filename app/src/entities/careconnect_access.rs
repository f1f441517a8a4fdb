use sea_orm::entity::prelude::*;

/// CareConnect access granted to a person from a worksite; current while `ended_at` is empty.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "careconnect_access")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub worksite_id: i64,
    pub granted_at: DateTimeUtc,
    /// The staff member (or operator command, when empty) who granted it.
    pub granted_by: Option<i64>,
    pub ended_at: Option<DateTimeUtc>,
    pub end_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
