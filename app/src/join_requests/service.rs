//! The join-request rules over a database connection or transaction.

use super::emails;
use super::types::*;
use crate::accounts::service::verified_account;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{account, join_request, profession, worksite};
use crate::error::{AppError, Refusal};
use crate::join_requests::types::JoinRequestStatus;
use crate::memberships::service::{
    active_admins, administered, admit, as_admin, membership_of, MemberChanged,
};
use crate::memberships::types::MembershipStatus;
use crate::notifications::types::NotificationKind;
use crate::paging::read_page;
use crate::platform::{
    db::insert_unique,
    quota::{self, Quota},
    time::display_time,
    tokens::{hash_token, new_token},
    Change,
};
use crate::worksites::service::{find_by_code, summary_of};
use crate::worksites::types::WorksiteSummary;
use crate::worksites::types::{no_such_worksite, WorksiteId};
use chrono::{Duration, Utc};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set,
};
use serde_json::json;

/// How long the administrators' approval link works.
const LINK_LIFETIME: Duration = Duration::days(30);

fn already_asked(worksite: &str) -> AppError {
    AppError::Conflict(Refusal::AlreadyAsked {
        worksite: worksite.to_owned(),
    })
}

/// "Request Access": asks the worksite's administrators to let the person in; each gets the
/// guide's email and a notification.
pub async fn request(
    change: &mut Change<'_>,
    form: &AccessRequestForm,
) -> Result<WorksiteSummary, AppError> {
    let comment = form.comment.trim();
    if comment.chars().count() > COMMENT_MAX {
        return Err(AppError::invalid(
            "comment",
            format!("Use at most {COMMENT_MAX} characters."),
        ));
    }
    if crate::text::has_hidden_characters(comment, true) {
        return Err(AppError::invalid("comment", crate::text::HIDDEN_CHARACTERS));
    }
    let comment = (!comment.is_empty()).then(|| comment.to_owned());
    let account_id = change.account()?;
    let txn = change.db();
    let requester = verified_account(txn, account_id).await?;
    let worksite = find_by_code(txn, &form.code)
        .await?
        .ok_or_else(no_such_worksite)?;
    if membership_of(txn, worksite.id, account_id)
        .await?
        .is_some_and(|m| m.status == MembershipStatus::Active)
    {
        return Err(AppError::Conflict(Refusal::AlreadyYourWorksite {
            worksite: worksite.name,
        }));
    }
    quota::spend(change, Quota::JoinRequests).await?;
    let txn = change.db();
    let token = new_token();
    let now = Utc::now();
    // The partial unique index: a pending request exists already (perhaps sent a moment ago).
    let request = insert_unique(
        txn,
        join_request::ActiveModel {
            worksite_id: Set(worksite.id),
            account_id: Set(account_id),
            comment: Set(comment.clone()),
            status: Set(JoinRequestStatus::Pending.to_owned()),
            token_hash: Set(hash_token(&token)),
            token_expires_at: Set(now + LINK_LIFETIME),
            requested_at: Set(now),
            decided_at: Set(None),
            decided_by: Set(None),
            ..Default::default()
        },
        || already_asked(&worksite.name),
    )
    .await?;
    let requester_name = requester.full_name();
    let requester_email = requester.email.clone().unwrap_or_default();
    let approve_link = change
        .state()
        .config
        .link(&format!("/join-requests/approve?token={token}"));
    let admins = active_admins(txn, worksite.id).await?;
    let admin_accounts = crate::accounts::service::by_ids(txn, &admins).await?;
    for admin in admin_accounts {
        if let Some(address) = &admin.email {
            change.email(
                address,
                emails::access_requested(
                    &admin.full_name(),
                    &requester_name,
                    &requester_email,
                    &worksite.name,
                    comment.as_deref(),
                    &approve_link,
                ),
            );
        }
        change.notify(
            admin.id,
            NotificationKind::JoinRequested,
            &format!("{requester_name} would like to join {}.", worksite.name),
            &format!("/worksites/{}#requests", worksite.code),
        );
    }
    change.audit(
        AuditEntry::new(
            AuditAction::JoinRequested,
            format!("join_request:{}", request.id),
        )
        .at_worksite(worksite.id)
        .with_details(json!({ "worksite": worksite.code })),
    );
    Ok(summary_of(&worksite))
}

