//! Member search in list order: every prefix of every word of a member's name is a row keyed by
//! the member's place in the worksite's list (worksite, status, prefix, group, name, id), so a
//! search reads its matches in the order they are shown and stops after a page, however large the
//! worksite or common the word. Replaces `member_search_terms`, whose matches had to be sorted.

use crate::helpers::{drop_tables, index, references};
use crate::m20261129_000008_member_list_keys::{create_search_terms, name_words};
use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{DatabaseBackend, Statement},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum MemberNamePrefixes {
    Table,
    WorksiteId,
    Status,
    Prefix,
    ListGroup,
    ListName,
    MembershipId,
}

#[derive(DeriveIden)]
enum MemberSearchTerms {
    Table,
}

/// Rows per INSERT when existing members' names are indexed (six values each).
const CHUNK: usize = 500;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use MemberNamePrefixes as P;
        let mut table = Table::create();
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            // The primary key is every column: stored as the table itself rather than beside it.
            table.extra("WITHOUT ROWID");
        }
        manager
            .create_table(
                table
                    .table(P::Table)
                    .col(big_integer(P::WorksiteId))
                    .col(string_len(P::Status, 16))
                    .col(string_len(P::Prefix, 100))
                    .col(small_integer(P::ListGroup))
                    .col(string_len(P::ListName, 400))
                    .col(big_integer(P::MembershipId))
                    .primary_key(
                        Index::create()
                            .col(P::WorksiteId)
                            .col(P::Status)
                            .col(P::Prefix)
                            .col(P::ListGroup)
                            .col(P::ListName)
                            .col(P::MembershipId),
                    )
                    .foreign_key(&mut references(
                        (P::Table, P::MembershipId),
                        (Memberships::Table, Memberships::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // A member's own prefixes: checking a search's other words, and following the member's
        // status and group.
        index(
            manager,
            "ix_member_name_prefixes_member",
            P::Table,
            [P::MembershipId, P::Prefix],
            false,
        )
        .await?;
        index_existing_names(manager).await?;
        drop_tables(manager, vec![MemberSearchTerms::Table.into_iden()]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, vec![MemberNamePrefixes::Table.into_iden()]).await?;
        create_search_terms(manager).await
    }
}

/// The prefixes of existing members' names (the portal writes them for new members), as
/// `app::memberships::name_index::name_prefixes` makes them.
async fn index_existing_names(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let rows = db
        .query_all_raw(Statement::from_string(
            manager.get_database_backend(),
            "SELECT memberships.worksite_id, memberships.status, memberships.list_group, \
             memberships.list_name, memberships.id, accounts.given_name, accounts.family_name \
             FROM memberships JOIN accounts ON accounts.id = memberships.account_id",
        ))
        .await?;
    let mut prefixes: Vec<[Value; 6]> = Vec::new();
    for row in rows {
        let worksite: i64 = row.try_get_by_index(0)?;
        let status: String = row.try_get_by_index(1)?;
        let group: i16 = row.try_get_by_index(2)?;
        let name: String = row.try_get_by_index(3)?;
        let membership: i64 = row.try_get_by_index(4)?;
        let given: String = row.try_get_by_index(5)?;
        let family: String = row.try_get_by_index(6)?;
        let mut of_member = std::collections::BTreeSet::new();
        for word in name_words(&given, &family) {
            let mut prefix = String::new();
            for letter in word.chars() {
                prefix.push(letter);
                of_member.insert(prefix.clone());
            }
        }
        prefixes.extend(of_member.into_iter().map(|prefix| {
            [
                worksite.into(),
                status.clone().into(),
                prefix.into(),
                group.into(),
                name.clone().into(),
                membership.into(),
            ]
        }));
    }
    use MemberNamePrefixes as P;
    for chunk in prefixes.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table(P::Table).columns([
            P::WorksiteId,
            P::Status,
            P::Prefix,
            P::ListGroup,
            P::ListName,
            P::MembershipId,
        ]);
        for values in chunk {
            insert
                .values(values.iter().cloned().map(Expr::val))
                .map_err(|error| DbErr::Custom(error.to_string()))?;
        }
        manager.exec_stmt(insert).await?;
    }
    Ok(())
}
