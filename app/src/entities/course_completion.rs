use sea_orm::entity::prelude::*;

/// A Privacy & Security course completion reported for an email address: the learning system
/// knows its learners by email, and a completion may arrive before the account exists.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "course_completions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower-cased.
    pub email: String,
    pub completed_on: Date,
    /// `callback` or `csv_import`.
    pub source: String,
    /// The learning system's id of the completion, unique per source.
    pub reference: String,
    pub recorded_at: DateTimeUtc,
    /// The staff member who imported it.
    pub recorded_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
