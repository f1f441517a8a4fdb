//! Tells the open pages of a person that something of theirs changed. The changes are announced
//! after their transaction commits, and the hub tells its own server's pages at once. On
//! PostgreSQL other app servers may hold some of the open pages, so the announcement also goes
//! out with `NOTIFY`, and each server's [`LiveHub::relay`] hands the other servers' announcements
//! to its own pages.

use sea_orm::{
    sqlx::postgres::PgListener, ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch};

/// The PostgreSQL channel of the announcements; each payload is `origin:id,id,…`, the origin
/// being the announcing server's hub.
const CHANNEL: &str = "portal_live";
/// Well under PostgreSQL's 8 000-byte payload limit.
const PAYLOAD_BYTES: usize = 7000;
const RECONNECT_AFTER: Duration = Duration::from_secs(2);

/// How many live-update streams one server holds, in all and per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    pub per_account: usize,
    pub per_server: usize,
}

impl Default for StreamLimits {
    fn default() -> Self {
        use crate::platform::config::{
            DEFAULT_LIVE_STREAMS_PER_ACCOUNT, DEFAULT_LIVE_STREAMS_PER_SERVER,
        };
        Self {
            per_account: DEFAULT_LIVE_STREAMS_PER_ACCOUNT,
            per_server: DEFAULT_LIVE_STREAMS_PER_SERVER,
        }
    }
}

/// Why a stream was not opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooManyStreams {
    ForAccount,
    ForServer,
}

/// The open streams of this server, by account: an announcement wakes only its accounts'.
#[derive(Default)]
struct Registry {
    by_account: HashMap<i64, Vec<(u64, mpsc::Sender<()>)>>,
    open: usize,
    next_id: u64,
}

#[derive(Clone)]
pub struct LiveHub {
    streams: Arc<Mutex<Registry>>,
    limits: StreamLimits,
    /// Set when the server stops: every stream ends so that shutdown does not wait on them.
    closing: watch::Sender<bool>,
    /// Set on PostgreSQL: announcements are sent through the database too.
    fan_out: Option<DatabaseConnection>,
    /// Tells this server's announcements from the others' when they come back from the database.
    origin: u64,
}

impl Default for LiveHub {
    fn default() -> Self {
        Self {
            streams: Arc::default(),
            limits: StreamLimits::default(),
            closing: watch::channel(false).0,
            fan_out: None,
            origin: rand::random(),
        }
    }
}

/// One open stream: it is told when its account has something new (several announcements
/// before it looks count as one) and when the server closes. Dropping it closes the stream's
/// place in the hub.
pub struct LiveStream {
    hub: LiveHub,
    account: i64,
    id: u64,
    changes: mpsc::Receiver<()>,
    closing: watch::Receiver<bool>,
}

impl LiveStream {
    pub fn account(&self) -> i64 {
        self.account
    }

    /// Waits for the account's next change; `false` once the server is closing.
    pub async fn changed(&mut self) -> bool {
        if *self.closing.borrow() {
            return false;
        }
        tokio::select! {
            woken = self.changes.recv() => woken.is_some(),
            _ = self.closing.wait_for(|closing| *closing) => false,
        }
    }
}

impl Drop for LiveStream {
    fn drop(&mut self) {
        let mut streams = lock(&self.hub.streams);
        if let Some(list) = streams.by_account.get_mut(&self.account) {
            list.retain(|(id, _)| *id != self.id);
            if list.is_empty() {
                streams.by_account.remove(&self.account);
            }
            streams.open -= 1;
        }
    }
}

/// The registry stays usable after a panic elsewhere: it holds no invariant a panic could break
/// half-way.
fn lock(streams: &Mutex<Registry>) -> std::sync::MutexGuard<'_, Registry> {
    streams
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl LiveHub {
    /// The hub for an app server on this database.
    pub fn for_database(db: &DatabaseConnection, limits: StreamLimits) -> Self {
        let fan_out = (db.get_database_backend() == DatabaseBackend::Postgres).then(|| db.clone());
        Self {
            fan_out,
            limits,
            ..Self::default()
        }
    }

    /// Opens a stream for the account, within the limits.
    pub fn open(&self, account: i64) -> Result<LiveStream, TooManyStreams> {
        let mut streams = lock(&self.streams);
        if streams.open >= self.limits.per_server {
            return Err(TooManyStreams::ForServer);
        }
        let id = streams.next_id;
        let (wake, changes) = mpsc::channel(1);
        let list = streams.by_account.entry(account).or_default();
        if list.len() >= self.limits.per_account {
            return Err(TooManyStreams::ForAccount);
        }
        list.push((id, wake));
        streams.open += 1;
        streams.next_id += 1;
        Ok(LiveStream {
            hub: self.clone(),
            account,
            id,
            changes,
            closing: self.closing.subscribe(),
        })
    }

    /// The streams open on this server.
    pub fn open_streams(&self) -> usize {
        lock(&self.streams).open
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
        let streams = lock(&self.streams);
        for account in accounts {
            for (_, wake) in streams.by_account.get(account).into_iter().flatten() {
                // Full: a wake-up is pending already. Closed: the stream is ending.
                let _ = wake.try_send(());
            }
        }
    }

    /// Every page looks again (announcements may have been missed).
    fn wake_everyone(&self) {
        let streams = lock(&self.streams);
        for (_, wake) in streams.by_account.values().flatten() {
            let _ = wake.try_send(());
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

    /// Ends every stream: the server is stopping.
    pub fn close(&self) {
        self.closing.send_replace(true);
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
                        self.wake_everyone();
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
    async fn an_announcement_wakes_only_the_streams_of_its_accounts() {
        let hub = LiveHub::default();
        hub.announce([1]);
        let mut first = hub.open(1).unwrap();
        let mut second = hub.open(2).unwrap();
        let mut other_tab = hub.open(2).unwrap();
        hub.announce([2, 3]);
        hub.announce([2]);
        assert!(second.changed().await);
        assert!(other_tab.changed().await);
        // Two announcements before it looked count as one; account 1 heard nothing.
        assert!(second.changes.try_recv().is_err());
        assert!(
            first.changes.try_recv().is_err(),
            "announced before it opened"
        );
        hub.close();
        assert!(!first.changed().await);
        assert!(!second.changed().await);
    }

    #[test]
    fn streams_are_limited_per_account_and_per_server_and_free_their_place() {
        let hub = LiveHub {
            limits: StreamLimits {
                per_account: 2,
                per_server: 3,
            },
            ..LiveHub::default()
        };
        let one = hub.open(1).unwrap();
        let _two = hub.open(1).unwrap();
        assert_eq!(hub.open(1).err(), Some(TooManyStreams::ForAccount));
        let _three = hub.open(2).unwrap();
        assert_eq!(hub.open(3).err(), Some(TooManyStreams::ForServer));
        assert_eq!(hub.open_streams(), 3);
        drop(one);
        assert_eq!(hub.open_streams(), 2);
        assert!(hub.open(1).is_ok());
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
