//! Sessions know their account, so a password change or a disabled account can end them all;
//! accounts can be disabled by the CareConnect team.

use crate::helpers::index;
use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, DatabaseBackend},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sessions {
    Table,
    AccountId,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    DisabledAt,
    DisabledReason,
}

/// Links the sessions signed in already to their account.
fn backfill(backend: DatabaseBackend) -> &'static str {
    match backend {
        DatabaseBackend::Postgres => {
            "UPDATE sessions SET account_id = \
             ((data::json -> 'data' -> 'signed_in' ->> 'account_id')::bigint)"
        }
        _ => {
            "UPDATE sessions SET account_id = \
             json_extract(data, '$.data.signed_in.account_id')"
        }
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .add_column(big_integer_null(Sessions::AccountId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_sessions_account_id",
            Sessions::Table,
            [Sessions::AccountId],
            false,
        )
        .await?;
        // SQLite adds one column per ALTER TABLE.
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(timestamp_with_time_zone_null(Accounts::DisabledAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(text_null(Accounts::DisabledReason))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(backfill(manager.get_database_backend()))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_sessions_account_id")
                    .table(Sessions::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Sessions::Table)
                    .drop_column(Sessions::AccountId)
                    .to_owned(),
            )
            .await?;
        for column in [Accounts::DisabledAt, Accounts::DisabledReason] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
