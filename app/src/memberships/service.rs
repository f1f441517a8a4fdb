//! The membership rules over a database connection or transaction.

pub use super::listing::list;
use super::name_index;
use super::types::MemberChange;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{account, membership, profession, worksite};
use crate::error::{AppError, Refusal};
use crate::memberships::types::MembershipStatus;
use crate::notifications::types::NotificationKind;
use crate::platform::{
    db::{for_update, insert_unique},
    Change,
};
use crate::professions::types::UserType;
use crate::worksites::types::WorksiteId;
use chrono::Utc;
use sea_orm::{
    sea_query::{Expr, Query},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationTrait, Select, Set, UpdateMany,
};
use serde_json::json;

pub async fn membership_of(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    account_id: i64,
) -> Result<Option<membership::Model>, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::WorksiteId.eq(worksite_id))
        .filter(membership::Column::AccountId.eq(account_id))
        .one(conn)
        .await
}

pub use super::types::not_a_member;

/// The viewer's active membership of the worksite with this Worksite ID, joined with the
/// worksite: the rule every worksite request is authorized by.
pub fn active_membership_at(account_id: i64, code: &WorksiteId) -> Select<membership::Entity> {
    membership::Entity::find()
        .join(JoinType::InnerJoin, membership::Relation::Worksite.def())
        .filter(worksite::Column::Code.eq(code.clone()))
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::Status.eq(MembershipStatus::Active))
}

/// The worksite and the viewer's active membership of it; anyone else is refused alike,
/// whether or not the worksite exists.
pub async fn as_member(
    conn: &impl ConnectionTrait,
    account_id: i64,
    code: &WorksiteId,
) -> Result<(worksite::Model, membership::Model), AppError> {
    // One query (both rows are read on nearly every worksite request): the worksite by its code,
    // the viewer's membership by (worksite, account).
    let (membership, worksite) = active_membership_at(account_id, code)
        .select_also(worksite::Entity)
        .one(conn)
        .await?
        .ok_or_else(not_a_member)?;
    let worksite = worksite.ok_or_else(not_a_member)?;
    Ok((worksite, membership))
}

/// The worksite, when the viewer is one of its active administrators.
pub async fn as_admin(
    conn: &impl ConnectionTrait,
    account_id: i64,
    code: &WorksiteId,
) -> Result<worksite::Model, AppError> {
    let (worksite, membership) = as_member(conn, account_id, code).await?;
    if !membership.is_admin {
        return Err(AppError::Forbidden);
    }
    Ok(worksite)
}

/// The worksite a member is about to change and the member's own membership, in one statement
/// that also locks both rows until the change ends (PostgreSQL re-checks them against whatever
/// committed while it waited; SQLite's write transaction already excludes other writers). Anyone
/// but an active member is refused alike, whether or not the worksite exists.
pub async fn locked_membership(
    change: &Change<'_>,
    code: &WorksiteId,
) -> Result<(worksite::Model, membership::Model), AppError> {
    let query = active_membership_at(change.account()?, code).select_also(worksite::Entity);
    let (membership, worksite) = for_update(change.db(), query)
        .one(change.db())
        .await?
        .ok_or_else(not_a_member)?;
    Ok((worksite.ok_or_else(not_a_member)?, membership))
}

/// The worksite an administrator is about to change, locked with the check that the actor is
/// one of its active administrators (see [`locked_membership`]).
pub async fn administered(
    change: &Change<'_>,
    code: &WorksiteId,
) -> Result<worksite::Model, AppError> {
    let (worksite, membership) = locked_membership(change, code).await?;
    if !membership.is_admin {
        return Err(AppError::Forbidden);
    }
    Ok(worksite)
}

/// Reads the worksite and locks it for the change ([`for_update`]) in one statement, which
/// serialises the changes to its memberships.
pub async fn lock_worksite(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
) -> Result<Option<worksite::Model>, DbErr> {
    for_update(conn, worksite::Entity::find_by_id(worksite_id))
        .one(conn)
        .await
}

