use super::types::{Profession, UserType};
use crate::entities::profession;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};

impl From<profession::Model> for Profession {
    fn from(row: profession::Model) -> Self {
        Profession {
            id: row.id,
            user_type: UserType::from_code(&row.user_type).unwrap_or(UserType::OnBehalfOf),
            name: row.name,
            designation_order: row.designation_order,
            requires_licence: row.requires_licence,
        }
    }
}

pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<Profession>, DbErr> {
    Ok(profession::Entity::find()
        .order_by_asc(profession::Column::SortOrder)
        .all(conn)
        .await?
        .into_iter()
        .map(Profession::from)
        .collect())
}

pub async fn find(conn: &impl ConnectionTrait, id: i32) -> Result<Option<Profession>, DbErr> {
    Ok(profession::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(Profession::from))
}
