//! The mail outbox and the session store on a real database.

use app::entities::outbound_email;
use app::mail::{message::Email, outbox};
use app::platform::retention::{self, Retention};
use app::platform::session_store::DbSessionStore;
use app::testing::TestDb;
use chrono::Utc;
use sea_orm::{EntityTrait, TransactionTrait};
use std::collections::HashSet;
use tower_sessions::{
    cookie::time::{Duration, OffsetDateTime},
    session::{Id, Record},
    SessionStore,
};

fn email(n: usize) -> Email {
    Email::new(format!("Message {n}")).paragraph("Hello")
}

const LEASE: chrono::Duration = chrono::Duration::seconds(120);

async fn queue(db: &sea_orm::DatabaseConnection, n: usize) -> i64 {
    outbox::enqueue(db, "a@clinic.example", email(n), "clinic.example")
        .await
        .unwrap()
}

async fn claim(
    db: &sea_orm::DatabaseConnection,
    at: chrono::DateTime<Utc>,
) -> Vec<outbound_email::Model> {
    outbox::claim_due(db, at, 40, LEASE).await.unwrap()
}

async fn row_of(db: &sea_orm::DatabaseConnection, id: i64) -> outbound_email::Model {
    outbound_email::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
}

fn refused(reply: &str, permanent: bool) -> outbox::Outcome {
    outbox::Outcome::Refused {
        reply: reply.to_owned(),
        permanent,
    }
}

#[tokio::test]
async fn an_email_queued_in_a_rolled_back_transaction_is_never_sent() {
    let test = TestDb::new().await;
    let txn = test.db().begin().await.unwrap();
    outbox::enqueue(&txn, "a@clinic.example", email(1), "clinic.example")
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    assert!(claim(test.db(), Utc::now()).await.is_empty());
}

#[tokio::test]
async fn concurrent_workers_never_claim_the_same_message() {
    let test = TestDb::new().await;
    for n in 0..40 {
        queue(test.db(), n).await;
    }
    let workers = (0..4).map(|_| {
        let db = test.db().clone();
        tokio::spawn(async move { outbox::claim_due(&db, Utc::now(), 40, LEASE).await.unwrap() })
    });
    let mut claimed = Vec::new();
    for worker in workers.collect::<Vec<_>>() {
        claimed.extend(worker.await.unwrap());
    }
    let distinct: HashSet<_> = claimed.iter().map(|m| m.id).collect();
    assert_eq!(claimed.len(), 40, "every message claimed once");
    assert_eq!(distinct.len(), 40, "no message claimed twice");
    // Each message keeps the Message-ID it was queued with, and each claim is a worker's own.
    let message_ids: HashSet<_> = claimed.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(message_ids.len(), 40);
    assert!(claimed
        .iter()
        .all(|m| m.message_id.ends_with("@clinic.example>")));
    assert!(claimed
        .iter()
        .all(|m| m.claim.is_some() && m.last_attempt_at.is_some()));
    // Claimed messages are leased: nobody else takes them now.
    assert!(claim(test.db(), Utc::now()).await.is_empty());
}

#[tokio::test]
async fn a_failed_delivery_stays_queued_and_is_retried_later() {
    let test = TestDb::new().await;
    let policy = outbox::RetryPolicy::default();
    let id = queue(test.db(), 1).await;
    let queued_as = row_of(test.db(), id).await.message_id;
    let claimed = claim(test.db(), Utc::now()).await;
    assert_eq!(claimed[0].attempts, 1);
    let now = Utc::now();
    let recorded = outbox::record(
        test.db(),
        &claimed[0],
        &refused("SMTP: connection refused", false),
        &policy,
        now,
    )
    .await
    .unwrap();
    assert!(matches!(recorded, outbox::Recorded::Retrying(_)));
    let row = row_of(test.db(), id).await;
    assert_eq!(row.status, outbox::OutboxStatus::Queued);
    assert_eq!(row.last_error.as_deref(), Some("SMTP: connection refused"));
    assert!(
        claim(test.db(), Utc::now()).await.is_empty(),
        "not before its back-off"
    );
    let first_wait = policy.next_wait(1, false).unwrap();
    let later = now + first_wait + chrono::Duration::seconds(1);
    let retried = claim(test.db(), later).await;
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].attempts, 2);
    assert_eq!(
        retried[0].message_id, queued_as,
        "the same Message-ID on every attempt"
    );
    let sent = outbox::record(
        test.db(),
        &retried[0],
        &outbox::Outcome::Sent,
        &policy,
        later,
    )
    .await
    .unwrap();
    assert_eq!(sent, outbox::Recorded::Settled(outbox::OutboxStatus::Sent));
    let row = row_of(test.db(), id).await;
    assert_eq!(row.status, outbox::OutboxStatus::Sent);
    assert!(row.sent_at.is_some());
    assert_eq!(row.last_error, None);
    // The links it carried are no longer readable from the database.
    assert_eq!(row.body_text, outbox::DELIVERED_BODY);
    assert_eq!(row.body_html, outbox::DELIVERED_BODY);
    assert_eq!(row.subject, email(1).subject);
    let much_later = later + chrono::Duration::hours(2);
    assert!(claim(test.db(), much_later).await.is_empty(), "sent once");
}

