use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_account_id: Option<i64>,
    pub on_behalf_of_account_id: Option<i64>,
    pub worksite_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub client_addr: Option<String>,
    /// JSON object with action-specific details.
    pub details: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
