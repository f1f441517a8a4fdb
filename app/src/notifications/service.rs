//! Storing and reading notifications.

use super::types::{NotificationItem, NotificationKind};
use crate::entities::notification;
use crate::error::AppError;
use crate::platform::{time::display_time, Change};
use chrono::Utc;
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// How many notifications the list shows.
const LIST_LIMIT: u64 = 50;

/// An unread notification's row, created now; [`Change::notify`] writes it with its change.
pub fn row(
    account_id: i64,
    kind: NotificationKind,
    text: &str,
    link: &str,
) -> notification::ActiveModel {
    notification::ActiveModel {
        account_id: Set(account_id),
        kind: Set(kind.code().to_owned()),
        text: Set(text.chars().take(500).collect()),
        link: Set(link.to_owned()),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        ..Default::default()
    }
}

pub async fn list(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Vec<NotificationItem>, DbErr> {
    let rows = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .order_by_desc(notification::Column::Id)
        .limit(LIST_LIMIT)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| NotificationItem {
            id: row.id,
            text: row.text,
            link: row.link,
            created: display_time(row.created_at),
            unread: row.read_at.is_none(),
        })
        .collect())
}

/// Marks the actor's notifications read; their other open pages update their counters.
pub async fn mark_all_read(change: &mut Change<'_>) -> Result<(), AppError> {
    let account_id = change.account()?;
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::ReadAt.is_null())
        .exec(change.db())
        .await?;
    change.tell([account_id]);
    Ok(())
}
