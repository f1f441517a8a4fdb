//! The axum server around the Leptos app: start-up, routing, security, sessions, identity
//! provider routes, the mail worker and operator commands.

pub mod audit_export;
pub mod bundle;
pub mod commands;
pub mod explain;
pub mod hpcaa;
pub mod integrations;
pub mod live;
pub mod mail_worker;
pub mod observe;
pub mod oidc;
pub mod router;
pub mod security;
pub mod seed;
pub mod serving;
pub mod telemetry;

use app::platform::{db, AppState, PortalConfig};
use app::worksites::service::address_lookup::{BuiltInAddressLookup, ReferenceAddresses};
use axum::serve::{ListenerExt, TapIo};
use migrations::{Migrator, MigratorTrait};
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration: {0}")]
    Config(#[from] app::platform::config::ConfigError),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    #[error("leptos configuration: {0}")]
    Leptos(String),
    #[error("ADDRESS_FILE: {0}")]
    Addresses(String),
    #[error("mail: {0}")]
    Mail(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Command(String),
}

/// Compresses the browser bundle once per build, without holding up start-up: until it is done
/// the bundle is compressed per request. Development builds skip it: their bundle is several times
/// larger, rebuilt on every change, and served to one developer on localhost.
fn precompress_bundle_in_background(options: &leptos::config::LeptosOptions) {
    if cfg!(debug_assertions) {
        return;
    }
    let directory = bundle::directory(options);
    tokio::task::spawn_blocking(move || match bundle::precompress(&directory) {
        Ok(done) => tracing::info!(
            compressed = done.compressed,
            up_to_date = done.up_to_date,
            "browser bundle precompressed in {}",
            directory.display()
        ),
        Err(error) => {
            tracing::warn!(%error, "could not precompress the browser bundle in {}", directory.display())
        }
    });
}

/// Connects to the configured database and brings its schema up to date.
pub async fn open_database(
    config: &PortalConfig,
) -> Result<sea_orm::DatabaseConnection, StartError> {
    let connection = db::connect(
        config.database_url.expose_secret(),
        config.database_max_connections,
    )
    .await?;
    migrate(&connection, config.database_url.expose_secret()).await?;
    Ok(connection)
}

/// The advisory lock app servers take around migrations: any fixed number, this one spelling
/// "careconnect" in its bytes.
const MIGRATION_LOCK: i64 = 0x6361_7265_636f_6e6e;

/// Brings the schema up to date. On PostgreSQL it runs under an advisory lock, held on a
/// connection of its own, so servers starting together migrate one after another; the later ones
/// find nothing left to do.
pub async fn migrate(
    connection: &sea_orm::DatabaseConnection,
    url: &str,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::{ConnectionTrait, DatabaseBackend};
    if connection.get_database_backend() != DatabaseBackend::Postgres {
        return Migrator::up(connection, None).await;
    }
    let lock = db::connect(url, 1).await?;
    lock.execute_unprepared(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
        .await?;
    let migrated = Migrator::up(connection, None).await;
    let unlocked = lock
        .execute_unprepared(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
        .await;
    lock.close().await?;
    migrated.and(unlocked.map(|_| ()))
}

pub async fn serve() -> Result<(), StartError> {
    let config = PortalConfig::from_env()?;
    let leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| StartError::Leptos(e.to_string()))?
        .leptos_options;
    let address: SocketAddr = leptos_options.site_addr;
    let connection = open_database(&config).await?;
    let mailer = mail_worker::Mailer::from_config(&config).map_err(StartError::Mail)?;
    let mut state = AppState::new(connection, config);
    if let Some(path) = state.config.address_file.clone() {
        let reference = ReferenceAddresses::load(&path).map_err(StartError::Addresses)?;
        tracing::info!(
            addresses = reference.len(),
            "reference addresses loaded from {path}"
        );
        state = state.with_address_lookup(BuiltInAddressLookup { reference });
    }
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let observability = observe::Observability::default();

    let worker = tokio::spawn(mail_worker::run(
        mail_worker::Outbox {
            db: state.db.clone(),
            writes: state.writes.clone(),
            alive: observability.mail_worker.clone(),
        },
        mailer,
        mail_worker::Pacing::from_config(&state.config),
        shutdown_rx.clone(),
    ));
    if let Some(address) = state.config.metrics_addr {
        let admin = observe::admin_router(state.clone(), observability.clone());
        let listener = TcpListener::bind(address).await?;
        tracing::info!("metrics and health checks on http://{address}");
        let mut stopped = shutdown_rx.clone();
        tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.changed().await;
            };
            if let Err(error) = axum::serve(listener, admin)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::error!(%error, "the metrics listener stopped");
            }
        });
    }
    let relay = tokio::spawn(state.live.clone().relay(
        state.config.database_url.expose_secret().to_owned(),
        shutdown_rx.clone(),
    ));
    let housekeeping = tokio::spawn(router::housekeeping(state.clone(), shutdown_rx));
    precompress_bundle_in_background(&leptos_options);
    let app = router::build(state.clone(), leptos_options, observability);

    let listener = listen(address).await?;
    tracing::info!(
        "my.CareConnect portal listening on http://{address} (public URL {}, {} mode)",
        state.config.public_url,
        if state.config.production {
            "production"
        } else {
            "development"
        }
    );
    serving::serve(listener, app, serving::HEADER_READ_TIMEOUT, {
        let live = state.live.clone();
        async move {
            shutdown_signal().await;
            tracing::info!("shutting down: finishing requests and background work");
            // Open event streams would otherwise hold the shutdown up forever.
            live.close();
            let _ = shutdown_tx.send(true);
        }
    })
    .await;
    let _ = tokio::join!(worker, housekeeping, relay);
    Ok(())
}

/// The portal's listener. Every accepted connection sets TCP_NODELAY: without it a response
/// written in more than one piece waits ~40 ms for the client's delayed acknowledgement
/// (Nagle's algorithm; measured in `bench/RESULTS.md`).
pub async fn listen(
    address: SocketAddr,
) -> std::io::Result<TapIo<TcpListener, fn(&mut TcpStream)>> {
    fn no_delay(tcp: &mut TcpStream) {
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "could not set TCP_NODELAY on a connection");
        }
    }
    Ok(TcpListener::bind(address)
        .await?
        .tap_io(no_delay as fn(&mut TcpStream)))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
