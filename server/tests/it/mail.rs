//! The mail worker against a real SMTP server that misbehaves on cue: it refuses connections,
//! hangs, answers 4xx and 5xx, or accepts. Every message ends delivered exactly once or failed
//! with the server's reason.

use super::smtp::{Mode, Smtp};
use app::entities::outbound_email;
use app::mail::{message::Email, outbox, outbox::OutboxStatus};
use app::testing::TestDb;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use server::mail_worker::{self, Mailer, Outbox, Pacing};
use std::collections::HashMap;
use std::time::Duration;

/// A worker's pacing for tests: seconds, not minutes.
fn quick() -> Pacing {
    let send_timeout = Duration::from_millis(800);
    Pacing {
        send_timeout,
        lease: mail_worker::lease_for(send_timeout),
        retry: outbox::RetryPolicy {
            first_wait: chrono::Duration::milliseconds(100),
            longest_wait: chrono::Duration::milliseconds(400),
            attempts: 40,
            permanent_attempts: 3,
        },
        idle_poll: Duration::from_millis(50),
    }
}

fn mailer(smtp: &Smtp) -> Mailer {
    let mut config = app::platform::PortalConfig::for_tests("sqlite::memory:");
    config.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port).into());
    Mailer::from_config(&config).unwrap()
}

async fn queue(db: &DatabaseConnection, count: usize, prefix: &str) {
    for n in 0..count {
        let email = Email::new(format!("Message {n}")).paragraph("Hello");
        outbox::enqueue(
            db,
            &format!("{prefix}{n}@clinic.example"),
            email,
            "portal.example",
        )
        .await
        .unwrap();
    }
}

async fn rows(db: &DatabaseConnection, prefix: &str) -> Vec<outbound_email::Model> {
    outbound_email::Entity::find()
        .filter(outbound_email::Column::ToAddress.starts_with(prefix))
        .all(db)
        .await
        .unwrap()
}

/// Runs `workers` workers until every message to `prefix…` is sent or failed, or `limit` passes.
async fn deliver(
    db: &DatabaseConnection,
    smtp: &Smtp,
    workers: usize,
    prefix: &str,
    limit: Duration,
) -> Vec<outbound_email::Model> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running: Vec<_> = (0..workers)
        .map(|_| {
            tokio::spawn(mail_worker::run(
                Outbox::of(db),
                mailer(smtp),
                quick(),
                stopped.clone(),
            ))
        })
        .collect();
    let deadline = tokio::time::Instant::now() + limit;
    let settled = loop {
        let rows = rows(db, prefix).await;
        let done = rows
            .iter()
            .all(|row| matches!(row.status, OutboxStatus::Sent | OutboxStatus::Failed));
        if done || tokio::time::Instant::now() > deadline {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    stop.send(true).unwrap();
    for worker in running {
        worker.await.unwrap();
    }
    settled
}

/// Each of the rows' Message-IDs was received exactly once.
fn each_received_once(smtp: &Smtp, rows: &[outbound_email::Model]) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for id in smtp.received() {
        *counts.entry(id).or_default() += 1;
    }
    for row in rows {
        assert_eq!(row.status, OutboxStatus::Sent, "{row:?}");
        assert_eq!(counts.get(&row.message_id), Some(&1), "{}", row.message_id);
    }
}

#[tokio::test]
async fn an_outage_refusals_and_a_hang_end_in_exactly_one_delivery_each() {
    let test = TestDb::new().await;
    let smtp = Smtp::start(Mode::Refuse).await;
    queue(test.db(), 12, "outage").await;
    let db = test.db().clone();
    let script = {
        let smtp = smtp.clone();
        tokio::spawn(async move {
            for mode in [Mode::TryLater, Mode::Hang, Mode::Accept] {
                tokio::time::sleep(Duration::from_millis(700)).await;
                smtp.set(mode).await;
            }
        })
    };
    let rows = deliver(&db, &smtp, 1, "outage", Duration::from_secs(30)).await;
    script.await.unwrap();
    each_received_once(&smtp, &rows);
    // Every message was tried more than once, and its last failure is kept no more.
    assert!(rows
        .iter()
        .all(|row| row.attempts > 1 && row.last_error.is_none()));
    println!(
        "figure: SMTP refusing connections, then answering 451, then hanging, then accepting: \
         {} messages, each received exactly once, after up to {} attempts",
        rows.len(),
        rows.iter()
            .map(|row| row.attempts)
            .max()
            .unwrap_or_default()
    );
}

