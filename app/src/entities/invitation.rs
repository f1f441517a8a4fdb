use crate::invitations::types::InvitationStatus;
use sea_orm::entity::prelude::*;

/// An emailed invitation to join a worksite: `pending`, then `accepted` or `revoked`; a pending
/// one past `expires_at` is expired until it is resent.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub worksite_id: i64,
    pub email: String,
    pub status: InvitationStatus,
    /// SHA-256 of the token in the latest email's link; resending replaces it.
    pub token_hash: String,
    pub invited_by: i64,
    pub invited_at: DateTimeUtc,
    pub last_sent_at: DateTimeUtc,
    pub emails_sent: i32,
    pub expires_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub accepted_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
