use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    /// Lower-cased username: uniqueness is case-insensitive.
    pub username_key: String,
    /// The verified address; `None` until the owner follows the emailed link.
    pub email: Option<String>,
    pub email_verified_at: Option<DateTimeUtc>,
    /// An address waiting for verification (at registration or after a change).
    pub pending_email: Option<String>,
    pub password_hash: String,
    pub phone: String,
    pub profession_id: i32,
    pub licence_number: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub birthdate: Option<Date>,
    pub is_staff: bool,
    /// Set while the CareConnect team has disabled the account: nobody can sign in to it.
    pub disabled_at: Option<DateTimeUtc>,
    pub disabled_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl Model {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The account's profession, for lists that show what someone is.
    #[sea_orm(
        belongs_to = "super::profession::Entity",
        from = "Column::ProfessionId",
        to = "super::profession::Column::Id"
    )]
    Profession,
}

impl ActiveModelBehavior for ActiveModel {}
