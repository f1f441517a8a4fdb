//! Granting and ending CareConnect access, and what a person sees of it.

use super::types::*;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{careconnect_access, worksite};
use crate::error::{AppError, Refusal};
use crate::memberships::service::{find_locked, membership_of};
use crate::memberships::types::MembershipStatus;
use crate::notifications::types::NotificationKind;
use crate::platform::{db::insert_unique, time::display_time, Change};
use crate::privacy::service::course_status;
use crate::professions::{
    service::{person, Person},
    types::UserType,
};
use crate::sponsorships::service::{end_automatically, sponsors_of, Ending};
use crate::worksites::service::{by_ids, summary_of};
use crate::worksites::types::WorksiteType;
use crate::worksites::types::{no_such_worksite, WorksiteId};
use chrono::Utc;
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use std::collections::HashMap;

/// The worksite a grant or its end is about, by its Worksite ID, locked for the change.
async fn subject(change: &Change<'_>, code: &WorksiteId) -> Result<worksite::Model, AppError> {
    find_locked(change, code)
        .await?
        .ok_or_else(no_such_worksite)
}

/// Why the person's profession cannot be granted access (no Designation Order, or an
/// On-Behalf-Of user type), or `None`.
pub fn profession_refusal(who: &Person) -> Option<Refusal> {
    if !who.profession.designation_order {
        return Some(undesignated(who));
    }
    (who.user_type() == UserType::OnBehalfOf).then(|| Refusal::Because(format!("{} is an On-Behalf-Of user: they see CareConnect through the Authorizers who sponsor them.", who.name())))
}

fn undesignated(who: &Person) -> Refusal {
    Refusal::NoDesignationOrder {
        profession: who.profession.name.clone(),
    }
}

/// Why an On-Behalf-Of user cannot use the access of the Authorizers who sponsor them, or `None`.
/// Guide 000 §1B: they must complete the P&S course (they do not sign the HPCAA), and their own
/// profession must have a Designation Order.
pub async fn on_behalf_refusal(
    conn: &impl ConnectionTrait,
    who: &Person,
) -> Result<Option<Refusal>, AppError> {
    if !who.profession.designation_order {
        return Ok(Some(undesignated(who)));
    }
    if who.user_type() != UserType::OnBehalfOf {
        return Ok(Some(Refusal::Because(format!(
            "{} is not an On-Behalf-Of user: they cannot see CareConnect on someone's behalf.",
            who.name()
        ))));
    }
    let course = course_status(conn, who.account.id).await?;
    Ok(course
        .completed_on
        .is_none()
        .then(|| Refusal::Because(COURSE_NEEDED_FOR_ON_BEHALF_ACCESS.to_owned())))
}

/// Why access cannot come from this worksite, for this person, or `None`. A Home Office is for
/// physicians and nurse practitioners (Authorizers) who already have access from a physical
/// worksite.
pub async fn worksite_refusal(
    conn: &impl ConnectionTrait,
    who: &Person,
    worksite: &worksite::Model,
) -> Result<Option<String>, AppError> {
    let worksite_type =
        WorksiteType::from_code(&worksite.worksite_type).unwrap_or(WorksiteType::Other);
    if worksite_type.eligible_for_careconnect() {
        return Ok(None);
    }
    if worksite_type != WorksiteType::HomeOffice {
        return Ok(Some(format!(
            "{} is a {} worksite: its members cannot be granted CareConnect access.",
            worksite.name,
            worksite_type.label()
        )));
    }
    if who.user_type() != UserType::Authorizer {
        return Ok(Some(
            "Access from a Home Office worksite is for physicians and nurse practitioners only."
                .to_owned(),
        ));
    }
    let grants = current_grants(conn, &[who.account.id]).await?;
    let physical = worksite::Entity::find()
        .filter(worksite::Column::Id.is_in(grants.keys().map(|(_, worksite_id)| *worksite_id)))
        .filter(worksite::Column::WorksiteType.ne(WorksiteType::HomeOffice.code()))
        .count(conn)
        .await?;
    Ok((physical == 0).then(|| "Access from a Home Office worksite is granted only once you have CareConnect access from a physical worksite.".to_owned()))
}

/// Why the person is not an active member of the worksite, or `None`.
pub async fn membership_refusal(
    conn: &impl ConnectionTrait,
    who: &Person,
    worksite: &worksite::Model,
) -> Result<Option<String>, AppError> {
    Ok(membership_of(conn, worksite.id, who.account.id)
        .await?
        .is_none_or(|m| m.status != MembershipStatus::Active)
        .then(|| {
            format!(
                "{} is not an active member of {}.",
                who.name(),
                worksite.name
            )
        }))
}

