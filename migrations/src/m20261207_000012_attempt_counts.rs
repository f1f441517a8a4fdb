//! Counts of repeated attempts kept in the database, so every app server sees the same count:
//! failed password sign-ins per account, recovery emails per address.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AttemptCounts {
    Table,
    Key,
    Count,
    FirstAt,
    LastAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttemptCounts::Table)
                    .col(string_len(AttemptCounts::Key, 320).primary_key())
                    .col(integer(AttemptCounts::Count))
                    .col(timestamp_with_time_zone(AttemptCounts::FirstAt))
                    .col(timestamp_with_time_zone(AttemptCounts::LastAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttemptCounts::Table).to_owned())
            .await
    }
}
