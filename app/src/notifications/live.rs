//! Tells the open pages of a person that something of theirs changed. Each app server keeps its
//! own hub; the changes are announced after their transaction commits.

use tokio::sync::broadcast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    /// Something changed for this account: new notifications, requests, memberships.
    Changed(i64),
    /// The server is stopping: every stream ends so that shutdown does not wait on them.
    Closing,
}

#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveEvent>,
}

impl Default for LiveHub {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(1024);
        Self { sender }
    }
}

impl LiveHub {
    pub fn announce(&self, accounts: impl IntoIterator<Item = i64>) {
        for account in accounts {
            // No subscriber is no error: nobody has a page open.
            let _ = self.sender.send(LiveEvent::Changed(account));
        }
    }

    pub fn close(&self) {
        let _ = self.sender.send(LiveEvent::Closing);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }
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
}
