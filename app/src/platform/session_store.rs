//! tower-sessions' store on the portal's own database (SeaORM), so sessions survive restarts and
//! are shared by every app server. Rows are keyed by a hash of the session id: a copy of the
//! table does not let anyone take over a session.

use crate::entities::session;
use crate::platform::tokens::hash_token;
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use tower_sessions::{
    session::{Id, Record},
    session_store, SessionStore,
};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Removes expired sessions; returns how many.
    pub async fn delete_expired(&self) -> Result<u64, sea_orm::DbErr> {
        let result = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lt(Utc::now()))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
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

#[async_trait::async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh id that collides with a stored one gets another id rather than the other's data.
        loop {
            let data = serde_json::to_string(record)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?;
            let inserted = session::Entity::insert(session::ActiveModel {
                id: Set(key(&record.id)),
                data: Set(data),
                expires_at: Set(expiry(record)),
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

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(record)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        session::Entity::insert(session::ActiveModel {
            id: Set(key(&record.id)),
            data: Set(data),
            expires_at: Set(expiry(record)),
        })
        .on_conflict(
            OnConflict::column(session::Column::Id)
                .update_columns([session::Column::Data, session::Column::ExpiresAt])
                .to_owned(),
        )
        .exec_without_returning(&self.db)
        .await
        .map_err(backend)?;
        Ok(())
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
        session::Entity::delete_by_id(key(id))
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}