#[tokio::test]
async fn a_permanently_refused_email_fails_with_its_reason_and_staff_can_queue_it_again() {
    let test = TestDb::new().await;
    let policy = outbox::RetryPolicy::default();
    let id = queue(test.db(), 1).await;
    let reply = "permanent error (550): mailbox unavailable";
    let mut at = Utc::now();
    for attempt in 1..=policy.permanent_attempts {
        let claimed = claim(test.db(), at).await;
        assert_eq!(claimed.len(), 1, "attempt {attempt}");
        let recorded = outbox::record(test.db(), &claimed[0], &refused(reply, true), &policy, at)
            .await
            .unwrap();
        match recorded {
            outbox::Recorded::Retrying(next) => at = next + chrono::Duration::seconds(1),
            other => {
                assert_eq!(attempt, policy.permanent_attempts);
                assert_eq!(
                    other,
                    outbox::Recorded::Settled(outbox::OutboxStatus::Failed)
                );
            }
        }
    }
    let row = row_of(test.db(), id).await;
    assert_eq!(row.status, outbox::OutboxStatus::Failed);
    assert_eq!(row.last_error.as_deref(), Some(reply));
    assert_eq!(row.body_text, email(1).text, "kept, to be resent");
    assert!(
        claim(test.db(), at + chrono::Duration::days(2))
            .await
            .is_empty(),
        "never tried again by itself"
    );
    assert!(outbox::requeue_failed(test.db(), id).await.unwrap());
    assert!(
        !outbox::requeue_failed(test.db(), id).await.unwrap(),
        "once"
    );
    let again = claim(test.db(), Utc::now()).await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].attempts, 1);
    assert_eq!(again[0].message_id, row.message_id);
}