/// The worksite with this Worksite ID, read and locked for the change in one statement (see
/// [`lock_worksite`]): a check made after it sees every change committed before, and none can
/// slip in until the change ends.
pub async fn find_locked(
    change: &Change<'_>,
    code: &WorksiteId,
) -> Result<Option<worksite::Model>, DbErr> {
    let query = worksite::Entity::find().filter(worksite::Column::Code.eq(code.clone()));
    for_update(change.db(), query).one(change.db()).await
}

pub async fn active_admins(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
) -> Result<Vec<i64>, DbErr> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorksiteId.eq(worksite_id))
        .filter(membership::Column::Status.eq(MembershipStatus::Active))
        .filter(membership::Column::IsAdmin.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.account_id)
        .collect())
}

/// Sets a membership active again and forgets its deactivation.
fn reactivating(update: UpdateMany<membership::Entity>) -> UpdateMany<membership::Entity> {
    update
        .col_expr(
            membership::Column::Status,
            Expr::value(MembershipStatus::Active),
        )
        .col_expr(
            membership::Column::DeactivatedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(
            membership::Column::DeactivatedBy,
            Expr::value(Option::<i64>::None),
        )
}

/// Makes the person an active member (a new membership, or an inactive one revived). Refuses
/// with `Conflict` when they already are one. Call inside the deciding transaction.
pub async fn admit(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    account_id: i64,
) -> Result<(), AppError> {
    let already = || AppError::Conflict(Refusal::AlreadyAMember);
    match membership_of(conn, worksite_id, account_id).await? {
        Some(existing) if existing.status == MembershipStatus::Active => Err(already()),
        Some(existing) => {
            let revived = reactivating(membership::Entity::update_many())
                .col_expr(membership::Column::IsAdmin, Expr::value(false))
                .col_expr(membership::Column::JoinedAt, Expr::value(Utc::now()))
                .filter(membership::Column::Id.eq(existing.id))
                .filter(membership::Column::Status.eq(MembershipStatus::Inactive))
                .exec(conn)
                .await?;
            if revived.rows_affected == 1 {
                name_index::follow_status(conn, existing.id, MembershipStatus::Active).await?;
                Ok(())
            } else {
                Err(already())
            }
        }
        None => {
            insert_membership(conn, worksite_id, account_id, false).await?;
            Ok(())
        }
    }
}

/// Memberships joined with their accounts and the accounts' professions, for lists that show
/// names and user types.
pub fn with_professions() -> sea_orm::Select<membership::Entity> {
    joined_with_professions(membership::Entity::find())
}

/// The memberships selected, joined with their accounts and the accounts' professions.
pub fn joined_with_professions(
    memberships: sea_orm::Select<membership::Entity>,
) -> sea_orm::Select<membership::Entity> {
    memberships
        .join(JoinType::InnerJoin, membership::Relation::Account.def())
        .join(JoinType::InnerJoin, account::Relation::Profession.def())
}

/// A membership's place in the member lists (`membership::Model::list_group`, `list_name`).
pub fn list_key(user_type: UserType, given_name: &str, family_name: &str) -> (i16, String) {
    let name = format!("{family_name} {given_name}").to_lowercase();
    (list_group(user_type), name)
}

/// The group a user type is listed in: Authorizers, On-Behalf-Of users, Independent users.
fn list_group(user_type: UserType) -> i16 {
    match user_type {
        UserType::Authorizer => 0,
        UserType::OnBehalfOf => 1,
        UserType::Independent => 2,
    }
}

/// Moves every membership of the profession's practitioners to the group of its new user type.
pub async fn regroup_profession(
    conn: &impl ConnectionTrait,
    profession_id: i32,
    user_type: UserType,
) -> Result<(), DbErr> {
    let practitioners = membership::Column::AccountId.in_subquery(
        Query::select()
            .column(account::Column::Id)
            .from(account::Entity)
            .and_where(account::Column::ProfessionId.eq(profession_id))
            .to_owned(),
    );
    let group = list_group(user_type);
    membership::Entity::update_many()
        .col_expr(membership::Column::ListGroup, Expr::value(group))
        .filter(practitioners.clone())
        .exec(conn)
        .await?;
    let their_memberships = Query::select()
        .column(membership::Column::Id)
        .from(membership::Entity)
        .and_where(practitioners)
        .to_owned();
    name_index::follow_group(conn, their_memberships, group).await
}

/// Makes `account_id` an active member of the worksite (an administrator or not), with its place
/// in the member lists and its name's search terms.
pub async fn insert_membership(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    account_id: i64,
    is_admin: bool,
) -> Result<membership::Model, AppError> {
    let person = account::Entity::find_by_id(account_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let user_type = profession::Entity::find_by_id(person.profession_id)
        .one(conn)
        .await?
        .and_then(|profession| UserType::from_code(&profession.user_type))
        .unwrap_or(UserType::Independent);
    let (list_group, list_name) = list_key(user_type, &person.given_name, &person.family_name);
    let row = insert_unique(
        conn,
        membership::ActiveModel {
            worksite_id: Set(worksite_id),
            account_id: Set(account_id),
            status: Set(MembershipStatus::Active.to_owned()),
            is_admin: Set(is_admin),
            joined_at: Set(Utc::now()),
            deactivated_at: Set(None),
            deactivated_by: Set(None),
            list_group: Set(list_group),
            list_name: Set(list_name),
            ..Default::default()
        },
        || AppError::Conflict(Refusal::AlreadyAMember),
    )
    .await?;
    name_index::add(conn, &row, &person.given_name, &person.family_name).await?;
    Ok(row)
}

/// An update of the membership that applies only while it is as it was read (the loser of two
/// concurrent changes is told it was already handled).
fn unchanged_since_read(target: &membership::Model) -> UpdateMany<membership::Entity> {
    membership::Entity::update_many()
        .filter(membership::Column::Id.eq(target.id))
        .filter(membership::Column::Status.eq(target.status))
        .filter(membership::Column::IsAdmin.eq(target.is_admin))
}

/// Sets the active membership inactive (no longer an administrator), by `actor`.
async fn deactivate(
    conn: &impl ConnectionTrait,
    target: &membership::Model,
    actor: i64,
) -> Result<(), AppError> {
    let updated = unchanged_since_read(target)
        .col_expr(
            membership::Column::Status,
            Expr::value(MembershipStatus::Inactive),
        )
        .col_expr(membership::Column::IsAdmin, Expr::value(false))
        .col_expr(membership::Column::DeactivatedAt, Expr::value(Utc::now()))
        .col_expr(membership::Column::DeactivatedBy, Expr::value(actor))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    name_index::follow_status(conn, target.id, MembershipStatus::Inactive).await?;
    Ok(())
}

/// "Leave Worksite": the member sets their own membership inactive. The last active
/// administrator must first promote someone else; the administrators are told. What the
/// membership carried ends in `flows::members`, as for a member an administrator sets inactive.
pub async fn leave(unit: &mut Change<'_>, code: &WorksiteId) -> Result<MemberChanged, AppError> {
    let (worksite, own) = locked_membership(unit, code).await?;
    let actor = own.account_id;
    let admins = active_admins(unit.db(), worksite.id).await?;
    if own.is_admin && admins.iter().all(|admin| *admin == actor) {
        return Err(AppError::Refused(Refusal::LastAdministratorLeaving {
            worksite: worksite.name,
        }));
    }
    deactivate(unit.db(), &own, actor).await?;
    unit.audit(
        AuditEntry::new(AuditAction::MemberLeft, format!("account:{actor}"))
            .at_worksite(worksite.id)
            .with_details(json!({ "worksite": worksite.code })),
    );
    let name = crate::accounts::service::find(unit.db(), actor)
        .await?
        .map(|account| account.full_name())
        .unwrap_or_default();
    let others: Vec<i64> = admins.into_iter().filter(|admin| *admin != actor).collect();
    for admin in &others {
        unit.notify(
            *admin,
            NotificationKind::MembershipChanged,
            &format!("{name} left {}.", worksite.name),
            &format!("/worksites/{}", worksite.code),
        );
    }
    unit.tell(others);
    unit.tell([actor]);
    Ok(MemberChanged {
        worksite,
        account_id: actor,
    })
}

/// The worksite and the member a change was about: an administrator's change, someone leaving,
/// someone admitted by an invitation or a request.
pub struct MemberChanged {
    pub worksite: worksite::Model,
    pub account_id: i64,
}

/// An administrator's change to a member of the same worksite; decided once, audited, and told
/// to the member. The last active administrator can be neither demoted nor set inactive. What a
/// membership set inactive ends elsewhere is `flows::members`' business.
pub async fn change(
    unit: &mut Change<'_>,
    code: &WorksiteId,
    membership_id: i64,
    change: MemberChange,
) -> Result<MemberChanged, AppError> {
    let worksite = administered(unit, code).await?;
    let actor = unit.account()?;
    let txn = unit.db();
    let target = membership::Entity::find_by_id(membership_id)
        .filter(membership::Column::WorksiteId.eq(worksite.id))
        .one(txn)
        .await?
        .ok_or_else(|| {
            AppError::NotFound("This person is not a member of this worksite.".to_owned())
        })?;
    let (from_active, from_admin) = match change {
        MemberChange::PromoteToAdmin => (true, false),
        MemberChange::RemoveAdmin => (true, true),
        MemberChange::SetInactive => (true, target.is_admin),
        MemberChange::SetActive => (false, false),
    };
    if (target.status == MembershipStatus::Active) != from_active || target.is_admin != from_admin {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    if target.is_admin
        && matches!(
            change,
            MemberChange::RemoveAdmin | MemberChange::SetInactive
        )
    {
        let admins = active_admins(txn, worksite.id).await?;
        if admins.iter().all(|admin| *admin == target.account_id) {
            return Err(AppError::Refused(Refusal::LastAdministrator));
        }
    }
    let update = unchanged_since_read(&target);
    match change {
        MemberChange::PromoteToAdmin | MemberChange::RemoveAdmin => {
            let is_admin = change == MemberChange::PromoteToAdmin;
            let update = update.col_expr(membership::Column::IsAdmin, Expr::value(is_admin));
            if update.exec(txn).await?.rows_affected != 1 {
                return Err(AppError::Conflict(Refusal::AlreadyHandled));
            }
        }
        MemberChange::SetInactive => deactivate(txn, &target, actor).await?,
        MemberChange::SetActive => {
            if reactivating(update).exec(txn).await?.rows_affected != 1 {
                return Err(AppError::Conflict(Refusal::AlreadyHandled));
            }
            name_index::follow_status(txn, target.id, MembershipStatus::Active).await?
        }
    }
    let action = match change {
        MemberChange::PromoteToAdmin => AuditAction::MemberPromoted,
        MemberChange::RemoveAdmin => AuditAction::MemberDemoted,
        MemberChange::SetInactive => AuditAction::MemberDeactivated,
        MemberChange::SetActive => AuditAction::MemberReactivated,
    };
    unit.audit(
        AuditEntry::new(action, format!("account:{}", target.account_id))
            .at_worksite(worksite.id)
            .with_details(json!({ "worksite": worksite.code })),
    );
    if target.account_id != actor {
        unit.notify(
            target.account_id,
            NotificationKind::MembershipChanged,
            &change.told(&worksite.name),
            "/worksites",
        );
    }
    let admins = active_admins(unit.db(), worksite.id).await?;
    unit.tell(admins);
    unit.tell([target.account_id]);
    Ok(MemberChanged {
        worksite,
        account_id: target.account_id,
    })
}
