//! "Sign in with BC Services Card": the OpenID Connect authorization-code flow with PKCE, state
//! and nonce. Without OIDC settings, development mode sends people to the development identity
//! provider page instead.

use crate::router::ServerState;
use app::accounts::{
    identity,
    types::{return_path, with_return_to, ValidatedIdentity},
};
use app::error::{AppError, Refusal};
use app::platform::{client_address::ClientAddress, config::OidcSettings, sessions, Actor};
use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    Extension,
};
use openidconnect::{
    core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims},
    reqwest, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use tokio::sync::RwLock;
use tower_sessions::Session;

const FLOW_KEY: &str = "oidc_flow";
/// Provider metadata (endpoints and keys) is fetched again after this long.
const METADATA_LIFETIME: Duration = Duration::from_secs(3600);
const FAILED: &str = "/sign-in?error=identity";
/// Where a person whose account the CareConnect team disabled is told so.
const DISABLED: &str = "/sign-in?error=disabled";

pub struct Provider {
    settings: OidcSettings,
    redirect_url: String,
    http: reqwest::Client,
    metadata: RwLock<Option<(CoreProviderMetadata, Instant)>>,
}

/// What the browser must bring back to the callback, kept in the session meanwhile.
#[derive(Serialize, Deserialize)]
struct PendingFlow {
    state: String,
    nonce: String,
    pkce_verifier: String,
    /// The page to go back to once signed in (a path of this portal, checked on the way in).
    #[serde(default)]
    return_to: Option<String>,
}

#[derive(Deserialize)]
pub struct StartParams {
    next: Option<String>,
}

impl StartParams {
    fn return_to(&self) -> Option<String> {
        self.next
            .as_deref()
            .and_then(return_path)
            .map(str::to_owned)
    }
}

#[derive(Debug, thiserror::Error)]
enum FlowError {
    #[error("identity provider unreachable or misconfigured: {0}")]
    Provider(String),
    #[error("the sign-in was not started here, or was already used")]
    NoPendingFlow,
    #[error("state mismatch")]
    StateMismatch,
    #[error("the identity provider refused: {0}")]
    Refused(String),
    #[error("the ID token is invalid: {0}")]
    InvalidToken(String),
    #[error("required claim missing: {0}")]
    MissingClaim(&'static str),
    #[error("session: {0}")]
    Session(String),
    #[error("the portal refused: {0}")]
    Portal(AppError),
}

impl Provider {
    pub fn new(settings: OidcSettings, public_url: &str) -> Self {
        let http = reqwest::ClientBuilder::new()
            // Following redirects would expose the token endpoint to SSRF.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Self {
            settings,
            redirect_url: format!("{public_url}/auth/oidc/callback"),
            http,
            metadata: RwLock::new(None),
        }
    }

    async fn metadata(&self) -> Result<CoreProviderMetadata, FlowError> {
        if let Some((metadata, fetched)) = self.metadata.read().await.as_ref() {
            if fetched.elapsed() < METADATA_LIFETIME {
                return Ok(metadata.clone());
            }
        }
        let issuer = IssuerUrl::new(self.settings.issuer_url.clone())
            .map_err(|e| FlowError::Provider(e.to_string()))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| FlowError::Provider(e.to_string()))?;
        *self.metadata.write().await = Some((metadata.clone(), Instant::now()));
        Ok(metadata)
    }

    async fn client(
        &self,
    ) -> Result<
        openidconnect::core::CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        FlowError,
    > {
        let redirect = RedirectUrl::new(self.redirect_url.clone())
            .map_err(|e| FlowError::Provider(e.to_string()))?;
        Ok(CoreClient::from_provider_metadata(
            self.metadata().await?,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(
                self.settings.client_secret.expose_secret().to_owned(),
            )),
        )
        .set_redirect_uri(redirect))
    }
}

pub async fn start(
    State(state): State<ServerState>,
    session: Session,
    Query(params): Query<StartParams>,
) -> Response {
    let return_to = params.return_to();
    let Some(provider) = state.oidc.clone() else {
        return if state.app.config.development_tools_enabled() {
            let page = with_return_to("/dev/idp", return_to.as_deref().unwrap_or("/"));
            Redirect::to(&page).into_response()
        } else {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "No identity provider is configured.",
            )
                .into_response()
        };
    };
    match begin(&provider, &session, return_to).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(error) => {
            tracing::error!(%error, "could not start the identity provider sign-in");
            Redirect::to(FAILED).into_response()
        }
    }
}

