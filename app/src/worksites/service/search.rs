//! Address search as the user types. Every worksite's address (unit, street, city, postal code)
//! and name are cut into lower-case terms kept in `worksite_search_terms`, indexed by term; a
//! query matches worksites that have, for each word typed, a term starting with it. Prefix
//! ranges on an index work the same on SQLite and PostgreSQL.

use super::summary_of;
use crate::entities::{worksite, worksite_search_term};
pub(super) use crate::platform::db::prefix_end;
use crate::worksites::types::WorksiteSummary;
use sea_orm::{
    sea_query::{Expr, ExprTrait, Query},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::BTreeSet;

pub const MAX_RESULTS: usize = 10;
/// Matches considered for ranking; a query broader than this is ranked among its first by name.
const CANDIDATES: u64 = 50;
const MAX_WORDS: usize = 6;
const MAX_TERM: usize = 64;

pub(super) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_ascii_lowercase().chars().take(MAX_TERM).collect())
}

/// The terms a worksite is found by.
pub fn terms_of(row: &worksite::Model) -> BTreeSet<String> {
    let mut terms: BTreeSet<String> = [
        row.unit.as_deref().unwrap_or_default(),
        &row.street,
        &row.city,
        &row.postal_code,
        &row.name,
    ]
    .into_iter()
    .flat_map(words)
    .collect();
    // "v6e1h4" as well as "v6e" and "1h4".
    terms.insert(row.postal_code.replace(' ', "").to_ascii_lowercase());
    terms
}

/// The words of a query, at most six; empty when there is nothing to search for.
pub fn query_words(query: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    words(query)
        .filter(|word| seen.insert(word.clone()))
        .take(MAX_WORDS)
        .collect()
}

/// Rewrites the search terms of a worksite (after registration or an edit).
pub async fn index(conn: &impl ConnectionTrait, row: &worksite::Model) -> Result<(), DbErr> {
    worksite_search_term::Entity::delete_many()
        .filter(worksite_search_term::Column::WorksiteId.eq(row.id))
        .exec(conn)
        .await?;
    let terms = terms_of(row)
        .into_iter()
        .map(|term| worksite_search_term::ActiveModel {
            worksite_id: sea_orm::Set(row.id),
            term: sea_orm::Set(term),
        });
    worksite_search_term::Entity::insert_many(terms)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Worksites matching every word typed, by name.
pub async fn search(
    conn: &impl ConnectionTrait,
    query: &str,
) -> Result<Vec<WorksiteSummary>, DbErr> {
    Ok(search_rows(conn, query)
        .await?
        .iter()
        .map(summary_of)
        .collect())
}

/// The worksites themselves, for callers that need more than the summary: those where more of
/// the typed words are whole terms (a street number typed in full, a whole city) come first,
/// then by name.
pub async fn search_rows(
    conn: &impl ConnectionTrait,
    query: &str,
) -> Result<Vec<worksite::Model>, DbErr> {
    let words = query_words(query);
    if words.iter().map(String::len).sum::<usize>() < 2 {
        return Ok(Vec::new());
    }
    let mut condition = Condition::all();
    for word in &words {
        let matching = Query::select()
            .column(worksite_search_term::Column::WorksiteId)
            .from(worksite_search_term::Entity)
            .and_where(Expr::col(worksite_search_term::Column::Term).gte(word.as_str()))
            .and_where(Expr::col(worksite_search_term::Column::Term).lt(prefix_end(word)))
            .to_owned();
        condition = condition.add(worksite::Column::Id.in_subquery(matching));
    }
    let mut rows = worksite::Entity::find()
        .filter(condition)
        .order_by_asc(worksite::Column::Name)
        .order_by_asc(worksite::Column::Id)
        .limit(CANDIDATES)
        .all(conn)
        .await?;
    // A stable sort keeps the name order among equally good matches.
    rows.sort_by_cached_key(|row| {
        let terms = terms_of(row);
        std::cmp::Reverse(words.iter().filter(|word| terms.contains(*word)).count())
    });
    rows.truncate(MAX_RESULTS);
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_distinct_lower_case_words() {
        assert_eq!(
            query_words(" 101-1234  Barclay st, BARCLAY "),
            vec!["101", "1234", "barclay", "st"]
        );
        assert!(query_words(" ,- ").is_empty());
        assert_eq!(query_words("a b c d e f g h").len(), 6);
    }

    #[test]
    fn prefix_ranges_cover_exactly_the_prefix() {
        assert_eq!(prefix_end("barc"), "bard");
        assert_eq!(prefix_end("v6z"), "v6{");
        assert_eq!(prefix_end("19"), "1:");
        assert!("barclay" >= "barc" && "barclay" < prefix_end("barc").as_str());
    }
}
