//! The CareConnect team's user lookup and the record of one person, which gathers their
//! worksites, applications, requirements, sponsorships and access.

use crate::accounts::service::identity_validated;
use crate::accounts::types::{PersonRecord, PersonSummary};
use crate::entities::{
    account, careconnect_access, careconnect_application, membership, sponsorship,
};
use crate::error::AppError;
use crate::memberships::types::MembershipStatus;
use crate::platform::staff::require_staff;
use crate::platform::time::display_time;
use crate::privacy::{hpcaa, service::course_status};
use crate::professions::service::{people, person};
use crate::worksites::service::by_ids;
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
    ActiveEnum, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

const MOST_FOUND: u64 = 50;

/// `%text%` with the user's own `%`, `_` and `\` taken literally.
fn contains(text: &str) -> LikeExpr {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// People whose name, username or email contains what was typed (at most 50, by name).
pub async fn find_people(
    conn: &impl ConnectionTrait,
    staff_id: i64,
    query: &str,
) -> Result<Vec<PersonSummary>, AppError> {
    require_staff(conn, staff_id).await?;
    // Control characters (a NUL above all, which PostgreSQL refuses) are in no name or address.
    let typed: String = query
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if typed.chars().count() < 2 {
        return Ok(Vec::new());
    }
    // Every word typed must be in the username, the email, or one of the names.
    let lower = |column: account::Column| Func::lower(Expr::col(column));
    let mut condition = Condition::all();
    for word in typed.split_whitespace() {
        condition = condition.add(
            Condition::any()
                .add(Expr::col(account::Column::UsernameKey).like(contains(word)))
                .add(lower(account::Column::Email).like(contains(word)))
                .add(lower(account::Column::GivenName).like(contains(word)))
                .add(lower(account::Column::FamilyName).like(contains(word))),
        );
    }
    let rows = account::Entity::find()
        .filter(condition)
        .order_by_asc(account::Column::FamilyName)
        .order_by_asc(account::Column::GivenName)
        .limit(MOST_FOUND)
        .all(conn)
        .await?;
    let found = people(conn, &rows.iter().map(|a| a.id).collect::<Vec<_>>()).await?;
    Ok(rows
        .iter()
        .filter_map(|a| found.get(&a.id))
        .map(|p| PersonSummary {
            id: p.account.id,
            name: p.name(),
            username: p.account.username.clone(),
            email: p.account.email.clone(),
            profession: p.profession.name.clone(),
        })
        .collect())
}

/// One person's account, worksites, applications, requirements, sponsorships and access.
pub async fn record(
    conn: &impl ConnectionTrait,
    staff_id: i64,
    account_id: i64,
) -> Result<PersonRecord, AppError> {
    require_staff(conn, staff_id).await?;
    let who = person(conn, account_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This account does not exist.".to_owned()))?;
    let memberships = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .all(conn)
        .await?;
    let applications = careconnect_application::Entity::find()
        .filter(careconnect_application::Column::AccountId.eq(account_id))
        .order_by_desc(careconnect_application::Column::SubmittedAt)
        .all(conn)
        .await?;
    let sponsorships = sponsorship::Entity::find()
        .filter(
            Condition::any()
                .add(sponsorship::Column::AuthorizerId.eq(account_id))
                .add(sponsorship::Column::OboId.eq(account_id)),
        )
        .order_by_desc(sponsorship::Column::RequestedAt)
        .all(conn)
        .await?;
    let grants = careconnect_access::Entity::find()
        .filter(careconnect_access::Column::AccountId.eq(account_id))
        .filter(careconnect_access::Column::EndedAt.is_null())
        .all(conn)
        .await?;
    let sites: HashMap<i64, String> = by_ids(
        conn,
        memberships
            .iter()
            .map(|m| m.worksite_id)
            .chain(applications.iter().map(|a| a.worksite_id))
            .chain(sponsorships.iter().map(|s| s.worksite_id))
            .chain(grants.iter().map(|g| g.worksite_id)),
    )
    .await?
    .into_values()
    .map(|w| (w.id, format!("{} ({})", w.name, w.code)))
    .collect();
    let others = people(
        conn,
        &sponsorships
            .iter()
            .flat_map(|s| [s.authorizer_id, s.obo_id])
            .collect::<Vec<_>>(),
    )
    .await?;
    let site = |id: i64| sites.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let other = |id: i64| {
        others
            .get(&id)
            .map_or_else(|| format!("#{id}"), |p| p.name())
    };
    let identity_validated = identity_validated(conn, account_id).await?;
    let hpcaa = match hpcaa::exemption(&who) {
        Some(reason) => reason,
        None => hpcaa::signature_of(conn, account_id)
            .await?
            .map_or("Not signed".to_owned(), |s| {
                format!("Signed on {} (version {})", s.signed_on, s.version)
            }),
    };
    Ok(PersonRecord {
        summary: PersonSummary {
            id: account_id,
            name: who.name(),
            username: who.account.username.clone(),
            email: who.account.email.clone(),
            profession: who.profession.name.clone(),
        },
        disabled: who.account.disabled_at.map(|at| {
            format!(
                "Disabled on {}: {}",
                display_time(at),
                who.account.disabled_reason.clone().unwrap_or_default()
            )
        }),
        pending_email: who.account.pending_email.clone(),
        phone: who.account.phone.clone(),
        user_type: who.user_type().label().to_owned(),
        licence_number: who.account.licence_number.clone(),
        identity_validated,
        is_staff: who.account.is_staff,
        registered_on: display_time(who.account.created_at),
        course: course_status(conn, account_id)
            .await?
            .completed_on
            .map_or("Not completed".to_owned(), |date| {
                format!("Completed on {date}")
            }),
        hpcaa,
        memberships: memberships
            .iter()
            .map(|m| {
                let standing = if m.status == MembershipStatus::Active {
                    "active"
                } else {
                    "inactive"
                };
                let admin = if m.is_admin { ", administrator" } else { "" };
                format!("{}: {standing}{admin}", site(m.worksite_id))
            })
            .collect(),
        applications: applications
            .iter()
            .map(|a| {
                let status = a.status.label();
                (
                    a.id,
                    format!(
                        "{}: {status}, submitted {}",
                        site(a.worksite_id),
                        display_time(a.submitted_at)
                    ),
                )
            })
            .collect(),
        sponsorships: sponsorships
            .iter()
            .map(|s| {
                if s.authorizer_id == account_id {
                    format!(
                        "Sponsors {} at {} ({})",
                        other(s.obo_id),
                        site(s.worksite_id),
                        s.status.to_value()
                    )
                } else {
                    format!(
                        "Sponsored by {} at {} ({})",
                        other(s.authorizer_id),
                        site(s.worksite_id),
                        s.status.to_value()
                    )
                }
            })
            .collect(),
        access: grants
            .iter()
            .map(|g| {
                format!(
                    "{}, since {}",
                    site(g.worksite_id),
                    display_time(g.granted_at)
                )
            })
            .collect(),
    })
}
