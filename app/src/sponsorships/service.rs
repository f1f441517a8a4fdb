//! The sponsorship rules over a database connection or transaction. Every change locks the
//! worksite first, so it is serialised with membership changes that end sponsorships.

use super::emails;
use super::types::*;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{account, membership, profession, sponsorship, worksite};
use crate::error::{AppError, Refusal};
use crate::mail::message::Email;
use crate::memberships::service::{as_member, locked_membership, with_professions};
use crate::memberships::types::MembershipStatus;
use crate::notifications::types::NotificationKind;
use crate::platform::{
    db::insert_unique,
    time::{display_time, today_in_bc},
    Change,
};
use crate::professions::{
    service::{people, person, Person},
    types::UserType,
};
use crate::sponsorships::types::SponsorshipStatus;
use crate::worksites::types::WorksiteId;
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;
use std::collections::HashSet;

/// The most candidates a tab offers; a worksite rarely has more Authorizers or support staff.
const CANDIDATE_LIMIT: u64 = 500;

/// The viewer at a worksite where they are an active member, with their user type.
async fn as_party(
    conn: &impl ConnectionTrait,
    viewer: i64,
    code: &WorksiteId,
) -> Result<(worksite::Model, Person), AppError> {
    let (worksite, _) = as_member(conn, viewer, code).await?;
    let me = person(conn, viewer)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok((worksite, me))
}

