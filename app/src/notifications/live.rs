//! Tells the open pages of a person that something of theirs changed. The changes are announced
//! after their transaction commits, and the hub tells its own server's pages at once. On
//! PostgreSQL other app servers may hold some of the open pages, so the announcement also goes
//! out with `NOTIFY`, and each server's [`LiveHub::relay`] hands the other servers' announcements
//! to its own pages.

use sea_orm::{
    sqlx::postgres::PgListener, ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement,
};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// The PostgreSQL channel of the announcements; each payload is `origin:id,id,…`, the origin
/// being the announcing server's hub.
const CHANNEL: &str = "portal_live";
/// Well under PostgreSQL's 8 000-byte payload limit.
const PAYLOAD_BYTES: usize = 7000;
const RECONNECT_AFTER: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    /// Something changed for this account: new notifications, requests, memberships.
    Changed(i64),
    /// Announcements may have been missed (the relay reconnected): every page looks again.
    Everyone,
    /// The server is stopping: every stream ends so that shutdown does not wait on them.
    Closing,
}

#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveEvent>,
    /// Set on PostgreSQL: announcements are sent through the database too.
    fan_out: Option<DatabaseConnection>,
    /// Tells this server's announcements from the others' when they come back from the database.
    origin: u64,
}

impl Default for LiveHub {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(1024);
        Self {
            sender,
            fan_out: None,
            origin: rand::random(),
        }
    }
}

impl LiveHub {
    /// The hub for an app server on this database.
    pub fn for_database(db: &DatabaseConnection) -> Self {
        let fan_out = (db.get_database_backend() == DatabaseBackend::Postgres).then(|| db.clone());
        Self {
            fan_out,
            ..Self::default()
        }
    }

    pub fn announce(&self, accounts: impl IntoIterator<Item = i64>) {
        let accounts: Vec<i64> = accounts.into_iter().collect();
        self.deliver(&accounts);
        let Some(db) = self.fan_out.clone() else {
            return;
        };
        let origin = self.origin;
        tokio::spawn(async move {
            for payload in payloads(origin, &accounts) {
                let notify = Statement::from_sql_and_values(
                    DatabaseBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [CHANNEL.into(), payload.into()],
                );
                if let Err(error) = db.execute_raw(notify).await {
                    // This server's pages have heard; the others' learn on their next look.
                    tracing::warn!(%error, "live announcement not sent to the other app servers");
                    return;
                }
            }
        });
    }

    fn deliver(&self, accounts: &[i64]) {
        for account in accounts {
            // No subscriber is no error: nobody has a page open.
            let _ = self.sender.send(LiveEvent::Changed(*account));
        }
    }

    /// The accounts of another server's announcement; `None` for this server's own (its pages
    /// heard it already) and for what is not an announcement.
    fn others(&self, payload: &str) -> Option<Vec<i64>> {
        let (origin, ids) = payload.split_once(':')?;
        if origin.parse::<u64>().ok()? == self.origin {
            return None;
        }
        Some(
            ids.split(',')
                .filter_map(|id| id.trim().parse().ok())
                .collect(),
        )
    }

    pub fn close(&self) {
        let _ = self.sender.send(LiveEvent::Closing);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// On PostgreSQL, hands every server's announcements to this server's pages until
    /// `shutdown`; reconnects when the connection drops, then has every page look again. Returns
    /// at once on other databases.
    pub async fn relay(self, database_url: String, mut shutdown: watch::Receiver<bool>) {
        if self.fan_out.is_none() {
            return;
        }
        let mut reconnected = false;
        loop {
            match listen(&database_url).await {
                Ok(mut listener) => {
                    if reconnected {
                        let _ = self.sender.send(LiveEvent::Everyone);
                    }
                    loop {
                        tokio::select! {
                            received = listener.recv() => match received {
                                Ok(notification) => {
                                    if let Some(accounts) = self.others(notification.payload()) {
                                        self.deliver(&accounts);
                                    }
                                }
                                Err(error) => {
                                    tracing::warn!(%error, "live relay lost its database connection");
                                    break;
                                }
                            },
                            _ = shutdown.changed() => return,
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "live relay cannot listen"),
            }
            reconnected = true;
            tokio::select! {
                _ = tokio::time::sleep(RECONNECT_AFTER) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}

async fn listen(database_url: &str) -> Result<PgListener, sea_orm::sqlx::Error> {
    let mut listener = PgListener::connect(database_url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// The account ids as payloads of at most `PAYLOAD_BYTES`, each `origin:id,id,…`.
fn payloads(origin: u64, accounts: &[i64]) -> Vec<String> {
    let prefix = format!("{origin}:");
    let mut payloads = Vec::new();
    let mut current = prefix.clone();
    for account in accounts {
        let id = account.to_string();
        let empty = current.len() == prefix.len();
        if !empty && current.len() + 1 + id.len() > PAYLOAD_BYTES {
            payloads.push(std::mem::replace(&mut current, prefix.clone()));
        }
        if current.len() > prefix.len() {
            current.push(',');
        }
        current.push_str(&id);
    }
    if current.len() > prefix.len() {
        payloads.push(current);
    }
    payloads
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_hear_announcements_made_after_they_subscribed() {
        let hub = LiveHub::default();
        hub.announce([1]);
        let mut receiver = hub.subscribe();
        hub.announce([2, 3]);
        hub.close();
        assert_eq!(receiver.recv().await.unwrap(), LiveEvent::Changed(2));
        assert_eq!(receiver.recv().await.unwrap(), LiveEvent::Changed(3));
        assert_eq!(receiver.recv().await.unwrap(), LiveEvent::Closing);
    }

    #[test]
    fn many_accounts_are_split_into_payloads_postgres_accepts() {
        let here = LiveHub::default();
        let there = LiveHub::default();
        let accounts: Vec<i64> = (1_000_000..1_002_000).collect();
        let sent = payloads(there.origin, &accounts);
        assert!(sent.len() > 1);
        assert!(sent.iter().all(|payload| payload.len() <= PAYLOAD_BYTES));
        let received: Vec<i64> = sent.iter().flat_map(|p| here.others(p).unwrap()).collect();
        assert_eq!(received, accounts);
        assert!(payloads(1, &[]).is_empty());
        assert_eq!(
            here.others(&format!("{}:7, x,8", there.origin)),
            Some(vec![7, 8])
        );
        assert_eq!(
            here.others(&payloads(here.origin, &[7])[0]),
            None,
            "its own"
        );
        assert_eq!(here.others("7,8"), None);
    }
}
