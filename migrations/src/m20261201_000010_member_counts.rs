//! Each worksite's count of active and inactive members, kept by the database itself: triggers
//! on `memberships` follow every insert, status change and delete (cascades included), so the
//! member lists read their totals from the worksite row instead of counting a large worksite's
//! members on every page.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, DatabaseBackend},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Worksites {
    Table,
    ActiveMembers,
    InactiveMembers,
}

/// SQLite: row triggers (an update is in place there, so one per membership costs little).
const SQLITE_TRIGGERS: [&str; 3] = [
    "CREATE TRIGGER tr_memberships_counted_insert AFTER INSERT ON memberships BEGIN \
       UPDATE worksites SET active_members = active_members + (NEW.status = 'active'), \
         inactive_members = inactive_members + (NEW.status = 'inactive') \
       WHERE id = NEW.worksite_id; \
     END",
    "CREATE TRIGGER tr_memberships_counted_delete AFTER DELETE ON memberships BEGIN \
       UPDATE worksites SET active_members = active_members - (OLD.status = 'active'), \
         inactive_members = inactive_members - (OLD.status = 'inactive') \
       WHERE id = OLD.worksite_id; \
     END",
    "CREATE TRIGGER tr_memberships_counted_update AFTER UPDATE OF status, worksite_id \
     ON memberships WHEN OLD.status <> NEW.status OR OLD.worksite_id <> NEW.worksite_id BEGIN \
       UPDATE worksites SET active_members = active_members - (OLD.status = 'active'), \
         inactive_members = inactive_members - (OLD.status = 'inactive') \
       WHERE id = OLD.worksite_id; \
       UPDATE worksites SET active_members = active_members + (NEW.status = 'active'), \
         inactive_members = inactive_members + (NEW.status = 'inactive') \
       WHERE id = NEW.worksite_id; \
     END",
];

/// PostgreSQL: statement triggers over the changed rows (transition tables), one update per
/// worksite a statement touches. Row triggers would update a large worksite's row once per
/// member inserted in one transaction, each update a new version of the row.
fn postgres_triggers() -> Vec<String> {
    let counted = |sign: &str, rows: &str| {
        format!(
            "SELECT {rows}.worksite_id, {sign}({rows}.status = 'active')::int AS active, \
             {sign}({rows}.status = 'inactive')::int AS inactive"
        )
    };
    // An update that changes neither status nor worksite (say, Promote To Admin) counts nothing.
    let moved = "FROM old_memberships o JOIN new_memberships n USING (id) \
                 WHERE (o.status, o.worksite_id) <> (n.status, n.worksite_id)";
    let changes = [
        (
            "insert",
            "NEW TABLE AS new_memberships",
            format!("{} FROM new_memberships n", counted("", "n")),
        ),
        (
            "delete",
            "OLD TABLE AS old_memberships",
            format!("{} FROM old_memberships o", counted("-", "o")),
        ),
        (
            "update",
            "OLD TABLE AS old_memberships NEW TABLE AS new_memberships",
            format!(
                "{} {moved} UNION ALL {} {moved}",
                counted("", "n"),
                counted("-", "o")
            ),
        ),
    ];
    let mut statements = Vec::new();
    for (operation, transition, deltas) in changes {
        statements.push(format!(
            "CREATE FUNCTION memberships_counted_{operation}() RETURNS trigger LANGUAGE plpgsql \
             AS $$ BEGIN \
               UPDATE worksites SET active_members = active_members + changed.active, \
                 inactive_members = inactive_members + changed.inactive \
               FROM (SELECT worksite_id, SUM(active) AS active, SUM(inactive) AS inactive \
                 FROM ({deltas}) AS deltas GROUP BY worksite_id) AS changed \
               WHERE worksites.id = changed.worksite_id \
                 AND (changed.active <> 0 OR changed.inactive <> 0); \
               RETURN NULL; \
             END $$"
        ));
        statements.push(format!(
            "CREATE TRIGGER tr_memberships_counted_{operation} AFTER {} ON memberships \
             REFERENCING {transition} FOR EACH STATEMENT \
             EXECUTE FUNCTION memberships_counted_{operation}()",
            operation.to_uppercase()
        ));
    }
    statements
}

/// The counts of the members there already.
const BACKFILL: &str = "UPDATE worksites SET \
   active_members = (SELECT COUNT(*) FROM memberships \
     WHERE memberships.worksite_id = worksites.id AND memberships.status = 'active'), \
   inactive_members = (SELECT COUNT(*) FROM memberships \
     WHERE memberships.worksite_id = worksites.id AND memberships.status = 'inactive')";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [Worksites::ActiveMembers, Worksites::InactiveMembers] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Worksites::Table)
                        .add_column(big_integer(column).default(0))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        let triggers = match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_triggers(),
            _ => SQLITE_TRIGGERS.map(str::to_owned).to_vec(),
        };
        for statement in triggers {
            db.execute_unprepared(&statement).await?;
        }
        db.execute_unprepared(BACKFILL).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for trigger in [
            "tr_memberships_counted_insert",
            "tr_memberships_counted_delete",
            "tr_memberships_counted_update",
        ] {
            if manager.get_database_backend() == DatabaseBackend::Postgres {
                db.execute_unprepared(&format!("DROP TRIGGER {trigger} ON memberships"))
                    .await?;
                let function = trigger.replacen("tr_", "", 1);
                db.execute_unprepared(&format!("DROP FUNCTION {function}()"))
                    .await?;
            } else {
                db.execute_unprepared(&format!("DROP TRIGGER {trigger}"))
                    .await?;
            }
        }
        for column in [Worksites::ActiveMembers, Worksites::InactiveMembers] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Worksites::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