#[tokio::test]
async fn an_outcome_is_recorded_only_under_the_claim_it_was_sent_with() {
    let test = TestDb::new().await;
    let policy = outbox::RetryPolicy::default();
    let id = queue(test.db(), 1).await;
    let first = claim(test.db(), Utc::now()).await.remove(0);
    // The first worker overran its lease; a second took the message over.
    let second = claim(test.db(), Utc::now() + LEASE + chrono::Duration::seconds(1))
        .await
        .remove(0);
    assert_ne!(first.claim, second.claim);
    let late = outbox::record(
        test.db(),
        &first,
        &outbox::Outcome::Sent,
        &policy,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(late, outbox::Recorded::NotHeld);
    assert_eq!(
        row_of(test.db(), id).await.status,
        outbox::OutboxStatus::Queued
    );
    let settled = outbox::record(
        test.db(),
        &second,
        &outbox::Outcome::Sent,
        &policy,
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(
        settled,
        outbox::Recorded::Settled(outbox::OutboxStatus::Sent)
    );
}

fn record(expires_in: Duration) -> Record {
    let mut data = std::collections::HashMap::new();
    data.insert(
        "signed_in".to_owned(),
        serde_json::json!({ "account_id": 7 }),
    );
    Record {
        id: Id::default(),
        data,
        expiry_date: OffsetDateTime::now_utc() + expires_in,
    }
}

#[tokio::test]
async fn sessions_are_stored_loaded_updated_expired_and_deleted() {
    let test = TestDb::new().await;
    let store = DbSessionStore::new(test.db().clone());
    let mut live = record(Duration::minutes(30));
    store.create(&mut live).await.unwrap();
    let loaded = store.load(&live.id).await.unwrap().expect("stored");
    assert_eq!(loaded.data, live.data);

    live.data.insert("other".to_owned(), serde_json::json!(1));
    store.save(&live).await.unwrap();
    assert_eq!(store.load(&live.id).await.unwrap().unwrap().data.len(), 2);

    let mut stale = record(Duration::seconds(-5));
    store.create(&mut stale).await.unwrap();
    assert!(
        store.load(&stale.id).await.unwrap().is_none(),
        "expired sessions do not load"
    );
    let purged = retention::purge(
        test.db(),
        &test.state.writes,
        Retention::default(),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(purged.sessions, 1);

    store.delete(&live.id).await.unwrap();
    assert!(store.load(&live.id).await.unwrap().is_none());
    assert!(store.load(&Id::default()).await.unwrap().is_none());
}

mod session_lifetime {
    use app::platform::{session_store::DbSessionStore, sessions};
    use app::testing::TestDb;
    use chrono::Utc;
    use std::sync::Arc;
    use tower_sessions::Session;

    fn session(test: &TestDb) -> Session {
        Session::new(None, Arc::new(DbSessionStore::new(test.db().clone())), None)
    }

    async fn signed_in_at(session: &Session, since: i64, seen: i64) {
        session
            .insert(
                "signed_in",
                serde_json::json!({ "account_id": 7, "since": since, "seen": seen }),
            )
            .await
            .unwrap();
    }

    /// When the session was last kept alive, as stored.
    async fn last_seen(session: &Session) -> i64 {
        session
            .get::<serde_json::Value>("signed_in")
            .await
            .unwrap()
            .unwrap()["seen"]
            .as_i64()
            .unwrap()
    }

    #[tokio::test]
    async fn activity_pushes_the_idle_expiry_back_at_most_once_a_minute() {
        let test = TestDb::new().await;
        let session = session(&test);
        let now = Utc::now().timestamp();
        signed_in_at(&session, now - 600, now - 120).await;
        sessions::keep_alive(&session, None).await.unwrap();
        let seen = last_seen(&session).await;
        assert!(seen >= now, "kept alive");

        signed_in_at(&session, now - 600, now - 5).await;
        sessions::keep_alive(&session, None).await.unwrap();
        let seen = last_seen(&session).await;
        assert_eq!(seen, now - 5, "recently seen sessions are not rewritten");
        assert_eq!(
            sessions::signed_in_account(&session).await.unwrap(),
            Some(7)
        );
    }

    #[tokio::test]
    async fn a_session_ends_twelve_hours_after_sign_in_however_active() {
        let test = TestDb::new().await;
        let session = session(&test);
        let now = Utc::now().timestamp();
        signed_in_at(&session, now - 12 * 3600 - 1, now).await;
        assert_eq!(sessions::signed_in_account(&session).await.unwrap(), None);
        sessions::keep_alive(&session, None).await.unwrap();
        assert!(session.is_empty().await, "flushed");
    }

    #[tokio::test]
    async fn signing_in_changes_the_session_id() {
        let test = TestDb::new().await;
        let session = session(&test);
        session.insert("before", 1).await.unwrap();
        session.save().await.unwrap();
        let before = session.id();
        sessions::sign_in(&session, 42, sessions::Device::default())
            .await
            .unwrap();
        session.save().await.unwrap();
        assert_ne!(session.id(), before);
        assert_eq!(
            sessions::signed_in_account(&session).await.unwrap(),
            Some(42)
        );
    }
}

mod session_ends {
    use app::platform::{session_store, sessions, Actor, EndSessions};
    use app::testing::{signed_in_session, TestDb};
    use tower_sessions::Session;

    #[tokio::test]
    async fn a_session_ended_while_a_request_ran_is_not_written_back() {
        let test = TestDb::new().await;
        let session = signed_in_session(&test.state, 7).await;
        // A request of the session, already under way, holds it.
        let in_flight = Session::new(session.id(), test.store(), None);
        assert_eq!(
            sessions::signed_in_account(&in_flight).await.unwrap(),
            Some(7)
        );
        // Meanwhile the account's sessions end.
        session_store::end_sessions(test.db(), 7, None)
            .await
            .unwrap();
        // The request then saves what it changed: the session stays ended.
        sessions::touch(&in_flight).await.unwrap();
        in_flight.save().await.unwrap();
        let next_request = Session::new(session.id(), test.store(), None);
        assert_eq!(
            sessions::signed_in_account(&next_request).await.unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn a_change_ends_the_accounts_sessions_but_the_actors_own() {
        let test = TestDb::new().await;
        let here = signed_in_session(&test.state, 7).await;
        let _laptop = signed_in_session(&test.state, 7).await;
        let _phone = signed_in_session(&test.state, 7).await;
        let _someone_else = signed_in_session(&test.state, 8).await;
        let actor = Actor {
            account: Some(7),
            session: sessions::key_of(&here),
            ..Actor::default()
        };
        let ended = test
            .state
            .write(actor, async |change| {
                change.end_sessions(7, EndSessions::AllButMine).await
            })
            .await
            .unwrap();
        assert_eq!(ended, 2);
        let left = session_store::signed_in_sessions(test.db(), 7)
            .await
            .unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(Some(&left[0].0), sessions::key_of(&here).as_ref());
        assert_eq!(
            session_store::signed_in_sessions(test.db(), 8)
                .await
                .unwrap()
                .len(),
            1
        );

        let ended = test
            .state
            .write(Actor::system(), async |change| {
                change.end_sessions(7, EndSessions::All).await
            })
            .await
            .unwrap();
        assert_eq!(ended, 1);
        let next_request = Session::new(here.id(), test.store(), None);
        assert_eq!(
            sessions::signed_in_account(&next_request).await.unwrap(),
            None
        );
    }

    #[tokio::test]
    async fn a_session_ended_in_a_change_that_fails_goes_on() {
        let test = TestDb::new().await;
        let session = signed_in_session(&test.state, 7).await;
        let failed: Result<(), _> = test
            .state
            .write(Actor::system(), async |change| {
                change.end_sessions(7, EndSessions::All).await?;
                Err(app::error::AppError::Internal)
            })
            .await;
        assert!(failed.is_err());
        let next_request = Session::new(session.id(), test.store(), None);
        assert_eq!(
            sessions::signed_in_account(&next_request).await.unwrap(),
            Some(7)
        );
    }
}

#[tokio::test]
async fn live_announcements_reach_the_pages_of_every_app_server() {
    use app::notifications::live::{LiveHub, StreamLimits};
    use sea_orm::DatabaseBackend;
    use std::time::Duration;
    let test = TestDb::new().await;
    let woken = async |page: &mut app::notifications::live::LiveStream| {
        tokio::time::timeout(Duration::from_millis(300), page.changed())
            .await
            .unwrap_or(false)
    };
    if test.db().get_database_backend() != DatabaseBackend::Postgres {
        // One app server: the hub tells its own pages.
        let mut page = test.state.live.open(42).unwrap();
        test.state.live.announce([42]);
        assert!(woken(&mut page).await);
        return;
    }
    // A second app server on the same database, its relay listening.
    let other = LiveHub::for_database(test.db(), StreamLimits::default());
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let relay = tokio::spawn(other.clone().relay(
        secrecy::ExposeSecret::expose_secret(&test.state.config.database_url).to_owned(),
        shutdown,
    ));
    let (mut first, mut second, mut bystander) = (
        other.open(42).unwrap(),
        other.open(7).unwrap(),
        other.open(8).unwrap(),
    );
    // Announced on the first server until the relay has started listening.
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            test.state.live.announce([42, 7]);
            if woken(&mut first).await {
                break;
            }
        }
    })
    .await
    .expect("the other server's pages hear the announcement");
    assert!(woken(&mut second).await);
    assert!(!woken(&mut bystander).await, "only the accounts announced");
    stop.send(true).unwrap();
    relay.await.unwrap();
}

/// A status enum's values as the database stores them.
fn stored<E: sea_orm::ActiveEnum<Value = String>>() -> Vec<String> {
    E::iter().map(|status| status.to_value()).collect()
}

#[test]
fn every_status_enum_matches_its_database_constraint() {
    use app::applications::types::ApplicationStatus;
    use app::invitations::types::InvitationStatus;
    use app::join_requests::types::JoinRequestStatus;
    use app::memberships::types::MembershipStatus;
    use app::sponsorships::types::SponsorshipStatus;
    use outbox::OutboxStatus;
    let enums = [
        ("careconnect_applications", stored::<ApplicationStatus>()),
        ("invitations", stored::<InvitationStatus>()),
        ("join_requests", stored::<JoinRequestStatus>()),
        ("memberships", stored::<MembershipStatus>()),
        ("member_name_prefixes", stored::<MembershipStatus>()),
        ("outbound_emails", stored::<OutboxStatus>()),
        ("sponsorships", stored::<SponsorshipStatus>()),
    ];
    assert_eq!(enums.len(), migrations::STATUSES.len());
    for ((table, values), (checked_table, allowed)) in enums.iter().zip(migrations::STATUSES) {
        assert_eq!(*table, checked_table);
        assert_eq!(values, allowed, "{table}");
    }
}

#[tokio::test]
async fn the_database_refuses_a_status_outside_the_enum() {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = app::testing::verified(state, "dalia").await;
    app::testing::register_worksite(
        state,
        dalia,
        &app::testing::worksite_form("Barclay Clinic", "1234 Barclay St", "V6E 1H4"),
    )
    .await;
    let backend = test.db().get_database_backend();
    let refused = test
        .db()
        .execute_raw(Statement::from_string(
            backend,
            "UPDATE memberships SET status = 'paused'",
        ))
        .await;
    assert!(refused.is_err(), "{refused:?}");
    let kept = test
        .db()
        .execute_raw(Statement::from_string(
            backend,
            "UPDATE memberships SET status = 'inactive'",
        ))
        .await;
    assert!(kept.is_ok(), "{kept:?}");

    // Every status column is guarded, not only this one.
    for (table, _) in migrations::STATUSES {
        let (sql, expected) = match backend {
            DatabaseBackend::Postgres => (
                format!(
                    "SELECT COUNT(*) AS n FROM pg_constraint WHERE conname = 'ck_{table}_status'"
                ),
                1,
            ),
            _ => (
                format!(
                    "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'trigger' \
                     AND name IN ('tr_{table}_status_insert', 'tr_{table}_status_update')"
                ),
                2,
            ),
        };
        let row = test
            .db()
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), expected, "{table}");
    }
}

