//! tower-sessions' store on the portal's own database (SeaORM), so sessions survive restarts and
//! are shared by every app server. Rows are keyed by a hash of the session id: a copy of the
//! table does not let anyone take over a session. Each row names its signed-in account, so all of
//! an account's sessions can be listed and ended at once, on every app server.

use super::sessions::{SignedIn, SIGNED_IN};
use crate::entities::session;
use crate::platform::{db::WriteQueue, tokens::hash_token};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use tower_sessions::{
    session::{Id, Record},
    session_store, SessionStore,
};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
    writes: WriteQueue,
}

impl DbSessionStore {
    /// A store that queues with nothing (tests, tools).
    pub fn new(db: DatabaseConnection) -> Self {
        Self {
            db,
            writes: WriteQueue::default(),
        }
    }

    /// The store of an app server: its writes queue with the server's other writes.
    pub fn of(state: &super::AppState) -> Self {
        Self {
            db: state.db.clone(),
            writes: state.writes.clone(),
        }
    }
}

fn key(id: &Id) -> String {
    hash_token(&id.to_string())
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn expiry(record: &Record) -> DateTime<Utc> {
    DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0).unwrap_or_else(Utc::now)
}

fn signed_in(data: &std::collections::HashMap<String, serde_json::Value>) -> Option<SignedIn> {
    data.get(SIGNED_IN)
        .and_then(|value| serde_json::from_value(value.clone()).ok())
}

/// The signed-in sessions of an account that have not expired: their store key and what they
/// hold, most recently active first.
pub async fn signed_in_sessions(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Vec<(String, SignedIn)>, DbErr> {
    let rows = session::Entity::find()
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .order_by_desc(session::Column::ExpiresAt)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let record: Record = serde_json::from_str(&row.data).ok()?;
            Some((row.id, signed_in(&record.data)?))
        })
        .collect())
}

/// When the session stored under `key` ends, if it is still the account's and has not ended:
/// a live-update stream asks this to end with its session.
pub async fn session_ends(
    conn: &impl ConnectionTrait,
    key: &str,
    account_id: i64,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(session::Entity::find_by_id(key.to_owned())
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .one(conn)
        .await?
        .map(|row| row.expires_at))
}

/// Ends the account's sessions, but the one whose key is `keep`; returns how many ended. Run in
/// a change's transaction, they end with it: every app server reads sessions from this table,
/// so the next request of each is signed out.
pub async fn end_sessions(
    conn: &impl ConnectionTrait,
    account_id: i64,
    keep: Option<&str>,
) -> Result<u64, DbErr> {
    let mut delete =
        session::Entity::delete_many().filter(session::Column::AccountId.eq(account_id));
    if let Some(keep) = keep {
        delete = delete.filter(session::Column::Id.ne(keep));
    }
    Ok(delete.exec(conn).await?.rows_affected)
}

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let _turn = self.writes.turn().await.map_err(backend)?;
        // A fresh id that collides with a stored one gets another id rather than the other's data.
        loop {
            let data = serde_json::to_string(record)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?;
            let inserted = session::Entity::insert(session::ActiveModel {
                id: Set(key(&record.id)),
                data: Set(data),
                expires_at: Set(expiry(record)),
                account_id: Set(signed_in(&record.data).map(|s| s.account_id)),
            })
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    /// Updates the session's row only: a session ended elsewhere (signed out, or its account's
    /// sessions ended) while this request ran stays ended rather than being written back. On a
    /// full disk the session keeps its last saved state (its idle time is not extended) and the
    /// page is served: anything else that changes a session is a write that has failed already.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(record)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let _turn = self.writes.turn().await.map_err(backend)?;
        let saved = session::Entity::update_many()
            .col_expr(session::Column::Data, Expr::value(data))
            .col_expr(session::Column::ExpiresAt, Expr::value(expiry(record)))
            .col_expr(
                session::Column::AccountId,
                Expr::value(signed_in(&record.data).map(|s| s.account_id)),
            )
            .filter(session::Column::Id.eq(key(&record.id)))
            .exec(&self.db)
            .await;
        match saved {
            Err(error) if super::db::storage_full(&error) => {
                tracing::warn!(%error, "session not saved: the database's disk is full");
                Ok(())
            }
            Err(error) => Err(backend(error)),
            Ok(_) => Ok(()),
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row = session::Entity::find_by_id(key(id))
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        row.map(|row| {
            serde_json::from_str(&row.data).map_err(|e| session_store::Error::Decode(e.to_string()))
        })
        .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let _turn = self.writes.turn().await.map_err(backend)?;
        session::Entity::delete_by_id(key(id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