/// [`as_party`] for a change: the worksite and the actor's membership are locked as they are
/// read, so the membership cannot become inactive before the change commits.
async fn as_party_locked(
    change: &Change<'_>,
    code: &WorksiteId,
) -> Result<(worksite::Model, Person), AppError> {
    let (worksite, membership) = locked_membership(change, code).await?;
    let me = person(change.db(), membership.account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok((worksite, me))
}

fn refuse_unless(me: &Person, side: UserType) -> Result<(), AppError> {
    if me.user_type() == side {
        return Ok(());
    }
    Err(AppError::Refused(
        match side {
            UserType::Authorizer => {
                "Only Authorizers (physicians and nurse practitioners) sponsor On-Behalf-Of users."
            }
            _ => "Only On-Behalf-Of users (support staff such as MOAs) ask for sponsorship.",
        }
        .into(),
    ))
}

/// Another active member of the worksite, by membership id, who has the wanted user type.
async fn counterpart(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    membership_id: i64,
    viewer: i64,
    wanted: UserType,
) -> Result<Person, AppError> {
    let missing =
        || AppError::NotFound("This person is not an active member of this worksite.".to_owned());
    let membership = membership::Entity::find_by_id(membership_id)
        .filter(membership::Column::WorksiteId.eq(worksite_id))
        .filter(membership::Column::Status.eq(MembershipStatus::Active))
        .one(conn)
        .await?
        .ok_or_else(missing)?;
    if membership.account_id == viewer {
        return Err(AppError::Refused("You cannot sponsor yourself.".into()));
    }
    let other = person(conn, membership.account_id)
        .await?
        .ok_or_else(missing)?;
    if other.user_type() != wanted {
        return Err(AppError::Refused(Refusal::Because(format!(
            "{} is not an {}: sponsorship joins an Authorizer and an On-Behalf-Of user.",
            other.name(),
            wanted.label()
        ))));
    }
    Ok(other)
}

/// The actor (who must be of `side`) and the member of the other user type they pair with,
/// both active members of the locked worksite.
async fn pairing(
    change: &Change<'_>,
    code: &WorksiteId,
    membership_id: i64,
    side: UserType,
) -> Result<(worksite::Model, Person, Person), AppError> {
    let (worksite, me) = as_party_locked(change, code).await?;
    refuse_unless(&me, side)?;
    let other_side = match side {
        UserType::Authorizer => UserType::OnBehalfOf,
        _ => UserType::Authorizer,
    };
    let other = counterpart(
        change.db(),
        worksite.id,
        membership_id,
        me.account.id,
        other_side,
    )
    .await?;
    Ok((worksite, me, other))
}

fn listing(row: &sponsorship::Model, other: Option<&Person>) -> SponsorshipListing {
    SponsorshipListing {
        id: row.id.into(),
        name: other.map(Person::name).unwrap_or_default(),
        profession: other.map(|p| p.profession.name.clone()).unwrap_or_default(),
        since: display_time(row.decided_at.unwrap_or(row.requested_at)),
        last_day: row.last_day,
    }
}

/// The viewer's own sponsorships at the worksite, and whom they could sponsor or ask.
pub async fn view(
    conn: &impl ConnectionTrait,
    viewer: i64,
    code: &WorksiteId,
) -> Result<SponsorshipsView, AppError> {
    let (worksite, me) = as_party(conn, viewer, code).await?;
    let (mine, wanted) = match me.user_type() {
        UserType::Authorizer => (sponsorship::Column::AuthorizerId, UserType::OnBehalfOf),
        UserType::OnBehalfOf => (sponsorship::Column::OboId, UserType::Authorizer),
        UserType::Independent => {
            return Ok(SponsorshipsView {
                viewer_user_type: UserType::Independent,
                pending: Vec::new(),
                active: Vec::new(),
                candidates: Vec::new(),
            })
        }
    };
    let rows = sponsorship::Entity::find()
        .filter(sponsorship::Column::WorksiteId.eq(worksite.id))
        .filter(mine.eq(viewer))
        .filter(sponsorship::Column::Status.is_in(SponsorshipStatus::OPEN))
        .order_by_asc(sponsorship::Column::RequestedAt)
        .all(conn)
        .await?;
    let other_of = |row: &sponsorship::Model| match me.user_type() {
        UserType::Authorizer => row.obo_id,
        _ => row.authorizer_id,
    };
    let ids: Vec<i64> = rows.iter().map(other_of).collect();
    let others = people(conn, &ids).await?;
    let taken: HashSet<i64> = ids.iter().copied().collect();
    let (pending, active): (Vec<_>, Vec<_>) = rows
        .iter()
        .partition(|row| row.status == SponsorshipStatus::Requested);
    Ok(SponsorshipsView {
        viewer_user_type: me.user_type(),
        pending: pending
            .into_iter()
            .map(|row| listing(row, others.get(&other_of(row))))
            .collect(),
        active: active
            .into_iter()
            .map(|row| listing(row, others.get(&other_of(row))))
            .collect(),
        candidates: candidates(conn, worksite.id, wanted, viewer, &taken).await?,
    })
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct CandidateRow {
    membership_id: i64,
    account_id: i64,
    given_name: String,
    family_name: String,
    profession: String,
}

/// Active members of the other user type with no open sponsorship with the viewer, by name.
async fn candidates(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    wanted: UserType,
    viewer: i64,
    taken: &HashSet<i64>,
) -> Result<Vec<SponsorshipCandidate>, AppError> {
    let rows = with_professions()
        .filter(membership::Column::WorksiteId.eq(worksite_id))
        .filter(membership::Column::Status.eq(MembershipStatus::Active))
        .filter(membership::Column::AccountId.ne(viewer))
        .filter(profession::Column::UserType.eq(wanted.code()))
        .select_only()
        .column_as(membership::Column::Id, "membership_id")
        .column_as(membership::Column::AccountId, "account_id")
        .column_as(account::Column::GivenName, "given_name")
        .column_as(account::Column::FamilyName, "family_name")
        .column_as(profession::Column::Name, "profession")
        .order_by_asc(account::Column::FamilyName)
        .order_by_asc(account::Column::GivenName)
        .limit(CANDIDATE_LIMIT)
        .into_model::<CandidateRow>()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter(|row| !taken.contains(&row.account_id))
        .map(|row| SponsorshipCandidate {
            membership_id: row.membership_id,
            name: format!("{} {}", row.given_name, row.family_name),
            profession: row.profession,
        })
        .collect())
}

fn already_open(authorizer: &Person, obo: &Person) -> AppError {
    AppError::Conflict(Refusal::Because(format!(
        "{} and {} already have a sponsorship, or a request for one, at this worksite.",
        authorizer.name(),
        obo.name()
    )))
}

/// Writes a new sponsorship; the partial unique index refuses a second open one for the pair.
async fn open(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    authorizer: &Person,
    obo: &Person,
    requested_by: i64,
    status: SponsorshipStatus,
    last_day: Option<NaiveDate>,
) -> Result<sponsorship::Model, AppError> {
    let now = Utc::now();
    insert_unique(
        conn,
        sponsorship::ActiveModel {
            worksite_id: Set(worksite_id),
            authorizer_id: Set(authorizer.account.id),
            obo_id: Set(obo.account.id),
            status: Set(status),
            requested_by: Set(requested_by),
            requested_at: Set(now),
            decided_at: Set((status == SponsorshipStatus::Active).then_some(now)),
            ended_at: Set(None),
            ended_by: Set(None),
            end_reason: Set(None),
            last_day: Set(last_day),
            ..Default::default()
        },
        || already_open(authorizer, obo),
    )
    .await
}

/// The audit entry of a change to the sponsorship; both parties' pages are told of it.
fn record(
    change: &mut Change<'_>,
    action: AuditAction,
    row: &sponsorship::Model,
    extra: &[(&str, Option<String>)],
) {
    let mut details = json!({ "authorizer": row.authorizer_id, "obo": row.obo_id });
    for (key, value) in extra {
        if let Some(value) = value {
            details[*key] = json!(value);
        }
    }
    change.audit(
        AuditEntry::new(action, format!("sponsorship:{}", row.id))
            .at_worksite(row.worksite_id)
            .with_details(details),
    );
    change.tell([row.authorizer_id, row.obo_id]);
}

/// Emails (when they have a verified address) and notifies one party about a sponsorship.
fn tell(
    change: &mut Change<'_>,
    to: &Person,
    email: Option<Email>,
    kind: NotificationKind,
    text: &str,
    link: &str,
) {
    if let (Some(address), Some(email)) = (&to.account.email, email) {
        change.email(address, email);
    }
    change.notify(to.account.id, kind, text, link);
}

fn tab_link(worksite: &worksite::Model, tab: &str) -> String {
    format!("/worksites/{}/{tab}", worksite.code)
}

/// An On-Behalf-Of user asks an Authorizer of the same worksite to sponsor them; the
/// Authorizer is emailed and notified. Returns the Authorizer's name.
pub async fn request(
    change: &mut Change<'_>,
    code: &WorksiteId,
    authorizer_membership_id: i64,
) -> Result<String, AppError> {
    let (worksite, obo, authorizer) =
        pairing(change, code, authorizer_membership_id, UserType::OnBehalfOf).await?;
    let row = open(
        change.db(),
        worksite.id,
        &authorizer,
        &obo,
        obo.account.id,
        SponsorshipStatus::Requested,
        None,
    )
    .await?;
    let link = tab_link(&worksite, "sponsorships");
    let email = emails::requested(
        &authorizer.name(),
        &obo.name(),
        &obo.profession.name,
        &worksite.name,
        &change.state().config.link(&link),
    );
    tell(
        change,
        &authorizer,
        Some(email),
        NotificationKind::SponsorshipRequested,
        &format!(
            "{} asks you to sponsor their CareConnect access at {}.",
            obo.name(),
            worksite.name
        ),
        &link,
    );
    record(change, AuditAction::SponsorshipRequested, &row, &[]);
    Ok(authorizer.name())
}

/// An Authorizer sponsors an On-Behalf-Of member directly (accepting their request, if they
/// sent one), until `last_day` if one is typed. Returns the On-Behalf-Of user's name.
pub async fn authorize(
    change: &mut Change<'_>,
    code: &WorksiteId,
    obo_membership_id: i64,
    last_day: &str,
) -> Result<String, AppError> {
    let last_day = typed_last_day(last_day)?;
    let (worksite, authorizer, obo) =
        pairing(change, code, obo_membership_id, UserType::Authorizer).await?;
    let authorizer_id = authorizer.account.id;
    let txn = change.db();
    let waiting = sponsorship::Entity::find()
        .filter(sponsorship::Column::WorksiteId.eq(worksite.id))
        .filter(sponsorship::Column::AuthorizerId.eq(authorizer_id))
        .filter(sponsorship::Column::OboId.eq(obo.account.id))
        .filter(sponsorship::Column::Status.eq(SponsorshipStatus::Requested))
        .one(txn)
        .await?;
    let row = match waiting {
        Some(request) => {
            let accepted = Note {
                last_day,
                ..Note::default()
            };
            transition(
                txn,
                request.id,
                SponsorshipChange::Accept,
                authorizer_id,
                &accepted,
            )
            .await?;
            request
        }
        None => {
            open(
                txn,
                worksite.id,
                &authorizer,
                &obo,
                authorizer_id,
                SponsorshipStatus::Active,
                last_day,
            )
            .await?
        }
    };
    let link = tab_link(&worksite, "my-sponsors");
    let email = emails::sponsored(
        &obo.name(),
        &authorizer.name(),
        &worksite.name,
        last_day.map(display_day).as_deref(),
        &change.state().config.link(&link),
    );
    tell(
        change,
        &obo,
        Some(email),
        NotificationKind::SponsorshipDecided,
        &format!(
            "{} now sponsors your CareConnect access at {}.",
            authorizer.name(),
            worksite.name
        ),
        &link,
    );
    record(
        change,
        AuditAction::SponsorshipAuthorized,
        &row,
        &[("last_day", last_day.map(|day| day.to_string()))],
    );
    Ok(obo.name())
}

/// What a decision records besides its status: a decline's reason, an acceptance's last day.
#[derive(Default)]
struct Note<'a> {
    decline_reason: Option<&'a str>,
    last_day: Option<NaiveDate>,
}

