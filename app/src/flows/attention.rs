//! What needs a person's attention, for the header's counter and the home page's popup: unread
//! notifications, join requests waiting at the worksites they administer, and sponsorship
//! requests waiting for them as an Authorizer.

use crate::entities::{join_request, membership, notification, sponsorship, worksite};
use crate::notifications::types::{Attention, WaitingRequests};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use std::collections::HashMap;

/// Unread notifications, and the worksites the person administers where people wait.
pub async fn attention(conn: &impl ConnectionTrait, account_id: i64) -> Result<Attention, DbErr> {
    let unread_notifications = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(account_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(conn)
        .await?;
    let administered = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::Status.eq(crate::memberships::types::MembershipStatus::Active))
        .filter(membership::Column::IsAdmin.eq(true))
        .find_also_related(worksite::Entity)
        .all(conn)
        .await?;
    // One grouped count for all the worksites: this runs for every page a signed-in person loads.
    let worksite_ids: Vec<i64> = administered.iter().map(|(m, _)| m.worksite_id).collect();
    let counts: HashMap<i64, i64> = if worksite_ids.is_empty() {
        HashMap::new()
    } else {
        join_request::Entity::find()
            .select_only()
            .column(join_request::Column::WorksiteId)
            .column_as(Expr::col(join_request::Column::Id).count(), "waiting")
            .filter(join_request::Column::WorksiteId.is_in(worksite_ids))
            .filter(
                join_request::Column::Status
                    .eq(crate::join_requests::types::JoinRequestStatus::Pending),
            )
            .group_by(join_request::Column::WorksiteId)
            .into_tuple::<(i64, i64)>()
            .all(conn)
            .await?
            .into_iter()
            .collect()
    };
    let mut waiting_requests: Vec<WaitingRequests> = administered
        .into_iter()
        .filter_map(|(membership, worksite)| {
            let count = *counts.get(&membership.worksite_id)?;
            let worksite = worksite?;
            Some(WaitingRequests {
                code: worksite.code,
                name: worksite.name,
                count: u64::try_from(count).unwrap_or_default(),
            })
        })
        .collect();
    waiting_requests.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Attention {
        unread_notifications,
        waiting_requests,
        sponsorship_requests: sponsorship_requests(conn, account_id).await?,
    })
}

/// Worksites where On-Behalf-Of users wait for this Authorizer, with how many: one grouped query
/// on the Authorizer's index.
async fn sponsorship_requests(
    conn: &impl ConnectionTrait,
    authorizer_id: i64,
) -> Result<Vec<WaitingRequests>, DbErr> {
    let counts: HashMap<i64, i64> = sponsorship::Entity::find()
        .select_only()
        .column(sponsorship::Column::WorksiteId)
        .column_as(Expr::col(sponsorship::Column::Id).count(), "waiting")
        .filter(sponsorship::Column::AuthorizerId.eq(authorizer_id))
        .filter(
            sponsorship::Column::Status
                .eq(crate::sponsorships::types::SponsorshipStatus::Requested),
        )
        .group_by(sponsorship::Column::WorksiteId)
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    if counts.is_empty() {
        return Ok(Vec::new());
    }
    let mut waiting: Vec<WaitingRequests> = worksite::Entity::find()
        .filter(worksite::Column::Id.is_in(counts.keys().copied()))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|worksite| {
            Some(WaitingRequests {
                count: u64::try_from(*counts.get(&worksite.id)?).unwrap_or_default(),
                code: worksite.code,
                name: worksite.name,
            })
        })
        .collect();
    waiting.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(waiting)
}
