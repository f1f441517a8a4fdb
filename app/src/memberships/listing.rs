//! Reading the Active and Inactive Members lists: keyset pages in list order (group, name, id),
//! so a page costs the same for 100 members as for 100 000. The whole list is read along
//! `ix_memberships_list (worksite_id, status, list_group, list_name, id)`; a search along
//! `member_name_prefixes` (see `name_index`) from one of its words, each member found checked for
//! the others by `ix_member_name_prefixes_member`. A page reads about as many rows as it shows
//! (a search of several words, as many as its leading word matches until the page is full: the
//! rarest word leads), and the count stops past `MEMBER_COUNT_LIMIT`.

use super::name_index::name_words;
use super::service::{active_membership_at, joined_with_professions, not_a_member};
use super::types::MembershipStatus;
use super::types::{MemberCursor, MemberListing, MemberPage, MEMBERS_PER_PAGE, MEMBER_COUNT_LIMIT};
use crate::entities::{account, member_name_prefix, membership, profession, worksite};
use crate::error::AppError;
use crate::professions::types::UserType;
use crate::worksites::types::WorksiteId;
use sea_orm::{
    sea_query::{Alias, Expr, ExprTrait, IntoIden, Query, SelectStatement},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType, Order,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, RelationTrait, Select,
};
use std::cmp::Reverse;

/// Words of a search that are read at most.
const MAX_WORDS: usize = 5;
/// Matches of a word counted at most when choosing which of several words leads.
const MATCHES_COUNTED: u64 = 2000;

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
    /// The list's count (`Listing::count`), the same on every row.
    total: i64,
}

/// A worksite as its member lists need it: its id and its counts of members, which triggers on
/// `memberships` keep on its row (migration `member_counts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromQueryResult)]
pub struct ListedWorksite {
    pub worksite_id: i64,
    pub active_members: i64,
    pub inactive_members: i64,
}

impl From<&worksite::Model> for ListedWorksite {
    fn from(worksite: &worksite::Model) -> Self {
        Self {
            worksite_id: worksite.id,
            active_members: worksite.active_members,
            inactive_members: worksite.inactive_members,
        }
    }
}

/// What a member list holds: a worksite's active (or inactive) members, narrowed by the words
/// of a search.
#[derive(Debug, Clone)]
pub struct Listing {
    worksite_id: i64,
    active: bool,
    /// The search's words (each once), the one the search is read from first.
    words: Vec<String>,
    /// How many members the whole list has, as the worksite's row counts them.
    whole_count: i64,
}

impl Listing {
    /// The listing, its rarest word leading a search of several (their matches counted, capped).
    pub async fn new(
        conn: &impl ConnectionTrait,
        worksite: ListedWorksite,
        active: bool,
        search: &str,
    ) -> Result<Self, DbErr> {
        let mut listing = Self::led_by_first_word(worksite, active, search);
        if listing.words.len() > 1 {
            // Every word's matches in one statement: a query each would be a round trip each.
            let mut counting = Query::select();
            for word in &listing.words {
                let matches = member_name_prefix::Entity::find()
                    .select_only()
                    .column(member_name_prefix::Column::MembershipId)
                    .filter(listing.prefix_rows(word))
                    .limit(MATCHES_COUNTED)
                    .into_query();
                counting.expr(Expr::SubQuery(None, Box::new(count_of(matches).into())));
            }
            let counts = conn
                .query_one(&counting)
                .await?
                .ok_or_else(|| DbErr::RecordNotFound("the words' counts".to_owned()))?;
            let mut counted = Vec::new();
            for (index, word) in std::mem::take(&mut listing.words).into_iter().enumerate() {
                let matches: i64 = counts.try_get_by_index(index)?;
                counted.push((matches, Reverse(word.chars().count()), word));
            }
            counted.sort();
            listing.words = counted.into_iter().map(|(_, _, word)| word).collect();
        }
        Ok(listing)
    }

    /// The listing led by the search's first word in alphabetical order, whatever the words'
    /// counts: for tests and query plans.
    pub fn led_by_first_word(worksite: ListedWorksite, active: bool, search: &str) -> Self {
        let whole_count = if active {
            worksite.active_members
        } else {
            worksite.inactive_members
        };
        Self {
            worksite_id: worksite.worksite_id,
            active,
            words: name_words(search, "").into_iter().take(MAX_WORDS).collect(),
            whole_count,
        }
    }

    fn status(&self) -> MembershipStatus {
        if self.active {
            MembershipStatus::Active
        } else {
            MembershipStatus::Inactive
        }
    }

    /// The rows of `member_name_prefixes` of the list's members that have `word`.
    fn prefix_rows(&self, word: &str) -> Condition {
        Condition::all()
            .add(member_name_prefix::Column::WorksiteId.eq(self.worksite_id))
            .add(member_name_prefix::Column::Status.eq(self.status()))
            .add(member_name_prefix::Column::Prefix.eq(word))
    }