/// The last day as typed, checked against today in British Columbia; refused beside its field.
fn typed_last_day(input: &str) -> Result<Option<NaiveDate>, AppError> {
    parse_last_day(input, today_in_bc(Utc::now()))
        .map_err(|message| AppError::invalid("last_day", message))
}

/// Applies a party's change to the sponsorship with a conditional update, so it happens once;
/// whoever comes second is told it is already handled.
async fn transition(
    conn: &impl ConnectionTrait,
    sponsorship_id: i64,
    change: SponsorshipChange,
    actor: i64,
    note: &Note<'_>,
) -> Result<(), AppError> {
    let (from, to) = change.transition();
    let end_reason = match change {
        SponsorshipChange::Accept | SponsorshipChange::Decline => None,
        SponsorshipChange::Withdraw => Some("withdrawn_by_obo"),
        SponsorshipChange::Revoke => Some("revoked_by_authorizer"),
        SponsorshipChange::End => Some("ended_by_obo"),
    };
    let now = Utc::now();
    let mut update = sponsorship::Entity::update_many()
        .col_expr(sponsorship::Column::Status, Expr::value(to))
        .filter(sponsorship::Column::Id.eq(sponsorship_id))
        .filter(sponsorship::Column::Status.eq(from));
    update = match end_reason {
        None => update
            .col_expr(sponsorship::Column::DecidedAt, Expr::value(now))
            .col_expr(
                sponsorship::Column::DeclineReason,
                Expr::value(note.decline_reason.map(str::to_owned)),
            )
            .col_expr(sponsorship::Column::LastDay, Expr::value(note.last_day)),
        Some(reason) => update
            .col_expr(sponsorship::Column::EndedAt, Expr::value(now))
            .col_expr(sponsorship::Column::EndedBy, Expr::value(actor))
            .col_expr(sponsorship::Column::EndReason, Expr::value(reason)),
    };
    if update.exec(conn).await?.rows_affected != 1 {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    Ok(())
}

/// A party's change to their own sponsorship at the worksite; decided once, audited, and told
/// to the other party. Anyone but the two parties is told it does not exist. A declined request
/// may say why (`reason`, ignored for any other change): the requester reads it.
pub async fn change(
    unit: &mut Change<'_>,
    code: &WorksiteId,
    sponsorship_id: i64,
    change: SponsorshipChange,
    reason: &str,
    last_day: &str,
) -> Result<(), AppError> {
    let reason = match change {
        SponsorshipChange::Decline => {
            crate::text::reason(reason).map_err(|message| AppError::invalid("reason", message))?
        }
        _ => None,
    };
    let last_day = match change {
        SponsorshipChange::Accept => typed_last_day(last_day)?,
        _ => None,
    };
    let (worksite, me) = as_party_locked(unit, code).await?;
    let actor = me.account.id;
    let txn = unit.db();
    let row = sponsorship::Entity::find_by_id(sponsorship_id)
        .filter(sponsorship::Column::WorksiteId.eq(worksite.id))
        .filter(
            Condition::any()
                .add(sponsorship::Column::AuthorizerId.eq(actor))
                .add(sponsorship::Column::OboId.eq(actor)),
        )
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound("This sponsorship does not exist.".to_owned()))?;
    let actor_side = if row.authorizer_id == actor {
        UserType::Authorizer
    } else {
        UserType::OnBehalfOf
    };
    if actor_side != change.by() {
        return Err(AppError::Forbidden);
    }
    let note = Note {
        decline_reason: reason.as_deref(),
        last_day,
    };
    transition(txn, row.id, change, actor, &note).await?;
    let parties = people(txn, &[row.authorizer_id, row.obo_id]).await?;
    let (Some(authorizer), Some(obo)) = (parties.get(&row.authorizer_id), parties.get(&row.obo_id))
    else {
        return Err(AppError::Internal);
    };
    let (authorizer_name, obo_name) = (authorizer.name(), obo.name());
    let site = worksite.name.as_str();
    let obo_link = tab_link(&worksite, "my-sponsors");
    let authorizer_link = tab_link(&worksite, "my-on-behalf-of-users");
    let (action, to, kind, text, email, link) = match change {
        SponsorshipChange::Accept => (
            AuditAction::SponsorshipAccepted,
            obo,
            NotificationKind::SponsorshipDecided,
            format!("{authorizer_name} accepted your sponsorship request at {site}."),
            Some(emails::sponsored(
                &obo_name,
                &authorizer_name,
                site,
                last_day.map(display_day).as_deref(),
                &unit.state().config.link(&obo_link),
            )),
            obo_link,
        ),
        SponsorshipChange::Decline => (
            AuditAction::SponsorshipDeclined,
            obo,
            NotificationKind::SponsorshipDecided,
            match &reason {
                Some(reason) => format!(
                    "{authorizer_name} declined your sponsorship request at {site}. Reason: {reason}"
                ),
                None => format!("{authorizer_name} declined your sponsorship request at {site}."),
            },
            Some(emails::declined(
                &obo_name,
                &authorizer_name,
                site,
                reason.as_deref(),
            )),
            obo_link,
        ),
        SponsorshipChange::Withdraw => (
            AuditAction::SponsorshipWithdrawn,
            authorizer,
            NotificationKind::SponsorshipEnded,
            format!("{obo_name} withdrew their sponsorship request at {site}."),
            None,
            tab_link(&worksite, "sponsorships"),
        ),
        SponsorshipChange::Revoke => (
            AuditAction::SponsorshipRevoked,
            obo,
            NotificationKind::SponsorshipEnded,
            format!("{authorizer_name} no longer sponsors your CareConnect access at {site}."),
            Some(emails::ended(
                &obo_name,
                &format!("{authorizer_name} revoked your sponsorship."),
                &authorizer_name,
                &obo_name,
                site,
            )),
            obo_link,
        ),
        SponsorshipChange::End => (
            AuditAction::SponsorshipEnded,
            authorizer,
            NotificationKind::SponsorshipEnded,
            format!("{obo_name} ended your sponsorship of their CareConnect access at {site}."),
            Some(emails::ended(
                &authorizer_name,
                &format!("{obo_name} ended the sponsorship."),
                &authorizer_name,
                &obo_name,
                site,
            )),
            authorizer_link,
        ),
    };
    tell(unit, to, email, kind, &text, &link);
    record(
        unit,
        action,
        &row,
        &[
            ("reason", reason),
            ("last_day", last_day.map(|day| day.to_string())),
        ],
    );
    Ok(())
}

