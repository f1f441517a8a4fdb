//! Delivers the outbox: claims due messages, sends them over SMTP (or, in development without
//! SMTP, keeps them for the development mailbox), and reschedules failures with back-off.

use app::mail::outbox;
use app::mail::outbox::OutboxStatus;
use app::platform::PortalConfig;
use chrono::Utc;
use lettre::{
    message::{header::ContentType, Mailbox, MultiPart, SinglePart},
    transport::smtp::PoolConfig,
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::{DatabaseConnection, TransactionTrait};
use secrecy::ExposeSecret;
use std::time::Duration;
use tokio::{sync::watch, task::JoinSet};

const BATCH: u64 = 200;
/// Messages on their way at once, each over its own pooled SMTP connection.
const IN_FLIGHT: usize = 16;
const IDLE_POLL: Duration = Duration::from_millis(500);

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
            .timeout(Some(Duration::from_secs(20)))
            .pool_config(PoolConfig::new().max_size(IN_FLIGHT as u32))
            .build();
        let from = config
            .mail_from
            .parse()
            .map_err(|e| format!("MAIL_FROM is not an address: {e}"))?;
        Ok(Mailer::Smtp { transport, from })
    }

    async fn deliver(
        &self,
        message: &app::entities::outbound_email::Model,
    ) -> Result<OutboxStatus, String> {
        match self {
            Mailer::MailboxOnly => Ok(OutboxStatus::Kept),
            Mailer::Smtp { transport, from } => {
                let to: Mailbox = message
                    .to_address
                    .parse()
                    .map_err(|e| format!("bad recipient: {e}"))?;
                let email = Message::builder()
                    .from(from.clone())
                    .to(to)
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
                    )
                    .map_err(|e| format!("cannot build message: {e}"))?;
                transport
                    .send(email)
                    .await
                    .map_err(|e| format!("SMTP: {e}"))?;
                Ok(OutboxStatus::Sent)
            }
        }
    }
}

/// Delivers one batch, `IN_FLIGHT` messages at a time over the pooled SMTP connections (the
/// next starts as soon as one finishes), and records the outcomes in one transaction; returns
/// how many messages it handled.
pub async fn deliver_batch(
    db: &DatabaseConnection,
    mailer: &Mailer,
) -> Result<usize, sea_orm::DbErr> {
    let claimed = outbox::claim_due(db, Utc::now(), BATCH).await?;
    let handled = claimed.len();
    let mut sending = JoinSet::new();
    let mut outcomes = Vec::with_capacity(handled);
    for message in claimed {
        if sending.len() >= IN_FLIGHT {
            outcomes.extend(sending.join_next().await);
        }
        let mailer = mailer.clone();
        sending.spawn(async move {
            let outcome = mailer.deliver(&message).await;
            (message, outcome)
        });
    }
    while let Some(outcome) = sending.join_next().await {
        outcomes.push(outcome);
    }
    let mut settled: Vec<(OutboxStatus, i64)> = Vec::with_capacity(handled);
    let txn = db.begin().await?;
    for outcome in outcomes {
        match outcome {
            Ok((message, Ok(status))) => settled.push((status, message.id)),
            Ok((message, Err(error))) => {
                tracing::warn!(id = message.id, attempts = message.attempts, %error, "email not delivered; will retry");
                outbox::reschedule(&txn, message.id, message.attempts, &error).await?;
            }
            // The message stays claimed until its lease ends, then is tried again.
            Err(error) => tracing::error!(%error, "an email delivery task failed"),
        }
    }
    for status in [OutboxStatus::Sent, OutboxStatus::Kept] {
        let ids: Vec<i64> = settled
            .iter()
            .filter(|(settled_as, _)| *settled_as == status)
            .map(|(_, id)| *id)
            .collect();
        outbox::settle(&txn, &ids, status).await?;
    }
    txn.commit().await?;
    Ok(handled)
}

pub async fn run(db: DatabaseConnection, mailer: Mailer, mut shutdown: watch::Receiver<bool>) {
    loop {
        let handled = match deliver_batch(&db, &mailer).await {
            Ok(handled) => handled,
            Err(error) => {
                tracing::error!(%error, "mail worker could not reach the outbox");
                0
            }
        };
        if *shutdown.borrow() {
            return;
        }
        if handled == 0 {
            tokio::select! {
                _ = tokio::time::sleep(IDLE_POLL) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
