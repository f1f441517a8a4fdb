//! The invitation rules over a database connection or transaction.

use super::emails;
use super::types::*;
use crate::accounts::types::normalize_email;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{account, invitation, membership, worksite};
use crate::error::{AppError, Refusal};
use crate::invitations::types::InvitationStatus;
use crate::memberships::service::{
    active_admins, administered, admit, as_admin, lock_worksite, MemberChanged,
};
use crate::memberships::types::MembershipStatus;
use crate::notifications::types::NotificationKind;
use crate::paging::{read_page, NumberedPage};
use crate::platform::{
    db::insert_unique,
    quota::{self, Quota},
    time::display_time,
    tokens::{hash_token, new_token},
    Change,
};
use crate::worksites::service::summary_of;
use crate::worksites::types::WorksiteId;
use chrono::{Duration, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set,
};
use serde_json::json;

fn awaiting_already(email: &str) -> AppError {
    AppError::invalid(
        "email",
        format!("An invitation to {email} is already awaiting a response. Use Resend below to send it again."),
    )
}

async fn inviter_name(conn: &impl ConnectionTrait, account_id: i64) -> Result<String, AppError> {
    Ok(crate::accounts::service::find(conn, account_id)
        .await?
        .map(|a| a.full_name())
        .unwrap_or_else(|| "A Group / Site Administrator".to_owned()))
}

/// How audit events and emails name an invitation.
fn target(id: i64) -> String {
    format!("invitation:{id}")
}

/// Queues the invitation's email, from the acting administrator, with the link's token.
async fn send(
    change: &mut Change<'_>,
    worksite: &worksite::Model,
    email: &str,
    token: &str,
    expires_at: chrono::DateTime<Utc>,
) -> Result<(), AppError> {
    let link = change
        .state()
        .config
        .link(&format!("/invitations/accept?token={token}"));
    let inviter = inviter_name(change.db(), change.account()?).await?;
    change.email(
        email,
        emails::invitation(
            &inviter,
            &worksite.name,
            worksite.code.as_str(),
            email,
            &link,
            &display_time(expires_at),
        ),
    );
    Ok(())
}

/// "Invite User": emails an invitation to join the worksite; administrators only. Returns the
/// address it was sent to.
pub async fn invite(
    change: &mut Change<'_>,
    code: &WorksiteId,
    email: &str,
) -> Result<String, AppError> {
    let email = normalize_email(email).map_err(|message| AppError::invalid("email", message))?;
    let worksite = administered(change, code).await?;
    let actor = change.account()?;
    let txn = change.db();
    let already_member = membership::Entity::find()
        .join(JoinType::InnerJoin, membership::Relation::Account.def())
        .filter(membership::Column::WorksiteId.eq(worksite.id))
        .filter(membership::Column::Status.eq(MembershipStatus::Active))
        .filter(account::Column::Email.eq(&email))
        .count(txn)
        .await?
        > 0;
    if already_member {
        return Err(AppError::invalid(
            "email",
            format!("{email} already belongs to a member of this worksite."),
        ));
    }
    quota::spend(change, Quota::Invitations).await?;
    let txn = change.db();
    let token = new_token();
    let now = Utc::now();
    let expires_at = now + Duration::days(change.state().config.invitation_days);
    let row = insert_unique(
        txn,
        invitation::ActiveModel {
            worksite_id: Set(worksite.id),
            email: Set(email.clone()),
            status: Set(InvitationStatus::Pending.to_owned()),
            token_hash: Set(hash_token(&token)),
            invited_by: Set(actor),
            invited_at: Set(now),
            last_sent_at: Set(now),
            emails_sent: Set(1),
            expires_at: Set(expires_at),
            closed_at: Set(None),
            accepted_by: Set(None),
            ..Default::default()
        },
        || awaiting_already(&email),
    )
    .await?;
    send(change, &worksite, &email, &token, expires_at).await?;
    change.audit(
        AuditEntry::new(AuditAction::InvitationSent, target(row.id))
            .at_worksite(worksite.id)
            .with_details(json!({ "email": email })),
    );
    Ok(email)
}