/// Links used or expired a while ago, old notifications and ended sessions go; the audit log
/// and recent notifications stay.
#[tokio::test]
async fn retention_purges_old_links_notifications_and_sessions_and_keeps_the_audit() {
    use app::entities::{audit_event, notification, one_time_token};
    use sea_orm::{PaginatorTrait, Set};
    let test = TestDb::new().await;
    let state = &test.state;
    let jane = app::testing::verified(state, "jane").await;
    app::testing::signed_in_session(state, jane).await;
    let notice = |days_ago: i64| notification::ActiveModel {
        account_id: Set(jane),
        kind: Set("course_completed".to_owned()),
        text: Set(format!("{days_ago} days ago")),
        link: Set("/".to_owned()),
        created_at: Set(Utc::now() - chrono::Duration::days(days_ago)),
        read_at: Set(None),
        ..Default::default()
    };
    notification::Entity::insert_many([notice(200), notice(10)])
        .exec(test.db())
        .await
        .unwrap();
    let links = one_time_token::Entity::find()
        .count(test.db())
        .await
        .unwrap();
    assert!(links > 0, "registration sent a link");
    let audit = audit_event::Entity::find().count(test.db()).await.unwrap();

    // A month and a day on, the verification link (used today) is old enough to go.
    let later = Utc::now() + chrono::Duration::days(31);
    let purged = retention::purge(test.db(), &state.writes, Retention::default(), later)
        .await
        .unwrap();
    assert_eq!(purged.links, links);
    assert_eq!(purged.notifications, 1);
    assert!(purged.sessions >= 1);
    let kept: Vec<String> = notification::Entity::find()
        .all(test.db())
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.text)
        .collect();
    assert!(kept.contains(&"10 days ago".to_owned()) && !kept.contains(&"200 days ago".to_owned()));
    assert_eq!(
        audit_event::Entity::find().count(test.db()).await.unwrap(),
        audit
    );

    // Nothing is left to purge the second time.
    let again = retention::purge(test.db(), &state.writes, Retention::default(), later)
        .await
        .unwrap();
    assert_eq!(again, retention::Purged::default());
}
