//! The email delivery log: each message keeps one `Message-ID` for every attempt, says which
//! change caused it, records the worker that holds it and when it was last tried, and can end
//! `failed` instead of being retried for ever.

use crate::helpers::index;
use crate::m20261206_000011_status_checks::{guard, run, unguard};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OutboundEmails {
    Table,
    Id,
    Status,
    ToAddress,
    MessageId,
    Cause,
    Regarding,
    Claim,
    LastAttemptAt,
}

/// What an outbound email's status may be from this migration on.
pub const OUTBOX_STATUSES: &[&str] = &["queued", "sent", "kept", "failed"];
const OUTBOX_STATUSES_BEFORE: &[&str] = &["queued", "sent", "kept"];
const TABLE: &str = "outbound_emails";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string_len(OutboundEmails::MessageId, 255)
                .default("")
                .to_owned(),
            string_len_null(OutboundEmails::Cause, 64),
            string_len_null(OutboundEmails::Regarding, 128),
            string_len_null(OutboundEmails::Claim, 64),
            timestamp_with_time_zone_null(OutboundEmails::LastAttemptAt),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboundEmails::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Messages queued before keep an id of their own, stable from now on.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE outbound_emails SET message_id = \
                 '<outbox-' || CAST(id AS TEXT) || '@my-careconnect.invalid>'",
            )
            .await?;
        index(
            manager,
            "ix_outbound_emails_regarding",
            OutboundEmails::Table,
            [OutboundEmails::Regarding],
            false,
        )
        .await?;
        index(
            manager,
            "ix_outbound_emails_to_address",
            OutboundEmails::Table,
            [OutboundEmails::ToAddress, OutboundEmails::Id],
            false,
        )
        .await?;
        index(
            manager,
            "ix_outbound_emails_status_id",
            OutboundEmails::Table,
            [OutboundEmails::Status, OutboundEmails::Id],
            false,
        )
        .await?;
        let backend = manager.get_database_backend();
        let mut statements = unguard(backend, TABLE);
        statements.extend(guard(backend, TABLE, OUTBOX_STATUSES));
        run(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut statements = unguard(backend, TABLE);
        statements.push(
            "UPDATE outbound_emails SET status = 'queued' WHERE status = 'failed'".to_owned(),
        );
        statements.extend(guard(backend, TABLE, OUTBOX_STATUSES_BEFORE));
        run(manager, statements).await?;
        for name in [
            "ix_outbound_emails_regarding",
            "ix_outbound_emails_to_address",
            "ix_outbound_emails_status_id",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(OutboundEmails::Table)
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            OutboundEmails::MessageId,
            OutboundEmails::Cause,
            OutboundEmails::Regarding,
            OutboundEmails::Claim,
            OutboundEmails::LastAttemptAt,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OutboundEmails::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