/// "Invites Awaiting Response": a page of the worksite's pending invitations, newest first;
/// administrators only. A page past the end is the last one.
pub async fn awaiting(
    conn: &impl ConnectionTrait,
    viewer: i64,
    code: &WorksiteId,
    page: u64,
) -> Result<NumberedPage<AwaitingInvitation>, AppError> {
    let worksite = as_admin(conn, viewer, code).await?;
    let now = Utc::now();
    let pending = invitation::Entity::find()
        .filter(invitation::Column::WorksiteId.eq(worksite.id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .order_by_desc(invitation::Column::InvitedAt)
        .order_by_desc(invitation::Column::Id);
    let page = read_page(conn, pending, page, INVITATIONS_PER_PAGE).await?;
    let about: Vec<String> = page.items.iter().map(|row| target(row.id)).collect();
    let mut deliveries = crate::mail::log::latest_about(conn, &about).await?;
    Ok(page.map(|row| AwaitingInvitation {
        delivery: deliveries.remove(&target(row.id)),
        id: row.id,
        email: row.email,
        invited_on: display_time(row.invited_at),
        emails_sent: row.emails_sent,
        expires: display_time(row.expires_at),
        expired: row.expires_at <= now,
    }))
}

async fn pending_at(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    invitation_id: i64,
) -> Result<invitation::Model, AppError> {
    invitation::Entity::find_by_id(invitation_id)
        .filter(invitation::Column::WorksiteId.eq(worksite_id))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("This invitation does not exist.".to_owned()))
        .and_then(|row| {
            if row.status == InvitationStatus::Pending {
                Ok(row)
            } else {
                Err(AppError::Conflict(Refusal::AlreadyHandled))
            }
        })
}

/// "Resend": a new link (the old one stops working), a new expiry, one more email. `seen` is the
/// number of emails the administrator saw, so a double click sends one email, not two.
pub async fn resend(
    change: &mut Change<'_>,
    code: &WorksiteId,
    invitation_id: i64,
    seen: i32,
) -> Result<(), AppError> {
    let worksite = administered(change, code).await?;
    let row = pending_at(change.db(), worksite.id, invitation_id).await?;
    quota::spend(change, Quota::InvitationResends).await?;
    let txn = change.db();
    let token = new_token();
    let now = Utc::now();
    let expires_at = now + Duration::days(change.state().config.invitation_days);
    let updated = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::TokenHash,
            Expr::value(hash_token(&token)),
        )
        .col_expr(invitation::Column::ExpiresAt, Expr::value(expires_at))
        .col_expr(invitation::Column::LastSentAt, Expr::value(now))
        .col_expr(
            invitation::Column::EmailsSent,
            Expr::col(invitation::Column::EmailsSent).add(1),
        )
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .filter(invitation::Column::EmailsSent.eq(seen))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    send(change, &worksite, &row.email, &token, expires_at).await?;
    change.audit(
        AuditEntry::new(AuditAction::InvitationResent, target(row.id))
            .at_worksite(worksite.id)
            .with_details(json!({ "email": row.email, "emails_sent": seen + 1 })),
    );
    Ok(())
}

/// "Revoke": the invitation's link stops working.
pub async fn revoke(
    change: &mut Change<'_>,
    code: &WorksiteId,
    invitation_id: i64,
) -> Result<(), AppError> {
    let worksite = administered(change, code).await?;
    let txn = change.db();
    let row = pending_at(txn, worksite.id, invitation_id).await?;
    let revoked = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::Status,
            Expr::value(InvitationStatus::Revoked),
        )
        .col_expr(invitation::Column::ClosedAt, Expr::value(Utc::now()))
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .exec(txn)
        .await?;
    if revoked.rows_affected != 1 {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    change.audit(
        AuditEntry::new(AuditAction::InvitationRevoked, target(row.id))
            .at_worksite(worksite.id)
            .with_details(json!({ "email": row.email })),
    );
    Ok(())
}

