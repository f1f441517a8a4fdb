//! The outbox table: enqueue inside a business transaction, claim and settle in the worker.

use super::message::Email;
use crate::entities::outbound_email;
use crate::platform::{db::begin_write, tokens::new_token};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, LockBehavior, LockType},
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

pub use super::types::OutboxStatus;

/// A fresh `Message-ID` for a message from `domain`: a link token's 256 random bits (URL-safe
/// base64 is valid in an id's left part), so ids never collide across app servers.
pub fn message_id(domain: &str) -> String {
    format!("<{}@{domain}>", new_token())
}

/// Queues `email` to `to` on `conn`: pass the transaction of the change that causes it.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    to: &str,
    email: Email,
    domain: &str,
) -> Result<i64, DbErr> {
    Ok(row(to, email, domain).insert(conn).await?.id)
}

/// A message's row, due now, with its `Message-ID` from `domain`.
pub fn row(to: &str, email: Email, domain: &str) -> outbound_email::ActiveModel {
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
        message_id: Set(message_id(domain)),
        cause: Set(None),
        regarding: Set(None),
        claim: Set(None),
        last_attempt_at: Set(None),
        ..Default::default()
    }
}

/// Claims up to `limit` due messages for this worker for `lease`, under a claim of its own. On
/// PostgreSQL the candidates are locked `FOR UPDATE SKIP LOCKED`, so workers on several app
/// servers take different messages without waiting on each other (SQLite has one writer at a
/// time); the claim itself is a conditional update, so no message is ever taken twice.
pub async fn claim_due(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
    lease: Duration,
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
        .col_expr(outbound_email::Column::LeaseUntil, Expr::value(now + lease))
        .col_expr(outbound_email::Column::Claim, Expr::value(new_token()))
        .col_expr(outbound_email::Column::LastAttemptAt, Expr::value(now))
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

/// What the delivered body of a message becomes: the links it carried (sign-in, reset,
/// invitation) must not stay readable in the database, its backups or replicas once the person
/// has them.
pub const DELIVERED_BODY: &str =
    "(Delivered. The body is not kept: the links it carried work only from the email.)";

/// What one attempt at a message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The SMTP server accepted it.
    Sent,
    /// Development without SMTP: kept for the development mailbox.
    Kept,
    /// Not delivered, with the server's reply (or what went wrong on the way). A permanent
    /// refusal (a 5xx reply, an address that cannot be one) is worth only a few more tries.
    Refused { reply: String, permanent: bool },
}

/// When to try a refused message again, and when to give up on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failure; each further one doubles it, up to `longest_wait`.
    pub first_wait: Duration,
    pub longest_wait: Duration,
    /// Attempts after which a message that keeps failing for a passing reason is given up.
    pub attempts: i32,
    /// Attempts after which a permanently refused message is given up.
    pub permanent_attempts: i32,
}

impl Default for RetryPolicy {
    /// 30 s, 1 min, 2 min, … then hourly: 24 attempts span about seventeen hours.
    fn default() -> Self {
        Self {
            first_wait: Duration::seconds(30),
            longest_wait: Duration::hours(1),
            attempts: 24,
            permanent_attempts: 3,
        }
    }
}

impl RetryPolicy {
    /// How long to wait after a message's `attempts`-th failure, or `None` to give up.
    pub fn next_wait(&self, attempts: i32, permanent: bool) -> Option<Duration> {
        let limit = if permanent {
            self.permanent_attempts
        } else {
            self.attempts
        };
        if attempts >= limit {
            return None;
        }
        let doublings = u32::try_from(attempts.clamp(1, 31) - 1).unwrap_or(0);
        let wait = self
            .first_wait
            .checked_mul(1_i32.checked_shl(doublings).unwrap_or(i32::MAX))
            .unwrap_or(self.longest_wait);
        Some(Ord::min(wait, self.longest_wait))
    }
}

/// What recording an attempt did to its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Settled(OutboxStatus),
    /// Queued again, to be tried after this time.
    Retrying(DateTime<Utc>),
    /// The claim had passed to another worker: nothing was recorded.
    NotHeld,
}

