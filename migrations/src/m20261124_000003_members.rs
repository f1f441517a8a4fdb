//! Join requests, invitations and in-portal notifications.

use crate::helpers::{drop_tables, index, references};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JoinRequests {
    Table,
    Id,
    WorksiteId,
    AccountId,
    Comment,
    Status,
    TokenHash,
    TokenExpiresAt,
    RequestedAt,
    DecidedAt,
    DecidedBy,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    WorksiteId,
    Email,
    Status,
    TokenHash,
    InvitedBy,
    InvitedAt,
    LastSentAt,
    EmailsSent,
    ExpiresAt,
    ClosedAt,
    AcceptedBy,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    AccountId,
    Kind,
    Text,
    Link,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum Worksites {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JoinRequests::Table)
                    .col(big_pk_auto(JoinRequests::Id))
                    .col(big_integer(JoinRequests::WorksiteId))
                    .col(big_integer(JoinRequests::AccountId))
                    .col(text_null(JoinRequests::Comment))
                    .col(string_len(JoinRequests::Status, 16))
                    .col(string_len_uniq(JoinRequests::TokenHash, 64))
                    .col(timestamp_with_time_zone(JoinRequests::TokenExpiresAt))
                    .col(timestamp_with_time_zone(JoinRequests::RequestedAt))
                    .col(timestamp_with_time_zone_null(JoinRequests::DecidedAt))
                    .col(big_integer_null(JoinRequests::DecidedBy))
                    .foreign_key(&mut references(
                        (JoinRequests::Table, JoinRequests::WorksiteId),
                        (Worksites::Table, Worksites::Id),
                    ))
                    .foreign_key(&mut references(
                        (JoinRequests::Table, JoinRequests::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_join_requests_worksite_status",
            JoinRequests::Table,
            [
                JoinRequests::WorksiteId,
                JoinRequests::Status,
                JoinRequests::RequestedAt,
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_join_requests_account",
            JoinRequests::Table,
            [JoinRequests::AccountId, JoinRequests::Status],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(big_pk_auto(Invitations::Id))
                    .col(big_integer(Invitations::WorksiteId))
                    .col(string_len(Invitations::Email, 254))
                    .col(string_len(Invitations::Status, 16))
                    .col(string_len_uniq(Invitations::TokenHash, 64))
                    .col(big_integer(Invitations::InvitedBy))
                    .col(timestamp_with_time_zone(Invitations::InvitedAt))
                    .col(timestamp_with_time_zone(Invitations::LastSentAt))
                    .col(integer(Invitations::EmailsSent))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::ClosedAt))
                    .col(big_integer_null(Invitations::AcceptedBy))
                    .foreign_key(&mut references(
                        (Invitations::Table, Invitations::WorksiteId),
                        (Worksites::Table, Worksites::Id),
                    ))
                    .foreign_key(&mut references(
                        (Invitations::Table, Invitations::InvitedBy),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_invitations_worksite_status",
            Invitations::Table,
            [
                Invitations::WorksiteId,
                Invitations::Status,
                Invitations::InvitedAt,
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_invitations_email_status",
            Invitations::Table,
            [Invitations::Email, Invitations::Status],
            false,
        )
        .await?;
        index(
            manager,
            "ix_invitations_inviter",
            Invitations::Table,
            [Invitations::InvitedBy, Invitations::Status],
            false,
        )
        .await?;

        // One open request per person and worksite, and one open invitation per address and
        // worksite, even when two are sent at the same moment. Partial indexes read the same on
        // SQLite and PostgreSQL.
        let connection = manager.get_connection();
        connection
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_join_requests_pending ON join_requests \
                 (worksite_id, account_id) WHERE status = 'pending'",
            )
            .await?;
        connection
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_invitations_pending ON invitations \
                 (worksite_id, email) WHERE status = 'pending'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_pk_auto(Notifications::Id))
                    .col(big_integer(Notifications::AccountId))
                    .col(string_len(Notifications::Kind, 32))
                    .col(string_len(Notifications::Text, 500))
                    .col(string_len(Notifications::Link, 300))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(&mut references(
                        (Notifications::Table, Notifications::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_notifications_account",
            Notifications::Table,
            [Notifications::AccountId, Notifications::Id],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                Notifications::Table.into_iden(),
                Invitations::Table.into_iden(),
                JoinRequests::Table.into_iden(),
            ],
        )
        .await
    }
}
