use sea_orm::entity::prelude::*;

/// A word of a member's name (lower-cased), indexed by worksite: the member lists' search.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "member_search_terms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub worksite_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub term: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub membership_id: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
