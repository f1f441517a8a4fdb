//! Connecting to the database and opening write transactions.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectOptions, ConnectionTrait, Database,
    DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    QuerySelect, RuntimeErr, SqlErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// Connects with the portal's durability settings: on SQLite, WAL with `synchronous=FULL`, foreign
/// keys on, and a busy timeout so concurrent writers wait instead of failing. The pool holds at
/// most `max_connections`.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file_path(url) {
        if let Some(parent) = std::path::Path::new(&path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|error| {
                    DbErr::Custom(format!("cannot create {}: {error}", parent.display()))
                })?;
            }
        }
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|opts| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    if url.starts_with("sqlite::memory:") || url.contains("mode=memory") {
        // Every pooled connection to `:memory:` would be a database of its own.
        options.max_connections(1).min_connections(1);
    } else {
        options.max_connections(max_connections);
    }
    Database::connect(options).await
}

/// The file of a `sqlite://PATH?…` URL (none for an in-memory database).
pub fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://")?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.starts_with(':')).then(|| path.to_owned())
}

/// The smallest string after every string that starts with `prefix`: `term >= prefix AND term <
/// prefix_end(prefix)` is a prefix search that an index on `term` serves, on SQLite and PostgreSQL.
pub fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        // The next character; past the end of a range of characters, shorten the prefix.
        if let Some(next) = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    // Every string starts with "": nothing is after them all but the largest character.
    char::MAX.to_string()
}

/// How long a write waits for its turn before it fails, as SQLite's own busy timeout.
const TURN_TIMEOUT: Duration = Duration::from_secs(10);

/// The order in which this app server's writes take SQLite's database-wide write lock. SQLite
/// lets a waiting writer in only when it polls (its busy handler sleeps up to 100 ms between
/// tries), so a job committing batch after batch could keep a sign-in waiting for the whole job.
/// Writes queue here first instead, first come first served, and each waits at most for the
/// writes ahead of it. PostgreSQL locks rows, not the database: there nobody queues.
#[derive(Clone, Debug, Default)]
pub struct WriteQueue(Option<std::sync::Arc<tokio::sync::Mutex<()>>>);

/// A write's turn: the next write goes when it is dropped.
pub type WriteTurn = Option<tokio::sync::OwnedMutexGuard<()>>;

impl WriteQueue {
    pub fn for_database(db: &DatabaseConnection) -> Self {
        Self((db.get_database_backend() == DatabaseBackend::Sqlite).then(Default::default))
    }

    /// Waits for this write's turn; hold it until the write is committed or rolled back.
    pub async fn turn(&self) -> Result<WriteTurn, DbErr> {
        let Some(queue) = &self.0 else {
            return Ok(None);
        };
        tokio::time::timeout(TURN_TIMEOUT, queue.clone().lock_owned())
            .await
            .map(Some)
            .map_err(|_| DbErr::Custom("waited 10 s for a turn to write".to_owned()))
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), so two writers never deadlock upgrading read locks.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let sqlite_transaction_mode = (db.get_database_backend() == DatabaseBackend::Sqlite)
        .then_some(SqliteTransactionMode::Immediate);
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode,
        ..Default::default()
    })
    .await
}

/// The query, locking the rows it reads until the transaction ends: `FOR UPDATE` on PostgreSQL;
/// SQLite needs nothing more, since `begin_write` already holds the database's write lock.
pub fn for_update<Q: QuerySelect>(conn: &impl ConnectionTrait, query: Q) -> Q {
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        query.lock_exclusive()
    } else {
        query
    }
}

/// Inserts the row, turning a unique-constraint violation (someone holds the value already,
/// perhaps a moment ago) into `taken()`. Return at once on that error: on PostgreSQL the
/// transaction cannot go on after a failed statement.
pub async fn insert_unique<A, E>(
    conn: &impl ConnectionTrait,
    row: A,
    taken: impl FnOnce() -> E,
) -> Result<<A::Entity as EntityTrait>::Model, E>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
    E: From<DbErr>,
{
    match row.insert(conn).await {
        Ok(inserted) => Ok(inserted),
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(taken())
        }
        Err(error) => Err(error.into()),
    }
}

/// Whether the database failed for want of disk space: SQLite's `SQLITE_FULL`, PostgreSQL's
/// `disk_full` (53100). Nothing was written; the same write succeeds once space returns.
pub fn storage_full(error: &DbErr) -> bool {
    let (DbErr::Conn(runtime) | DbErr::Exec(runtime) | DbErr::Query(runtime)) = error else {
        return false;
    };
    let RuntimeErr::SqlxError(error) = runtime else {
        return false;
    };
    let Some(database) = error.as_database_error() else {
        return false;
    };
    const SQLITE_FULL: &str = "13";
    const POSTGRES_DISK_FULL: &str = "53100";
    matches!(
        database.code().as_deref(),
        Some(SQLITE_FULL | POSTGRES_DISK_FULL)
    )
}

#[cfg(test)]
mod tests {
    use super::{connect, prefix_end, sqlite_file_path};
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

    /// `LIBSQLITE3_FLAGS` in `.cargo/config.toml` leaves STAT4 out: with it, every query was
    /// compiled again on every run once the database had been analysed.
    #[tokio::test]
    async fn sqlite_is_built_without_stat4() {
        let db = connect("sqlite::memory:", 1)
            .await
            .expect("in-memory database");
        let row = db
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Sqlite,
                "SELECT sqlite_compileoption_used('ENABLE_STAT4') AS stat4",
            ))
            .await
            .expect("compile options")
            .expect("one row");
        assert_eq!(row.try_get::<i64>("", "stat4").expect("a number"), 0);
    }

    #[test]
    fn a_prefix_range_holds_exactly_the_words_that_start_with_it() {
        let end = prefix_end("smi");
        assert_eq!(end, "smj");
        for word in ["smi", "smith", "smiz\u{10FFFF}"] {
            assert!(word >= "smi" && word < end.as_str(), "{word}");
        }
        assert!("smj" >= end.as_str() && "sm" < "smi");
        assert_eq!(prefix_end("é"), "ê");
        assert_eq!(prefix_end("a\u{10FFFF}"), "b");
    }

    #[test]
    fn finds_the_file_of_a_sqlite_url() {
        assert_eq!(
            sqlite_file_path("sqlite://data/portal.db?mode=rwc").as_deref(),
            Some("data/portal.db")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://localhost/portal"), None);
    }
}