async fn begin(
    provider: &Provider,
    session: &Session,
    return_to: Option<String>,
) -> Result<String, FlowError> {
    let client = provider.client().await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf_state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".to_owned()))
        .add_scope(Scope::new("email".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    let flow = PendingFlow {
        state: csrf_state.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        return_to,
    };
    session
        .insert(FLOW_KEY, flow)
        .await
        .map_err(|e| FlowError::Session(e.to_string()))?;
    Ok(url.to_string())
}

#[derive(Deserialize)]
pub struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub async fn callback(
    State(state): State<ServerState>,
    session: Session,
    client: Option<Extension<ClientAddress>>,
    headers: axum::http::HeaderMap,
    Query(params): Query<CallbackParams>,
) -> Response {
    let Some(provider) = state.oidc.clone() else {
        return (StatusCode::NOT_FOUND, "No identity provider is configured.").into_response();
    };
    let client = client.map(|Extension(client)| client);
    let actor = Actor {
        account: None,
        addr: client.map(|client| client.to_string()),
        session: sessions::key_of(&session),
    };
    let agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    let device = sessions::Device::new(agent, client);
    let outcome = async {
        let (identity, return_to) = finish(&provider, &session, params).await?;
        let outcome = identity::establish(&state.app, &session, actor, &identity, device)
            .await
            .map_err(FlowError::Portal)?;
        Ok::<_, FlowError>((outcome, return_to))
    }
    .await;
    match outcome {
        Ok((outcome, return_to)) => {
            Redirect::to(outcome.next_path(return_to.as_deref())).into_response()
        }
        Err(FlowError::Portal(AppError::Refused(Refusal::AccountDisabled))) => {
            Redirect::to(DISABLED).into_response()
        }
        Err(error) => {
            // Debug formatting escapes line breaks: the provider's `error=` text is the caller's.
            tracing::warn!(?error, "identity provider sign-in failed");
            Redirect::to(FAILED).into_response()
        }
    }
}

async fn finish(
    provider: &Provider,
    session: &Session,
    params: CallbackParams,
) -> Result<(ValidatedIdentity, Option<String>), FlowError> {
    // The pending flow is used up whatever happens next: a callback works once.
    let flow: PendingFlow = session
        .remove(FLOW_KEY)
        .await
        .map_err(|e| FlowError::Session(e.to_string()))?
        .ok_or(FlowError::NoPendingFlow)?;
    if let Some(error) = params.error {
        return Err(FlowError::Refused(error));
    }
    let returned_state = params.state.unwrap_or_default();
    if returned_state.is_empty() || returned_state != flow.state {
        return Err(FlowError::StateMismatch);
    }
    let code = params.code.ok_or(FlowError::MissingClaim("code"))?;
    let client = provider.client().await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| FlowError::Provider(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier))
        .request_async(&provider.http)
        .await
        .map_err(|e| FlowError::Refused(e.to_string()))?;
    let id_token = tokens
        .id_token()
        .ok_or(FlowError::InvalidToken("no ID token".to_owned()))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(flow.nonce))
        .map_err(|e| FlowError::InvalidToken(e.to_string()))?;

    let mut given_name = claims
        .given_name()
        .and_then(|n| n.get(None))
        .map(|n| n.to_string());
    let mut family_name = claims
        .family_name()
        .and_then(|n| n.get(None))
        .map(|n| n.to_string());
    let mut birthdate = claims.birthdate().map(|b| b.to_string());
    let mut email = claims.email().map(|e| e.to_string());
    // Many providers (BC Services Card among them) release profile claims only from userinfo.
    if given_name.is_none() || family_name.is_none() {
        let info: CoreUserInfoClaims = client
            .user_info(
                tokens.access_token().clone(),
                Some(claims.subject().clone()),
            )
            .map_err(|e| FlowError::Provider(e.to_string()))?
            .request_async(&provider.http)
            .await
            .map_err(|e| FlowError::Provider(e.to_string()))?;
        given_name = given_name.or_else(|| {
            info.given_name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string())
        });
        family_name = family_name.or_else(|| {
            info.family_name()
                .and_then(|n| n.get(None))
                .map(|n| n.to_string())
        });
        birthdate = birthdate.or_else(|| info.birthdate().map(|b| b.to_string()));
        email = email.or_else(|| info.email().map(|e| e.to_string()));
    }
    let identity = ValidatedIdentity {
        issuer: provider.settings.issuer_url.clone(),
        subject: claims.subject().to_string(),
        given_name: given_name.ok_or(FlowError::MissingClaim("given_name"))?,
        family_name: family_name.ok_or(FlowError::MissingClaim("family_name"))?,
        birthdate,
        email,
    };
    Ok((identity, flow.return_to))
}