/// A request with its requester and their profession, read in one statement.
#[derive(FromQueryResult)]
struct WaitingRow {
    id: i64,
    given_name: String,
    family_name: String,
    email: Option<String>,
    profession: Option<String>,
    comment: Option<String>,
    requested_at: chrono::DateTime<Utc>,
}

impl From<WaitingRow> for WaitingRequest {
    fn from(row: WaitingRow) -> Self {
        WaitingRequest {
            id: row.id.into(),
            name: format!("{} {}", row.given_name, row.family_name),
            email: row.email.unwrap_or_default(),
            profession: row.profession.unwrap_or_default(),
            comment: row.comment,
            requested: display_time(row.requested_at),
        }
    }
}

/// Requests as administrators see them: each with its requester and their profession, joined
/// in the statement (a query per request for them made a worksite with many people waiting slow
/// to show).
fn waiting_requests() -> sea_orm::Select<join_request::Entity> {
    join_request::Entity::find()
        .select_only()
        .column(join_request::Column::Id)
        .column(account::Column::GivenName)
        .column(account::Column::FamilyName)
        .column(account::Column::Email)
        .column_as(profession::Column::Name, "profession")
        .column(join_request::Column::Comment)
        .column(join_request::Column::RequestedAt)
        .join(JoinType::InnerJoin, join_request::Relation::Account.def())
        .join(JoinType::LeftJoin, account::Relation::Profession.def())
}

async fn waiting_request(
    conn: &impl ConnectionTrait,
    request: &join_request::Model,
) -> Result<WaitingRequest, AppError> {
    let row = waiting_requests()
        .filter(join_request::Column::Id.eq(request.id))
        .into_model::<WaitingRow>()
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(row.into())
}

/// "Users Requesting Access": a page of the worksite's pending requests, oldest first;
/// administrators only. A page past the end is the last one.
pub async fn waiting(
    conn: &impl ConnectionTrait,
    viewer: i64,
    code: &WorksiteId,
    page: u64,
) -> Result<WaitingPage, AppError> {
    let worksite = as_admin(conn, viewer, code).await?;
    let waiting = waiting_requests()
        .filter(join_request::Column::WorksiteId.eq(worksite.id))
        .filter(join_request::Column::Status.eq(JoinRequestStatus::Pending))
        .order_by_asc(join_request::Column::RequestedAt)
        .order_by_asc(join_request::Column::Id)
        .into_model::<WaitingRow>();
    Ok(read_page(conn, waiting, page, REQUESTS_PER_PAGE)
        .await?
        .map(WaitingRequest::from))
}

