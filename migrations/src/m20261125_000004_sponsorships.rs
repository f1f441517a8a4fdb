//! Sponsorships between Authorizers and On-Behalf-Of users, and CareConnect access grants.

use crate::helpers::{drop_tables, index, references};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sponsorships {
    Table,
    Id,
    WorksiteId,
    AuthorizerId,
    OboId,
    Status,
    RequestedBy,
    RequestedAt,
    DecidedAt,
    EndedAt,
    EndedBy,
    EndReason,
}

#[derive(DeriveIden)]
enum CareconnectAccess {
    Table,
    Id,
    AccountId,
    WorksiteId,
    GrantedAt,
    GrantedBy,
    EndedAt,
    EndReason,
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
                    .table(Sponsorships::Table)
                    .col(big_pk_auto(Sponsorships::Id))
                    .col(big_integer(Sponsorships::WorksiteId))
                    .col(big_integer(Sponsorships::AuthorizerId))
                    .col(big_integer(Sponsorships::OboId))
                    .col(string_len(Sponsorships::Status, 16))
                    .col(big_integer(Sponsorships::RequestedBy))
                    .col(timestamp_with_time_zone(Sponsorships::RequestedAt))
                    .col(timestamp_with_time_zone_null(Sponsorships::DecidedAt))
                    .col(timestamp_with_time_zone_null(Sponsorships::EndedAt))
                    .col(big_integer_null(Sponsorships::EndedBy))
                    .col(string_len_null(Sponsorships::EndReason, 32))
                    .foreign_key(&mut references(
                        (Sponsorships::Table, Sponsorships::WorksiteId),
                        (Worksites::Table, Worksites::Id),
                    ))
                    .foreign_key(&mut references(
                        (Sponsorships::Table, Sponsorships::AuthorizerId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .foreign_key(&mut references(
                        (Sponsorships::Table, Sponsorships::OboId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_sponsorships_authorizer",
            Sponsorships::Table,
            [
                Sponsorships::AuthorizerId,
                Sponsorships::Status,
                Sponsorships::WorksiteId,
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_sponsorships_obo",
            Sponsorships::Table,
            [
                Sponsorships::OboId,
                Sponsorships::Status,
                Sponsorships::WorksiteId,
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CareconnectAccess::Table)
                    .col(big_pk_auto(CareconnectAccess::Id))
                    .col(big_integer(CareconnectAccess::AccountId))
                    .col(big_integer(CareconnectAccess::WorksiteId))
                    .col(timestamp_with_time_zone(CareconnectAccess::GrantedAt))
                    .col(big_integer_null(CareconnectAccess::GrantedBy))
                    .col(timestamp_with_time_zone_null(CareconnectAccess::EndedAt))
                    .col(string_len_null(CareconnectAccess::EndReason, 32))
                    .foreign_key(&mut references(
                        (CareconnectAccess::Table, CareconnectAccess::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .foreign_key(&mut references(
                        (CareconnectAccess::Table, CareconnectAccess::WorksiteId),
                        (Worksites::Table, Worksites::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_careconnect_access_worksite",
            CareconnectAccess::Table,
            [CareconnectAccess::WorksiteId, CareconnectAccess::AccountId],
            false,
        )
        .await?;

        // One open sponsorship (requested or active) per pair and worksite, and one current
        // access grant per person and worksite, even when two are made at the same moment.
        let connection = manager.get_connection();
        connection
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_sponsorships_open ON sponsorships \
                 (worksite_id, authorizer_id, obo_id) WHERE status IN ('requested', 'active')",
            )
            .await?;
        connection
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_careconnect_access_current ON careconnect_access \
                 (account_id, worksite_id) WHERE ended_at IS NULL",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                CareconnectAccess::Table.into_iden(),
                Sponsorships::Table.into_iden(),
            ],
        )
        .await
    }
}
