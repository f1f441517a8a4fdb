//! `portal explain`: the database's query plans for the member lists, as the portal builds them,
//! so the benchmark report (and a test) can show each page is read along an index.

use app::entities::membership;
use app::memberships::service::{count_select, page_select};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QueryTrait, Select, Statement,
};

/// What the search plans are shown for: two words, as someone typing a name.
const SEARCH: &str = "smi an";

/// The plans of a member list of the worksite with this database id: its first page, a page
/// after a member part-way through, its count, and a search with its count.
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
    Ok(vec![
        (
            "first page",
            plan(db, page_select(worksite_id, true, "", None, false)).await?,
        ),
        (
            "next page",
            plan(db, page_select(worksite_id, true, "", middle, false)).await?,
        ),
        (
            "count (stops after the limit)",
            plan(db, count_select(worksite_id, true, "")).await?,
        ),
        (
            "search \"smi an\"",
            plan(db, page_select(worksite_id, true, SEARCH, None, false)).await?,
        ),
        (
            "count of a search",
            plan(db, count_select(worksite_id, true, SEARCH)).await?,
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