/// Both people of each sponsorship, by account id.
async fn parties_of(
    conn: &impl ConnectionTrait,
    rows: &[sponsorship::Model],
) -> Result<std::collections::HashMap<i64, Person>, AppError> {
    let ids: Vec<i64> = rows
        .iter()
        .flat_map(|row| [row.authorizer_id, row.obo_id])
        .collect();
    Ok(people(conn, &ids).await?)
}

/// Which open sponsorships a change elsewhere ends.
#[derive(Debug, Clone, Copy)]
pub enum Ending {
    /// Everything the person has at the worksite: their membership became inactive.
    Member { worksite_id: i64, account_id: i64 },
    /// What the Authorizer sponsors at the worksite: their CareConnect access from it ended.
    AuthorizerAccess { worksite_id: i64, account_id: i64 },
    /// Pairs that no longer join an Authorizer and an On-Behalf-Of user after the profession's
    /// user type changed.
    Profession { profession_id: i32 },
    /// Active sponsorships whose last day is before `today`.
    LastDayPassed { today: NaiveDate },
}

impl Ending {
    fn reason(self) -> AutomaticEnd {
        match self {
            Ending::Member { .. } => AutomaticEnd::MembershipInactive,
            Ending::AuthorizerAccess { .. } => AutomaticEnd::AccessEnded,
            Ending::Profession { .. } => AutomaticEnd::UserTypeChanged,
            Ending::LastDayPassed { .. } => AutomaticEnd::LastDayPassed,
        }
    }

