//! What operators watch: `/health/live` (the process serves), `/health/ready` (it can do its
//! work: the database answers, its schema is current, the mail worker is alive), and Prometheus
//! metrics, served on their own listener (`METRICS_ADDR`) so the public proxy never exposes them.

use app::mail::outbox;
use app::platform::AppState;
use axum::{
    body::Body,
    extract::{FromRef, MatchedPath, State},
    http::{header, HeaderValue, Request, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use migrations::{Migrator, MigratorTrait};
use prometheus_client::{
    encoding::{text::encode, EncodeLabelSet},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{exponential_buckets, Histogram},
    },
    registry::Registry,
};
use sea_orm::DatabaseBackend;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tower_http::request_id::{MakeRequestId, RequestId};

/// When the mail worker last went round its loop (it does at least every half second).
#[derive(Clone, Debug, Default)]
pub struct Heartbeat(Arc<AtomicI64>);

/// A worker silent for longer than this counts as stuck.
const WORKER_SILENCE_SECONDS: i64 = 60;

impl Heartbeat {
    pub fn beat(&self) {
        self.0
            .store(chrono::Utc::now().timestamp(), Ordering::Relaxed);
    }

    fn alive(&self) -> bool {
        let last = self.0.load(Ordering::Relaxed);
        last > 0 && chrono::Utc::now().timestamp() - last <= WORKER_SILENCE_SECONDS
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: String,
}

fn latency_histogram() -> Histogram {
    // From half a millisecond to about 16 seconds.
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// The app server's metrics. Request and sign-in figures are counted as they happen; the
/// database pool, the outbox and the live-update streams are read when Prometheus scrapes.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Histogram, fn() -> Histogram>,
    sign_in_failures: Family<ReasonLabels, Counter>,
    pool: Family<PoolLabels, Gauge>,
    outbox_waiting: Gauge,
    outbox_oldest_age: Gauge<f64, AtomicU64>,
    outbox_failed: Gauge,
    live_streams: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("portal");
        let requests = Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        let sign_in_failures = Family::<ReasonLabels, Counter>::default();
        let pool = Family::<PoolLabels, Gauge>::default();
        let outbox_waiting = Gauge::default();
        let outbox_oldest_age = Gauge::<f64, AtomicU64>::default();
        let outbox_failed = Gauge::default();
        let live_streams = Gauge::default();
        registry.register(
            "http_request_duration_seconds",
            "Time to answer a request, by route, method and status",
            requests.clone(),
        );
        registry.register(
            "sign_in_failures",
            "Refused sign-ins, by reason",
            sign_in_failures.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database connections of this server's pool, by state (idle, in_use)",
            pool.clone(),
        );
        registry.register(
            "outbox_waiting_messages",
            "Emails queued and not delivered yet (all app servers)",
            outbox_waiting.clone(),
        );
        registry.register(
            "outbox_oldest_waiting_age_seconds",
            "How long the oldest undelivered email has waited",
            outbox_oldest_age.clone(),
        );
        registry.register(
            "outbox_failed_messages",
            "Emails given up after their attempts, waiting for staff to resend them",
            outbox_failed.clone(),
        );
        registry.register(
            "live_streams",
            "Live-update streams open on this server",
            live_streams.clone(),
        );
        Self {
            registry,
            requests,
            sign_in_failures,
            pool,
            outbox_waiting,
            outbox_oldest_age,
            outbox_failed,
            live_streams,
        }
    }
}

impl Metrics {
    pub fn sign_in_refused(&self, reason: &str) {
        self.sign_in_failures
            .get_or_create(&ReasonLabels {
                reason: reason.to_owned(),
            })
            .inc();
    }

    /// The metrics as Prometheus text, read now.
    async fn render(&self, state: &AppState) -> Result<String, String> {
        let db = &state.db;
        let (size, idle) = match db.get_database_backend() {
            DatabaseBackend::Sqlite => {
                let pool = db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            DatabaseBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => (0, 0),
        };
        let idle = i64::try_from(idle).unwrap_or(i64::MAX);
        let gauge = |state: &str| {
            self.pool.get_or_create(&PoolLabels {
                state: state.to_owned(),
            })
        };
        gauge("idle").set(idle);
        gauge("in_use").set(i64::from(size) - idle);
        let backlog = outbox::backlog(db).await.map_err(|e| e.to_string())?;
        self.outbox_waiting
            .set(i64::try_from(backlog.waiting).unwrap_or(i64::MAX));
        self.outbox_failed
            .set(i64::try_from(backlog.failed).unwrap_or(i64::MAX));
        let age = backlog.oldest_waiting_since.map_or(0.0, |since| {
            (chrono::Utc::now() - since).num_milliseconds() as f64 / 1000.0
        });
        self.outbox_oldest_age.set(age.max(0.0));
        self.live_streams
            .set(i64::try_from(state.live.open_streams()).unwrap_or(i64::MAX));
        let mut text = String::new();
        encode(&mut text, &self.registry).map_err(|e| e.to_string())?;
        Ok(text)
    }
}

/// What the health and metrics handlers read.
#[derive(Clone, Default)]
pub struct Observability {
    pub metrics: Arc<Metrics>,
    pub mail_worker: Heartbeat,
}

/// Times every request, labelled by its route: the matched route, or the server function's
/// path (a fixed set), never a path a client made up.
pub async fn time_requests(
    State(metrics): State<Arc<Metrics>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let path = request.uri().path().to_owned();
    let matched = request
        .extensions()
        .get::<MatchedPath>()
        .map(|matched| matched.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status();
    let route = match matched {
        _ if status == StatusCode::NOT_FOUND => "unmatched".to_owned(),
        Some(route) if route.contains("{*") && path.starts_with("/api/") => path,
        Some(route) => route,
        None => "unmatched".to_owned(),
    };
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status: status.as_u16().to_string(),
        })
        .observe(started.elapsed().as_secs_f64());
    response
}

pub async fn live() -> &'static str {
    "live"
}

