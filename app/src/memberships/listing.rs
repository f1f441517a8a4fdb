//! Reading the Active and Inactive Members lists: keyset pages along the index
//! `ix_memberships_list (worksite_id, status, list_group, list_name, id)`, so a page costs the
//! same for 100 members as for 100 000, and searches through `member_search_terms`.
//!
//! A search is read one of two ways, chosen from how many members each typed word matches (a
//! capped count on the terms' index): when some word is rare, its matches are read from the
//! terms' index and only they are sorted; when every word is common (for several words, very
//! common: together they match far fewer), the list is walked in order and each member's terms
//! are checked, stopping after a page. Either way the rows read are bounded.

use super::service::{as_member, name_terms, with_professions, ACTIVE, INACTIVE};
use super::types::{MemberCursor, MemberListing, MemberPage, MEMBERS_PER_PAGE, MEMBER_COUNT_LIMIT};
use crate::entities::{account, member_search_term, membership, profession};
use crate::error::AppError;
use crate::platform::db::prefix_end;
use crate::professions::types::UserType;
use sea_orm::{
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

/// Words of a search that are read at most.
const MAX_WORDS: usize = 5;
/// A word matching more members than this is common: a search of it alone walks the list in
/// order (at this density a page is found within a few thousand rows) instead of sorting them.
const SORTED_MATCHES: u64 = 2000;
/// Several words narrow each other down, so their search walks the list only when even the
/// rarest matches more than this; otherwise the rarest word's matches are read and sorted.
const SORTED_MATCHES_OF_SEVERAL: u64 = 20_000;

/// A position in a member list: `(list_group, list_name, id)` of a membership.
pub type ListKey = (i16, String, i64);

#[derive(Debug, FromQueryResult)]
struct MemberRow {
    membership_id: i64,
    account_id: i64,
    given_name: String,
    family_name: String,
    profession: String,
    user_type: String,
    is_admin: bool,
}

/// What a member list holds: a worksite's active (or inactive) members, narrowed by the words
/// of a search, and how the search is read.
#[derive(Debug, Clone)]
pub struct Listing {
    worksite_id: i64,
    active: bool,
    words: Vec<String>,
    /// Every word is common: walk the list in order, checking each member's terms.
    walk: bool,
}

impl Listing {
    pub async fn new(
        conn: &impl ConnectionTrait,
        worksite_id: i64,
        active: bool,
        search: &str,
    ) -> Result<Self, DbErr> {
        let mut listing = Self::read_as(worksite_id, active, search, false);
        let sorted_at_most = if listing.words.len() > 1 {
            SORTED_MATCHES_OF_SEVERAL
        } else {
            SORTED_MATCHES
        };
        listing.walk = !listing.words.is_empty();
        for word in &listing.words {
            let matches = member_search_term::Entity::find()
                .select_only()
                .column(member_search_term::Column::MembershipId)
                .filter(starting_with(worksite_id, word))
                .limit(sorted_at_most + 1)
                .count(conn)
                .await?;
            if matches <= sorted_at_most {
                listing.walk = false;
                break;
            }
        }
        Ok(listing)
    }

    /// A listing read the way given, whatever the words' counts: for showing both plans.
    pub fn read_as(worksite_id: i64, active: bool, search: &str, walk: bool) -> Self {
        Self {
            worksite_id,
            active,
            words: name_terms(search, "").into_iter().take(MAX_WORDS).collect(),
            walk,
        }
    }

    fn condition(&self) -> Condition {
        let status = if self.active { ACTIVE } else { INACTIVE };
        let mut condition = Condition::all()
            .add(membership::Column::WorksiteId.eq(self.worksite_id))
            .add(membership::Column::Status.eq(status));
        for word in &self.words {
            let mut matching = Query::select();
            matching.from(member_search_term::Entity);
            condition = condition.add(if self.walk {
                // Only the member's own terms, by `ix_member_search_terms_member`. With the
                // worksite named here too, a planner that cannot see the word (PostgreSQL's
                // generic plan for a prepared statement) may take it for a rare one and read its
                // whole range from the primary key for every member.
                Expr::exists(for_this_member(
                    matching.cond_where(in_prefix_range(word)).to_owned(),
                ))
            } else {
                Expr::col((membership::Entity, membership::Column::Id)).in_subquery(
                    matching
                        .cond_where(starting_with(self.worksite_id, word))
                        .column(member_search_term::Column::MembershipId)
                        .to_owned(),
                )
            });
        }
        condition
    }

    /// Whether the list's count is read: always, except for a search of common words (walking
    /// the whole list to count it would cost what the rest avoids).
    pub fn counted(&self) -> bool {
        !self.walk
    }

    /// The members the list counts, at most `MEMBER_COUNT_LIMIT + 1` of them.
    pub fn count_select(&self) -> Select<membership::Entity> {
        membership::Entity::find()
            .select_only()
            .column(membership::Column::Id)
            .filter(self.condition())
            .limit(MEMBER_COUNT_LIMIT + 1)
    }

    /// A page of the list, and one row more to tell whether another page follows: from the
    /// start, after `from`, or (`backwards`) before it in reverse order.
    pub fn page_select(
        &self,
        from: Option<ListKey>,
        backwards: bool,
    ) -> Select<membership::Entity> {
        let mut condition = self.condition();
        if let Some((group, name, id)) = from {
            let key = Expr::tuple([
                Expr::col((membership::Entity, membership::Column::ListGroup)),
                Expr::col((membership::Entity, membership::Column::ListName)),
                Expr::col((membership::Entity, membership::Column::Id)),
            ]);
            let at = Expr::tuple([Expr::val(group), Expr::val(name), Expr::val(id)]);
            condition = condition.add(if backwards { key.lt(at) } else { key.gt(at) });
        }
        let order = if backwards { Order::Desc } else { Order::Asc };
        with_professions()
            .filter(condition)
            .select_only()
            .column_as(membership::Column::Id, "membership_id")
            .column_as(membership::Column::AccountId, "account_id")
            .column_as(account::Column::GivenName, "given_name")
            .column_as(account::Column::FamilyName, "family_name")
            .column_as(profession::Column::Name, "profession")
            .column_as(profession::Column::UserType, "user_type")
            .column_as(membership::Column::IsAdmin, "is_admin")
            .order_by(membership::Column::ListGroup, order.clone())
            .order_by(membership::Column::ListName, order.clone())
            .order_by(membership::Column::Id, order)
            .limit(MEMBERS_PER_PAGE + 1)
    }
}

/// The worksite's name terms that start with `word` (a range on the terms' primary key).
fn starting_with(worksite_id: i64, word: &str) -> Condition {
    Condition::all()
        .add(member_search_term::Column::WorksiteId.eq(worksite_id))
        .add(in_prefix_range(word))
}

fn in_prefix_range(word: &str) -> Condition {
    Condition::all()
        .add(member_search_term::Column::Term.gte(word))
        .add(member_search_term::Column::Term.lt(prefix_end(word)))
}

/// The terms of the member in the outer query (read by `ix_member_search_terms_member`).
fn for_this_member(mut terms: SelectStatement) -> SelectStatement {
    terms
        .expr(Expr::val(1))
        .and_where(
            Expr::col((
                member_search_term::Entity,
                member_search_term::Column::MembershipId,
            ))
            .equals((membership::Entity, membership::Column::Id)),
        )
        // An offset keeps PostgreSQL from turning the check into a join driven from the terms
        // (it does not flatten a subquery with one): the list is walked in order and each
        // member's terms looked up, as on SQLite (which wants a limit before an offset).
        .limit(1)
        .offset(0)
        .to_owned()
}

/// One page of the worksite's active (or inactive) members, grouped Authorizers,
/// On-behalf-Of Users, Independent Users, then by name; `search` narrows by name.
pub async fn list(
    conn: &impl ConnectionTrait,
    viewer: i64,
    code: &str,
    active: bool,
    search: &str,
    cursor: MemberCursor,
) -> Result<MemberPage, AppError> {
    let (worksite, viewer_membership) = as_member(conn, viewer, code).await?;
    let listing = Listing::new(conn, worksite.id, active, search).await?;
    // The cursor member's key, if it belongs to this worksite; otherwise the first page.
    let from = match cursor {
        MemberCursor::First => None,
        MemberCursor::After(id) | MemberCursor::Before(id) => membership::Entity::find_by_id(id)
            .filter(membership::Column::WorksiteId.eq(worksite.id))
            .one(conn)
            .await?
            .map(|at| (at.list_group, at.list_name, at.id)),
    };
    let backwards = matches!(cursor, MemberCursor::Before(_)) && from.is_some();
    let mut rows = listing
        .page_select(from.clone(), backwards)
        .into_model::<MemberRow>()
        .all(conn)
        .await?;
    let more = rows.len() as u64 > MEMBERS_PER_PAGE;
    rows.truncate(MEMBERS_PER_PAGE as usize);
    if backwards {
        rows.reverse();
    }
    let (has_previous, has_next) = match (&from, backwards) {
        (None, _) => (false, more),
        (Some(_), false) => (true, more),
        (Some(_), true) => (more, true),
    };
    let total = if listing.counted() {
        Some(listing.count_select().count(conn).await?)
    } else if !has_previous && !has_next {
        Some(rows.len() as u64)
    } else {
        None
    };
    Ok(MemberPage {
        members: rows
            .into_iter()
            .map(|row| MemberListing {
                membership_id: row.membership_id,
                name: format!("{} {}", row.given_name, row.family_name),
                profession: row.profession,
                user_type: UserType::from_code(&row.user_type).unwrap_or(UserType::Independent),
                is_admin: row.is_admin,
                active,
                is_viewer: row.account_id == viewer,
            })
            .collect(),
        total,
        has_previous,
        has_next,
        viewer_is_admin: viewer_membership.is_admin,
    })
}