    /// The members of the list, and the key they are listed by: the membership's, or for a
    /// search the leading word's prefix rows' (which carry the membership's worksite, status and
    /// key, so only they are filtered: the planner then walks them and looks each member up).
    fn members(&self) -> (Select<membership::Entity>, [Expr; 3]) {
        let Some((leading, others)) = self.words.split_first() else {
            return (
                membership::Entity::find().filter(
                    Condition::all()
                        .add(membership::Column::WorksiteId.eq(self.worksite_id))
                        .add(membership::Column::Status.eq(self.status())),
                ),
                [
                    Expr::col((membership::Entity, membership::Column::ListGroup)),
                    Expr::col((membership::Entity, membership::Column::ListName)),
                    Expr::col((membership::Entity, membership::Column::Id)),
                ],
            );
        };
        let found = membership::Entity::find()
            .join(
                JoinType::InnerJoin,
                member_name_prefix::Relation::Membership.def().rev(),
            )
            .filter(self.found_by(leading, others));
        (
            found,
            [
                Expr::col((
                    member_name_prefix::Entity,
                    member_name_prefix::Column::ListGroup,
                )),
                Expr::col((
                    member_name_prefix::Entity,
                    member_name_prefix::Column::ListName,
                )),
                Expr::col((
                    member_name_prefix::Entity,
                    member_name_prefix::Column::MembershipId,
                )),
            ],
        )
    }

    /// The leading word's prefix rows of the list's members that also have every other word.
    fn found_by(&self, leading: &str, others: &[String]) -> Condition {
        others
            .iter()
            .fold(self.prefix_rows(leading), |found, word| {
                found.add(Expr::exists(has_prefix(word)))
            })
    }

    /// The matches of a search, at most `MEMBER_COUNT_LIMIT + 1` of them: its prefix rows alone
    /// (they hold all the count needs). A whole list needs no counting.
    fn count_query(&self) -> Option<SelectStatement> {
        let (leading, others) = self.words.split_first()?;
        Some(
            member_name_prefix::Entity::find()
                .select_only()
                .column(member_name_prefix::Column::MembershipId)
                .filter(self.found_by(leading, others))
                .limit(MEMBER_COUNT_LIMIT + 1)
                .into_query(),
        )
    }

    /// How many members the list has: exactly for a whole list, up to `MEMBER_COUNT_LIMIT + 1`
    /// for a search.
    pub async fn count(&self, conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
        let Some(matches) = self.count_query() else {
            return Ok(self.whole_count.unsigned_abs());
        };
        let counted: i64 = match conn.query_one(&count_of(matches)).await? {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        };
        Ok(counted.unsigned_abs())
    }

    /// A page of the list, and one row more to tell whether another page follows: from the
    /// start, after `from`, or (`backwards`) before it in reverse order.
    pub fn page_select(
        &self,
        from: Option<ListKey>,
        backwards: bool,
    ) -> Select<membership::Entity> {
        let (mut members, key) = self.members();
        if let Some((group, name, id)) = from {
            let key = Expr::tuple(key.clone());
            let at = Expr::tuple([Expr::val(group), Expr::val(name), Expr::val(id)]);
            members = members.filter(if backwards { key.lt(at) } else { key.gt(at) });
        }
        let order = if backwards { Order::Desc } else { Order::Asc };
        let mut page = joined_with_professions(members)
            .select_only()
            .column_as(membership::Column::Id, "membership_id")
            .column_as(membership::Column::AccountId, "account_id")
            .column_as(account::Column::GivenName, "given_name")
            .column_as(account::Column::FamilyName, "family_name")
            .column_as(profession::Column::Name, "profession")
            .column_as(profession::Column::UserType, "user_type")
            .column_as(membership::Column::IsAdmin, "is_admin");
        for column in key {
            page = page.order_by(column, order.clone());
        }
        page.limit(MEMBERS_PER_PAGE + 1)
    }

    /// The page, each row carrying the list's count as `total`: for a search, one statement
    /// instead of two, the count computed once (an uncorrelated subquery) on SQLite and
    /// PostgreSQL alike; for a whole list, the worksite's count.
    pub fn page_with_count_select(
        &self,
        from: Option<ListKey>,
        backwards: bool,
    ) -> Select<membership::Entity> {
        let count = match self.count_query() {
            Some(matches) => Expr::SubQuery(None, Box::new(count_of(matches).into())),
            None => Expr::val(self.whole_count),
        };
        self.page_select(from, backwards).expr_as(count, "total")
    }
}

/// What a page of a member list needs before it is read, in one statement: the worksite, that
/// the viewer is one of its active members (and whether an administrator), and the key of the
/// member the page starts from when that member belongs to the worksite.
struct ListContext {
    worksite: ListedWorksite,
    viewer_is_admin: bool,
    from: Option<ListKey>,
}

