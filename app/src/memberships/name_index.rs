//! Members found by the start of each word of their names, in the order the lists show them:
//! every prefix of every word of a member's name is a row of `member_name_prefixes`, keyed by
//! (worksite, status, prefix, list group, list name, membership). A search of one word is then a
//! walk along that key from the word, exactly as a page of the whole list is a walk along
//! `ix_memberships_list`; the rows copy the membership's status and list key, so whatever changes
//! those changes them here too (in the same transaction).

use super::types::MembershipStatus;
use crate::entities::{member_name_prefix, membership};
use sea_orm::{
    sea_query::{Expr, SelectStatement},
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use std::collections::BTreeSet;

/// Longest word (and so prefix) kept of a name.
const MAX_WORD: usize = 100;

/// The words a member is found by: their names' words, lower-cased, each once.
pub fn name_words(given_name: &str, family_name: &str) -> BTreeSet<String> {
    format!("{given_name} {family_name}")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_lowercase().chars().take(MAX_WORD).collect())
        .collect()
}

/// Every prefix of every word of the name, each once.
pub fn name_prefixes(given_name: &str, family_name: &str) -> BTreeSet<String> {
    let mut prefixes = BTreeSet::new();
    for word in name_words(given_name, family_name) {
        let mut prefix = String::new();
        for letter in word.chars() {
            prefix.push(letter);
            prefixes.insert(prefix.clone());
        }
    }
    prefixes
}

/// The rows that find this membership by the prefixes of its member's name.
pub fn rows_of(
    member: &membership::Model,
    prefixes: &BTreeSet<String>,
) -> Vec<member_name_prefix::ActiveModel> {
    prefixes
        .iter()
        .map(|prefix| member_name_prefix::ActiveModel {
            worksite_id: Set(member.worksite_id),
            status: Set(member.status),
            prefix: Set(prefix.clone()),
            list_group: Set(member.list_group),
            list_name: Set(member.list_name.clone()),
            membership_id: Set(member.id),
        })
        .collect()
}

/// Makes a new membership findable by its member's name.
pub async fn add(
    conn: &impl ConnectionTrait,
    member: &membership::Model,
    given_name: &str,
    family_name: &str,
) -> Result<(), DbErr> {
    member_name_prefix::Entity::insert_many(rows_of(
        member,
        &name_prefixes(given_name, family_name),
    ))
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Follows a membership's new status (it moves between the Active and Inactive Members lists).
pub async fn follow_status(
    conn: &impl ConnectionTrait,
    membership_id: i64,
    status: MembershipStatus,
) -> Result<(), DbErr> {
    member_name_prefix::Entity::update_many()
        .col_expr(member_name_prefix::Column::Status, Expr::value(status))
        .filter(member_name_prefix::Column::MembershipId.eq(membership_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Follows the memberships' new list group (their members' profession changed user type).
pub async fn follow_group(
    conn: &impl ConnectionTrait,
    memberships: SelectStatement,
    list_group: i16,
) -> Result<(), DbErr> {
    member_name_prefix::Entity::update_many()
        .col_expr(
            member_name_prefix::Column::ListGroup,
            Expr::value(list_group),
        )
        .filter(member_name_prefix::Column::MembershipId.in_subquery(memberships))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_by_each_word_in_any_case() {
        let words = name_words("Marie-Ève", "De La Cruz");
        assert_eq!(
            words.into_iter().collect::<Vec<_>>(),
            ["cruz", "de", "la", "marie", "ève"]
        );
        assert_eq!(name_words("  ", "").len(), 0);
    }

    #[test]
    fn every_start_of_every_word_is_a_prefix_once() {
        let prefixes = name_prefixes("Ann", "Annis");
        assert_eq!(
            prefixes.into_iter().collect::<Vec<_>>(),
            ["a", "an", "ann", "anni", "annis"]
        );
        assert!(name_prefixes("Zoë", "").contains("zoë"));
    }
}
