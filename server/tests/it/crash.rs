//! A committed change survives `kill -9` at any moment. The real `portal` binary, in production
//! mode, serves administrators inviting people (each invitation a row, an audit event and an
//! email, which its mail worker sends) and is killed without warning again and again, then
//! started again. Afterwards every invitation it acknowledged is there with its audit event and
//! its one email, nothing is half-written, the database passes its integrity check, and the SMTP
//! server received every email under its one Message-ID.
//!
//! `CRASH_KILLS` sets how many kills (5 in the test command; `scripts/faults.sh` runs 50).

use super::portal::{admins, integrity_check, invite_until_gone, log, Load, Portal, INVITED};
use super::smtp::{Mode, Smtp};
use app::audit::AuditAction;
use app::entities::{audit_event, invitation, outbound_email};
use app::mail::outbox::OutboxStatus;
use app::testing::TestDb;
use rand::Rng;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::ExposeSecret;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Administrators inviting at once.
const CLIENTS: usize = 4;

fn kills() -> usize {
    std::env::var("CRASH_KILLS")
        .ok()
        .and_then(|kills| kills.parse().ok())
        .unwrap_or(5)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn committed_changes_survive_kill_9_and_each_email_goes_out_once() {
    let kills = kills();
    let test = TestDb::new().await;
    let database_url = test.state.config.database_url.expose_secret().to_owned();
    let backend = test.db().get_database_backend();
    let workdir = std::env::temp_dir().join(format!("portal-crash-{}", std::process::id()));
    std::fs::create_dir_all(&workdir).unwrap();
    let smtp = Smtp::start(Mode::Accept).await;
    // Enough administrators that the daily invitation limit never ends the load.
    let per_client = 2 + kills * 60 / app::platform::quota::Quota::Invitations.per_day() as usize;
    let admins = Arc::new(admins(&test.state, CLIENTS * per_client).await);
    let turns: Vec<Arc<AtomicUsize>> = (0..CLIENTS)
        .map(|n| Arc::new(AtomicUsize::new(n)))
        .collect();
    let load = Arc::new(Load::default());

    for _ in 0..kills {
        let portal = Portal::start(&database_url, &smtp, &workdir).await;
        let clients: Vec<_> = turns
            .iter()
            .map(|mine| {
                tokio::spawn(invite_until_gone(
                    portal.base.clone(),
                    admins.clone(),
                    CLIENTS,
                    mine.clone(),
                    load.clone(),
                ))
            })
            .collect();
        let uptime = rand::rng().random_range(50..500);
        tokio::time::sleep(Duration::from_millis(uptime)).await;
        portal.kill().await;
        for client in clients {
            client.await.unwrap();
        }
    }
    let unexpected = load.unexpected.lock().unwrap().clone();
    assert!(unexpected.is_empty(), "{unexpected:?}\n{}", log(&workdir));
    let acknowledged = load.acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= kills,
        "the load wrote too little to prove anything: {}",
        acknowledged.len()
    );

    // Started once more, the portal sends what the killed ones left in the outbox.
    let portal = Portal::start(&database_url, &smtp, &workdir).await;
    let rows = drained_outbox(test.db(), Duration::from_secs(120)).await;
    portal.kill().await;

    let invitations = invitation::Entity::find()
        .filter(invitation::Column::Email.starts_with(INVITED))
        .all(test.db())
        .await
        .unwrap();
    let invited: HashSet<&str> = invitations.iter().map(|row| row.email.as_str()).collect();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|address| !invited.contains(address.as_str()))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    nothing_half_written(test.db(), &invitations, &rows).await;
    let redelivered = each_email_received_under_its_message_id(&smtp, &rows);
    integrity_check(test.db()).await;

    println!(
        "figure: crash {backend:?}: {kills} kill -9 during {} acknowledged invitations \
         ({} committed in all): every acknowledged one found with its audit event and email; \
         integrity check passed; {} emails sent, none lost, none under a second Message-ID \
         ({redelivered} received again under the same Message-ID)",
        acknowledged.len(),
        invitations.len(),
        rows.len(),
    );
    let _ = std::fs::remove_dir_all(&workdir);
}

/// The outbox once nothing in it waits any more.
async fn drained_outbox(db: &DatabaseConnection, limit: Duration) -> Vec<outbound_email::Model> {
    let deadline = Instant::now() + limit;
    loop {
        let rows = outbound_email::Entity::find().all(db).await.unwrap();
        if rows.iter().all(|row| row.status == OutboxStatus::Sent) {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "mail still waiting: {:?}",
            rows.iter()
                .filter(|row| row.status != OutboxStatus::Sent)
                .map(|row| (&row.to_address, row.status, &row.last_error))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Each invitation has its one audit event and its one email: a change is all there or not at
/// all.
async fn nothing_half_written(
    db: &DatabaseConnection,
    invitations: &[invitation::Model],
    outbox: &[outbound_email::Model],
) {
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(AuditAction::InvitationSent.as_str()))
        .all(db)
        .await
        .unwrap();
    let mut events_by_target: HashMap<&str, usize> = HashMap::new();
    for event in &events {
        *events_by_target.entry(event.target.as_str()).or_default() += 1;
    }
    let mut emails_by_address: HashMap<&str, usize> = HashMap::new();
    for row in outbox {
        *emails_by_address
            .entry(row.to_address.as_str())
            .or_default() += 1;
    }
    for invitation in invitations {
        let target = format!("invitation:{}", invitation.id);
        assert_eq!(events_by_target.get(target.as_str()), Some(&1), "{target}");
        assert_eq!(
            emails_by_address.get(invitation.email.as_str()),
            Some(&1),
            "{}",
            invitation.email
        );
    }
    let invited = outbox
        .iter()
        .filter(|row| row.to_address.starts_with(INVITED))
        .count();
    assert_eq!(
        invited,
        invitations.len(),
        "an email without its invitation"
    );
}

/// Every email reached the SMTP server, and nothing else did. Returns how many arrived a second
/// time: the worker died between the server's acceptance and recording it, and sent it again
/// with the same Message-ID, by which the receiving side knows it for the same message.
fn each_email_received_under_its_message_id(smtp: &Smtp, rows: &[outbound_email::Model]) -> usize {
    let received = smtp.received();
    let distinct: HashSet<&String> = received.iter().collect();
    let sent: HashSet<&String> = rows.iter().map(|row| &row.message_id).collect();
    assert_eq!(sent.len(), rows.len(), "two emails share a Message-ID");
    let missing: Vec<_> = sent.difference(&distinct).collect();
    assert!(missing.is_empty(), "never received: {missing:?}");
    let stray: Vec<_> = distinct.difference(&sent).collect();
    assert!(
        stray.is_empty(),
        "received but not in the outbox: {stray:?}"
    );
    received.len() - distinct.len()
}
