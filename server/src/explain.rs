//! `portal explain`: the database's query plans for the member lists, as the portal builds them,
//! so the benchmark report (and a test) can show each page is read along an index.

use app::entities::membership;
use app::memberships::listing::Listing;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QueryTrait, Select, Statement,
};

/// What the search plans are shown for: two words, as someone typing a name.
const SEARCH: &str = "smi an";

/// The plans of a member list of the worksite with this database id: its first page, a page
/// after a member part-way through, its count, and a search read each of its two ways.
pub async fn member_list_plans(
    db: &impl ConnectionTrait,
    worksite_id: i64,
) -> Result<Vec<(&'static str, String)>, DbErr> {
    // Any member serves as the cursor: the plan is what is shown.
    let middle = membership::Entity::find()
        .filter(membership::Column::WorksiteId.eq(worksite_id))
        .order_by_desc(membership::Column::Id)
        .one(db)
        .await?
        .map(|m| (m.list_group, m.list_name, m.id));
    let whole = Listing::read_as(worksite_id, true, "", false);
    let rare = Listing::read_as(worksite_id, true, SEARCH, false);
    let common = Listing::read_as(worksite_id, true, SEARCH, true);
    Ok(vec![
        (
            "first page",
            plan(db, whole.page_select(None, false)).await?,
        ),
        (
            "next page",
            plan(db, whole.page_select(middle, false)).await?,
        ),
        (
            "count (stops after the limit)",
            plan(db, whole.count_select()).await?,
        ),
        (
            "search \"smi an\", a rare word: its matches from the terms' index, sorted",
            plan(db, rare.page_select(None, false)).await?,
        ),
        ("count of that search", plan(db, rare.count_select()).await?),
        (
            "search \"smi an\", common words: the list walked, each member's terms checked",
            plan(db, common.page_select(None, false)).await?,
        ),
    ])
}

async fn plan<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<String, DbErr> {
    let backend = db.get_database_backend();
    let statement = select.build(backend);
    let (prefix, column) = match backend {
        DatabaseBackend::Sqlite => ("EXPLAIN QUERY PLAN", "detail"),
        _ => ("EXPLAIN", "QUERY PLAN"),
    };
    let explain = Statement::from_sql_and_values(
        backend,
        format!("{prefix} {}", statement.sql),
        statement.values.map(|values| values.0).unwrap_or_default(),
    );
    let lines = db
        .query_all_raw(explain)
        .await?
        .iter()
        .map(|row| row.try_get::<String>("", column))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lines.join("\n"))
}
