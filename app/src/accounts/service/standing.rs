//! An account's standing: whether the CareConnect team has disabled it, and whether it is on the
//! team. Disabling ends the account's sessions in the same change and refuses every sign-in. Staff
//! sign in through the identity provider only (BC Services Card checks a second factor), so
//! becoming staff ends the account's sessions too.

use super::{find, find_by_email};
use crate::accounts::types::normalize_email;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::account;
use crate::error::{AppError, Refusal};
use crate::platform::{staff::require_staff, Change, EndSessions};
use chrono::Utc;
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

/// The CareConnect team disables an account, with a reason kept in the audit log.
pub async fn disable(
    change: &mut Change<'_>,
    account_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let staff_id = change.account()?;
    require_staff(change.db(), staff_id).await?;
    let reason = crate::text::reason(reason)
        .map_err(|message| AppError::invalid("reason", message))?
        .ok_or_else(|| {
            AppError::invalid(
                "reason",
                "Say why the account is disabled: the person may ask.",
            )
        })?;
    let reason = reason.as_str();
    if account_id == staff_id {
        return Err(AppError::Refused(
            "You cannot disable your own account. Ask another member of the CareConnect team."
                .into(),
        ));
    }
    let now = Utc::now();
    let updated = account::Entity::update_many()
        .col_expr(account::Column::DisabledAt, Expr::value(Some(now)))
        .col_expr(
            account::Column::DisabledReason,
            Expr::value(Some(reason.to_owned())),
        )
        .col_expr(account::Column::UpdatedAt, Expr::value(now))
        .filter(account::Column::Id.eq(account_id))
        .filter(account::Column::DisabledAt.is_null())
        .exec(change.db())
        .await?;
    if updated.rows_affected == 0 {
        return Err(settled(change, account_id).await);
    }
    let ended = change.end_sessions(account_id, EndSessions::All).await?;
    change.audit(
        AuditEntry::new(
            AuditAction::AccountDisabled,
            format!("account:{account_id}"),
        )
        .with_details(json!({ "reason": reason, "sessions_ended": ended })),
    );
    Ok(())
}

/// The CareConnect team enables a disabled account again: its owner can sign in.
pub async fn enable(change: &mut Change<'_>, account_id: i64) -> Result<(), AppError> {
    let staff_id = change.account()?;
    require_staff(change.db(), staff_id).await?;
    let updated = account::Entity::update_many()
        .col_expr(
            account::Column::DisabledAt,
            Expr::value(None::<chrono::DateTime<Utc>>),
        )
        .col_expr(account::Column::DisabledReason, Expr::value(None::<String>))
        .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(account::Column::Id.eq(account_id))
        .filter(account::Column::DisabledAt.is_not_null())
        .exec(change.db())
        .await?;
    if updated.rows_affected == 0 {
        return Err(settled(change, account_id).await);
    }
    change.audit(AuditEntry::new(
        AuditAction::AccountEnabled,
        format!("account:{account_id}"),
    ));
    Ok(())
}

/// Why a conditional update of an account's standing changed nothing.
async fn settled(change: &Change<'_>, account_id: i64) -> AppError {
    match find(change.db(), account_id).await {
        Ok(Some(_)) => AppError::Conflict(Refusal::AlreadyHandled),
        Ok(None) => AppError::NotFound("This account does not exist.".to_owned()),
        Err(error) => error.into(),
    }
}

/// Operator command: makes the account with this verified email CareConnect staff.
pub async fn grant_staff(change: &mut Change<'_>, email: &str) -> Result<i64, AppError> {
    set_staff(change, email, true).await
}

/// Operator command: the account with this verified email is no longer CareConnect staff. Every
/// back-office request checks the role as it comes, so this takes effect at once.
pub async fn revoke_staff(change: &mut Change<'_>, email: &str) -> Result<i64, AppError> {
    set_staff(change, email, false).await
}

async fn set_staff(change: &mut Change<'_>, email: &str, staff: bool) -> Result<i64, AppError> {
    let email = normalize_email(email).map_err(|m| AppError::invalid("email", m))?;
    let account = find_by_email(change.db(), &email).await?.ok_or_else(|| {
        AppError::NotFound(format!(
            "No account has the verified email address {email}."
        ))
    })?;
    let account_id = account.id;
    account::Entity::update_many()
        .col_expr(account::Column::IsStaff, Expr::value(staff))
        .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(account::Column::Id.eq(account_id))
        .exec(change.db())
        .await?;
    let action = if staff {
        // The role is used only from sessions signed in through the identity provider: those
        // open now (perhaps by password) end.
        change.end_sessions(account_id, EndSessions::All).await?;
        AuditAction::StaffGranted
    } else {
        AuditAction::StaffRevoked
    };
    change.audit(
        AuditEntry::new(action, format!("account:{account_id}"))
            .with_details(json!({ "by": "operator command", "was_staff": account.is_staff })),
    );
    Ok(account_id)
}