/// Grants the person CareConnect access from the worksite, when every rule allows it.
pub async fn grant(
    change: &mut Change<'_>,
    account_id: i64,
    code: &WorksiteId,
) -> Result<(), AppError> {
    let worksite = subject(change, code).await?;
    grant_at(change, account_id, &worksite).await
}

/// [`grant`] from a worksite the change holds locked already (an approval).
pub async fn grant_at(
    change: &mut Change<'_>,
    account_id: i64,
    worksite: &worksite::Model,
) -> Result<(), AppError> {
    let txn = change.db();
    let who = person(txn, account_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This account does not exist.".to_owned()))?;
    if let Some(reason) = profession_refusal(&who) {
        return Err(AppError::Refused(reason));
    }
    if let Some(reason) = worksite_refusal(txn, &who, worksite).await? {
        return Err(AppError::Refused(reason.into()));
    }
    if let Some(reason) = membership_refusal(txn, &who, worksite).await? {
        return Err(AppError::Refused(reason.into()));
    }
    let row = insert_unique(
        txn,
        careconnect_access::ActiveModel {
            account_id: Set(account_id),
            worksite_id: Set(worksite.id),
            granted_at: Set(Utc::now()),
            granted_by: Set(change.actor().account),
            ended_at: Set(None),
            end_reason: Set(None),
            ..Default::default()
        },
        || {
            AppError::Conflict(Refusal::Because(format!(
                "{} already has CareConnect access from {}.",
                who.name(),
                worksite.name
            )))
        },
    )
    .await?;
    change.notify(
        account_id,
        NotificationKind::AccessChanged,
        &format!("You have CareConnect access from {}.", worksite.name),
        "/",
    );
    change.audit(
        AuditEntry::new(
            AuditAction::CareConnectAccessGranted,
            format!("account:{account_id}"),
        )
        .at_worksite(worksite.id)
        .with_details(json!({ "grant": row.id })),
    );
    Ok(())
}

/// Ends the person's access from the worksite, and with it the sponsorships the person gives
/// there; everyone concerned is told.
pub async fn end(
    change: &mut Change<'_>,
    account_id: i64,
    code: &WorksiteId,
    reason: &str,
) -> Result<(), AppError> {
    let worksite = subject(change, code).await?;
    if !end_current(change.db(), worksite.id, account_id, reason).await? {
        return Err(AppError::Conflict(
            "This person has no CareConnect access from this worksite.".into(),
        ));
    }
    end_automatically(
        change,
        Ending::AuthorizerAccess {
            worksite_id: worksite.id,
            account_id,
        },
    )
    .await?;
    change.notify(
        account_id,
        NotificationKind::AccessChanged,
        &format!("Your CareConnect access from {} has ended.", worksite.name),
        "/",
    );
    change.audit(
        AuditEntry::new(
            AuditAction::CareConnectAccessEnded,
            format!("account:{account_id}"),
        )
        .at_worksite(worksite.id)
        .with_details(json!({ "reason": reason })),
    );
    Ok(())
}

/// Ends the current grant, if any, inside the caller's transaction (e.g. when the membership
/// becomes inactive). Returns whether there was one.
pub async fn end_current(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    account_id: i64,
    reason: &str,
) -> Result<bool, AppError> {
    let ended = careconnect_access::Entity::update_many()
        .col_expr(careconnect_access::Column::EndedAt, Expr::value(Utc::now()))
        .col_expr(careconnect_access::Column::EndReason, Expr::value(reason))
        .filter(careconnect_access::Column::AccountId.eq(account_id))
        .filter(careconnect_access::Column::WorksiteId.eq(worksite_id))
        .filter(careconnect_access::Column::EndedAt.is_null())
        .exec(conn)
        .await?;
    Ok(ended.rows_affected > 0)
}

/// Current grants of these accounts, keyed by (account, worksite).
async fn current_grants(
    conn: &impl ConnectionTrait,
    account_ids: &[i64],
) -> Result<HashMap<(i64, i64), careconnect_access::Model>, AppError> {
    Ok(careconnect_access::Entity::find()
        .filter(careconnect_access::Column::AccountId.is_in(account_ids.iter().copied()))
        .filter(careconnect_access::Column::EndedAt.is_null())
        .order_by_asc(careconnect_access::Column::GrantedAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|grant| ((grant.account_id, grant.worksite_id), grant))
        .collect())
}

/// What the person's home page says about their CareConnect access.
pub async fn overview(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<AccessOverview, AppError> {
    let me = person(conn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let mut overview = AccessOverview {
        user_type: me.user_type(),
        profession: me.profession.name.clone(),
        designated: me.profession.designation_order,
        own: Vec::new(),
        on_behalf_of: Vec::new(),
        on_behalf_refusal: None,
    };
    if me.user_type() == UserType::OnBehalfOf {
        overview.on_behalf_refusal = on_behalf_refusal(conn, &me)
            .await?
            .map(|refusal| refusal.to_string());
        let sponsors = sponsors_of(conn, account_id).await?;
        let authorizer_ids: Vec<i64> = sponsors.iter().map(|s| s.authorizer_id).collect();
        let grants = current_grants(conn, &authorizer_ids).await?;
        let authorizers = crate::professions::service::people(conn, &authorizer_ids).await?;
        let sites = by_ids(conn, sponsors.iter().map(|s| s.worksite_id)).await?;
        for sponsorship in sponsors {
            let (Some(authorizer), Some(site)) = (
                authorizers.get(&sponsorship.authorizer_id),
                sites.get(&sponsorship.worksite_id),
            ) else {
                continue;
            };
            overview.on_behalf_of.push(ActingFor {
                sponsorship_id: sponsorship.id,
                authorizer: authorizer.name(),
                worksite: summary_of(site),
                access_since: grants
                    .get(&(sponsorship.authorizer_id, sponsorship.worksite_id))
                    .map(|grant| display_time(grant.granted_at)),
            });
        }
    } else {
        let grants = current_grants(conn, &[account_id]).await?;
        let sites = by_ids(conn, grants.values().map(|g| g.worksite_id)).await?;
        let mut own: Vec<AccessGrant> = grants
            .values()
            .filter_map(|grant| {
                sites.get(&grant.worksite_id).map(|site| AccessGrant {
                    worksite: summary_of(site),
                    since: display_time(grant.granted_at),
                })
            })
            .collect();
        own.sort_by(|a, b| a.worksite.name.cmp(&b.worksite.name));
        overview.own = own;
    }
    Ok(overview)
}

/// "Open CareConnect": checks that the person may see CareConnect from the worksite (as
/// themselves, or on behalf of the Authorizer of their active sponsorship), records it, and
/// returns where the viewer is.
pub async fn open(
    change: &mut Change<'_>,
    code: &WorksiteId,
    sponsorship_id: Option<i64>,
) -> Result<String, AppError> {
    let account_id = change.account()?;
    let db = change.db();
    let entry_url = change.state().config.careconnect_entry().ok_or_else(|| {
        AppError::Refused(
            "CareConnect's address is not configured yet. Please contact the CareConnect team."
                .into(),
        )
    })?;
    let (worksite, _) = crate::memberships::service::as_member(db, account_id, code).await?;
    let mut entry = AuditEntry::new(
        AuditAction::CareConnectOpened,
        format!("worksite:{}", worksite.code),
    )
    .at_worksite(worksite.id);
    let viewer = match sponsorship_id {
        None => account_id,
        Some(id) => {
            let sponsorship = crate::entities::sponsorship::Entity::find_by_id(id)
                .filter(crate::entities::sponsorship::Column::OboId.eq(account_id))
                .filter(crate::entities::sponsorship::Column::WorksiteId.eq(worksite.id))
                .filter(crate::sponsorships::service::in_force(
                    crate::platform::time::today_in_bc(chrono::Utc::now()),
                ))
                .one(db)
                .await?
                .ok_or_else(|| AppError::NotFound("This sponsorship does not exist.".to_owned()))?;
            let me = person(db, account_id)
                .await?
                .ok_or(AppError::Unauthenticated)?;
            if let Some(reason) = on_behalf_refusal(db, &me).await? {
                return Err(AppError::Refused(reason));
            }
            entry = entry.on_behalf_of(sponsorship.authorizer_id);
            sponsorship.authorizer_id
        }
    };
    if !current_grants(db, &[viewer])
        .await?
        .contains_key(&(viewer, worksite.id))
    {
        return Err(AppError::Refused(Refusal::Because(format!(
            "There is no CareConnect access from {} to open.",
            worksite.name
        ))));
    }
    change.audit(entry);
    Ok(entry_url)
}
