//! Time-limited sponsorships: an Authorizer may give a sponsorship a last day (a locum, a
//! temporary MOA); both people are reminded once before it (`end_reminded_at`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Sponsorships {
    Table,
    LastDay,
    EndRemindedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for mut column in [
            date_null(Sponsorships::LastDay),
            timestamp_with_time_zone_null(Sponsorships::EndRemindedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Sponsorships::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Sponsorships::LastDay, Sponsorships::EndRemindedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Sponsorships::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
