//! CareConnect applications and the site-level Privacy & Security declarations.

use crate::helpers::{drop_tables, index, references};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CareconnectApplications {
    Table,
    Id,
    AccountId,
    WorksiteId,
    Status,
    LicenceNumber,
    HasHealthAuthorityAccess,
    HealthAuthorityDetails,
    DirectPatientCare,
    StaffMessage,
    SubmittedAt,
    UpdatedAt,
    ReviewedBy,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum SiteDeclarations {
    Table,
    Id,
    WorksiteId,
    Version,
    SignerAccountId,
    SignerName,
    SignerTitle,
    SignedAt,
    ClientAddr,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Action,
    OccurredAt,
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
        use CareconnectApplications as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(big_pk_auto(A::Id))
                    .col(big_integer(A::AccountId))
                    .col(big_integer(A::WorksiteId))
                    .col(string_len(A::Status, 16))
                    .col(string_len(A::LicenceNumber, 64))
                    .col(boolean(A::HasHealthAuthorityAccess))
                    .col(string_len_null(A::HealthAuthorityDetails, 500))
                    .col(boolean(A::DirectPatientCare))
                    .col(string_len_null(A::StaffMessage, 1000))
                    .col(timestamp_with_time_zone(A::SubmittedAt))
                    .col(timestamp_with_time_zone(A::UpdatedAt))
                    .col(big_integer_null(A::ReviewedBy))
                    .col(big_integer_null(A::DecidedBy))
                    .col(timestamp_with_time_zone_null(A::DecidedAt))
                    .foreign_key(&mut references(
                        (A::Table, A::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .foreign_key(&mut references(
                        (A::Table, A::WorksiteId),
                        (Worksites::Table, Worksites::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // The queue: by status, oldest first.
        index(
            manager,
            "ix_careconnect_applications_queue",
            A::Table,
            [A::Status, A::SubmittedAt],
            false,
        )
        .await?;
        index(
            manager,
            "ix_careconnect_applications_account",
            A::Table,
            [A::AccountId, A::WorksiteId],
            false,
        )
        .await?;
        // One open application (submitted, in review or returned) per person and worksite.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_careconnect_applications_open ON careconnect_applications \
                 (account_id, worksite_id) WHERE status IN ('submitted', 'in_review', 'returned')",
            )
            .await?;

        use SiteDeclarations as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(big_pk_auto(D::Id))
                    .col(big_integer(D::WorksiteId))
                    .col(string_len(D::Version, 32))
                    .col(big_integer(D::SignerAccountId))
                    .col(string_len(D::SignerName, 200))
                    .col(string_len(D::SignerTitle, 100))
                    .col(timestamp_with_time_zone(D::SignedAt))
                    .col(string_len_null(D::ClientAddr, 64))
                    .foreign_key(&mut references(
                        (D::Table, D::WorksiteId),
                        (Worksites::Table, Worksites::Id),
                    ))
                    .foreign_key(&mut references(
                        (D::Table, D::SignerAccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // Each version of the declaration is signed once per worksite.
        index(
            manager,
            "ux_site_declarations_worksite_version",
            D::Table,
            [D::WorksiteId, D::Version],
            true,
        )
        .await?;

        // The back office searches the audit log by action within a date range.
        index(
            manager,
            "ix_audit_events_action",
            AuditEvents::Table,
            [AuditEvents::Action, AuditEvents::OccurredAt],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_audit_events_action")
                    .table(AuditEvents::Table)
                    .to_owned(),
            )
            .await?;
        drop_tables(
            manager,
            vec![
                SiteDeclarations::Table.into_iden(),
                CareconnectApplications::Table.into_iden(),
            ],
        )
        .await
    }
}
