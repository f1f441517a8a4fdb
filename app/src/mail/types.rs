//! The words of the email delivery log, shared by browser and server.

use crate::status::status_enum;
use serde::{Deserialize, Serialize};

crate::ids::row_id! {
    /// A message in the outbox.
    pub struct EmailId;
}

status_enum! {
    /// Where a message stands: queued until the worker delivers it (`Sent`), gives up on it
    /// (`Failed`, with the server's reason) or, in development without SMTP, keeps it only in
    /// the development mailbox (`Kept`).
    pub enum OutboxStatus {
        Queued,
        Sent,
        Kept,
        Failed,
    }
}

/// Where a message stands as people read it: a queued message that has failed before is
/// "retrying".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Delivery {
    Queued,
    Retrying,
    Sent,
    Failed,
    /// Development without SMTP: kept for the development mailbox.
    Kept,
}

impl Delivery {
    pub const ALL: [Delivery; 5] = [
        Delivery::Queued,
        Delivery::Retrying,
        Delivery::Sent,
        Delivery::Failed,
        Delivery::Kept,
    ];

    pub fn of(status: OutboxStatus, failed_before: bool) -> Self {
        match status {
            OutboxStatus::Queued if failed_before => Delivery::Retrying,
            OutboxStatus::Queued => Delivery::Queued,
            OutboxStatus::Sent => Delivery::Sent,
            OutboxStatus::Failed => Delivery::Failed,
            OutboxStatus::Kept => Delivery::Kept,
        }
    }

    /// How the outbox stores it: its status and, for a queued message, whether it failed before
    /// (the inverse of [`Delivery::of`]).
    pub fn stored(self) -> (OutboxStatus, Option<bool>) {
        match self {
            Delivery::Queued => (OutboxStatus::Queued, Some(false)),
            Delivery::Retrying => (OutboxStatus::Queued, Some(true)),
            Delivery::Sent => (OutboxStatus::Sent, None),
            Delivery::Failed => (OutboxStatus::Failed, None),
            Delivery::Kept => (OutboxStatus::Kept, None),
        }
    }

    /// The code in the log's filter.
    pub fn code(self) -> &'static str {
        match self {
            Delivery::Queued => "queued",
            Delivery::Retrying => "retrying",
            Delivery::Sent => "sent",
            Delivery::Failed => "failed",
            Delivery::Kept => "kept",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|delivery| delivery.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Queued => "Queued",
            Delivery::Retrying => "Retrying",
            Delivery::Sent => "Sent",
            Delivery::Failed => "Failed",
            Delivery::Kept => "Kept (development mailbox)",
        }
    }
}

/// A message's delivery, with the last reply of the mail server when there was a problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryStanding {
    pub delivery: Delivery,
    pub last_reply: Option<String>,
}

impl DeliveryStanding {
    /// "Sent", "Retrying: 451 …", "Failed: 550 mailbox unavailable".
    pub fn describe(&self) -> String {
        match (&self.delivery, &self.last_reply) {
            (Delivery::Retrying | Delivery::Failed, Some(reply)) => {
                format!("{}: {reply}", self.delivery.label())
            }
            (delivery, _) => delivery.label().to_owned(),
        }
    }
}

/// The delivery log's criteria, as the query string carries them. Empty means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryQuery {
    /// The recipient's address.
    #[serde(default)]
    pub recipient: String,
    /// A [`Delivery`] code.
    #[serde(default)]
    pub delivery: String,
    #[serde(default)]
    pub page: u32,
}

impl DeliveryQuery {
    /// The criteria as a query string (without the page), for links.
    pub fn query_string(&self) -> String {
        crate::ui::query_string(&[("recipient", &self.recipient), ("delivery", &self.delivery)])
    }
}

/// A row of the delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: EmailId,
    pub queued_at: String,
    pub to: String,
    pub subject: String,
    /// The change that queued it ("Invitation sent") and what it was about ("invitation:12").
    pub cause: Option<String>,
    pub regarding: Option<String>,
    pub standing: DeliveryStanding,
    pub attempts: i32,
    pub last_attempt_at: Option<String>,
    pub sent_at: Option<String>,
    pub message_id: String,
}

/// Messages shown per page of the delivery log.
pub const DELIVERIES_PER_PAGE: u64 = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_delivery_is_read_back_from_how_it_is_stored() {
        for delivery in Delivery::ALL {
            let (status, failed_before) = delivery.stored();
            for failed in [false, true] {
                if failed_before.is_none_or(|before| before == failed) {
                    assert_eq!(Delivery::of(status, failed), delivery);
                }
            }
            assert_eq!(Delivery::from_code(delivery.code()), Some(delivery));
        }
    }
}
