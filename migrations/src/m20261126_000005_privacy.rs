//! Privacy & Security course completions (from the learning system's signed callback or a
//! staff CSV import) and the callback receipts that stop a request from being replayed.

use crate::helpers::{drop_tables, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CourseCompletions {
    Table,
    Id,
    Email,
    CompletedOn,
    Source,
    Reference,
    RecordedAt,
    RecordedBy,
}

#[derive(DeriveIden)]
enum CallbackReceipts {
    Table,
    SignatureHash,
    ReceivedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CourseCompletions::Table)
                    .col(big_pk_auto(CourseCompletions::Id))
                    .col(string_len(CourseCompletions::Email, 254))
                    .col(date(CourseCompletions::CompletedOn))
                    .col(string_len(CourseCompletions::Source, 16))
                    .col(string_len(CourseCompletions::Reference, 128))
                    .col(timestamp_with_time_zone(CourseCompletions::RecordedAt))
                    .col(big_integer_null(CourseCompletions::RecordedBy))
                    .to_owned(),
            )
            .await?;
        // The learning system's completion id is recorded once per source, however often it is
        // sent.
        index(
            manager,
            "ux_course_completions_reference",
            CourseCompletions::Table,
            [CourseCompletions::Source, CourseCompletions::Reference],
            true,
        )
        .await?;
        index(
            manager,
            "ix_course_completions_email",
            CourseCompletions::Table,
            [CourseCompletions::Email, CourseCompletions::CompletedOn],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(CallbackReceipts::Table)
                    .col(string_len(CallbackReceipts::SignatureHash, 64).primary_key())
                    .col(timestamp_with_time_zone(CallbackReceipts::ReceivedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_callback_receipts_received",
            CallbackReceipts::Table,
            [CallbackReceipts::ReceivedAt],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                CallbackReceipts::Table.into_iden(),
                CourseCompletions::Table.into_iden(),
            ],
        )
        .await
    }
}
