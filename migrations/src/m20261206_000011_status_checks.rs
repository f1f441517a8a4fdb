//! Every status column holds one of its status's values, enforced by the database itself: a
//! `CHECK` constraint on PostgreSQL; on SQLite, which cannot add a constraint to an existing
//! table, triggers that abort an insert or update with any other value.

use sea_orm_migration::{
    prelude::*,
    sea_orm::{ConnectionTrait, DatabaseBackend},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each table's status column and the values this migration let it hold (later migrations
/// change some: the current set is `crate::STATUSES`).
const GUARDED: [(&str, &[&str]); 7] = [
    (
        "careconnect_applications",
        &["submitted", "in_review", "approved", "denied", "returned"],
    ),
    ("invitations", &["pending", "accepted", "revoked"]),
    (
        "join_requests",
        &["pending", "approved", "rejected", "withdrawn"],
    ),
    ("memberships", &["active", "inactive"]),
    ("member_name_prefixes", &["active", "inactive"]),
    ("outbound_emails", &["queued", "sent", "kept"]),
    (
        "sponsorships",
        &["requested", "active", "declined", "withdrawn", "ended"],
    ),
];

fn allowed(values: &[&str]) -> String {
    values
        .iter()
        .map(|value| format!("'{value}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The statements that guard `table`'s status column: a `CHECK` on PostgreSQL, triggers on
/// SQLite. Later migrations that add a status use it with [`unguard`].
pub(crate) fn guard(backend: DatabaseBackend, table: &str, values: &[&str]) -> Vec<String> {
    let allowed = allowed(values);
    if backend == DatabaseBackend::Postgres {
        return vec![format!(
            "ALTER TABLE {table} ADD CONSTRAINT ck_{table}_status CHECK (status IN ({allowed}))"
        )];
    }
    [("insert", "INSERT"), ("update", "UPDATE OF status")]
        .into_iter()
        .map(|(event, when)| {
            format!(
                "CREATE TRIGGER tr_{table}_status_{event} BEFORE {when} ON {table} \
                 WHEN NEW.status NOT IN ({allowed}) BEGIN \
                   SELECT RAISE(ABORT, 'CHECK constraint failed: {table}.status'); \
                 END"
            )
        })
        .collect()
}

/// The statements that remove `table`'s status guard.
pub(crate) fn unguard(backend: DatabaseBackend, table: &str) -> Vec<String> {
    if backend == DatabaseBackend::Postgres {
        return vec![format!(
            "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS ck_{table}_status"
        )];
    }
    ["insert", "update"]
        .into_iter()
        .map(|event| format!("DROP TRIGGER IF EXISTS tr_{table}_status_{event}"))
        .collect()
}

/// Runs the statements in order, as one batch: on SQLite a pool could otherwise run a `CREATE
/// TRIGGER` on a connection that has not yet seen the `DROP TRIGGER` before it.
pub(crate) async fn run(manager: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    manager
        .get_connection()
        .execute_unprepared(&statements.join(";\n"))
        .await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let statements = GUARDED
            .iter()
            .flat_map(|(table, values)| guard(backend, table, values))
            .collect();
        run(manager, statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        let statements = GUARDED
            .iter()
            .flat_map(|(table, _)| unguard(backend, table))
            .collect();
        run(manager, statements).await
    }
}
