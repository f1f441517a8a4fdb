//! Signatures of the Healthcare Practitioner CareConnect Access Agreement (HPCAA).

use crate::helpers::{drop_tables, index, references};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum HpcaaSignatures {
    Table,
    Id,
    AccountId,
    Version,
    SignedName,
    SignedAt,
    ClientAddr,
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
                    .table(HpcaaSignatures::Table)
                    .col(big_pk_auto(HpcaaSignatures::Id))
                    .col(big_integer(HpcaaSignatures::AccountId))
                    .col(string_len(HpcaaSignatures::Version, 32))
                    .col(string_len(HpcaaSignatures::SignedName, 200))
                    .col(timestamp_with_time_zone(HpcaaSignatures::SignedAt))
                    .col(string_len_null(HpcaaSignatures::ClientAddr, 64))
                    .foreign_key(&mut references(
                        (HpcaaSignatures::Table, HpcaaSignatures::AccountId),
                        (Accounts::Table, Accounts::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // Each version of the agreement is signed once per person.
        index(
            manager,
            "ux_hpcaa_signatures_account_version",
            HpcaaSignatures::Table,
            [HpcaaSignatures::AccountId, HpcaaSignatures::Version],
            true,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, vec![HpcaaSignatures::Table.into_iden()]).await
    }
}
