//! Logs on standard error, one event a line: JSON (`LOG_FORMAT=json`, and the default when
//! standard error is not a terminal, as under systemd) or text for a person at a terminal.
//! `RUST_LOG` overrides the default level. Every request's events carry its span: the request
//! id, method, path, client address and, once known, the signed-in account; its last event says
//! the status and how long it took.

use std::io::IsTerminal;
use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let json = match std::env::var("LOG_FORMAT").as_deref() {
        Ok("json") => true,
        Ok("text") => false,
        _ => !std::io::stderr().is_terminal(),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        builder.try_init()
    };
}
