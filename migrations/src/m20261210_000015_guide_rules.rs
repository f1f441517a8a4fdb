//! Rules of the guides that did not hold: a join request and an invitation for the same person
//! and worksite close as `superseded` when the other is accepted; a rejected join request or a
//! declined sponsorship request may carry the decider's reason; the EMR is named as the guide
//! names it ("MedAccess").

use crate::m20261206_000011_status_checks::{guard, run, unguard};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JoinRequests {
    Table,
    Reason,
}

#[derive(DeriveIden)]
enum Sponsorships {
    Table,
    DeclineReason,
}

/// The decisions that may say why: (table, column).
fn reason_columns() -> [(DynIden, DynIden); 2] {
    [
        (
            JoinRequests::Table.into_iden(),
            JoinRequests::Reason.into_iden(),
        ),
        (
            Sponsorships::Table.into_iden(),
            Sponsorships::DeclineReason.into_iden(),
        ),
    ]
}

const MEDACCESS: &str = "MedAccess";
const MEDACCESS_BEFORE: &str = "Med Access (TELUS)";

/// The longest reason a decision may carry (the field's limit, `REASON_MAX` in the app).
const REASON_LENGTH: u32 = 500;

pub const JOIN_REQUEST_STATUSES: &[&str] =
    &["pending", "approved", "rejected", "withdrawn", "superseded"];
pub const INVITATION_STATUSES: &[&str] = &["pending", "accepted", "revoked", "superseded"];

/// Each table whose statuses this migration widens: (table, values after, values before, what
/// a superseded row becomes when the migration is undone).
const WIDENED: [(&str, &[&str], &[&str], &str); 2] = [
    (
        "join_requests",
        JOIN_REQUEST_STATUSES,
        &["pending", "approved", "rejected", "withdrawn"],
        "approved",
    ),
    (
        "invitations",
        INVITATION_STATUSES,
        &["pending", "accepted", "revoked"],
        "accepted",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in reason_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(string_len_null(column, REASON_LENGTH))
                        .to_owned(),
                )
                .await?;
        }
        let backend = manager.get_database_backend();
        let mut statements = vec![format!(
            "UPDATE worksites SET emr = '{MEDACCESS}' WHERE emr = '{MEDACCESS_BEFORE}'"
        )];
        for (table, after, _, _) in WIDENED {
            statements.extend(unguard(backend, table));
            statements.extend(guard(backend, table, after));
        }
        run(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let mut statements = vec![format!(
            "UPDATE worksites SET emr = '{MEDACCESS_BEFORE}' WHERE emr = '{MEDACCESS}'"
        )];
        for (table, _, before, superseded_as) in WIDENED {
            statements.extend(unguard(backend, table));
            statements.push(format!(
                "UPDATE {table} SET status = '{superseded_as}' WHERE status = 'superseded'"
            ));
            statements.extend(guard(backend, table, before));
        }
        run(manager, statements).await?;
        for (table, column) in reason_columns() {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
