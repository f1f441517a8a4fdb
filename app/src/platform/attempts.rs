//! Repeated attempts counted in the database, so that every app server sees one count: failed
//! password sign-ins with a username, recovery emails to an address, daily quotas of an account. The in-process limits
//! (`rate_limit`) slow one noisy client; these follow the target, wherever the tries come from.

use crate::entities::attempt_count;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

/// What is counted, and under which key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// Incorrect passwords for one username (lower-cased), in a row; counted whether or not an
    /// account has it, so the answers never tell which usernames exist.
    FailedPassword { username_key: String },
    /// Recovery emails (reset link, username reminder) asked for one address.
    RecoveryEmail { address: String },
    /// One account's actions of one kind in a day (`quota`).
    Daily {
        account_id: i64,
        action: &'static str,
    },
}

impl Attempt {
    fn key(&self) -> String {
        match self {
            Attempt::FailedPassword { username_key } => format!("password:{username_key}"),
            Attempt::RecoveryEmail { address } => format!("recovery:{}", address.to_lowercase()),
            Attempt::Daily { account_id, action } => format!("daily:{action}:{account_id}"),
        }
    }
}

/// Counts one more attempt in a window of `window` (a count older than that starts again at
/// one) and returns the count. Runs inside the caller's transaction: the update locks the row,
/// so concurrent attempts are each counted.
pub async fn count(
    conn: &impl ConnectionTrait,
    attempt: &Attempt,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    use attempt_count::Column;
    let key = attempt.key();
    attempt_count::Entity::insert(attempt_count::ActiveModel {
        key: Set(key.clone()),
        count: Set(0),
        first_at: Set(now),
        last_at: Set(now),
    })
    .on_conflict(OnConflict::column(Column::Key).do_nothing().to_owned())
    .exec_without_returning(conn)
    .await?;
    let stale = Expr::col(Column::FirstAt).lte(now - window);
    attempt_count::Entity::update_many()
        .col_expr(
            Column::Count,
            Expr::case(stale.clone(), 1)
                .finally(Expr::col(Column::Count).add(1))
                .into(),
        )
        .col_expr(
            Column::FirstAt,
            Expr::case(stale, Expr::value(now))
                .finally(Expr::col(Column::FirstAt))
                .into(),
        )
        .col_expr(Column::LastAt, Expr::value(now))
        .filter(Column::Key.eq(&key))
        .exec(conn)
        .await?;
    Ok(attempt_count::Entity::find_by_id(key)
        .one(conn)
        .await?
        .map_or(1, |row| row.count))
}

/// The count so far, with when the last attempt was made.
pub async fn current(
    conn: &impl ConnectionTrait,
    attempt: &Attempt,
) -> Result<Option<(i32, DateTime<Utc>)>, DbErr> {
    Ok(attempt_count::Entity::find_by_id(attempt.key())
        .one(conn)
        .await?
        .map(|row| (row.count, row.last_at)))
}

/// Forgets the attempts (a correct password ends a run of wrong ones).
pub async fn clear(conn: &impl ConnectionTrait, attempt: &Attempt) -> Result<(), DbErr> {
    attempt_count::Entity::delete_by_id(attempt.key())
        .exec(conn)
        .await?;
    Ok(())
}

/// Drops counts whose last attempt is older than `age`, so the table keeps only live ones.
pub async fn forget_older_than(conn: &impl ConnectionTrait, age: Duration) -> Result<u64, DbErr> {
    Ok(attempt_count::Entity::delete_many()
        .filter(attempt_count::Column::LastAt.lt(Utc::now() - age))
        .exec(conn)
        .await?
        .rows_affected)
}
