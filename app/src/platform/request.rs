//! The context of one server-function call: shared state, the caller's session and address.

use super::client_address::ClientAddress;
use super::{sessions, Actor, AppState, Change};
use crate::error::AppError;
use axum::Extension;
use leptos::prelude::use_context;
use tower_sessions::Session;

pub struct RequestContext {
    pub state: AppState,
    pub session: Session,
    /// Where the request came from, as resolved through the trusted proxies.
    pub client: Option<ClientAddress>,
}

impl RequestContext {
    pub async fn load() -> Result<Self, AppError> {
        let state = use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the server function context");
            AppError::Internal
        })?;
        let session = leptos_axum::extract::<Session>().await.map_err(|error| {
            tracing::error!(%error, "session missing from the request");
            AppError::Internal
        })?;
        let client = leptos_axum::extract::<Extension<ClientAddress>>()
            .await
            .ok()
            .map(|Extension(client)| client);
        Ok(Self {
            state,
            session,
            client,
        })
    }

    pub fn db(&self) -> &sea_orm::DatabaseConnection {
        &self.state.db
    }

    /// The key that rate limits by client address (an IPv6 client by its /64).
    pub fn address_key(&self) -> String {
        self.client
            .map_or_else(|| "unknown".to_owned(), |client| client.limit_key())
    }

    /// The signed-in account, if any; it is recorded on the request's span, so everything
    /// logged for the request names it.
    pub async fn account_id(&self) -> Result<Option<i64>, AppError> {
        let account = sessions::signed_in_account(&self.session).await?;
        if let Some(account) = account {
            tracing::Span::current().record("account", account);
        }
        Ok(account)
    }

    pub async fn require_account(&self) -> Result<i64, AppError> {
        self.account_id().await?.ok_or(AppError::Unauthenticated)
    }

    /// Who is asking: the signed-in account, if any, the client's address and the session.
    pub async fn actor(&self) -> Result<Actor, AppError> {
        Ok(Actor {
            account: self.account_id().await?,
            addr: self.client.map(|client| client.to_string()),
            session: sessions::key_of(&self.session),
        })
    }

    /// Runs the one write of this request as its signed-in account (see [`AppState::write`]);
    /// anyone else is refused before a transaction opens. Writes of people not signed in (sign-in,
    /// registration, recovery) run as [`Self::actor`].
    pub async fn write<T>(
        &self,
        work: impl AsyncFnOnce(&mut Change<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let actor = self.actor().await?;
        if actor.account.is_none() {
            return Err(AppError::Unauthenticated);
        }
        self.state.write(actor, work).await
    }
}

impl RequestContext {
    /// The device the request came from, as "Manage My Account" lists it.
    pub async fn device(&self) -> sessions::Device {
        let headers = leptos_axum::extract::<axum::http::HeaderMap>()
            .await
            .unwrap_or_default();
        let agent = headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|value| value.to_str().ok());
        sessions::Device::new(agent, self.client)
    }
}
