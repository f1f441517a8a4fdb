//! The mail worker against a real SMTP server that misbehaves on cue: it refuses connections,
//! hangs, answers 4xx and 5xx, or accepts. Every message ends delivered exactly once or failed
//! with the server's reason.

use app::entities::outbound_email;
use app::mail::{message::Email, outbox, outbox::OutboxStatus};
use app::testing::TestDb;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use server::mail_worker::{self, Mailer, Pacing};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Accept,
    /// Nothing listens on the port.
    Refuse,
    /// Takes the connection and never greets.
    Hang,
    /// 451 to every recipient.
    TryLater,
    /// 550 to every recipient.
    Unavailable,
}

/// A scripted SMTP server: what it received, by Message-ID.
#[derive(Clone)]
struct Smtp {
    port: u16,
    mode: Arc<Mutex<Mode>>,
    received: Arc<Mutex<Vec<String>>>,
    listening: Arc<Mutex<Option<tokio::task::JoinHandle<()>>>>,
}

impl Smtp {
    async fn start(mode: Mode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let smtp = Smtp {
            port,
            mode: Arc::new(Mutex::new(Mode::Accept)),
            received: Arc::default(),
            listening: Arc::default(),
        };
        smtp.listen(listener);
        smtp.set(mode).await;
        smtp
    }

    fn listen(&self, listener: TcpListener) {
        let smtp = self.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(smtp.clone().converse(stream));
            }
        });
        *self.listening.lock().unwrap() = Some(task);
    }

    /// Switches the mode; `Refuse` closes the port, anything else opens it again.
    async fn set(&self, mode: Mode) {
        let was = std::mem::replace(&mut *self.mode.lock().unwrap(), mode);
        if mode == Mode::Refuse {
            if let Some(task) = self.listening.lock().unwrap().take() {
                task.abort();
            }
        } else if was == Mode::Refuse {
            // The port was closed; bind it again (the aborted listener is dropped by now).
            tokio::time::sleep(Duration::from_millis(20)).await;
            let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
            self.listen(listener);
        }
    }

    fn mode(&self) -> Mode {
        *self.mode.lock().unwrap()
    }

    fn received(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }

    async fn converse(self, stream: TcpStream) {
        if self.mode() == Mode::Hang {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return;
        }
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        let mut say = async |text: &str| write.write_all(text.as_bytes()).await.is_ok();
        if !say("220 scripted ESMTP\r\n").await {
            return;
        }
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or(&line).to_ascii_uppercase();
            let reply = match verb.as_str() {
                "EHLO" | "HELO" => "250-scripted\r\n250 8BITMIME\r\n",
                "MAIL" | "RSET" | "NOOP" => "250 OK\r\n",
                "RCPT" => match self.mode() {
                    // A connection opened before the hang began hangs too.
                    Mode::Hang => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        return;
                    }
                    Mode::TryLater => "451 4.3.0 Try again later\r\n",
                    Mode::Unavailable => "550 5.1.1 Mailbox unavailable\r\n",
                    _ => "250 OK\r\n",
                },
                "DATA" => {
                    if !say("354 Go ahead\r\n").await {
                        return;
                    }
                    let mut message_id = String::new();
                    while let Ok(Some(data)) = lines.next_line().await {
                        if data == "." {
                            break;
                        }
                        if data.to_ascii_lowercase().starts_with("message-id:") {
                            message_id = data["message-id:".len()..].trim().to_owned();
                        }
                    }
                    self.received.lock().unwrap().push(message_id);
                    "250 OK queued\r\n"
                }
                "QUIT" => {
                    say("221 Bye\r\n").await;
                    return;
                }
                _ => "500 Unknown command\r\n",
            };
            if !say(reply).await {
                return;
            }
        }
    }
}

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
                db.clone(),
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
}

#[tokio::test]
async fn two_workers_deliver_every_message_exactly_once() {
    let test = TestDb::new().await;
    let smtp = Smtp::start(Mode::Accept).await;
    queue(test.db(), 150, "pair").await;
    let rows = deliver(test.db(), &smtp, 2, "pair", Duration::from_secs(60)).await;
    each_received_once(&smtp, &rows);
    assert_eq!(smtp.received().len(), 150);
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
        mail_worker::attempt(test.db().clone(), mailer(&smtp), pacing, message).await;
    }
    let after = rows(test.db(), "overrun").await;
    each_received_once(&smtp, &after);
    assert_eq!(smtp.received().len(), 3);
}
