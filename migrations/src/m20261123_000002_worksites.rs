//! Worksites, their address search terms, and memberships.

use crate::helpers::{drop_tables, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Worksites {
    Table,
    Id,
    Code,
    Name,
    WorksiteType,
    Unit,
    Street,
    City,
    Province,
    PostalCode,
    Country,
    AddressKey,
    Phone,
    PhoneExtension,
    Email,
    Emr,
    ClinicType,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WorksiteSearchTerms {
    Table,
    WorksiteId,
    Term,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    WorksiteId,
    AccountId,
    Status,
    IsAdmin,
    JoinedAt,
    DeactivatedAt,
    DeactivatedBy,
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
                    .table(Worksites::Table)
                    .col(big_pk_auto(Worksites::Id))
                    .col(string_len_uniq(Worksites::Code, 7))
                    .col(string_len(Worksites::Name, 200))
                    .col(string_len(Worksites::WorksiteType, 64))
                    .col(string_len_null(Worksites::Unit, 20))
                    .col(string_len(Worksites::Street, 200))
                    .col(string_len(Worksites::City, 100))
                    .col(string_len(Worksites::Province, 2))
                    .col(string_len(Worksites::PostalCode, 7))
                    .col(string_len(Worksites::Country, 60))
                    .col(string_len(Worksites::AddressKey, 300))
                    .col(string_len(Worksites::Phone, 32))
                    .col(string_len_null(Worksites::PhoneExtension, 10))
                    .col(string_len(Worksites::Email, 254))
                    .col(string_len(Worksites::Emr, 64))
                    .col(string_len(Worksites::ClinicType, 64))
                    .col(big_integer(Worksites::CreatedBy))
                    .col(timestamp_with_time_zone(Worksites::CreatedAt))
                    .col(timestamp_with_time_zone(Worksites::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Worksites::Table, Worksites::CreatedBy)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_worksites_address_key",
            Worksites::Table,
            [Worksites::AddressKey],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(WorksiteSearchTerms::Table)
                    .col(big_integer(WorksiteSearchTerms::WorksiteId))
                    .col(string_len(WorksiteSearchTerms::Term, 64))
                    .primary_key(
                        Index::create()
                            .col(WorksiteSearchTerms::Term)
                            .col(WorksiteSearchTerms::WorksiteId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(WorksiteSearchTerms::Table, WorksiteSearchTerms::WorksiteId)
                            .to(Worksites::Table, Worksites::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_worksite_search_terms_worksite",
            WorksiteSearchTerms::Table,
            [WorksiteSearchTerms::WorksiteId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(big_pk_auto(Memberships::Id))
                    .col(big_integer(Memberships::WorksiteId))
                    .col(big_integer(Memberships::AccountId))
                    .col(string_len(Memberships::Status, 16))
                    .col(boolean(Memberships::IsAdmin))
                    .col(timestamp_with_time_zone(Memberships::JoinedAt))
                    .col(timestamp_with_time_zone_null(Memberships::DeactivatedAt))
                    .col(big_integer_null(Memberships::DeactivatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::WorksiteId)
                            .to(Worksites::Table, Worksites::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Memberships::Table, Memberships::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_memberships_worksite_account",
            Memberships::Table,
            [Memberships::WorksiteId, Memberships::AccountId],
            true,
        )
        .await?;
        index(
            manager,
            "ix_memberships_account",
            Memberships::Table,
            [Memberships::AccountId],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                Memberships::Table.into_iden(),
                WorksiteSearchTerms::Table.into_iden(),
                Worksites::Table.into_iden(),
            ],
        )
        .await
    }
}