/// Revokes the pending invitations the person sent for the worksite (they are no longer an
/// active member, so those invitations no longer speak for it); each is audited.
pub async fn revoke_sent_by(
    change: &mut Change<'_>,
    worksite: &worksite::Model,
    inviter: i64,
) -> Result<(), AppError> {
    let pending = invitation::Entity::find()
        .filter(invitation::Column::WorksiteId.eq(worksite.id))
        .filter(invitation::Column::InvitedBy.eq(inviter))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .all(change.db())
        .await?;
    if pending.is_empty() {
        return Ok(());
    }
    invitation::Entity::update_many()
        .col_expr(
            invitation::Column::Status,
            Expr::value(InvitationStatus::Revoked),
        )
        .col_expr(invitation::Column::ClosedAt, Expr::value(Utc::now()))
        .filter(invitation::Column::Id.is_in(pending.iter().map(|row| row.id)))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .exec(change.db())
        .await?;
    for row in pending {
        change.audit(
            AuditEntry::new(AuditAction::InvitationRevoked, target(row.id))
                .at_worksite(worksite.id)
                .with_details(json!({ "email": row.email, "reason": "inviter_inactive" })),
        );
    }
    Ok(())
}

async fn view_of(
    conn: &impl ConnectionTrait,
    row: &invitation::Model,
) -> Result<InvitationView, AppError> {
    let worksite = worksite::Entity::find_by_id(row.worksite_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(InvitationView {
        id: row.id,
        worksite: summary_of(&worksite),
        inviter: inviter_name(conn, row.invited_by).await?,
        email: row.email.clone(),
        expires: display_time(row.expires_at),
    })
}

fn no_such_invitation() -> AppError {
    AppError::NotFound("This invitation does not exist, or it is not for you.".to_owned())
}

/// Why an invitation cannot be accepted now, if it cannot.
fn closed_reason(row: &invitation::Model) -> Option<Refusal> {
    match row.status {
        InvitationStatus::Pending if row.expires_at <= Utc::now() => {
            Some(Refusal::InvitationExpired)
        }
        InvitationStatus::Pending => None,
        InvitationStatus::Accepted => Some(Refusal::InvitationAccepted),
        InvitationStatus::Revoked => Some(Refusal::InvitationWithdrawn),
        InvitationStatus::Superseded => Some(Refusal::InvitationSuperseded),
    }
}

/// Only the person whose verified email was invited may accept. Whoever holds the emailed link
/// may be told the address it was sent to: it is in the email.
fn refuse_unless_invited(
    invitee: &account::Model,
    row: &invitation::Model,
) -> Result<(), AppError> {
    if invitee.email.as_deref() == Some(row.email.as_str()) {
        Ok(())
    } else {
        Err(AppError::Refused(Refusal::InvitationForSomeoneElse {
            email: row.email.clone(),
        }))
    }
}

/// What the emailed link shows; changes nothing.
pub async fn standing(
    conn: &impl ConnectionTrait,
    viewer: Option<i64>,
    token: &str,
) -> Result<InvitationStanding, AppError> {
    let row = invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(hash_token(token.trim())))
        .one(conn)
        .await?
        .ok_or(AppError::Refused(Refusal::LinkInvalid))?;
    if let Some(reason) = closed_reason(&row) {
        return Ok(InvitationStanding::Closed(reason.to_string()));
    }
    let view = view_of(conn, &row).await?;
    let Some(viewer) = viewer else {
        return Ok(InvitationStanding::SignInFirst(view));
    };
    let invitee = crate::accounts::service::find(conn, viewer)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    match refuse_unless_invited(&invitee, &row) {
        Ok(()) => Ok(InvitationStanding::Open(view)),
        Err(refusal) => Ok(InvitationStanding::Closed(refusal.to_string())),
    }
}

