use crate::mail::outbox::OutboxStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbound_emails")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// `queued`, `sent` (handed to SMTP), `failed` (given up, with the server's reason) or
    /// `kept` (development mailbox only).
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A worker holds the row until then; another may take it over afterwards.
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The `Message-ID` header, the same on every attempt, so a copy sent twice reads as one.
    pub message_id: String,
    /// The audit action of the change that queued it, and what that change was about
    /// (`invitation:12`).
    pub cause: Option<String>,
    pub regarding: Option<String>,
    /// The claim of the worker holding it; its outcome is recorded only under that claim.
    pub claim: Option<String>,
    pub last_attempt_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
