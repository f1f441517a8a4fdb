//! The email delivery log: what the CareConnect team and a worksite's administrators see of a
//! message's delivery, and "Resend" for one that failed.

use app::audit::AuditAction;
use app::entities::{audit_event, outbound_email};
use app::error::{AppError, Refusal};
use app::mail::{log, outbox, types::*};
use app::testing::{as_account, as_operator, last_email_to, person, Clinic, TestDb};
use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn query(recipient: &str, delivery: &str) -> DeliveryQuery {
    DeliveryQuery {
        recipient: recipient.to_owned(),
        delivery: delivery.to_owned(),
        page: 0,
    }
}

/// Tries the message until the policy gives it up, each time refused with `reply`.
async fn fail(db: &sea_orm::DatabaseConnection, id: i64, reply: &str) {
    let policy = outbox::RetryPolicy::default();
    let mut at = Utc::now();
    loop {
        let claimed = outbox::claim_due(db, at, 100, chrono::Duration::seconds(60))
            .await
            .unwrap();
        let message = claimed.into_iter().find(|m| m.id == id).expect("due");
        let refused = outbox::Outcome::Refused {
            reply: reply.to_owned(),
            permanent: true,
        };
        match outbox::record(db, &message, &refused, &policy, at)
            .await
            .unwrap()
        {
            outbox::Recorded::Retrying(next) => at = next + chrono::Duration::seconds(1),
            _ => return,
        }
    }
}

#[tokio::test]
async fn staff_follow_every_email_and_resend_a_failed_one_administrators_see_it_failed() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    let sam = person(state, "sam", "Sam", "Staff", "physician").await;
    as_operator(state, async |ch| {
        app::accounts::service::grant_staff(ch, "sam@clinic.example").await
    })
    .await
    .unwrap();
    let clinic = Clinic::named("Barclay Clinic")
        .members([greg])
        .registered_by(state, dalia)
        .await;
    as_account(state, dalia, async |ch| {
        app::invitations::service::invite(ch, &clinic.code, "nobody@clinic.example").await
    })
    .await
    .unwrap();
    let email = last_email_to(test.db(), "nobody@clinic.example").await;
    // The email says which change queued it.
    assert_eq!(email.cause.as_deref(), Some("invitation_sent"));
    assert!(email
        .regarding
        .as_deref()
        .is_some_and(|r| r.starts_with("invitation:")));

    let awaiting = app::invitations::service::awaiting(test.db(), dalia, &clinic.code, 0)
        .await
        .unwrap();
    assert_eq!(
        awaiting.items[0].delivery.as_ref().map(|d| d.delivery),
        Some(Delivery::Queued)
    );

    let reply = "permanent error (550): 5.1.1 Mailbox unavailable";
    fail(test.db(), email.id, reply).await;
    let awaiting = app::invitations::service::awaiting(test.db(), dalia, &clinic.code, 0)
        .await
        .unwrap();
    let delivery = awaiting.items[0].delivery.clone().expect("an email");
    assert_eq!(delivery.delivery, Delivery::Failed);
    assert_eq!(delivery.describe(), format!("Failed: {reply}"));

    // Staff find it among the failed ones, with the change that caused it.
    let failed = log::search(test.db(), sam, &query("", "failed"))
        .await
        .unwrap();
    assert_eq!(failed.total, 1);
    let row = &failed.items[0];
    assert_eq!(row.to, "nobody@clinic.example");
    assert_eq!(row.cause.as_deref(), Some("Invitation sent"));
    assert_eq!(row.standing.last_reply.as_deref(), Some(reply));
    assert_eq!(
        row.attempts,
        outbox::RetryPolicy::default().permanent_attempts
    );
    assert_eq!(row.message_id, email.message_id);
    let by_address = log::search(test.db(), sam, &query("NOBODY@clinic.example ", ""))
        .await
        .unwrap();
    assert_eq!(by_address.total, 1, "recipient matched whatever its case");
    assert_eq!(
        log::search(test.db(), sam, &query("", "sent"))
            .await
            .unwrap()
            .total,
        0
    );
    let unknown = log::search(test.db(), sam, &query("", "bounced")).await;
    assert!(matches!(unknown, Err(AppError::Invalid(_))), "{unknown:?}");

    // Nobody else sees the log or resends.
    for outsider in [dalia, greg] {
        assert_eq!(
            log::search(test.db(), outsider, &query("", "")).await,
            Err(AppError::Forbidden)
        );
        let refused = as_account(state, outsider, async |ch| log::resend(ch, email.id).await).await;
        assert_eq!(refused, Err(AppError::Forbidden));
    }
    let still = outbound_email::Entity::find_by_id(email.id)
        .one(test.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still.status, OutboxStatus::Failed);

    // Staff resend it: queued again with its Message-ID, audited; a second click changes nothing.
    as_account(state, sam, async |ch| log::resend(ch, email.id).await)
        .await
        .unwrap();
    let again = as_account(state, sam, async |ch| log::resend(ch, email.id).await).await;
    assert_eq!(again, Err(AppError::Conflict(Refusal::AlreadyHandled)));
    let requeued = outbox::claim_due(test.db(), Utc::now(), 10, chrono::Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(requeued.len(), 1);
    assert_eq!(requeued[0].message_id, email.message_id);
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(AuditAction::EmailResent.as_str()))
        .all(test.db())
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor_account_id, Some(sam));
    assert_eq!(audited[0].target, format!("email:{}", email.id));

    let missing = as_account(state, sam, async |ch| log::resend(ch, 999_999).await).await;
    assert!(matches!(missing, Err(AppError::NotFound(_))), "{missing:?}");
}