/// Records the outcome of an attempt at `message` as soon as it is known, under the claim it
/// was sent with. A sent message's body is dropped; one kept for the development mailbox keeps
/// it, since that is where it is read.
pub async fn record(
    conn: &impl ConnectionTrait,
    message: &outbound_email::Model,
    outcome: &Outcome,
    policy: &RetryPolicy,
    now: DateTime<Utc>,
) -> Result<Recorded, DbErr> {
    let mut update = outbound_email::Entity::update_many()
        .col_expr(
            outbound_email::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbound_email::Column::Claim,
            Expr::value(Option::<String>::None),
        );
    let recorded = match outcome {
        Outcome::Sent | Outcome::Kept => {
            let status = if *outcome == Outcome::Sent {
                update = without_body(update);
                OutboxStatus::Sent
            } else {
                OutboxStatus::Kept
            };
            update = update
                .col_expr(outbound_email::Column::Status, Expr::value(status))
                .col_expr(outbound_email::Column::SentAt, Expr::value(now))
                .col_expr(
                    outbound_email::Column::LastError,
                    Expr::value(Option::<String>::None),
                );
            Recorded::Settled(status)
        }
        Outcome::Refused { reply, permanent } => {
            update = update.col_expr(outbound_email::Column::LastError, Expr::value(reply));
            match policy.next_wait(message.attempts, *permanent) {
                Some(wait) => {
                    update = update.col_expr(
                        outbound_email::Column::NextAttemptAt,
                        Expr::value(now + wait),
                    );
                    Recorded::Retrying(now + wait)
                }
                None => {
                    update = update.col_expr(
                        outbound_email::Column::Status,
                        Expr::value(OutboxStatus::Failed),
                    );
                    Recorded::Settled(OutboxStatus::Failed)
                }
            }
        }
    };
    let held = update
        .filter(outbound_email::Column::Id.eq(message.id))
        .filter(outbound_email::Column::Claim.eq(message.claim.clone()))
        .exec(conn)
        .await?
        .rows_affected
        == 1;
    Ok(if held { recorded } else { Recorded::NotHeld })
}

/// Queues a failed message again, as if new: staff resend it once its cause is fixed. Returns
/// false when it is not (or no longer) failed.
pub async fn requeue_failed(conn: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let requeued = outbound_email::Entity::update_many()
        .col_expr(
            outbound_email::Column::Status,
            Expr::value(OutboxStatus::Queued),
        )
        .col_expr(outbound_email::Column::Attempts, Expr::value(0))
        .col_expr(
            outbound_email::Column::NextAttemptAt,
            Expr::value(Utc::now()),
        )
        .filter(outbound_email::Column::Id.eq(id))
        .filter(outbound_email::Column::Status.eq(OutboxStatus::Failed))
        .exec(conn)
        .await?;
    Ok(requeued.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_grows_and_is_capped() {
        let policy = RetryPolicy::default();
        let wait = |attempts| policy.next_wait(attempts, false).map(|w| w.num_seconds());
        assert_eq!(wait(1), Some(30));
        assert_eq!(wait(2), Some(60));
        assert_eq!(wait(4), Some(240));
        assert_eq!(wait(20), Some(3600));
    }

    #[test]
    fn a_message_is_given_up_after_a_bounded_number_of_attempts() {
        let policy = RetryPolicy::default();
        assert!(policy.next_wait(23, false).is_some());
        assert_eq!(policy.next_wait(24, false), None);
        // A permanent refusal gets fewer tries.
        assert!(policy.next_wait(2, true).is_some());
        assert_eq!(policy.next_wait(3, true), None);
    }

    #[test]
    fn message_ids_are_fresh_and_name_the_domain() {
        let (first, second) = (message_id("clinic.example"), message_id("clinic.example"));
        assert_ne!(first, second);
        assert!(first.starts_with('<') && first.ends_with("@clinic.example>"));
    }
}

/// The update, also emptying the messages' bodies: once delivered, the one-time links they
/// carried are not kept.
pub fn without_body(
    update: sea_orm::UpdateMany<outbound_email::Entity>,
) -> sea_orm::UpdateMany<outbound_email::Entity> {
    update
        .col_expr(
            outbound_email::Column::BodyText,
            Expr::value(DELIVERED_BODY),
        )
        .col_expr(
            outbound_email::Column::BodyHtml,
            Expr::value(DELIVERED_BODY),
        )
}

/// What waits in the outbox, for monitoring: messages not delivered yet and when the oldest of
/// them was queued, and messages given up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backlog {
    pub waiting: u64,
    pub oldest_waiting_since: Option<DateTime<Utc>>,
    pub failed: u64,
}

pub async fn backlog(conn: &impl ConnectionTrait) -> Result<Backlog, DbErr> {
    let of = |status: OutboxStatus| {
        outbound_email::Entity::find().filter(outbound_email::Column::Status.eq(status))
    };
    let oldest = of(OutboxStatus::Queued)
        .order_by_asc(outbound_email::Column::CreatedAt)
        .one(conn)
        .await?;
    Ok(Backlog {
        waiting: of(OutboxStatus::Queued).count(conn).await?,
        oldest_waiting_since: oldest.map(|message| message.created_at),
        failed: of(OutboxStatus::Failed).count(conn).await?,
    })
}