/// 200 when this server can do its work, 503 naming what is wrong otherwise.
pub async fn ready(
    State(state): State<AppState>,
    State(observability): State<Observability>,
) -> Response {
    let database = match state.db.ping().await {
        Ok(()) => "ok".to_owned(),
        Err(error) => format!("unreachable: {error}"),
    };
    let migrations = if database != "ok" {
        "unknown".to_owned()
    } else {
        match Migrator::get_pending_migrations_read_only(&state.db).await {
            Ok(pending) if pending.is_empty() => "ok".to_owned(),
            Ok(pending) => format!("{} pending", pending.len()),
            Err(error) => format!("unknown: {error}"),
        }
    };
    let mail_worker = if observability.mail_worker.alive() {
        "ok"
    } else {
        "not running"
    };
    let ready = database == "ok" && migrations == "ok" && mail_worker == "ok";
    let body = serde_json::json!({
        "database": database,
        "migrations": migrations,
        "mail_worker": mail_worker,
    });
    if !ready {
        tracing::warn!(%body, "not ready");
    }
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn metrics(
    State(state): State<AppState>,
    State(observability): State<Observability>,
) -> Response {
    match observability.metrics.render(&state).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "metrics could not be read");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Clone, FromRef)]
struct AdminState {
    app: AppState,
    observability: Observability,
}

/// The operators' listener: metrics and the health checks, nothing people use.
pub fn admin_router(app: AppState, observability: Observability) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .with_state(AdminState { app, observability })
}

/// Request ids people can read out when they quote one as their reference: 12 characters of
/// Crockford's base32 (60 random bits, no I, L, O or U), e.g. `7F3KQ9ZD2M1A`, rather than a
/// 36-character UUID. An id the proxy sends is kept instead.
#[derive(Clone, Copy, Debug, Default)]
pub struct MakeReference;

/// The characters of a reference.
pub const REFERENCE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl MakeRequestId for MakeReference {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        use rand::Rng;
        let mut random = rand::rng();
        let reference: String = (0..12)
            .map(|_| char::from(REFERENCE_ALPHABET[random.random_range(0..32)]))
            .collect();
        HeaderValue::from_str(&reference).ok().map(RequestId::new)
    }
}
