//! Delivers the outbox: claims due messages, sends them over SMTP (or, in development without
//! SMTP, keeps them for the development mailbox), and records each outcome as soon as the
//! server's reply arrives: sent, to be retried after a back-off, or failed with the reason.

use crate::observe::Heartbeat;
use app::entities::outbound_email;
use app::mail::outbox::{self, OutboxStatus, Outcome, Recorded, RetryPolicy};
use app::platform::{db::WriteQueue, PortalConfig};
use chrono::Utc;
use lettre::{
    message::{header::ContentType, Mailbox, MultiPart, SinglePart},
    transport::smtp::PoolConfig,
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use std::time::Duration;
use tokio::{sync::watch, task::JoinSet};

/// Messages on their way at once, each over its own pooled SMTP connection.
const IN_FLIGHT: usize = 16;
/// The longest one SMTP command may take.
const SMTP_COMMAND_TIMEOUT: Duration = Duration::from_secs(20);
/// Tries at recording an outcome while the database is briefly unreachable.
const RECORD_TRIES: u32 = 3;

/// How the worker paces itself. The lease outlasts the longest send with room to record it, so
/// no message is sent while another worker may hold it.
#[derive(Debug, Clone, Copy)]
pub struct Pacing {
    /// The longest a whole SMTP exchange for one message may take; it is then abandoned and
    /// counted as a passing failure.
    pub send_timeout: Duration,
    /// How long a claim holds a message.
    pub lease: chrono::Duration,
    pub retry: RetryPolicy,
    /// The pause between looks at an empty outbox.
    pub idle_poll: Duration,
}

impl Pacing {
    pub fn from_config(config: &PortalConfig) -> Self {
        let send_timeout = Duration::from_secs(config.mail_send_timeout_seconds);
        Self {
            send_timeout,
            lease: lease_for(send_timeout),
            retry: RetryPolicy {
                first_wait: chrono::Duration::seconds(config.mail_retry_seconds),
                ..RetryPolicy::default()
            },
            idle_poll: Duration::from_millis(500),
        }
    }
}

/// A lease twice the longest send: a worker sends only while at least one send's time is left.
pub fn lease_for(send_timeout: Duration) -> chrono::Duration {
    chrono::Duration::from_std(send_timeout * 2).unwrap_or(chrono::Duration::MAX)
}

/// The outbox a worker sends from: the database, this server's write queue, and the heartbeat
/// that tells the readiness check the worker goes round.
#[derive(Clone)]
pub struct Outbox {
    pub db: DatabaseConnection,
    pub writes: WriteQueue,
    pub alive: Heartbeat,
}

impl Outbox {
    /// A worker's outbox with a write queue and heartbeat of its own (tests, tools).
    pub fn of(db: &DatabaseConnection) -> Self {
        Self {
            db: db.clone(),
            writes: WriteQueue::for_database(db),
            alive: Heartbeat::default(),
        }
    }
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// No SMTP configured (development): messages live only in the development mailbox.
    MailboxOnly,
}

impl Mailer {
    pub fn from_config(config: &PortalConfig) -> Result<Self, String> {
        let Some(url) = &config.smtp_url else {
            return Ok(Mailer::MailboxOnly);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(|e| format!("SMTP_URL is not usable: {e}"))?
            .timeout(Some(SMTP_COMMAND_TIMEOUT))
            .pool_config(PoolConfig::new().max_size(IN_FLIGHT as u32))
            .build();
        let from = config
            .mail_from
            .parse()
            .map_err(|e| format!("MAIL_FROM is not an address: {e}"))?;
        Ok(Mailer::Smtp { transport, from })
    }

    async fn deliver(&self, message: &outbound_email::Model) -> Outcome {
        let (transport, from) = match self {
            Mailer::MailboxOnly => return Outcome::Kept,
            Mailer::Smtp { transport, from } => (transport, from),
        };
        let permanent = |reply: String| Outcome::Refused {
            reply,
            permanent: true,
        };
        let to: Mailbox = match message.to_address.parse() {
            Ok(to) => to,
            Err(error) => return permanent(format!("not an email address: {error}")),
        };
        let email = Message::builder()
            .from(from.clone())
            .to(to)
            .message_id(Some(message.message_id.clone()))
            .subject(&message.subject)
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(message.body_text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(message.body_html.clone()),
                    ),
            );
        let email = match email {
            Ok(email) => email,
            Err(error) => return permanent(format!("cannot build the message: {error}")),
        };
        match transport.send(email).await {
            Ok(_) => Outcome::Sent,
            Err(error) => Outcome::Refused {
                reply: error.to_string(),
                permanent: error.is_permanent(),
            },
        }
    }
}

/// One attempt at one message: send it within the send timeout, then record the outcome at once.
/// A worker that was held up so long that its lease may end during the send leaves the message
/// alone: another worker may hold it by then.
pub async fn attempt(
    outbox: Outbox,
    mailer: Mailer,
    pacing: Pacing,
    message: outbound_email::Model,
) {
    let time_left = message.lease_until.map(|until| until - Utc::now());
    let send_timeout =
        chrono::Duration::from_std(pacing.send_timeout).unwrap_or(chrono::Duration::MAX);
    if time_left.is_none_or(|left| left <= send_timeout) {
        tracing::warn!(
            id = message.id,
            "an email's lease ran short before it was sent; leaving it to the next claim"
        );
        return;
    }
    let outcome = tokio::time::timeout(pacing.send_timeout, mailer.deliver(&message))
        .await
        .unwrap_or_else(|_| Outcome::Refused {
            reply: format!(
                "no answer from the SMTP server within {} s",
                pacing.send_timeout.as_secs()
            ),
            permanent: false,
        });
    let mut tries = 0;
    let recorded = loop {
        tries += 1;
        let recorded = match outbox.writes.turn().await {
            Ok(_turn) => {
                outbox::record(&outbox.db, &message, &outcome, &pacing.retry, Utc::now()).await
            }
            Err(error) => Err(error),
        };
        match recorded {
            Ok(recorded) => break recorded,
            Err(error) if tries < RECORD_TRIES => {
                tracing::warn!(id = message.id, %error, "could not record an email's outcome; trying again");
                tokio::time::sleep(Duration::from_millis(200 * u64::from(tries))).await;
            }
            Err(error) => {
                // Its lease runs out and it is tried again, with the same Message-ID.
                tracing::error!(id = message.id, %error, "could not record an email's outcome");
                return;
            }
        }
    };
    let reply = match &outcome {
        Outcome::Refused { reply, .. } => reply.as_str(),
        Outcome::Sent | Outcome::Kept => "",
    };
    match recorded {
        Recorded::Retrying(at) => {
            tracing::warn!(id = message.id, attempts = message.attempts, reply, %at, "email not delivered; will retry")
        }
        Recorded::Settled(OutboxStatus::Failed) => {
            tracing::error!(
                id = message.id,
                attempts = message.attempts,
                reply,
                "email given up"
            )
        }
        Recorded::NotHeld => {
            tracing::warn!(
                id = message.id,
                "an email's claim passed to another worker before its outcome was recorded"
            )
        }
        Recorded::Settled(_) => {}
    }
}

/// Claims what is due into the free sending slots; returns how many it claimed.
async fn fill(
    outbox: &Outbox,
    mailer: &Mailer,
    pacing: Pacing,
    sending: &mut JoinSet<()>,
) -> usize {
    let free = IN_FLIGHT.saturating_sub(sending.len());
    if free == 0 {
        return 0;
    }
    let claimed = match outbox.writes.turn().await {
        Ok(_turn) => outbox::claim_due(&outbox.db, Utc::now(), free as u64, pacing.lease).await,
        Err(error) => Err(error),
    };
    match claimed {
        Ok(claimed) => {
            let count = claimed.len();
            for message in claimed {
                sending.spawn(attempt(outbox.clone(), mailer.clone(), pacing, message));
            }
            count
        }
        Err(error) => {
            tracing::error!(%error, "mail worker could not reach the outbox");
            0
        }
    }
}

/// Keeps up to `IN_FLIGHT` messages on their way, taking the next due one as soon as a slot is
/// free. At shutdown it claims nothing more and lets the messages on their way finish.
pub async fn run(
    outbox: Outbox,
    mailer: Mailer,
    pacing: Pacing,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut sending = JoinSet::new();
    let mut stopping = false;
    loop {
        outbox.alive.beat();
        stopping |= *shutdown.borrow();
        let claimed = if stopping {
            0
        } else {
            fill(&outbox, &mailer, pacing, &mut sending).await
        };
        if stopping && sending.is_empty() {
            return;
        }
        if claimed > 0 && sending.len() < IN_FLIGHT {
            // There may be more due: look again at once.
            continue;
        }
        tokio::select! {
            Some(finished) = sending.join_next(), if !sending.is_empty() => {
                if let Err(error) = finished {
                    // The message stays claimed until its lease ends, then is tried again.
                    tracing::error!(%error, "an email delivery task failed");
                }
            }
            _ = tokio::time::sleep(pacing.idle_poll) => {}
            // A dropped sender means the server is going away too.
            changed = shutdown.changed(), if !stopping => stopping = changed.is_err(),
        }
    }
}