#[tokio::test]
async fn a_permanently_refused_message_fails_with_the_servers_reply() {
    let test = TestDb::new().await;
    let smtp = Smtp::start(Mode::Unavailable).await;
    queue(test.db(), 2, "bounce").await;
    let rows = deliver(test.db(), &smtp, 1, "bounce", Duration::from_secs(20)).await;
    for row in rows {
        assert_eq!(row.status, OutboxStatus::Failed);
        assert_eq!(row.attempts, quick().retry.permanent_attempts);
        let reply = row.last_error.unwrap_or_default();
        assert!(
            reply.contains("550") && reply.contains("Mailbox unavailable"),
            "{reply}"
        );
        assert_ne!(row.body_text, outbox::DELIVERED_BODY, "kept, to be resent");
    }
    assert!(smtp.received().is_empty());
    println!(
        "figure: SMTP answering 550: each message failed after {} attempts, kept with the \
         server's reply to be resent",
        quick().retry.permanent_attempts
    );
}

#[tokio::test]
async fn two_workers_deliver_every_message_exactly_once() {
    let test = TestDb::new().await;
    let smtp = Smtp::start(Mode::Accept).await;
    queue(test.db(), 150, "pair").await;
    let rows = deliver(test.db(), &smtp, 2, "pair", Duration::from_secs(60)).await;
    each_received_once(&smtp, &rows);
    assert_eq!(smtp.received().len(), 150);
    println!("figure: two workers, 150 messages: each received exactly once");
}

#[tokio::test]
async fn a_worker_whose_lease_ran_out_sends_nothing_another_worker_holds() {
    let test = TestDb::new().await;
    let smtp = Smtp::start(Mode::Accept).await;
    queue(test.db(), 3, "overrun").await;
    let pacing = quick();
    // A worker claims, then stalls past its lease (a paused process, a frozen VM).
    let stalled = outbox::claim_due(test.db(), chrono::Utc::now(), 10, pacing.lease)
        .await
        .unwrap();
    assert_eq!(stalled.len(), 3);
    tokio::time::sleep(
        (pacing.lease + chrono::Duration::milliseconds(100))
            .to_std()
            .unwrap(),
    )
    .await;
    // Another worker takes them over and delivers them.
    let delivered = deliver(test.db(), &smtp, 1, "overrun", Duration::from_secs(20)).await;
    each_received_once(&smtp, &delivered);
    // The stalled worker wakes up: it sends nothing and records nothing.
    for message in stalled {
        mail_worker::attempt(Outbox::of(test.db()), mailer(&smtp), pacing, message).await;
    }
    let after = rows(test.db(), "overrun").await;
    each_received_once(&smtp, &after);
    assert_eq!(smtp.received().len(), 3);
    println!(
        "figure: a worker stalled past its lease while another delivered: it sent nothing on \
         waking; each message received exactly once"
    );
}

/// The SMTP server is down for ten minutes, on a clock sped up `OUTAGE_SPEEDUP` times (400 here,
/// 60 in `scripts/faults.sh`), while the worker keeps the portal's own back-off (30 s doubling,
/// up to an hour): afterwards every message is delivered exactly once, none given up.
#[tokio::test]
async fn mail_queued_through_a_ten_minute_outage_goes_out_once_afterwards() {
    let speedup: i32 = std::env::var("OUTAGE_SPEEDUP")
        .ok()
        .and_then(|speedup| speedup.parse().ok())
        .unwrap_or(400);
    let scaled = |duration: chrono::Duration| duration / speedup;
    let policy = outbox::RetryPolicy::default();
    let pacing = Pacing {
        retry: outbox::RetryPolicy {
            first_wait: scaled(policy.first_wait),
            longest_wait: scaled(policy.longest_wait),
            ..policy
        },
        ..quick()
    };
    let outage = scaled(chrono::Duration::minutes(10)).to_std().unwrap();
    let test = TestDb::new().await;
    let smtp = Smtp::start(Mode::Refuse).await;
    queue(test.db(), 20, "down").await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(mail_worker::run(
        Outbox::of(test.db()),
        mailer(&smtp),
        pacing,
        stopped,
    ));
    let started = tokio::time::Instant::now();
    tokio::time::sleep(outage).await;
    smtp.set(Mode::Accept).await;
    let back = tokio::time::Instant::now();
    let deadline = back + scaled(chrono::Duration::hours(2)).to_std().unwrap();
    let rows = loop {
        let rows = rows(test.db(), "down").await;
        if rows.iter().all(|row| row.status == OutboxStatus::Sent) {
            break rows;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not delivered: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let delivered = tokio::time::Instant::now();
    stop.send(true).unwrap();
    worker.await.unwrap();
    each_received_once(&smtp, &rows);
    let simulated_minutes = |span: Duration| span.as_secs_f64() * f64::from(speedup) / 60.0;
    let attempts = rows
        .iter()
        .map(|row| row.attempts)
        .max()
        .unwrap_or_default();
    println!(
        "figure: SMTP down for {:.1} simulated minutes (clock {speedup}x): {} messages, each \
         received exactly once {:.1} simulated minutes after the server returned, after at most \
         {attempts} attempts; none given up",
        simulated_minutes(back - started),
        rows.len(),
        simulated_minutes(delivered - back),
    );
}