    fn condition(self) -> Condition {
        match self {
            Ending::Member {
                worksite_id,
                account_id,
            } => Condition::all()
                .add(sponsorship::Column::WorksiteId.eq(worksite_id))
                .add(sponsorship::Column::Status.is_in(SponsorshipStatus::OPEN))
                .add(
                    Condition::any()
                        .add(sponsorship::Column::AuthorizerId.eq(account_id))
                        .add(sponsorship::Column::OboId.eq(account_id)),
                ),
            Ending::AuthorizerAccess {
                worksite_id,
                account_id,
            } => Condition::all()
                .add(sponsorship::Column::WorksiteId.eq(worksite_id))
                .add(sponsorship::Column::Status.eq(SponsorshipStatus::Active))
                .add(sponsorship::Column::AuthorizerId.eq(account_id)),
            Ending::LastDayPassed { today } => Condition::all()
                .add(sponsorship::Column::Status.eq(SponsorshipStatus::Active))
                .add(sponsorship::Column::LastDay.lt(today)),
            Ending::Profession { profession_id } => {
                let with_profession = || {
                    sea_orm::sea_query::Query::select()
                        .column(account::Column::Id)
                        .from(account::Entity)
                        .and_where(account::Column::ProfessionId.eq(profession_id))
                        .to_owned()
                };
                Condition::all()
                    .add(sponsorship::Column::Status.is_in(SponsorshipStatus::OPEN))
                    .add(
                        Condition::any()
                            .add(sponsorship::Column::AuthorizerId.in_subquery(with_profession()))
                            .add(sponsorship::Column::OboId.in_subquery(with_profession())),
                    )
            }
        }
    }
}

