use sea_orm::entity::prelude::*;

/// A worksite's site-level Privacy & Security declaration, signed by an administrator with
/// signing authority.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "site_declarations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub worksite_id: i64,
    pub version: String,
    pub signer_account_id: i64,
    /// The full name as the signer typed it.
    pub signer_name: String,
    /// The signer's title or role at the worksite.
    pub signer_title: String,
    pub signed_at: DateTimeUtc,
    pub client_addr: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
