//! Every status column holds one of its status's values, enforced by the database itself: a
//! `CHECK` constraint on PostgreSQL; on SQLite, which cannot add a constraint to an existing
//! table, triggers that abort an insert or update with any other value.

use sea_orm_migration::{
    prelude::*,
    sea_orm::{ConnectionTrait, DatabaseBackend},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Each table's status column and the values it may hold (the `app` crate's status enums).
pub const STATUSES: [(&str, &[&str]); 7] = [
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

fn statements(backend: DatabaseBackend) -> Vec<String> {
    let mut statements = Vec::new();
    for (table, values) in STATUSES {
        let allowed = allowed(values);
        if backend == DatabaseBackend::Postgres {
            statements.push(format!(
                "ALTER TABLE {table} ADD CONSTRAINT ck_{table}_status CHECK (status IN ({allowed}))"
            ));
        } else {
            for (event, when) in [("INSERT", "INSERT"), ("UPDATE", "UPDATE OF status")] {
                statements.push(format!(
                    "CREATE TRIGGER tr_{table}_status_{} BEFORE {when} ON {table} \
                     WHEN NEW.status NOT IN ({allowed}) BEGIN \
                       SELECT RAISE(ABORT, 'CHECK constraint failed: {table}.status'); \
                     END",
                    event.to_lowercase()
                ));
            }
        }
    }
    statements
}

fn undo(backend: DatabaseBackend) -> Vec<String> {
    let mut statements = Vec::new();
    for (table, _) in STATUSES {
        if backend == DatabaseBackend::Postgres {
            statements.push(format!(
                "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS ck_{table}_status"
            ));
        } else {
            for event in ["insert", "update"] {
                statements.push(format!("DROP TRIGGER IF EXISTS tr_{table}_status_{event}"));
            }
        }
    }
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in statements(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in undo(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