#[derive(FromQueryResult)]
struct ListContextRow {
    #[sea_orm(nested)]
    worksite: ListedWorksite,
    viewer_is_admin: bool,
    from_group: Option<i16>,
    from_name: Option<String>,
    from_id: Option<i64>,
}

async fn list_context(
    conn: &impl ConnectionTrait,
    viewer: i64,
    code: &WorksiteId,
    cursor: MemberCursor,
) -> Result<ListContext, AppError> {
    let from_member = Alias::new("from_member");
    let mut query = active_membership_at(viewer, code)
        .select_only()
        .column_as(worksite::Column::Id, "worksite_id")
        .column(worksite::Column::ActiveMembers)
        .column(worksite::Column::InactiveMembers)
        .column_as(membership::Column::IsAdmin, "viewer_is_admin");
    for (column, name) in [
        (membership::Column::ListGroup, "from_group"),
        (membership::Column::ListName, "from_name"),
        (membership::Column::Id, "from_id"),
    ] {
        query = query.column_as(Expr::col((from_member.clone(), column)), name);
    }
    let from_id = match cursor {
        MemberCursor::First => None,
        MemberCursor::After(id) | MemberCursor::Before(id) => Some(id),
    };
    // A member of another worksite is no place in this list: the page starts at the beginning.
    QuerySelect::query(&mut query).join_as(
        JoinType::LeftJoin,
        membership::Entity,
        from_member.clone(),
        Condition::all()
            .add(Expr::col((from_member.clone(), membership::Column::Id)).eq(from_id))
            .add(
                Expr::col((from_member, membership::Column::WorksiteId))
                    .equals((worksite::Entity, worksite::Column::Id)),
            ),
    );
    let row = query
        .into_model::<ListContextRow>()
        .one(conn)
        .await?
        .ok_or_else(not_a_member)?;
    let from = match (row.from_group, row.from_name, row.from_id) {
        (Some(group), Some(name), Some(id)) => Some((group, name, id)),
        _ => None,
    };
    Ok(ListContext {
        worksite: row.worksite,
        viewer_is_admin: row.viewer_is_admin,
        from,
    })
}

/// How many rows `query` gives.
fn count_of(query: SelectStatement) -> SelectStatement {
    Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(query, Alias::new("counted"))
        .to_owned()
}

/// The member of the outer query's prefix row has a word starting with `word` (one row of
/// `ix_member_name_prefixes_member`).
fn has_prefix(word: &str) -> SelectStatement {
    let own = Alias::new("own_prefixes").into_iden();
    Query::select()
        .expr(Expr::val(1))
        .from_as(member_name_prefix::Entity, own.clone())
        .and_where(
            Expr::col((own.clone(), member_name_prefix::Column::MembershipId)).equals((
                member_name_prefix::Entity,
                member_name_prefix::Column::MembershipId,
            )),
        )
        .and_where(Expr::col((own, member_name_prefix::Column::Prefix)).eq(word))
        // An offset keeps PostgreSQL from turning the check into a join driven from the word's
        // rows across every worksite (it does not flatten a subquery with one), which its generic
        // plans for prepared statements, blind to the word, may choose; SQLite wants a limit
        // before an offset.
        .limit(1)
        .offset(0)
        .to_owned()
}

/// One page of the worksite's active (or inactive) members, grouped Authorizers,
/// On-behalf-Of Users, Independent Users, then by name; `search` narrows by name.
pub async fn list(
    conn: &impl ConnectionTrait,
    viewer: i64,
    code: &WorksiteId,
    active: bool,
    search: &str,
    cursor: MemberCursor,
) -> Result<MemberPage, AppError> {
    let context = list_context(conn, viewer, code, cursor).await?;
    let listing = Listing::new(conn, context.worksite, active, search).await?;
    let from = context.from;
    let backwards = matches!(cursor, MemberCursor::Before(_)) && from.is_some();
    let mut rows = listing
        .page_with_count_select(from.clone(), backwards)
        .into_model::<MemberRow>()
        .all(conn)
        .await?;
    // A page past the list's end has no row to carry the count.
    let total = match rows.first() {
        Some(row) => row.total.unsigned_abs(),
        None => listing.count(conn).await?,
    };
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
    Ok(MemberPage {
        members: rows
            .into_iter()
            .map(|row| MemberListing {
                membership_id: row.membership_id.into(),
                name: format!("{} {}", row.given_name, row.family_name),
                profession: row.profession,
                user_type: UserType::from_code(&row.user_type).unwrap_or(UserType::Independent),
                is_admin: row.is_admin,
                active,
                is_viewer: row.account_id == viewer,
            })
            .collect(),
        total,
        total_is_exact: listing.words.is_empty() || total <= MEMBER_COUNT_LIMIT,
        has_previous,
        has_next,
        viewer_is_admin: context.viewer_is_admin,
    })
}