/// Ends the open sponsorships `ending` covers, as part of the change that caused it; both parties
/// are emailed and notified.
pub async fn end_automatically(change: &mut Change<'_>, ending: Ending) -> Result<(), AppError> {
    let conn = change.db();
    let rows = sponsorship::Entity::find()
        .filter(ending.condition())
        .all(conn)
        .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let parties = parties_of(conn, &rows).await?;
    let reason = ending.reason();
    let actor = change.actor().account;
    for row in rows {
        let conn = change.db();
        let (Some(authorizer), Some(obo)) =
            (parties.get(&row.authorizer_id), parties.get(&row.obo_id))
        else {
            continue;
        };
        if matches!(ending, Ending::Profession { .. })
            && authorizer.user_type() == UserType::Authorizer
            && obo.user_type() == UserType::OnBehalfOf
        {
            continue;
        }
        let ended = sponsorship::Entity::update_many()
            .col_expr(
                sponsorship::Column::Status,
                Expr::value(SponsorshipStatus::Ended),
            )
            .col_expr(sponsorship::Column::EndedAt, Expr::value(Utc::now()))
            .col_expr(sponsorship::Column::EndedBy, Expr::value(actor))
            .col_expr(sponsorship::Column::EndReason, Expr::value(reason.code()))
            .filter(sponsorship::Column::Id.eq(row.id))
            .filter(sponsorship::Column::Status.eq(row.status))
            .exec(conn)
            .await?;
        if ended.rows_affected != 1 {
            continue;
        }
        let Some(worksite) = worksite::Entity::find_by_id(row.worksite_id)
            .one(conn)
            .await?
        else {
            continue;
        };
        let why = reason.explanation(&authorizer.name(), &obo.name(), &worksite.name);
        for (to, tab) in [(authorizer, "my-on-behalf-of-users"), (obo, "my-sponsors")] {
            let email = emails::ended(
                &to.name(),
                &why,
                &authorizer.name(),
                &obo.name(),
                &worksite.name,
            );
            tell(
                change,
                to,
                Some(email),
                NotificationKind::SponsorshipEnded,
                &format!(
                    "{}'s sponsorship of {} at {} ended. {why}",
                    authorizer.name(),
                    obo.name(),
                    worksite.name
                ),
                &tab_link(&worksite, tab),
            );
        }
        change.audit(
            AuditEntry::new(
                AuditAction::SponsorshipEndedAutomatically,
                format!("sponsorship:{}", row.id),
            )
            .at_worksite(row.worksite_id)
            .with_details(json!({
                "authorizer": row.authorizer_id,
                "obo": row.obo_id,
                "reason": reason.code(),
            })),
        );
    }
    Ok(())
}

