//! The outbox table: enqueue inside a business transaction, claim and settle in the worker.

use super::message::Email;
use crate::entities::outbound_email;
use crate::platform::db::begin_write;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, LockBehavior, LockType},
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

/// Where a message stands: queued until the worker delivers it (`Sent`) or, in development
/// without SMTP, keeps it only in the development mailbox (`Kept`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sea_orm::EnumIter, sea_orm::DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
pub enum OutboxStatus {
    Queued,
    Sent,
    Kept,
}

/// How long a worker may hold a message before another may retry it.
pub const LEASE: Duration = Duration::seconds(120);

/// Queues `email` to `to` on `conn`: pass the transaction of the change that causes it.
pub async fn enqueue(conn: &impl ConnectionTrait, to: &str, email: Email) -> Result<i64, DbErr> {
    Ok(row(to, email).insert(conn).await?.id)
}

/// A message's row, due now.
pub fn row(to: &str, email: Email) -> outbound_email::ActiveModel {
    let now = Utc::now();
    outbound_email::ActiveModel {
        to_address: Set(to.to_owned()),
        subject: Set(email.subject),
        body_text: Set(email.text),
        body_html: Set(email.html),
        status: Set(OutboxStatus::Queued),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
}

/// Claims up to `limit` due messages for this worker, under a lease. On PostgreSQL the
/// candidates are locked `FOR UPDATE SKIP LOCKED`, so workers on several app servers take
/// different messages without waiting on each other (SQLite has one writer at a time); the claim
/// itself is a conditional update, so no message is ever taken twice.
pub async fn claim_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbound_email::Model>, DbErr> {
    let txn = begin_write(db).await?;
    let candidates: Vec<i64> = outbound_email::Entity::find()
        .select_only()
        .column(outbound_email::Column::Id)
        .filter(claimable(now))
        .filter(outbound_email::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbound_email::Column::NextAttemptAt)
        .order_by_asc(outbound_email::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_tuple()
        .all(&txn)
        .await?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // One statement claims them all; the conditions are checked again row by row.
    let claimed = outbound_email::Entity::update_many()
        .col_expr(outbound_email::Column::LeaseUntil, Expr::value(now + LEASE))
        .col_expr(
            outbound_email::Column::Attempts,
            Expr::col(outbound_email::Column::Attempts).add(1),
        )
        .filter(outbound_email::Column::Id.is_in(candidates))
        .filter(claimable(now))
        .exec_with_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(claimed)
}

/// Queued and held by no worker (never leased, or its lease has run out).
fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(outbound_email::Column::Status.eq(OutboxStatus::Queued))
        .add(
            outbound_email::Column::LeaseUntil
                .is_null()
                .or(outbound_email::Column::LeaseUntil.lt(now)),
        )
}

/// What a delivered message's body becomes: the links it carried (sign-in, reset, invitation)
/// must not stay readable in the database, its backups or replicas once the person has them.
pub const DELIVERED_BODY: &str =
    "(Delivered. The body is not kept: the links it carried work only from the email.)";

/// Records the final state of delivered messages (`Sent` or `Kept`). A sent message's body is
/// dropped; one kept for the development mailbox keeps it, since that is where it is read.
pub async fn settle(
    conn: &impl ConnectionTrait,
    ids: &[i64],
    status: OutboxStatus,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    let mut update = outbound_email::Entity::update_many();
    if status == OutboxStatus::Sent {
        update = update
            .col_expr(
                outbound_email::Column::BodyText,
                Expr::value(DELIVERED_BODY),
            )
            .col_expr(
                outbound_email::Column::BodyHtml,
                Expr::value(DELIVERED_BODY),
            );
    }
    update
        .col_expr(outbound_email::Column::Status, Expr::value(status))
        .col_expr(outbound_email::Column::SentAt, Expr::value(Utc::now()))
        .col_expr(
            outbound_email::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbound_email::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbound_email::Column::Id.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Exponential back-off after a failed attempt: 30 s, 1 min, 2 min, … up to an hour.
pub fn retry_delay(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 8) - 1;
    Duration::seconds(Ord::min(30_i64 << exponent, 3600))
}

/// Leaves a failed message queued for a later attempt; it is never dropped.
pub async fn reschedule(
    conn: &impl ConnectionTrait,
    id: i64,
    attempts: i32,
    error: &str,
) -> Result<(), DbErr> {
    outbound_email::Entity::update_many()
        .col_expr(
            outbound_email::Column::NextAttemptAt,
            Expr::value(Utc::now() + retry_delay(attempts)),
        )
        .col_expr(
            outbound_email::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(outbound_email::Column::LastError, Expr::value(error))
        .filter(outbound_email::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn back_off_grows_and_is_capped() {
        assert_eq!(retry_delay(1).num_seconds(), 30);
        assert_eq!(retry_delay(2).num_seconds(), 60);
        assert_eq!(retry_delay(4).num_seconds(), 240);
        assert_eq!(retry_delay(50).num_seconds(), 3600);
    }
}