/// "Accept Request" / "Reject Request": decided once, by an administrator of that worksite;
/// whoever comes second is told it is already handled. A rejection may say why: the requester
/// reads it in the email and the portal. Answers who joined, when accepted.
pub async fn decide(
    change: &mut Change<'_>,
    code: &WorksiteId,
    request_id: i64,
    decision: Decision,
    reason: &str,
) -> Result<Option<MemberChanged>, AppError> {
    let reason = match decision {
        Decision::Accept => None,
        Decision::Reject => {
            crate::text::reason(reason).map_err(|message| AppError::invalid("reason", message))?
        }
    };
    let worksite = administered(change, code).await?;
    let actor = change.account()?;
    let txn = change.db();
    let request = join_request::Entity::find_by_id(request_id)
        .filter(join_request::Column::WorksiteId.eq(worksite.id))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound("This request does not exist.".to_owned()))?;
    let now = Utc::now();
    let decided = join_request::Entity::update_many()
        .col_expr(
            join_request::Column::Status,
            Expr::value(JoinRequestStatus::decided(decision)),
        )
        .col_expr(join_request::Column::DecidedAt, Expr::value(now))
        .col_expr(join_request::Column::DecidedBy, Expr::value(actor))
        .col_expr(join_request::Column::Reason, Expr::value(reason.clone()))
        .filter(join_request::Column::Id.eq(request.id))
        .filter(join_request::Column::Status.eq(JoinRequestStatus::Pending))
        .exec(txn)
        .await?;
    if decided.rows_affected != 1 {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    let requester = crate::accounts::service::find(txn, request.account_id)
        .await?
        .ok_or(AppError::Internal)?;
    let (email, action, kind, told) = match decision {
        Decision::Accept => {
            admit(txn, worksite.id, requester.id).await?;
            let link = change
                .state()
                .config
                .link(&format!("/worksites/{}", worksite.code));
            (
                emails::request_approved(&requester.full_name(), &worksite.name, &link),
                AuditAction::JoinRequestApproved,
                NotificationKind::JoinApproved,
                format!("Your request to join {} was approved.", worksite.name),
            )
        }
        Decision::Reject => (
            emails::request_rejected(&requester.full_name(), &worksite.name, reason.as_deref()),
            AuditAction::JoinRequestRejected,
            NotificationKind::JoinRejected,
            match &reason {
                Some(reason) => format!(
                    "Your request to join {} was not approved. Reason: {reason}",
                    worksite.name
                ),
                None => format!("Your request to join {} was not approved.", worksite.name),
            },
        ),
    };
    let admins = active_admins(change.db(), worksite.id).await?;
    if let Some(address) = &requester.email {
        change.email(address, email);
    }
    change.notify(requester.id, kind, &told, "/worksites");
    let mut details = json!({ "worksite": worksite.code, "requester": requester.id });
    if let Some(reason) = &reason {
        details["reason"] = json!(reason);
    }
    change.audit(
        AuditEntry::new(action, format!("join_request:{}", request.id))
            .at_worksite(worksite.id)
            .with_details(details),
    );
    change.tell(admins);
    Ok((decision == Decision::Accept).then_some(MemberChanged {
        worksite,
        account_id: requester.id,
    }))
}

/// The person joined another way (an invitation): their pending request to join the same
/// worksite closes, so its administrators never see it waiting.
pub async fn supersede(change: &mut Change<'_>, joined: &MemberChanged) -> Result<(), AppError> {
    let txn = change.db();
    let pending = join_request::Entity::find()
        .filter(join_request::Column::WorksiteId.eq(joined.worksite.id))
        .filter(join_request::Column::AccountId.eq(joined.account_id))
        .filter(join_request::Column::Status.eq(JoinRequestStatus::Pending))
        .all(txn)
        .await?;
    let now = Utc::now();
    for request in pending {
        let closed = join_request::Entity::update_many()
            .col_expr(
                join_request::Column::Status,
                Expr::value(JoinRequestStatus::Superseded),
            )
            .col_expr(join_request::Column::DecidedAt, Expr::value(now))
            .filter(join_request::Column::Id.eq(request.id))
            .filter(join_request::Column::Status.eq(JoinRequestStatus::Pending))
            .exec(change.db())
            .await?;
        if closed.rows_affected == 1 {
            change.audit(
                AuditEntry::new(
                    AuditAction::JoinRequestSuperseded,
                    format!("join_request:{}", request.id),
                )
                .at_worksite(joined.worksite.id)
                .with_details(json!({ "worksite": joined.worksite.code })),
            );
        }
    }
    Ok(())
}

