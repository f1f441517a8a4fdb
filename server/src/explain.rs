//! `portal explain`: the database's query plans for the member lists, as the portal builds them,
//! so the benchmark report (and a test) can show each page is read along an index.

use app::entities::{membership, worksite};
use app::memberships::listing::{ListedWorksite, Listing};
use sea_orm::{
    sea_query::SelectStatement, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QueryTrait, Statement,
};

/// What the search plans are shown for: one word, and two as someone typing a name.
const ONE_WORD: &str = "smi";
const TWO_WORDS: &str = "smi an";

/// The plans of a member list of the worksite with this database id: its first page, a page
/// after a member part-way through, and a search of one word and of two. A search's statement
/// also counts its matches (a subquery the plan shows once); a whole list's count is the
/// worksite's own.
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
    let worksite = worksite::Entity::find_by_id(worksite_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("worksite {worksite_id}")))?;
    let worksite = ListedWorksite::from(&worksite);
    let whole = Listing::led_by_first_word(worksite, true, "");
    let one_word = Listing::led_by_first_word(worksite, true, ONE_WORD);
    let two_words = Listing::led_by_first_word(worksite, true, TWO_WORDS);
    Ok(vec![
        (
            "first page",
            plan(db, whole.page_with_count_select(None, false).into_query()).await?,
        ),
        (
            "next page",
            plan(
                db,
                whole
                    .page_with_count_select(middle.clone(), false)
                    .into_query(),
            )
            .await?,
        ),
        (
            "search \"smi\": its prefix rows in list order",
            plan(
                db,
                one_word.page_with_count_select(None, false).into_query(),
            )
            .await?,
        ),
        (
            "search \"smi\", next page",
            plan(
                db,
                one_word.page_with_count_select(middle, false).into_query(),
            )
            .await?,
        ),
        (
            "search \"smi an\": led by \"an\", each member checked for \"smi\"",
            plan(
                db,
                two_words.page_with_count_select(None, false).into_query(),
            )
            .await?,
        ),
    ])
}

async fn plan(db: &impl ConnectionTrait, query: SelectStatement) -> Result<String, DbErr> {
    let backend = db.get_database_backend();
    let statement = backend.build(&query);
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
