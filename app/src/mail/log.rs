//! The email delivery log: every message the portal has queued, where it stands, and the
//! CareConnect team's "Resend" for one that failed; and the delivery of the messages about a
//! thing (an invitation), which its administrators see.

use super::outbox;
use super::types::*;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::outbound_email;
use crate::error::{AppError, Refusal};
use crate::paging::{read_page, NumberedPage};
use crate::platform::staff::require_staff;
use crate::platform::time::display_time;
use crate::platform::Change;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::HashMap;

fn standing(row: &outbound_email::Model) -> DeliveryStanding {
    DeliveryStanding {
        delivery: Delivery::of(row.status, row.last_error.is_some()),
        last_reply: row.last_error.clone(),
    }
}

/// A page of the log, newest first; the CareConnect team only.
pub async fn search(
    conn: &impl ConnectionTrait,
    viewer: i64,
    query: &DeliveryQuery,
) -> Result<NumberedPage<DeliveryRow>, AppError> {
    require_staff(conn, viewer).await?;
    let mut select = outbound_email::Entity::find();
    let recipient = query.recipient.trim().to_lowercase();
    if !recipient.is_empty() {
        select = select.filter(outbound_email::Column::ToAddress.eq(recipient));
    }
    let wanted = query.delivery.trim();
    if !wanted.is_empty() {
        let Some(delivery) = Delivery::from_code(wanted) else {
            return Err(AppError::invalid(
                "delivery",
                "Choose a status from the list.",
            ));
        };
        let (status, failed_before) = delivery.stored();
        select = select.filter(outbound_email::Column::Status.eq(status));
        select = match failed_before {
            Some(true) => select.filter(outbound_email::Column::LastError.is_not_null()),
            Some(false) => select.filter(outbound_email::Column::LastError.is_null()),
            None => select,
        };
    }
    let select = select.order_by_desc(outbound_email::Column::Id);
    let page = read_page(conn, select, u64::from(query.page), DELIVERIES_PER_PAGE).await?;
    Ok(page.map(|row| DeliveryRow {
        id: row.id.into(),
        queued_at: display_time(row.created_at),
        standing: standing(&row),
        cause: row
            .cause
            .as_deref()
            .map(|code| AuditAction::from_code(code).map_or(code.to_owned(), AuditAction::label)),
        regarding: row.regarding,
        to: row.to_address,
        subject: row.subject,
        attempts: row.attempts,
        last_attempt_at: row.last_attempt_at.map(display_time),
        sent_at: row.sent_at.map(display_time),
        message_id: row.message_id,
    }))
}

/// "Resend": a failed message is queued again, as it was (its body is kept until it is sent);
/// the CareConnect team only, audited.
pub async fn resend(change: &mut Change<'_>, id: i64) -> Result<(), AppError> {
    require_staff(change.db(), change.account()?).await?;
    let message = outbound_email::Entity::find_by_id(id)
        .one(change.db())
        .await?
        .ok_or_else(|| AppError::NotFound("This email does not exist.".to_owned()))?;
    if !outbox::requeue_failed(change.db(), id).await? {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    change.audit(
        AuditEntry::new(AuditAction::EmailResent, format!("email:{id}")).with_details(json!({
            "to": message.to_address,
            "subject": message.subject,
            "last_reply": message.last_error,
        })),
    );
    Ok(())
}

/// The delivery of the latest message about each of `regarding` (`invitation:12`), for those
/// that have one.
pub async fn latest_about(
    conn: &impl ConnectionTrait,
    regarding: &[String],
) -> Result<HashMap<String, DeliveryStanding>, AppError> {
    if regarding.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = outbound_email::Entity::find()
        .filter(outbound_email::Column::Regarding.is_in(regarding.iter().cloned()))
        .order_by_asc(outbound_email::Column::Id)
        .all(conn)
        .await?;
    // Newer messages overwrite older ones.
    Ok(rows
        .into_iter()
        .filter_map(|row| Some((row.regarding.clone()?, standing(&row))))
        .collect())
}