async fn by_token(
    conn: &impl ConnectionTrait,
    token: &str,
) -> Result<(join_request::Model, worksite::Model), AppError> {
    let request = join_request::Entity::find()
        .filter(join_request::Column::TokenHash.eq(hash_token(token.trim())))
        .one(conn)
        .await?
        .ok_or(AppError::Refused(Refusal::LinkInvalid))?;
    let worksite = worksite::Entity::find_by_id(request.worksite_id)
        .one(conn)
        .await?
        .ok_or(AppError::Refused(Refusal::LinkInvalid))?;
    Ok((request, worksite))
}

/// What the emailed approval link is about; only for an administrator of that worksite.
/// Reading it changes nothing (mail scanners follow links).
pub async fn preview(
    conn: &impl ConnectionTrait,
    viewer: i64,
    token: &str,
) -> Result<ApprovalPreview, AppError> {
    let (request, worksite) = by_token(conn, token).await?;
    as_admin(conn, viewer, &worksite.code).await?;
    let outcome = match request.status {
        JoinRequestStatus::Pending if request.token_expires_at <= Utc::now() => {
            Some(Refusal::LinkExpired.to_string())
        }
        JoinRequestStatus::Pending => None,
        JoinRequestStatus::Approved => Some("This request has already been approved.".to_owned()),
        JoinRequestStatus::Rejected => Some("This request has already been rejected.".to_owned()),
        JoinRequestStatus::Withdrawn => {
            Some("This request was withdrawn by the person who made it.".to_owned())
        }
        JoinRequestStatus::Superseded => Some(
            "This person has already joined the worksite by accepting an invitation.".to_owned(),
        ),
    };
    Ok(ApprovalPreview {
        request: waiting_request(conn, &request).await?,
        worksite: summary_of(&worksite),
        outcome,
    })
}

/// The approval link's button; answers who joined.
pub async fn approve_by_link(
    change: &mut Change<'_>,
    token: &str,
) -> Result<Option<MemberChanged>, AppError> {
    let (request, worksite) = by_token(change.db(), token).await?;
    if request.status == JoinRequestStatus::Pending && request.token_expires_at <= Utc::now() {
        return Err(AppError::Refused(Refusal::LinkExpired));
    }
    decide(change, &worksite.code, request.id, Decision::Accept, "").await
}

/// The person's own pending requests.
pub async fn mine(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Vec<MyRequest>, AppError> {
    let rows = join_request::Entity::find()
        .filter(join_request::Column::AccountId.eq(account_id))
        .filter(join_request::Column::Status.eq(JoinRequestStatus::Pending))
        .order_by_desc(join_request::Column::RequestedAt)
        .all(conn)
        .await?;
    let mut mine = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(worksite) = worksite::Entity::find_by_id(row.worksite_id)
            .one(conn)
            .await?
        {
            mine.push(MyRequest {
                id: row.id,
                worksite: summary_of(&worksite),
                requested: display_time(row.requested_at),
            });
        }
    }
    Ok(mine)
}

/// The person takes back their own pending request.
pub async fn withdraw(change: &mut Change<'_>, request_id: i64) -> Result<(), AppError> {
    let account_id = change.account()?;
    let txn = change.db();
    let request = join_request::Entity::find_by_id(request_id)
        .filter(join_request::Column::AccountId.eq(account_id))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound("This request does not exist.".to_owned()))?;
    let withdrawn = join_request::Entity::update_many()
        .col_expr(
            join_request::Column::Status,
            Expr::value(JoinRequestStatus::Withdrawn),
        )
        .col_expr(join_request::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(join_request::Column::DecidedBy, Expr::value(account_id))
        .filter(join_request::Column::Id.eq(request.id))
        .filter(join_request::Column::Status.eq(JoinRequestStatus::Pending))
        .exec(txn)
        .await?;
    if withdrawn.rows_affected != 1 {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    let admins = active_admins(txn, request.worksite_id).await?;
    change.audit(
        AuditEntry::new(
            AuditAction::JoinRequestWithdrawn,
            format!("join_request:{}", request.id),
        )
        .at_worksite(request.worksite_id),
    );
    change.tell(admins);
    Ok(())
}
