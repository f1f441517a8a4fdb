//! The member lists' sort key on each membership, so a page of a worksite's members is a walk
//! along one index (worksite, status, group, name) whatever the worksite's size, rather than a
//! sort of every member joined with their accounts and professions; and the words of each
//! member's name, indexed per worksite, so a search by name is a prefix range on an index.

use crate::helpers::{drop_tables, index, references};
use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, Statement},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Memberships {
    Table,
    WorksiteId,
    Status,
    ListGroup,
    ListName,
    Id,
}

#[derive(DeriveIden)]
enum MemberSearchTerms {
    Table,
    WorksiteId,
    Term,
    MembershipId,
}

const INDEX: &str = "ix_memberships_list";
/// Rows per INSERT when existing members' names are indexed.
const CHUNK: usize = 500;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            small_integer(Memberships::ListGroup).default(2).to_owned(),
            string_len(Memberships::ListName, 400)
                .default("")
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Memberships::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // Names and professions are fixed when the identity is validated, so the key is written
        // once: here for existing memberships, by the service for new ones. Groups: Authorizers,
        // On-Behalf-Of users, Independent users.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE memberships SET \
                 list_group = (SELECT CASE professions.user_type \
                     WHEN 'authorizer' THEN 0 WHEN 'on_behalf_of' THEN 1 ELSE 2 END \
                     FROM accounts JOIN professions ON professions.id = accounts.profession_id \
                     WHERE accounts.id = memberships.account_id), \
                 list_name = (SELECT lower(accounts.family_name) || ' ' || lower(accounts.given_name) \
                     FROM accounts WHERE accounts.id = memberships.account_id)",
            )
            .await?;
        index(
            manager,
            INDEX,
            Memberships::Table,
            [
                Memberships::WorksiteId,
                Memberships::Status,
                Memberships::ListGroup,
                Memberships::ListName,
                Memberships::Id,
            ],
            false,
        )
        .await?;

        create_search_terms(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, vec![MemberSearchTerms::Table.into_iden()]).await?;
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(Memberships::Table)
                    .to_owned(),
            )
            .await?;
        for column in [Memberships::ListName, Memberships::ListGroup] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Memberships::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// The words of members' names, indexed per worksite, for the existing members.
pub(crate) async fn create_search_terms(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    use MemberSearchTerms as T;
    manager
        .create_table(
            Table::create()
                .table(T::Table)
                .col(big_integer(T::WorksiteId))
                .col(string_len(T::Term, 100))
                .col(big_integer(T::MembershipId))
                .primary_key(
                    Index::create()
                        .col(T::WorksiteId)
                        .col(T::Term)
                        .col(T::MembershipId),
                )
                .foreign_key(&mut references(
                    (T::Table, T::MembershipId),
                    (Memberships::Table, Memberships::Id),
                ))
                .to_owned(),
        )
        .await?;
    // A member's own terms, for a search that walks the list and checks each member.
    index(
        manager,
        "ix_member_search_terms_member",
        T::Table,
        [T::MembershipId, T::Term],
        false,
    )
    .await?;
    index_existing_names(manager).await
}

/// The words of a name, lower-cased, each once, as `app::memberships::name_index::name_words`
/// splits them.
pub(crate) fn name_words(given: &str, family: &str) -> std::collections::BTreeSet<String> {
    format!("{given} {family}")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| word.to_lowercase().chars().take(100).collect())
        .collect()
}

/// The words of existing members' names (the portal writes them for new members), split and
/// lower-cased by [`name_words`].
async fn index_existing_names(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT memberships.id, memberships.worksite_id, accounts.given_name, accounts.family_name \
             FROM memberships JOIN accounts ON accounts.id = memberships.account_id",
        ))
        .await?;
    let mut terms = Vec::new();
    for row in rows {
        let membership: i64 = row.try_get_by_index(0)?;
        let worksite: i64 = row.try_get_by_index(1)?;
        let given: String = row.try_get_by_index(2)?;
        let family: String = row.try_get_by_index(3)?;
        terms.extend(
            name_words(&given, &family)
                .into_iter()
                .map(|term| (worksite, term, membership)),
        );
    }
    for chunk in terms.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table(MemberSearchTerms::Table).columns([
            MemberSearchTerms::WorksiteId,
            MemberSearchTerms::Term,
            MemberSearchTerms::MembershipId,
        ]);
        for (worksite, term, membership) in chunk {
            insert
                .values([
                    (*worksite).into(),
                    term.clone().into(),
                    (*membership).into(),
                ])
                .map_err(|error| DbErr::Custom(error.to_string()))?;
        }
        manager.exec_stmt(insert).await?;
    }
    Ok(())
}
