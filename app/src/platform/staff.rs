//! The CareConnect team's role, which every back-office function requires. It sits here, below
//! the concepts, because every concept's back office checks it.

use crate::entities::account;
use crate::error::AppError;
use sea_orm::{ConnectionTrait, EntityTrait};

/// The CareConnect team's back office only: anyone else is refused.
pub async fn require_staff(conn: &impl ConnectionTrait, account_id: i64) -> Result<(), AppError> {
    match account::Entity::find_by_id(account_id).one(conn).await? {
        Some(account) if account.is_staff && account.disabled_at.is_none() => Ok(()),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthenticated),
    }
}
