//! Delivers the outbox: claims due messages, sends them over SMTP (or, in development without
//! SMTP, keeps them for the development mailbox), and reschedules failures with back-off.

use app::mail::outbox;
use app::platform::PortalConfig;
use chrono::Utc;
use futures_util::future::join_all;
use lettre::{
    message::{header::ContentType, Mailbox, MultiPart, SinglePart},
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::{DatabaseConnection, TransactionTrait};
use std::time::Duration;
use tokio::sync::watch;

const BATCH: u64 = 50;
/// Messages of a batch on their way at once (lettre pools the SMTP connections).
const IN_FLIGHT: usize = 8;
const IDLE_POLL: Duration = Duration::from_millis(500);

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
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL is not usable: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
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
    ) -> Result<&'static str, String> {
        match self {
            Mailer::MailboxOnly => Ok(outbox::KEPT),
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
                Ok(outbox::SENT)
            }
        }
    }
}

/// Delivers one batch, several messages at a time over the pooled SMTP connections, and records
/// the outcomes in one transaction; returns how many messages it handled.
pub async fn deliver_batch(
    db: &DatabaseConnection,
    mailer: &Mailer,
) -> Result<usize, sea_orm::DbErr> {
    let claimed = outbox::claim_due(db, Utc::now(), BATCH).await?;
    let mut outcomes = Vec::with_capacity(claimed.len());
    for group in claimed.chunks(IN_FLIGHT) {
        // A plain loop rather than a closure: the worker's future must stay `Send` for every
        // lifetime, which closures returning borrowed futures defeat.
        let mut sending = Vec::with_capacity(group.len());
        for message in group {
            sending.push(mailer.deliver(message));
        }
        outcomes.extend(group.iter().zip(join_all(sending).await));
    }
    let txn = db.begin().await?;
    for (message, outcome) in outcomes {
        match outcome {
            Ok(status) => outbox::settle(&txn, message.id, status).await?,
            Err(error) => {
                tracing::warn!(id = message.id, attempts = message.attempts, %error, "email not delivered; will retry");
                outbox::reschedule(&txn, message.id, message.attempts, &error).await?;
            }
        }
    }
    txn.commit().await?;
    Ok(claimed.len())
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
