//! The one write path. The caller (a server function, an operator command, a worker) opens a
//! [`Change`] for an [`Actor`]; domain functions write their rows through its transaction and add
//! the audit entries, emails, notifications and accounts to tell; [`Change::commit`] writes those
//! in the same transaction, commits, and announces once. Dropping a change rolls it all back.

use super::{
    db::{begin_write, WriteTurn},
    session_store, AppState,
};
use crate::audit::{self, AuditEntry};
use crate::error::AppError;
use crate::mail::{message::Email, outbox};
use crate::notifications::{service as notifications, types::NotificationKind};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, EntityTrait, Set};
use std::collections::BTreeSet;

/// Who acts: the signed-in account, if any, the address the request came from, and the session
/// it came with (its store key). Operator commands and background work act as nobody in
/// particular.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub account: Option<i64>,
    pub addr: Option<String>,
    pub session: Option<String>,
}

impl Actor {
    /// An operator command or the portal itself.
    pub fn system() -> Self {
        Self::default()
    }

    /// The account, with no address (tests, commands acting for someone).
    pub fn account(account_id: i64) -> Self {
        Self {
            account: Some(account_id),
            ..Self::default()
        }
    }
}

/// Which of an account's sessions [`Change::end_sessions`] ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndSessions {
    All,
    /// All but the one the actor acts from: a person changing their password stays signed in
    /// where they did it.
    AllButMine,
}

/// Rows of one kind go to the database in statements of at most this many rows, well under
/// SQLite's limit of bound values per statement.
const ROWS_PER_INSERT: usize = 500;

/// One unit of work: a write transaction and what must happen with it.
pub struct Change<'s> {
    state: &'s AppState,
    txn: DatabaseTransaction,
    /// Released after the transaction ends (fields drop in order).
    _turn: WriteTurn,
    actor: Actor,
    audit: Vec<AuditEntry>,
    emails: Vec<(String, Email)>,
    notifications: Vec<(i64, NotificationKind, String, String)>,
    tell: BTreeSet<i64>,
}

impl AppState {
    /// Runs one write as `actor`: opens a [`Change`], lets `work` fill it, and commits it when
    /// `work` succeeds (an error rolls everything back).
    pub async fn write<T>(
        &self,
        actor: Actor,
        work: impl AsyncFnOnce(&mut Change<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut change = Change::begin(self, actor).await?;
        let outcome = work(&mut change).await?;
        change.commit().await?;
        Ok(outcome)
    }

    /// Runs `work` over `items` a batch at a time, each batch a change of its own committed before
    /// the next begins: a long job holds the write lock (on SQLite, the whole database's) for one
    /// batch at a time, and other writes take their turn between batches. Batches committed
    /// before a failure stay committed, so `work` must be safe to run again on the same items.
    pub async fn write_in_batches<I, T>(
        &self,
        actor: &Actor,
        items: &[I],
        batch_size: usize,
        work: impl AsyncFn(&mut Change<'_>, &[I]) -> Result<Vec<T>, AppError>,
    ) -> Result<Vec<T>, AppError> {
        let mut done = Vec::with_capacity(items.len());
        for batch in items.chunks(batch_size.max(1)) {
            done.extend(
                self.write(actor.clone(), async |change| work(change, batch).await)
                    .await?,
            );
        }
        Ok(done)
    }
}

impl<'s> Change<'s> {
    /// Opens the write transaction (on SQLite it takes the write lock at once).
    pub async fn begin(state: &'s AppState, actor: Actor) -> Result<Self, AppError> {
        let turn = state.writes.turn().await?;
        Ok(Self {
            state,
            txn: begin_write(&state.db).await?,
            _turn: turn,
            actor,
            audit: Vec::new(),
            emails: Vec::new(),
            notifications: Vec::new(),
            tell: BTreeSet::new(),
        })
    }

    /// The transaction: read and write the change's rows on it.
    pub fn db(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub fn state(&self) -> &'s AppState {
        self.state
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The acting account; a change that needs one refuses anyone not signed in.
    pub fn account(&self) -> Result<i64, AppError> {
        self.actor.account.ok_or(AppError::Unauthenticated)
    }

    /// Records the event with the change. It is by the actor and from the actor's address unless
    /// the entry says otherwise.
    pub fn audit(&mut self, mut entry: AuditEntry) {
        if entry.actor_account_id.is_none() {
            entry.actor_account_id = self.actor.account;
        }
        if entry.client_addr.is_none() {
            entry.client_addr = self.actor.addr.clone();
        }
        self.audit.push(entry);
    }

    /// Queues the email to go out once the change is committed.
    pub fn email(&mut self, to: &str, email: Email) {
        self.emails.push((to.to_owned(), email));
    }

    /// Leaves the account a notification, and tells its open pages.
    pub fn notify(&mut self, account_id: i64, kind: NotificationKind, text: &str, link: &str) {
        self.notifications
            .push((account_id, kind, text.to_owned(), link.to_owned()));
        self.tell.insert(account_id);
    }

    /// Ends the account's signed-in sessions with the change (on every app server: they are read
    /// from the database on each request), keeping the actor's own session if it is one of
    /// them. Returns how many ended.
    pub async fn end_sessions(
        &mut self,
        account_id: i64,
        which: EndSessions,
    ) -> Result<u64, AppError> {
        let keep = match which {
            EndSessions::All => None,
            EndSessions::AllButMine => self.actor.session.as_deref(),
        };
        let ended = session_store::end_sessions(&self.txn, account_id, keep).await?;
        // Its open pages ask again, and find themselves signed out.
        self.tell.insert(account_id);
        Ok(ended)
    }

    /// Tells these accounts' open pages that something of theirs changed, once committed.
    pub fn tell(&mut self, accounts: impl IntoIterator<Item = i64>) {
        self.tell.extend(accounts);
    }

    /// Writes what the change collected, commits, then announces once.
    pub async fn commit(self) -> Result<(), AppError> {
        let Self {
            state,
            txn,
            _turn: turn,
            audit,
            emails,
            notifications,
            tell,
            ..
        } = self;
        // Its emails say which change caused them: the first event it records.
        let (cause, regarding) = audit
            .first()
            .map(|entry| (Some(entry.action.as_str()), Some(entry.target.clone())))
            .unwrap_or_default();
        let domain = state.config.mail_domain();
        let emails = emails.into_iter().map(|(to, email)| {
            let mut row = outbox::row(&to, email, &domain);
            row.cause = Set(cause.map(str::to_owned));
            row.regarding = Set(regarding.clone());
            row
        });
        insert_in_chunks(&txn, audit.into_iter().map(audit::row)).await?;
        insert_in_chunks(
            &txn,
            notifications
                .into_iter()
                .map(|(account, kind, text, link)| notifications::row(account, kind, &text, &link)),
        )
        .await?;
        insert_in_chunks(&txn, emails).await?;
        txn.commit().await?;
        drop(turn);
        if !tell.is_empty() {
            state.live.announce(tell);
        }
        Ok(())
    }
}

async fn insert_in_chunks<A>(
    txn: &DatabaseTransaction,
    rows: impl Iterator<Item = A>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait + Send,
{
    let rows: Vec<A> = rows.collect();
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        A::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
