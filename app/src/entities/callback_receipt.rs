use sea_orm::entity::prelude::*;

/// A signed callback already received (SHA-256 of its signature), kept while its timestamp is
/// fresh enough to be accepted, so the same request is never accepted twice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "callback_receipts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub signature_hash: String,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
