//! The member lists' sort key on each membership, so a page of a worksite's members is a walk
//! along one index (worksite, status, group, name) whatever the worksite's size, rather than a
//! sort of every member joined with their accounts and professions.

use crate::helpers::index;
use sea_orm_migration::{prelude::*, schema::*};

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

const INDEX: &str = "ix_memberships_list";

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
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
