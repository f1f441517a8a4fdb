//! What the portal keeps only while it is useful, purged on a schedule by every app server's
//! housekeeping: expired sessions, emailed links used or expired some time ago, old
//! notifications, and the bodies of delivered emails (dropped on delivery already; this catches
//! any left behind). Audit events are kept, and so is each email's row in the delivery log.
//! Rows go a thousand at a time, so no purge holds the write lock for long.

use super::db::WriteQueue;
use crate::entities::{notification, one_time_token, outbound_email, session};
use crate::mail::outbox::{self, OutboxStatus, DELIVERED_BODY};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, ExprTrait, QueryFilter, QuerySelect,
};

/// Rows one statement removes.
const BATCH: u64 = 1_000;

/// How long things are kept (`RETENTION_NOTIFICATION_DAYS`, `RETENTION_LINK_DAYS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Notifications older than this go, read or not.
    pub notification_days: i64,
    /// Emailed links used or expired longer ago than this go.
    pub link_days: i64,
}

pub const DEFAULT_NOTIFICATION_DAYS: i64 = 180;
pub const DEFAULT_LINK_DAYS: i64 = 30;

impl Default for Retention {
    fn default() -> Self {
        Self {
            notification_days: DEFAULT_NOTIFICATION_DAYS,
            link_days: DEFAULT_LINK_DAYS,
        }
    }
}

/// How many rows one purge removed or emptied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub links: u64,
    pub notifications: u64,
    pub email_bodies: u64,
}

/// Deletes the rows of `E` whose ids `ids` selects, a batch at a time, each in its own turn.
async fn in_batches<E: EntityTrait>(
    db: &DatabaseConnection,
    writes: &WriteQueue,
    id: E::Column,
    ids: impl Fn() -> sea_orm::Select<E>,
) -> Result<u64, DbErr>
where
    E::Column: ColumnTrait,
{
    let mut removed = 0;
    loop {
        let batch: Vec<i64> = ids()
            .select_only()
            .column(id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        if batch.is_empty() {
            return Ok(removed);
        }
        let _turn = writes.turn().await?;
        removed += E::delete_many()
            .filter(id.is_in(batch))
            .exec(db)
            .await?
            .rows_affected;
    }
}

pub async fn purge(
    db: &DatabaseConnection,
    writes: &WriteQueue,
    retention: Retention,
    now: DateTime<Utc>,
) -> Result<Purged, DbErr> {
    let sessions = {
        let _turn = writes.turn().await?;
        session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(now))
            .exec(db)
            .await?
            .rows_affected
    };
    let links_before = now - Duration::days(retention.link_days);
    let links = in_batches(db, writes, one_time_token::Column::Id, || {
        one_time_token::Entity::find().filter(
            one_time_token::Column::ExpiresAt
                .lt(links_before)
                .or(one_time_token::Column::UsedAt.lt(links_before)),
        )
    })
    .await?;
    let notifications_before = now - Duration::days(retention.notification_days);
    let notifications = in_batches(db, writes, notification::Column::Id, || {
        notification::Entity::find()
            .filter(notification::Column::CreatedAt.lt(notifications_before))
    })
    .await?;
    let email_bodies = {
        let _turn = writes.turn().await?;
        outbox::without_body(outbound_email::Entity::update_many())
            .filter(outbound_email::Column::Status.eq(OutboxStatus::Sent))
            .filter(outbound_email::Column::BodyText.ne(DELIVERED_BODY))
            .exec(db)
            .await?
            .rows_affected
    };
    Ok(Purged {
        sessions,
        links,
        notifications,
        email_bodies,
    })
}