/// The Authorizers who sponsor the person now, by worksite id.
pub async fn sponsors_of(
    conn: &impl ConnectionTrait,
    obo_id: i64,
) -> Result<Vec<sponsorship::Model>, AppError> {
    Ok(sponsorship::Entity::find()
        .filter(sponsorship::Column::OboId.eq(obo_id))
        .filter(in_force(today_in_bc(Utc::now())))
        .order_by_asc(sponsorship::Column::DecidedAt)
        .all(conn)
        .await?)
}

/// Active, and not past its last day: a sponsorship that lets the On-Behalf-Of user see
/// CareConnect on the Authorizer's behalf `today` (the moment the last day passes, before the
/// daily round ends it formally).
pub fn in_force(today: NaiveDate) -> Condition {
    Condition::all()
        .add(sponsorship::Column::Status.eq(SponsorshipStatus::Active))
        .add(
            Condition::any()
                .add(sponsorship::Column::LastDay.is_null())
                .add(sponsorship::Column::LastDay.gte(today)),
        )
}

/// "Set Last Day" on My On-behalf-Of Users: the Authorizer gives an active sponsorship a last
/// day, changes it, or removes it (empty); the On-Behalf-Of user is told. Only the Authorizer of
/// that sponsorship may; anyone else is told it does not exist.
pub async fn set_last_day(
    unit: &mut Change<'_>,
    code: &WorksiteId,
    sponsorship_id: i64,
    last_day: &str,
) -> Result<(), AppError> {
    let last_day = typed_last_day(last_day)?;
    let (worksite, me) = as_party_locked(unit, code).await?;
    let txn = unit.db();
    let row = sponsorship::Entity::find_by_id(sponsorship_id)
        .filter(sponsorship::Column::WorksiteId.eq(worksite.id))
        .filter(sponsorship::Column::AuthorizerId.eq(me.account.id))
        .filter(sponsorship::Column::Status.eq(SponsorshipStatus::Active))
        .one(txn)
        .await?
        .ok_or_else(|| AppError::NotFound("This sponsorship does not exist.".to_owned()))?;
    // A new last day earns a new reminder.
    let updated = sponsorship::Entity::update_many()
        .col_expr(sponsorship::Column::LastDay, Expr::value(last_day))
        .col_expr(
            sponsorship::Column::EndRemindedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(sponsorship::Column::Id.eq(row.id))
        .filter(sponsorship::Column::Status.eq(SponsorshipStatus::Active))
        .exec(txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(AppError::Conflict(Refusal::AlreadyHandled));
    }
    let obo = person(txn, row.obo_id).await?.ok_or(AppError::Internal)?;
    let until = last_day.map(display_day);
    let text = match &until {
        Some(day) => format!(
            "{} now sponsors your CareConnect access at {} until {day}.",
            me.name(),
            worksite.name
        ),
        None => format!(
            "{}'s sponsorship of your CareConnect access at {} no longer has a last day.",
            me.name(),
            worksite.name
        ),
    };
    let link = tab_link(&worksite, "my-sponsors");
    let email = emails::last_day_set(
        &obo.name(),
        &me.name(),
        &worksite.name,
        until.as_deref(),
        &unit.state().config.link(&link),
    );
    tell(
        unit,
        &obo,
        Some(email),
        NotificationKind::SponsorshipDecided,
        &text,
        &link,
    );
    record(
        unit,
        AuditAction::SponsorshipLastDaySet,
        &row,
        &[("last_day", last_day.map(|day| day.to_string()))],
    );
    Ok(())
}

/// How long before its last day both people are reminded.
pub const REMINDER_DAYS: i64 = 7;

/// The daily round of time-limited sponsorships, for the day `today` is in British Columbia:
/// both people are reminded once when the last day is at most seven days away, and a
/// sponsorship whose last day has passed ends (both are told). Safe to run on every app server
/// at once: each reminder and each end is a conditional update that one of them wins.
pub async fn follow_last_days(change: &mut Change<'_>, today: NaiveDate) -> Result<(), AppError> {
    end_automatically(change, Ending::LastDayPassed { today }).await?;
    let due = sponsorship::Entity::find()
        .filter(sponsorship::Column::Status.eq(SponsorshipStatus::Active))
        .filter(sponsorship::Column::LastDay.gte(today))
        .filter(sponsorship::Column::LastDay.lte(today + Duration::days(REMINDER_DAYS)))
        .filter(sponsorship::Column::EndRemindedAt.is_null())
        .all(change.db())
        .await?;
    if due.is_empty() {
        return Ok(());
    }
    let parties = parties_of(change.db(), &due).await?;
    for row in due {
        let (Some(authorizer), Some(obo), Some(last_day)) = (
            parties.get(&row.authorizer_id),
            parties.get(&row.obo_id),
            row.last_day,
        ) else {
            continue;
        };
        let reminded = sponsorship::Entity::update_many()
            .col_expr(sponsorship::Column::EndRemindedAt, Expr::value(Utc::now()))
            .filter(sponsorship::Column::Id.eq(row.id))
            .filter(sponsorship::Column::EndRemindedAt.is_null())
            .exec(change.db())
            .await?;
        if reminded.rows_affected != 1 {
            continue;
        }
        let Some(worksite) = worksite::Entity::find_by_id(row.worksite_id)
            .one(change.db())
            .await?
        else {
            continue;
        };
        let day = display_day(last_day);
        for (to, tab) in [(authorizer, "my-on-behalf-of-users"), (obo, "my-sponsors")] {
            let link = tab_link(&worksite, tab);
            let email = emails::ending_soon(
                &to.name(),
                &authorizer.name(),
                &obo.name(),
                &worksite.name,
                &day,
                &change.state().config.link(&link),
            );
            tell(
                change,
                to,
                Some(email),
                NotificationKind::SponsorshipEnded,
                &format!(
                    "{}'s sponsorship of {} at {} ends after {day}.",
                    authorizer.name(),
                    obo.name(),
                    worksite.name
                ),
                &link,
            );
        }
        record(
            change,
            AuditAction::SponsorshipEndReminded,
            &row,
            &[("last_day", Some(last_day.to_string()))],
        );
    }
    Ok(())
}
