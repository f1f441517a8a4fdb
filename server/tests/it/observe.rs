//! What operators watch: the health checks and the Prometheus metrics, through the real routers.

use super::http::{call, form_of, send};
use app::platform::{db, AppState, PortalConfig};
use app::testing::{verified, TestDb};
use axum::{body::Body, http::Request, Router};
use secrecy::ExposeSecret;
use server::observe::{admin_router, Observability};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};

fn routers(state: &AppState) -> (Router, Router, Observability) {
    let observability = Observability::default();
    let public = server::router::build(
        state.clone(),
        leptos::config::LeptosOptions::builder()
            .output_name("portal")
            .site_root("target/site")
            .build(),
        observability.clone(),
    );
    let admin = admin_router(state.clone(), observability.clone());
    (public, admin, observability)
}

async fn get(router: &Router, path: &str) -> super::http::Answer {
    send(router, Request::get(path).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn readiness_needs_the_database_current_migrations_and_a_live_mail_worker() {
    let test = TestDb::new().await;
    let (public, admin, observability) = routers(&test.state);
    assert_eq!(get(&public, "/health/live").await.status, 200);
    assert_eq!(get(&admin, "/health/live").await.status, 200);

    let stalled = get(&public, "/health/ready").await;
    assert_eq!(stalled.status, 503);
    let checks: serde_json::Value = serde_json::from_str(&stalled.body).unwrap();
    assert_eq!(checks["database"], "ok");
    assert_eq!(checks["migrations"], "ok");
    assert_eq!(checks["mail_worker"], "not running");

    observability.mail_worker.beat();
    for router in [&public, &admin] {
        let ready = get(router, "/health/ready").await;
        assert_eq!(ready.status, 200, "{}", ready.body);
    }
}

/// A TCP relay to PostgreSQL that the test can cut and restore, as a network would.
struct Relay {
    port: u16,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn start(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let task = tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                links.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect("127.0.0.1:5432").await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Self {
            port,
            task: Some(task),
        }
    }

    /// Closes the port and every connection through it.
    fn cut(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

async fn ready_status(router: &Router, wanted: u16, limit: Duration) -> u16 {
    let deadline = Instant::now() + limit;
    loop {
        let status = get(router, "/health/ready").await.status.as_u16();
        if status == wanted || Instant::now() > deadline {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// On PostgreSQL, the database server can go away while the app server runs: readiness says so,
/// and recovers by itself when it returns. (SQLite is a file of the app server's own.)
#[tokio::test]
async fn readiness_fails_while_the_database_is_unreachable_and_recovers() {
    let test = TestDb::new().await;
    let url = test.state.config.database_url.expose_secret().to_owned();
    if !url.starts_with("postgres") {
        return;
    }
    let mut relay = Relay::start(0).await;
    let relayed = url.replacen("127.0.0.1:5432", &format!("127.0.0.1:{}", relay.port), 1);
    assert_ne!(relayed, url, "the test database is on 127.0.0.1:5432");
    let state = AppState::new(
        db::connect(&relayed, 2).await.unwrap(),
        PortalConfig::for_tests(&relayed),
    );
    let (public, _, observability) = routers(&state);
    observability.mail_worker.beat();
    assert_eq!(
        ready_status(&public, 200, Duration::from_secs(5)).await,
        200
    );

    relay.cut();
    assert_eq!(
        ready_status(&public, 503, Duration::from_secs(15)).await,
        503
    );
    let down = get(&public, "/health/ready").await;
    let checks: serde_json::Value = serde_json::from_str(&down.body).unwrap();
    assert!(
        checks["database"]
            .as_str()
            .unwrap()
            .starts_with("unreachable"),
        "{checks}"
    );

    let _relay = Relay::start(relay.port).await;
    observability.mail_worker.beat();
    assert_eq!(
        ready_status(&public, 200, Duration::from_secs(30)).await,
        200
    );
}

/// The samples of an OpenMetrics text, checked line by line: `# HELP`, `# TYPE`, `# UNIT`,
/// `name{labels} value`, and `# EOF` last.
fn samples(text: &str) -> HashMap<String, f64> {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"# EOF"), "{text}");
    let mut samples = HashMap::new();
    for line in &lines[..lines.len() - 1] {
        if let Some(comment) = line.strip_prefix("# ") {
            let kind = comment.split(' ').next().unwrap_or_default();
            assert!(["HELP", "TYPE", "UNIT"].contains(&kind), "{line}");
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("a sample and its value");
        let name_end = series.find('{').unwrap_or(series.len());
        let name = &series[..name_end];
        assert!(
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        if name_end < series.len() {
            assert!(series.ends_with('}'), "{line}");
        }
        let value: f64 = value.parse().unwrap_or_else(|_| panic!("{line}"));
        samples.insert(series.to_owned(), value);
    }
    samples
}

#[tokio::test]
async fn metrics_parse_and_move_with_the_traffic() {
    let test = TestDb::new().await;
    verified(&test.state, "jane").await;
    let (public, admin, _) = routers(&test.state);
    let healthz =
        r#"portal_http_request_duration_seconds_count{route="/healthz",method="GET",status="200"}"#;
    let refused = r#"portal_sign_in_failures_total{reason="wrong_credentials"}"#;

    let before = samples(&get(&admin, "/metrics").await.body);
    for _ in 0..3 {
        assert_eq!(get(&public, "/healthz").await.status, 200);
    }
    let wrong = form_of(&[("username", "jane"), ("password", "not her password")]);
    assert_eq!(call(&public, "sign_in", &wrong, None).await.status, 422);
    // A path nobody routes is counted, but not by its name.
    assert_eq!(get(&public, "/no/such/page").await.status, 404);

    let after_answer = get(&admin, "/metrics").await;
    assert_eq!(after_answer.status, 200);
    let after = samples(&after_answer.body);
    let count = |samples: &HashMap<String, f64>, series: &str| {
        samples.get(series).copied().unwrap_or_default()
    };
    assert_eq!(count(&after, healthz) - count(&before, healthz), 3.0);
    assert_eq!(count(&after, refused) - count(&before, refused), 1.0);
    assert!(
        after
            .keys()
            .any(|series| series.contains("route=\"/api/sign_in\"")),
        "server functions are routes of their own"
    );
    assert!(!after.keys().any(|series| series.contains("/no/such/page")));
    // Verification emails wait in the outbox: no worker runs here.
    assert!(count(&after, "portal_outbox_waiting_messages") >= 1.0);
    assert!(after.contains_key("portal_outbox_oldest_waiting_age_seconds"));
    assert!(after.contains_key("portal_outbox_failed_messages"));
    assert!(after.contains_key("portal_live_streams"));
    assert!(after.contains_key(r#"portal_db_pool_connections{state="idle"}"#));
    // The public listener does not serve them.
    assert_eq!(get(&public, "/metrics").await.status, 404);
}

/// The `portal` binary logs one JSON object a line; a request's events carry its id (taken from
/// `x-request-id`), and its last one says the status and how long it took.
#[tokio::test]
async fn logs_are_json_lines_that_carry_the_request_id() {
    use super::portal::{log_file, Portal};
    use super::smtp::{Mode, Smtp};
    let test = TestDb::new().await;
    let url = test.state.config.database_url.expose_secret().to_owned();
    let workdir = std::env::temp_dir().join(format!("portal-logs-{}", std::process::id()));
    std::fs::create_dir_all(&workdir).unwrap();
    let smtp = Smtp::start(Mode::Accept).await;
    let portal = Portal::start_with(
        &url,
        &smtp,
        &workdir,
        &[("LOG_FORMAT", "json"), ("RUST_LOG", "info")],
    )
    .await;
    let http = reqwest::Client::new();
    let answer = http
        .get(format!("{}/health/live", portal.base))
        .header("x-request-id", "LOGTEST7F3K")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["x-request-id"], "LOGTEST7F3K");
    // The line is written as the response goes; give the writer a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    portal.kill().await;

    let log = std::fs::read_to_string(log_file(&workdir)).unwrap();
    let events: Vec<serde_json::Value> = log
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    assert!(events.iter().all(|event| event["level"].is_string()
        && event["target"].is_string()
        && event["timestamp"].is_string()));
    let finished = events
        .iter()
        .find(|event| event["span"]["id"] == "LOGTEST7F3K")
        .unwrap_or_else(|| panic!("no event of the request in {log}"));
    assert_eq!(finished["level"], "INFO");
    assert_eq!(finished["status"], 200);
    assert!(finished["latency"].is_string(), "{finished}");
    assert_eq!(finished["span"]["path"], "/health/live");
    let _ = std::fs::remove_dir_all(&workdir);
}
