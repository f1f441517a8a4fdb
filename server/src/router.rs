//! The whole HTTP surface: Leptos pages and server functions, identity-provider routes, health,
//! static files; wrapped in sessions and the security layers.

use crate::observe::{self, Metrics, Observability};
use crate::{audit_export, bundle, hpcaa, integrations, live, oidc, security};
use app::platform::{
    client_address::ClientAddress,
    retention::{self, Purged},
    session_store::DbSessionStore,
    Actor, AppState,
};
use app::{
    error::{AppError, Refusal},
    shell, App,
};
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, FromRef, State},
    http::{header, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::{
    sync::{Arc, OnceLock},
    time::Duration,
};
use tokio::sync::watch;
use tower_http::{
    compression::CompressionLayer,
    request_id::{PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::RequestBodyTimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
    LatencyUnit,
};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};

#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
    pub oidc: Option<Arc<oidc::Provider>>,
    pub observability: Observability,
}

/// Server functions fail with HTTP 500 by default; the portal answers with the status that
/// matches the error (422 for invalid input, 409 for a decision already made, …). A failure on
/// the portal's side leaves with the request's id as its reference, which the person sees.
async fn server_fn_error_status(
    State(metrics): State<Arc<Metrics>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let signing_in = request.uri().path() == "/api/sign_in";
    let reference = request
        .headers()
        .get("x-request-id")
        .and_then(|id| id.to_str().ok())
        .map(str::to_owned);
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, ERROR_BODY_LIMIT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(error) = AppError::from_answer(bytes.clone()) {
        parts.status =
            StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // Refused access and exhausted limits are security events (ASVS 16.3.2, 16.3.3): the
        // request's span names the route, the client and the account, if any.
        match &error {
            AppError::Forbidden | AppError::Unauthenticated => {
                tracing::warn!(status = parts.status.as_u16(), "access refused");
            }
            AppError::RateLimited => tracing::warn!("rate limit reached"),
            _ => {}
        }
        if signing_in {
            metrics.sign_in_refused(sign_in_refusal(&error));
        }
        if let Some(reference) = reference.filter(|_| parts.status.is_server_error()) {
            let referenced = error.with_reference(&reference);
            if let Some(encoded) = referenced.to_answer() {
                parts.headers.remove(header::CONTENT_LENGTH);
                return Response::from_parts(parts, Body::from(encoded));
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// The reason label of a refused sign-in, for the metrics.
fn sign_in_refusal(error: &AppError) -> &'static str {
    match error {
        AppError::Refused(Refusal::WrongCredentials) => "wrong_credentials",
        AppError::Refused(Refusal::PasswordSignInPaused { .. }) => "paused",
        AppError::Refused(Refusal::AccountDisabled) => "account_disabled",
        AppError::Refused(Refusal::StaffSignInWithIdentityProvider) => "staff_password",
        AppError::RateLimited => "rate_limited",
        AppError::Invalid(_) => "invalid",
        _ => "other",
    }
}

async fn health(State(state): State<ServerState>) -> impl IntoResponse {
    match state.app.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// The longest a client may take to send a request's body.
pub const REQUEST_BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub fn build(app: AppState, leptos_options: LeptosOptions, observability: Observability) -> Router {
    let oidc = app
        .config
        .oidc
        .clone()
        .map(|settings| Arc::new(oidc::Provider::new(settings, &app.config.public_url)));
    let state = ServerState {
        leptos_options: leptos_options.clone(),
        app: app.clone(),
        oidc,
        observability: observability.clone(),
    };
    let routes = page_routes();
    let page_context = {
        let app = app.clone();
        move || {
            // What server functions and server-rendered pages can `use_context`.
            provide_context(app.clone());
            security::provide_content_security_policy(app.config.production);
        }
    };
    let fallback_context = page_context.clone();
    let session_layer = SessionManagerLayer::new(DbSessionStore::of(&app))
        .with_name(if app.config.production {
            "__Host-portal_session"
        } else {
            "portal_session"
        })
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(app.config.production)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::minutes(app.config.session_idle_minutes),
        ));

    Router::new()
        .route("/auth/oidc/start", get(oidc::start))
        .route("/auth/oidc/callback", get(oidc::callback))
        .route("/healthz", get(health))
        .route("/health/live", get(observe::live))
        .route("/health/ready", get(observe::ready))
        .route("/events", get(live::events))
        .route("/hpcaa/signed.pdf", get(hpcaa::signed_pdf))
        .route("/staff/audit.csv", get(audit_export::audit_csv))
        .route(
            "/integrations/course-completions",
            post(integrations::course_completion).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .nest_service(
            &format!("/{}", leptos_options.site_pkg_dir),
            bundle::service(&leptos_options),
        )
        .leptos_routes_with_context(&state, routes, page_context, {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(fallback_context, shell))
        .layer(axum::middleware::from_fn_with_state(
            observability.metrics.clone(),
            server_fn_error_status,
        ))
        .layer(axum::middleware::from_fn(security::keep_session_alive))
        .layer(session_layer)
        .layer(axum::middleware::from_fn_with_state(
            security::Policy::new(&app.config),
            security::guard,
        ))
        // Pages, server-function answers and CSV exports; not event streams (they would be held
        // back) nor bundle files already served precompressed.
        .layer(CompressionLayer::new())
        // Every request runs in a span with its id and route, and (once known) the signed-in
        // account: whatever is logged while it is served, an internal error's cause included,
        // says which request it belongs to. The id comes from `x-request-id` or is made here,
        // and goes back on the response.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Micros),
                ),
        )
        .layer(axum::middleware::from_fn_with_state(
            observability.metrics.clone(),
            observe::time_requests,
        ))
        // A client that trickles a body is cut off (its headers have 10 s: `serving`).
        .layer(RequestBodyTimeoutLayer::new(REQUEST_BODY_TIMEOUT))
        .layer(axum::middleware::from_fn_with_state(
            app.config.trusted_proxies.clone(),
            security::resolve_client,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(observe::MakeReference))
        .with_state(state)
}

fn request_span(request: &Request<Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    // At the error level so that a filter of any level (RUST_LOG=warn) keeps it: an error logged
    // while the request is served must still name the request.
    tracing::error_span!(
        "request",
        id,
        method = %request.method(),
        path = request.uri().path(),
        client = request
            .extensions()
            .get::<ClientAddress>()
            .map(tracing::field::display),
        account = tracing::field::Empty,
    )
}

/// The app's page routes, listed once per process: listing them renders the app with every
/// resource in the process held back (leptos_server's flag for it is global), so a page another
/// router was rendering at that moment would wait forever.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Periodic work, every five minutes: [`housekeeping_round`].
pub async fn housekeeping(app: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(300)) => {}
            _ = shutdown.changed() => return,
        }
        housekeeping_round(&app, chrono::Utc::now()).await;
        app.limits.forget_idle_keys();
    }
}

/// One round of what time brings (also `portal housekeeping`): sponsorships whose last day is
/// near or past (reminders, ends), what the retention rules no longer keep
/// (`platform::retention`), attempt counts no rule still reads. Every app server runs it; each
/// step is safe to run twice at once.
pub async fn housekeeping_round(app: &AppState, now: chrono::DateTime<chrono::Utc>) {
    let today = app::platform::time::today_in_bc(now);
    if let Err(error) = app
        .write(Actor::system(), async |change| {
            app::sponsorships::service::follow_last_days(change, today).await
        })
        .await
    {
        tracing::warn!(%error, "could not follow the sponsorships' last days");
    }
    match retention::purge(&app.db, &app.writes, app.config.retention, now).await {
        Ok(purged) if purged == Purged::default() => {}
        Ok(purged) => tracing::info!(?purged, "purged what is no longer kept"),
        Err(error) => tracing::warn!(%error, "could not purge what is no longer kept"),
    }
    // Both attempt rules count within a day; a count older than that is history.
    if let Err(error) =
        app::platform::attempts::forget_older_than(&app.db, chrono::Duration::days(2)).await
    {
        tracing::warn!(%error, "could not forget old attempt counts");
    }
}