/// The invitations waiting for the person's verified email address (shown on their home page,
/// so someone who registered after being invited finds them).
pub async fn for_invitee(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Vec<InvitationView>, AppError> {
    let Some(email) = crate::accounts::service::find(conn, account_id)
        .await?
        .and_then(|a| a.email)
    else {
        return Ok(Vec::new());
    };
    let rows = invitation::Entity::find()
        .filter(invitation::Column::Email.eq(email))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .filter(invitation::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(invitation::Column::InvitedAt)
        .limit(50)
        .all(conn)
        .await?;
    let mut views = Vec::with_capacity(rows.len());
    for row in &rows {
        views.push(view_of(conn, row).await?);
    }
    Ok(views)
}

/// Which invitation is being accepted: the emailed link's token, or (from the home page) its id.
pub enum Accepting<'a> {
    Token(&'a str),
    Id(i64),
}

/// Accepts the invitation: the signed-in person, whose verified email was invited, becomes an
/// active member. Exactly one of several concurrent acceptances succeeds.
pub async fn accept(
    change: &mut Change<'_>,
    which: Accepting<'_>,
) -> Result<MemberChanged, AppError> {
    let invitee_id = change.account()?;
    let txn = change.db();
    let invitee = crate::accounts::service::find(txn, invitee_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let row = match which {
        Accepting::Token(token) => invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(hash_token(token.trim())))
            .one(txn)
            .await?
            .ok_or(AppError::Refused(Refusal::LinkInvalid))?,
        // By id only the invitee's own invitations are found: another person's id answers as a
        // missing one, so ids tell nobody who was invited.
        Accepting::Id(id) => invitation::Entity::find_by_id(id)
            .filter(invitation::Column::Email.eq(invitee.email.clone().unwrap_or_default()))
            .one(txn)
            .await?
            .ok_or_else(no_such_invitation)?,
    };
    refuse_unless_invited(&invitee, &row)?;
    if let Some(reason) = closed_reason(&row) {
        return Err(
            if matches!(
                reason,
                Refusal::InvitationAccepted | Refusal::InvitationSuperseded
            ) {
                AppError::Conflict(reason)
            } else {
                AppError::Refused(reason)
            },
        );
    }
    let worksite = lock_worksite(txn, row.worksite_id)
        .await?
        .ok_or(AppError::Internal)?;
    let accepted = invitation::Entity::update_many()
        .col_expr(
            invitation::Column::Status,
            Expr::value(InvitationStatus::Accepted),
        )
        .col_expr(invitation::Column::ClosedAt, Expr::value(Utc::now()))
        .col_expr(invitation::Column::AcceptedBy, Expr::value(invitee_id))
        .filter(invitation::Column::Id.eq(row.id))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .exec(txn)
        .await?;
    if accepted.rows_affected != 1 {
        return Err(AppError::Conflict(Refusal::InvitationAccepted));
    }
    admit(txn, worksite.id, invitee_id)
        .await
        .map_err(|error| match error {
            AppError::Conflict(_) => AppError::Conflict(Refusal::AlreadyYourWorksite {
                worksite: worksite.name.clone(),
            }),
            other => other,
        })?;
    let admins = active_admins(txn, worksite.id).await?;
    change.notify(
        row.invited_by,
        NotificationKind::InvitationAccepted,
        &format!(
            "{} accepted your invitation to join {}.",
            invitee.full_name(),
            worksite.name
        ),
        &format!("/worksites/{}", worksite.code),
    );
    change.audit(
        AuditEntry::new(AuditAction::InvitationAccepted, target(row.id))
            .at_worksite(worksite.id)
            .with_details(json!({ "email": row.email })),
    );
    change.tell(admins);
    Ok(MemberChanged {
        worksite,
        account_id: invitee_id,
    })
}

/// The person joined another way (their request was approved): invitations to their address
/// for the same worksite close, so nobody follows a link to a worksite they already belong to.
pub async fn supersede(change: &mut Change<'_>, joined: &MemberChanged) -> Result<(), AppError> {
    let txn = change.db();
    let Some(email) = crate::accounts::service::find(txn, joined.account_id)
        .await?
        .and_then(|account| account.email)
    else {
        return Ok(());
    };
    let pending = invitation::Entity::find()
        .filter(invitation::Column::WorksiteId.eq(joined.worksite.id))
        .filter(invitation::Column::Email.eq(&email))
        .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
        .all(txn)
        .await?;
    let now = Utc::now();
    for row in pending {
        let closed = invitation::Entity::update_many()
            .col_expr(
                invitation::Column::Status,
                Expr::value(InvitationStatus::Superseded),
            )
            .col_expr(invitation::Column::ClosedAt, Expr::value(now))
            .filter(invitation::Column::Id.eq(row.id))
            .filter(invitation::Column::Status.eq(InvitationStatus::Pending))
            .exec(change.db())
            .await?;
        if closed.rows_affected == 1 {
            change.audit(
                AuditEntry::new(AuditAction::InvitationSuperseded, target(row.id))
                    .at_worksite(joined.worksite.id)
                    .with_details(json!({ "email": row.email })),
            );
        }
    }
    Ok(())
}
