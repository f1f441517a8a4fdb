//! Join requests, invitations and membership changes on a real database (SQLite, or PostgreSQL
//! with TEST_DATABASE_URL): the rules of DESIGN.md §5, forbidden cases and concurrent decisions.

use app::entities::{audit_event, invitation, join_request, membership, notification};
use app::error::{AppError, Refusal};
use app::flows::joining;
use app::invitations::service::{self as invitations, Accepting};
use app::invitations::types::InvitationStatus;
use app::join_requests::{service as join_requests, types::*};
use app::memberships::{
    service as memberships,
    types::{MemberChange, MemberCursor},
};
use app::platform::{Actor, AppState};
use app::testing::*;
use app::worksites::types::{WorksiteId, WorksiteSummary};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};

fn email_of(subject: &str) -> String {
    format!("{subject}@clinic.example")
}

async fn clinic(state: &AppState, admin: i64, name: &str) -> WorksiteSummary {
    Clinic::named(name).registered_by(state, admin).await
}

async fn ask(
    state: &AppState,
    account: i64,
    code: &WorksiteId,
    comment: &str,
) -> Result<WorksiteSummary, AppError> {
    let form = AccessRequestForm {
        code: code.to_owned(),
        comment: comment.to_owned(),
    };
    as_account(state, account, async |ch| {
        join_requests::request(ch, &form).await
    })
    .await
}

async fn count_audit(state: &AppState, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .count(&state.db)
        .await
        .unwrap()
}

async fn membership_rows(state: &AppState, account: i64) -> Vec<membership::Model> {
    membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account))
        .all(&state.db)
        .await
        .unwrap()
}

async fn is_active_member(state: &AppState, code: &WorksiteId, account: i64) -> bool {
    memberships::as_member(&state.db, account, code)
        .await
        .is_ok()
}

#[tokio::test]
async fn a_request_reaches_every_administrator_and_approval_admits_the_requester() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let wade = person(state, "wade", "Wade", "Bales", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    let kingsgate = clinic(state, dalia, "Kingsgate Mall Clinic").await;
    add_member(state, &kingsgate.code, wade, true).await;

    let asked = ask(
        state,
        greg,
        &WorksiteId::parse(&kingsgate.code.as_str().to_lowercase()).unwrap(),
        "I am the new MOA.",
    )
    .await
    .unwrap();
    assert_eq!(asked.code, kingsgate.code);
    for (admin, name) in [("dalia", "Dalia Eighteen"), ("wade", "Wade Bales")] {
        let email = last_email_to(&state.db, &email_of(admin)).await;
        assert_eq!(
            email.subject,
            "Access Request for Worksite: Kingsgate Mall Clinic"
        );
        assert!(email.body_text.contains(&format!("Hello {name},")));
        assert!(email.body_text.contains(
            "Gregory Nineteen, greg@clinic.example would like to join Kingsgate Mall Clinic."
        ));
        assert!(email.body_text.contains(
            "Click Here to approve Gregory Nineteen's request to join Kingsgate Mall Clinic"
        ));
        assert!(email.body_text.contains("I am the new MOA."));
    }
    let attention = app::flows::attention::attention(&state.db, wade)
        .await
        .unwrap();
    assert_eq!(attention.unread_notifications, 1);
    assert_eq!(attention.waiting_requests.len(), 1);
    assert_eq!(attention.waiting_requests[0].count, 1);

    assert!(matches!(
        ask(state, greg, &kingsgate.code, "").await,
        Err(AppError::Conflict(Refusal::AlreadyAsked { .. }))
    ));
    assert!(matches!(
        ask(state, dalia, &kingsgate.code, "").await,
        Err(AppError::Conflict(Refusal::AlreadyYourWorksite { .. }))
    ));
    assert!(
        matches!(ask(state, greg, &kingsgate.code, &"x".repeat(1001)).await, Err(AppError::Invalid(e)) if e.get("comment").is_some())
    );

    let waiting = join_requests::waiting(&state.db, dalia, &kingsgate.code, 0)
        .await
        .unwrap()
        .items;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].name, "Gregory Nineteen");
    assert_eq!(waiting[0].email, "greg@clinic.example");
    assert_eq!(waiting[0].profession, "Medical Office Assistant");
    assert_eq!(waiting[0].comment.as_deref(), Some("I am the new MOA."));
    assert!(!is_active_member(state, &kingsgate.code, greg).await);

    state
        .write(
            Actor {
                account: Some(wade),
                addr: Some("10.0.0.9".to_owned()),
                session: None,
            },
            async |ch| {
                joining::decide_join_request(
                    ch,
                    &kingsgate.code,
                    waiting[0].id.get(),
                    Decision::Accept,
                    "",
                )
                .await
            },
        )
        .await
        .unwrap();
    assert!(is_active_member(state, &kingsgate.code, greg).await);
    let told = last_email_to(&state.db, &email_of("greg")).await;
    assert_eq!(
        told.subject,
        "Your request to join Kingsgate Mall Clinic was approved"
    );
    assert_eq!(count_audit(state, "join_request_approved").await, 1);
    assert!(app::flows::attention::attention(&state.db, dalia)
        .await
        .unwrap()
        .waiting_requests
        .is_empty());
    let greg_notes = app::notifications::service::list(&state.db, greg)
        .await
        .unwrap();
    assert!(greg_notes[0].text.contains("was approved"));

    assert_eq!(
        as_account(state, dalia, async |ch| joining::decide_join_request(
            ch,
            &kingsgate.code,
            waiting[0].id.get(),
            Decision::Reject,
            ""
        )
        .await)
        .await,
        Err(AppError::Conflict(Refusal::AlreadyHandled))
    );
    assert_eq!(
        app::testing::emails_to(&state.db, &email_of("greg"))
            .await
            .iter()
            .filter(|e| e.subject.contains("request to join"))
            .count(),
        1
    );
}

#[tokio::test]
async fn users_requesting_access_pages_ten_at_a_time_oldest_first() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let barclay = clinic(state, dalia, "Barclay Street Clinic").await;
    let mut asked = Vec::new();
    for n in 0..23 {
        let name = format!("Requester{n:02}");
        let id = quick_account(state, &name.to_lowercase(), &name, "Waiting", "moa").await;
        ask(state, id, &barclay.code, "").await.unwrap();
        asked.push(format!("{name} Waiting"));
    }
    let names =
        |page: &WaitingPage| -> Vec<String> { page.items.iter().map(|r| r.name.clone()).collect() };

    let first = join_requests::waiting(&state.db, dalia, &barclay.code, 0)
        .await
        .unwrap();
    assert_eq!((first.total, first.page, first.page_count()), (23, 0, 3));
    assert_eq!(names(&first), asked[..10]);
    assert!(!first.has_previous() && first.has_next());
    assert_eq!(
        first.position("person waiting", "people waiting"),
        "Page 1 of 3 (23 people waiting)"
    );
    let last = join_requests::waiting(&state.db, dalia, &barclay.code, 2)
        .await
        .unwrap();
    assert_eq!(names(&last), asked[20..]);
    assert!(last.has_previous() && !last.has_next());

    // Past the end, as when the last page's requests were just decided: the last page.
    assert_eq!(
        join_requests::waiting(&state.db, dalia, &barclay.code, 9)
            .await
            .unwrap(),
        last
    );
    for request in &last.items {
        as_account(state, dalia, async |ch| {
            joining::decide_join_request(ch, &barclay.code, request.id.get(), Decision::Reject, "")
                .await
        })
        .await
        .unwrap();
    }
    let now_last = join_requests::waiting(&state.db, dalia, &barclay.code, 2)
        .await
        .unwrap();
    assert_eq!((now_last.total, now_last.page), (20, 1));
    assert_eq!(names(&now_last), asked[10..20]);
    assert!(!now_last.has_next());
}

#[tokio::test]
async fn invites_awaiting_response_page_ten_at_a_time_newest_first() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let barclay = clinic(state, dalia, "Barclay Street Clinic").await;
    let mut invited = Vec::new();
    for n in 0..23 {
        let email = email_of(&format!("invitee{n:02}"));
        as_account(state, dalia, async |ch| {
            invitations::invite(ch, &barclay.code, &email).await
        })
        .await
        .unwrap();
        invited.push(email);
    }
    invited.reverse();
    let page = |n| invitations::awaiting(&state.db, dalia, &barclay.code, n);
    let emails = |page: &app::paging::NumberedPage<app::invitations::types::AwaitingInvitation>| {
        page.items
            .iter()
            .map(|i| i.email.clone())
            .collect::<Vec<_>>()
    };
    let first = page(0).await.unwrap();
    assert_eq!((first.total, first.page, first.page_count()), (23, 0, 3));
    assert_eq!(emails(&first), invited[..10]);
    assert!(!first.has_previous() && first.has_next());
    let last = page(2).await.unwrap();
    assert_eq!(emails(&last), invited[20..]);
    assert!(last.has_previous() && !last.has_next());
    assert_eq!(page(7).await.unwrap(), last, "past the end: the last page");
    // Another worksite's administrator sees none of them.
    let olga = person(state, "olga", "Olga", "Other", "physician").await;
    clinic(state, olga, "Other Clinic").await;
    assert!(matches!(
        invitations::awaiting(&state.db, olga, &barclay.code, 0).await,
        Err(AppError::NotFound(_))
    ));
}

#[tokio::test]
async fn the_emailed_link_shows_the_request_and_only_its_button_approves() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    let member = person(state, "member", "Mia", "Member", "moa").await;
    let other_admin = person(state, "other", "Otto", "Other", "physician").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    clinic(state, other_admin, "Other Clinic").await;
    add_member(state, &barclay.code, member, false).await;
    ask(state, greg, &barclay.code, "").await.unwrap();
    let token = token_in(
        &last_email_to(&state.db, &email_of("dalia")).await,
        "/join-requests/approve",
    );

    let preview = join_requests::preview(&state.db, dalia, &token)
        .await
        .unwrap();
    assert_eq!(preview.request.name, "Gregory Nineteen");
    assert_eq!(preview.outcome, None);
    assert!(
        !is_active_member(state, &barclay.code, greg).await,
        "looking changes nothing"
    );
    assert_eq!(
        join_requests::preview(&state.db, member, &token)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    for outsider in [other_admin, greg] {
        assert!(matches!(
            join_requests::preview(&state.db, outsider, &token).await,
            Err(AppError::NotFound(_))
        ));
        assert!(
            as_account(state, outsider, async |ch| joining::approve_by_link(
                ch, &token
            )
            .await)
            .await
            .is_err()
        );
    }
    assert!(matches!(
        join_requests::preview(&state.db, dalia, "forged").await,
        Err(AppError::Refused(_))
    ));
    assert!(!is_active_member(state, &barclay.code, greg).await);

    as_account(state, dalia, async |ch| {
        joining::approve_by_link(ch, &token).await
    })
    .await
    .unwrap();
    assert!(is_active_member(state, &barclay.code, greg).await);
    assert!(matches!(
        as_account(state, dalia, async |ch| joining::approve_by_link(
            ch, &token
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));
    let preview = join_requests::preview(&state.db, dalia, &token)
        .await
        .unwrap();
    assert_eq!(
        preview.outcome.as_deref(),
        Some("This request has already been approved.")
    );
    let stored = join_request::Entity::find()
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(
        stored.token_hash, token,
        "only a hash of the token is stored"
    );
}

#[tokio::test]
async fn concurrent_decisions_on_one_request_have_one_outcome() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let wade = person(state, "wade", "Wade", "Bales", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    add_member(state, &barclay.code, wade, true).await;
    ask(state, greg, &barclay.code, "").await.unwrap();
    let id = join_requests::waiting(&state.db, dalia, &barclay.code, 0)
        .await
        .unwrap()
        .items[0]
        .id
        .get();

    let attempts = [
        (dalia, Decision::Accept),
        (wade, Decision::Reject),
        (dalia, Decision::Accept),
        (wade, Decision::Accept),
    ];
    let handles: Vec<_> = attempts
        .into_iter()
        .map(|(admin, decision)| {
            let state = state.clone();
            let code = barclay.code.clone();
            tokio::spawn(async move {
                as_account(&state, admin, async |ch| {
                    joining::decide_join_request(ch, &code, id, decision, "").await
                })
                .await
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for handle in handles {
        outcomes.push(handle.await.unwrap());
    }
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    assert!(outcomes
        .iter()
        .filter(|o| o.is_err())
        .all(|o| matches!(o, Err(AppError::Conflict(_)))));
    let decided = count_audit(state, "join_request_approved").await
        + count_audit(state, "join_request_rejected").await;
    assert_eq!(decided, 1);
    assert!(membership_rows(state, greg).await.len() <= 1);
    let decision_emails = emails_to(&state.db, &email_of("greg"))
        .await
        .into_iter()
        .filter(|e| e.subject.contains("request to join"))
        .count();
    assert_eq!(decision_emails, 1);
}

#[tokio::test]
async fn invitations_are_sent_resent_revoked_and_accepted_once_by_the_invited_address() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Physician", "physician").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    let stephanie = email_of("stephanie");

    assert!(
        matches!(as_account(state, dalia, async |ch| invitations::invite(ch, &barclay.code, "nope").await).await, Err(AppError::Invalid(e)) if e.get("email").is_some())
    );
    let sent = as_account(state, dalia, async |ch| {
        invitations::invite(ch, &barclay.code, " Stephanie@Clinic.example ").await
    })
    .await
    .unwrap();
    assert_eq!(sent, stephanie);
    let email = last_email_to(&state.db, &stephanie).await;
    assert!(email.body_text.contains("Dalia Physician has invited you to join the Barclay Clinic worksite on the My.CareConnect site."));
    assert!(email.body_text.contains(&format!(
        "When selecting a worksite to join please use the following worksite Id: {}",
        barclay.code
    )));
    assert!(email
        .body_text
        .contains(&format!("Invited address: {stephanie}")));
    let first_token = token_in(&email, "/invitations/accept");
    assert!(
        matches!(as_account(state, dalia, async |ch| invitations::invite(ch, &barclay.code, &stephanie).await).await, Err(AppError::Invalid(e)) if e.get("email").unwrap().contains("already awaiting"))
    );
    assert!(
        matches!(as_account(state, dalia, async |ch| invitations::invite(ch, &barclay.code, &email_of("dalia")).await).await, Err(AppError::Invalid(e)) if e.get("email").unwrap().contains("already belongs"))
    );

    let listed = invitations::awaiting(&state.db, dalia, &barclay.code, 0)
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(
        (listed.items[0].emails_sent, listed.items[0].expired),
        (1, false)
    );

    // A double click on Resend: both carry the count they saw; one email goes out.
    let both = tokio::join!(
        as_account(state, dalia, async |ch| invitations::resend(
            ch,
            &barclay.code,
            listed.items[0].id,
            1
        )
        .await),
        as_account(state, dalia, async |ch| invitations::resend(
            ch,
            &barclay.code,
            listed.items[0].id,
            1
        )
        .await),
    );
    assert_eq!(
        [&both.0, &both.1].iter().filter(|r| r.is_ok()).count(),
        1,
        "{both:?}"
    );
    assert_eq!(
        invitations::awaiting(&state.db, dalia, &barclay.code, 0)
            .await
            .unwrap()
            .items[0]
            .emails_sent,
        2
    );
    assert_eq!(emails_to(&state.db, &stephanie).await.len(), 2);
    let second_token = token_in(
        &last_email_to(&state.db, &stephanie).await,
        "/invitations/accept",
    );
    assert_ne!(first_token, second_token);

    // Someone else, signed in, cannot use it; nor can Stephanie before verifying her address.
    let mallory = person(state, "mallory", "Mallory", "Moa", "moa").await;
    assert!(matches!(
        as_account(state, mallory, async |ch| joining::accept_invitation(
            ch,
            Accepting::Token(&second_token)
        )
        .await)
        .await,
        Err(AppError::Refused(Refusal::InvitationForSomeoneElse { .. }))
    ));
    // By id (the "My invitations" list) another person's invitation answers exactly as a missing
    // one: ids tell nobody who was invited.
    let stephanies = invitation::Entity::find()
        .filter(invitation::Column::Email.eq(stephanie.as_str()))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let by_id = |id: i64| async move {
        as_account(state, mallory, async |ch| {
            joining::accept_invitation(ch, Accepting::Id(id)).await
        })
        .await
        .map(|_| ())
    };
    let someone_elses = by_id(stephanies).await;
    assert!(matches!(someone_elses, Err(AppError::NotFound(_))));
    assert!(!format!("{someone_elses:?}").contains(stephanie.as_str()));
    assert_eq!(someone_elses, by_id(i64::MAX).await);
    let unverified = registered(state, "stephanie").await;
    assert!(
        as_account(state, unverified, async |ch| joining::accept_invitation(
            ch,
            Accepting::Token(&second_token)
        )
        .await)
        .await
        .is_err()
    );
    assert!(
        matches!(
            as_account(state, unverified, async |ch| joining::accept_invitation(
                ch,
                Accepting::Token(&first_token)
            )
            .await)
            .await,
            Err(AppError::Refused(_))
        ),
        "the old link stopped working"
    );
    let verify = token_in(
        &last_email_to(&state.db, &stephanie).await,
        "/account/verify-email",
    );
    as_operator(state, async |ch| {
        app::accounts::service::verify_email(ch, &verify).await
    })
    .await
    .unwrap();
    assert_eq!(
        invitations::for_invitee(&state.db, unverified)
            .await
            .unwrap()
            .len(),
        1,
        "it waits on her home page"
    );

    // Two tabs accept at once: one membership, one "already".
    let tabs = tokio::join!(
        as_account(state, unverified, async |ch| joining::accept_invitation(
            ch,
            Accepting::Token(&second_token)
        )
        .await),
        as_account(state, unverified, async |ch| joining::accept_invitation(
            ch,
            Accepting::Token(&second_token)
        )
        .await),
    );
    assert_eq!(
        [&tabs.0, &tabs.1].iter().filter(|r| r.is_ok()).count(),
        1,
        "{tabs:?}"
    );
    assert_eq!(membership_rows(state, unverified).await.len(), 1);
    assert!(is_active_member(state, &barclay.code, unverified).await);
    assert_eq!(count_audit(state, "invitation_accepted").await, 1);
    let inviter_notes = app::notifications::service::list(&state.db, dalia)
        .await
        .unwrap();
    assert!(inviter_notes
        .iter()
        .any(|n| n.text.contains("accepted your invitation")));
    assert!(invitations::awaiting(&state.db, dalia, &barclay.code, 0)
        .await
        .unwrap()
        .items
        .is_empty());

    // Revoked and expired invitations cannot be accepted; expired ones can be resent.
    let tom = person(state, "tom", "Tom", "Tech", "pharmacy_technician").await;
    as_account(state, dalia, async |ch| {
        invitations::invite(ch, &barclay.code, &email_of("tom")).await
    })
    .await
    .unwrap();
    let revoked_token = token_in(
        &last_email_to(&state.db, &email_of("tom")).await,
        "/invitations/accept",
    );
    let id = invitations::awaiting(&state.db, dalia, &barclay.code, 0)
        .await
        .unwrap()
        .items[0]
        .id;
    as_account(state, dalia, async |ch| {
        invitations::revoke(ch, &barclay.code, id).await
    })
    .await
    .unwrap();
    assert!(matches!(
        as_account(state, tom, async |ch| joining::accept_invitation(
            ch,
            Accepting::Token(&revoked_token)
        )
        .await)
        .await,
        Err(AppError::Refused(Refusal::InvitationWithdrawn))
    ));
    assert!(matches!(
        as_account(state, dalia, async |ch| invitations::revoke(
            ch,
            &barclay.code,
            id
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));

    as_account(state, dalia, async |ch| {
        invitations::invite(ch, &barclay.code, &email_of("tom")).await
    })
    .await
    .unwrap();
    let expiring = token_in(
        &last_email_to(&state.db, &email_of("tom")).await,
        "/invitations/accept",
    );
    let row = invitation::Entity::find()
        .filter(invitation::Column::Status.eq("pending"))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    let mut stale = row.clone().into_active_model();
    stale.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    stale.update(&state.db).await.unwrap();
    assert!(
        invitations::awaiting(&state.db, dalia, &barclay.code, 0)
            .await
            .unwrap()
            .items[0]
            .expired
    );
    assert!(matches!(
        as_account(state, tom, async |ch| joining::accept_invitation(
            ch,
            Accepting::Token(&expiring)
        )
        .await)
        .await,
        Err(AppError::Refused(Refusal::InvitationExpired))
    ));
    as_account(state, dalia, async |ch| {
        invitations::resend(ch, &barclay.code, row.id, 1).await
    })
    .await
    .unwrap();
    let renewed = token_in(
        &last_email_to(&state.db, &email_of("tom")).await,
        "/invitations/accept",
    );
    as_account(state, tom, async |ch| {
        joining::accept_invitation(ch, Accepting::Token(&renewed)).await
    })
    .await
    .unwrap();
    assert!(is_active_member(state, &barclay.code, tom).await);
}

#[tokio::test]
async fn members_are_grouped_paged_and_searched_in_the_database() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Zed", "physician").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    for n in 0..27 {
        let (profession, family) = match n % 3 {
            0 => ("pharmacist", format!("Indie{n:02}")),
            1 => ("moa", format!("Helper{n:02}")),
            _ => ("nurse_practitioner", format!("Auth{n:02}")),
        };
        let id = quick_account(state, &format!("m{n}"), "Pat", &family, profession).await;
        add_member(state, &barclay.code, id, false).await;
    }
    let list = |search: &'static str, cursor| {
        memberships::list(&state.db, dalia, &barclay.code, true, search, cursor)
    };
    let first = list("", MemberCursor::First).await.unwrap();
    assert_eq!(first.total, 28);
    assert_eq!(first.members.len(), 25);
    assert_eq!(first.page_count(), Some(2));
    assert!(!first.has_previous && first.has_next);
    assert!(first.viewer_is_admin);
    let types: Vec<_> = first.members.iter().map(|m| m.user_type).collect();
    let mut sorted = types.clone();
    sorted.sort_by_key(|t| match t {
        app::professions::types::UserType::Authorizer => 0,
        app::professions::types::UserType::OnBehalfOf => 1,
        app::professions::types::UserType::Independent => 2,
    });
    assert_eq!(
        types, sorted,
        "Authorizers, then On-behalf-Of Users, then Independent Users"
    );
    assert_eq!(first.members[0].name, "Pat Auth02");
    assert_eq!(
        first.members[9].name, "Dalia Zed",
        "by family name in the group"
    );
    let second = list("", first.next()).await.unwrap();
    assert_eq!(second.members.len(), 3);
    assert!(second.has_previous && !second.has_next);
    assert!(second.members.iter().all(|m| !first.members.contains(m)));
    assert_eq!(second.members[2].name, "Pat Indie24");
    let back = list("", second.previous()).await.unwrap();
    assert_eq!(
        back.members, first.members,
        "Previous shows the first page again"
    );
    assert!(!back.has_previous && back.has_next);

    // A cursor from another worksite is not a position here: the first page.
    let elsewhere = person(state, "olga", "Olga", "Other", "physician").await;
    let other = clinic(state, elsewhere, "Other Clinic").await;
    let foreign = memberships::list(
        &state.db,
        elsewhere,
        &other.code,
        true,
        "",
        MemberCursor::First,
    )
    .await
    .unwrap();
    let foreign_cursor = MemberCursor::After(foreign.members[0].membership_id.get());
    assert_eq!(
        list("", foreign_cursor).await.unwrap().members,
        first.members
    );

    let found = list("helper1", MemberCursor::First).await.unwrap();
    assert_eq!(found.total, 4, "Helper10, Helper13, Helper16, Helper19");
    assert!(!found.has_next);
    let found = list("pat indie0", MemberCursor::First).await.unwrap();
    assert_eq!(found.total, 4);
    let found = list("ZED", MemberCursor::First).await.unwrap();
    assert_eq!(found.members.len(), 1, "any case");
    let none = list("100%_", MemberCursor::First).await.unwrap();
    assert_eq!(none.total, 0, "no member has a word starting with 100");
    assert!(memberships::list(
        &state.db,
        dalia,
        &barclay.code,
        false,
        "",
        MemberCursor::First
    )
    .await
    .unwrap()
    .members
    .is_empty());
}

/// Dalia's clinic, with Gregory Six as a member: (Dalia, its Worksite ID, Gregory's membership).
async fn clinic_with_gregory(state: &AppState) -> (i64, WorksiteId, i64) {
    let dalia = person(state, "dalia", "Dalia", "Physician", "physician").await;
    let greg = person(state, "greg", "Gregory", "Six", "nurse_practitioner").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    add_member(state, &barclay.code, greg, false).await;
    (
        dalia,
        barclay.code,
        membership_rows(state, greg).await[0].id,
    )
}

/// Sets the member inactive, then admits them anew (an approved request or accepted invitation):
/// the worksite's id and the member's account.
async fn readmit(
    state: &AppState,
    admin: i64,
    code: &WorksiteId,
    membership_id: i64,
) -> (i64, i64) {
    as_account(state, admin, async |ch| {
        app::flows::members::change_member(ch, code, membership_id, MemberChange::SetInactive).await
    })
    .await
    .unwrap();
    let (worksite, _) = memberships::as_member(&state.db, admin, code)
        .await
        .unwrap();
    let member = membership::Entity::find_by_id(membership_id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .account_id;
    memberships::admit(&state.db, worksite.id, member)
        .await
        .unwrap();
    (worksite.id, member)
}

/// The names on the first page of a search of the worksite's active (or inactive) members.
async fn names_found(
    state: &AppState,
    viewer: i64,
    code: &WorksiteId,
    active: bool,
    search: &str,
) -> Vec<String> {
    memberships::list(&state.db, viewer, code, active, search, MemberCursor::First)
        .await
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.name)
        .collect()
}

#[tokio::test]
async fn a_search_follows_members_between_the_active_and_inactive_lists() {
    let test = TestDb::new().await;
    let state = &test.state;
    let (dalia, code, greg_m) = clinic_with_gregory(state).await;
    let found = |active| names_found(state, dalia, &code, active, "si gre");
    let set = |change| {
        let code = &code;
        as_account(state, dalia, async move |ch| {
            app::flows::members::change_member(ch, code, greg_m, change).await
        })
    };
    assert_eq!(found(true).await, ["Gregory Six"]);
    assert!(found(false).await.is_empty());
    set(MemberChange::SetInactive).await.unwrap();
    assert!(found(true).await.is_empty());
    assert_eq!(found(false).await, ["Gregory Six"]);
    set(MemberChange::SetActive).await.unwrap();
    assert_eq!(found(true).await, ["Gregory Six"]);
    readmit(state, dalia, &code, greg_m).await;
    assert_eq!(found(true).await, ["Gregory Six"]);
    assert!(found(false).await.is_empty());
}

/// The worksite's counts of active and inactive members, as its row keeps them, and as the
/// whole member lists report them.
async fn member_counts(state: &AppState, viewer: i64, code: &WorksiteId) -> (i64, i64) {
    let (worksite, _) = memberships::as_member(&state.db, viewer, code)
        .await
        .unwrap();
    for (active, kept) in [
        (true, worksite.active_members),
        (false, worksite.inactive_members),
    ] {
        let page = memberships::list(&state.db, viewer, code, active, "", MemberCursor::First)
            .await
            .unwrap();
        assert_eq!(page.total, kept.unsigned_abs());
        assert!(page.total_is_exact);
    }
    (worksite.active_members, worksite.inactive_members)
}

#[tokio::test]
async fn the_worksite_counts_its_members_through_every_change() {
    use migrations::{Migrator, MigratorTrait};
    let test = TestDb::new().await;
    let state = &test.state;
    let (dalia, code, greg_m) = clinic_with_gregory(state).await;
    let set = |change| {
        let code = &code;
        as_account(state, dalia, async move |ch| {
            app::flows::members::change_member(ch, code, greg_m, change).await
        })
    };
    assert_eq!(member_counts(state, dalia, &code).await, (2, 0));
    set(MemberChange::SetInactive).await.unwrap();
    assert_eq!(member_counts(state, dalia, &code).await, (1, 1));
    set(MemberChange::SetActive).await.unwrap();
    assert_eq!(member_counts(state, dalia, &code).await, (2, 0));
    // A change that moves nobody between the lists counts nothing.
    set(MemberChange::PromoteToAdmin).await.unwrap();
    set(MemberChange::RemoveAdmin).await.unwrap();
    assert_eq!(member_counts(state, dalia, &code).await, (2, 0));
    let (worksite_id, greg) = readmit(state, dalia, &code, greg_m).await;
    assert_eq!(member_counts(state, dalia, &code).await, (2, 0));
    // A membership deleted (as a cascade would) is counted out.
    set(MemberChange::SetInactive).await.unwrap();
    membership::Entity::delete_by_id(greg_m)
        .exec(&state.db)
        .await
        .unwrap();
    assert_eq!(member_counts(state, dalia, &code).await, (1, 0));
    // Another worksite's members are its own.
    let olga = person(state, "olga", "Olga", "Other", "physician").await;
    let other = clinic(state, olga, "Other Clinic").await;
    add_member(state, &other.code, dalia, false).await;
    assert_eq!(member_counts(state, olga, &other.code).await, (2, 0));
    assert_eq!(member_counts(state, dalia, &code).await, (1, 0));
    // The migration counts the members already there, and the triggers count on from there.
    undo_migrations_from(&state.db, "m20261201_000010_member_counts").await;
    // Written as the portal of then wrote it (its memberships table, nothing newer).
    membership::Entity::insert(membership::ActiveModel {
        worksite_id: Set(worksite_id),
        account_id: Set(greg),
        status: Set(app::memberships::types::MembershipStatus::Active),
        is_admin: Set(false),
        joined_at: Set(chrono::Utc::now()),
        list_group: Set(1),
        list_name: Set("six gregory".to_owned()),
        ..Default::default()
    })
    .exec_without_returning(&state.db)
    .await
    .unwrap();
    Migrator::up(&state.db, None).await.unwrap();
    assert_eq!(member_counts(state, dalia, &code).await, (2, 0));
    let again = membership_rows(state, greg).await[0].id;
    as_account(state, dalia, async |ch| {
        app::flows::members::change_member(ch, &code, again, MemberChange::SetInactive).await
    })
    .await
    .unwrap();
    assert_eq!(member_counts(state, dalia, &code).await, (1, 1));
}

#[tokio::test]
async fn the_name_prefixes_of_existing_members_are_written_by_the_migration() {
    use migrations::{Migrator, MigratorTrait};
    let test = TestDb::new().await;
    let state = &test.state;
    let (dalia, code, greg_m) = clinic_with_gregory(state).await;
    as_account(state, dalia, async |ch| {
        app::flows::members::change_member(ch, &code, greg_m, MemberChange::SetInactive).await
    })
    .await
    .unwrap();
    // Back to the word index the portal had before (undoing the member counts after it), and
    // forward again over the same members.
    undo_migrations_from(&state.db, "m20261130_000009_member_name_prefixes").await;
    Migrator::up(&state.db, None).await.unwrap();
    let found = |active, search| names_found(state, dalia, &code, active, search);
    assert_eq!(found(true, "da phys").await, ["Dalia Physician"]);
    assert_eq!(found(false, "gr").await, ["Gregory Six"]);
    assert!(found(true, "gr").await.is_empty());
}

#[tokio::test]
async fn promotion_demotion_and_deactivation_keep_an_administrator_and_end_access_at_once() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Physician", "physician").await;
    let greg = person(state, "greg", "Gregory", "Six", "nurse_practitioner").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    add_member(state, &barclay.code, greg, false).await;
    let code = &barclay.code;
    let id_of = |account: i64| async move {
        memberships::membership_of(
            &state.db,
            memberships::as_member(&state.db, dalia, code)
                .await
                .unwrap()
                .0
                .id,
            account,
        )
        .await
        .unwrap()
        .unwrap()
        .id
    };
    let dalia_m = id_of(dalia).await;
    let greg_m = id_of(greg).await;

    for last_admin_change in [MemberChange::RemoveAdmin, MemberChange::SetInactive] {
        assert_eq!(
            as_account(state, dalia, async |ch| app::flows::members::change_member(
                ch,
                &barclay.code,
                dalia_m,
                last_admin_change
            )
            .await)
            .await,
            Err(AppError::Refused(Refusal::LastAdministrator))
        );
    }
    as_account(state, dalia, async |ch| {
        app::flows::members::change_member(ch, &barclay.code, greg_m, MemberChange::PromoteToAdmin)
            .await
    })
    .await
    .unwrap();
    assert!(matches!(
        as_account(state, dalia, async |ch| app::flows::members::change_member(
            ch,
            &barclay.code,
            greg_m,
            MemberChange::PromoteToAdmin
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(count_audit(state, "member_promoted").await, 1);
    assert!(app::notifications::service::list(&state.db, greg)
        .await
        .unwrap()[0]
        .text
        .contains("now a Group / Site Administrator"));

    // Two administrators demote each other at the same moment: one stays.
    let both = tokio::join!(
        as_account(state, dalia, async |ch| app::flows::members::change_member(
            ch,
            &barclay.code,
            greg_m,
            MemberChange::RemoveAdmin
        )
        .await),
        as_account(state, greg, async |ch| app::flows::members::change_member(
            ch,
            &barclay.code,
            dalia_m,
            MemberChange::RemoveAdmin
        )
        .await),
    );
    assert_eq!(
        [&both.0, &both.1].iter().filter(|r| r.is_ok()).count(),
        1,
        "{both:?}"
    );
    let worksite_id = memberships::as_member(&state.db, greg, &barclay.code)
        .await
        .unwrap()
        .0
        .id;
    assert_eq!(
        memberships::active_admins(&state.db, worksite_id)
            .await
            .unwrap()
            .len(),
        1
    );

    // Whoever is admin now sets the other inactive: their access ends with the next request,
    // and the invitations they sent are revoked.
    let (admin, other, other_m) = if both.0.is_ok() {
        (dalia, greg, greg_m)
    } else {
        (greg, dalia, dalia_m)
    };
    as_account(state, admin, async |ch| {
        app::flows::members::change_member(ch, &barclay.code, other_m, MemberChange::PromoteToAdmin)
            .await
    })
    .await
    .unwrap();
    as_account(state, other, async |ch| {
        invitations::invite(ch, &barclay.code, "friend@clinic.example").await
    })
    .await
    .unwrap();
    as_account(state, admin, async |ch| {
        app::flows::members::change_member(ch, &barclay.code, other_m, MemberChange::SetInactive)
            .await
    })
    .await
    .unwrap();
    assert!(matches!(
        memberships::list(
            &state.db,
            other,
            &barclay.code,
            true,
            "",
            MemberCursor::First
        )
        .await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        as_account(state, other, async |ch| invitations::invite(
            ch,
            &barclay.code,
            "x@clinic.example"
        )
        .await)
        .await,
        Err(AppError::NotFound(_))
    ));
    assert!(
        invitations::awaiting(&state.db, admin, &barclay.code, 0)
            .await
            .unwrap()
            .items
            .is_empty(),
        "their invitation is revoked"
    );
    let inactive = memberships::list(
        &state.db,
        admin,
        &barclay.code,
        false,
        "",
        MemberCursor::First,
    )
    .await
    .unwrap();
    assert_eq!(inactive.members.len(), 1);
    assert!(!inactive.members[0].is_admin);

    as_account(state, admin, async |ch| {
        app::flows::members::change_member(ch, &barclay.code, other_m, MemberChange::SetActive)
            .await
    })
    .await
    .unwrap();
    assert!(is_active_member(state, &barclay.code, other).await);
    assert_eq!(count_audit(state, "member_deactivated").await, 1);
    assert_eq!(count_audit(state, "member_reactivated").await, 1);
}

/// Every administrative action, by every kind of person who is not an administrator of the
/// worksite: refused, and nothing changes.
#[tokio::test]
async fn only_administrators_of_this_worksite_administer_it() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Admin", "physician").await;
    let member = person(state, "member", "Mia", "Member", "moa").await;
    let former = person(state, "former", "Fay", "Former", "moa").await;
    let other_admin = person(state, "other", "Otto", "Other", "physician").await;
    let stranger = person(state, "stranger", "Sam", "Stranger", "moa").await;
    let requester = person(state, "requester", "Rita", "Requester", "moa").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    clinic(state, other_admin, "Other Clinic").await;
    add_member(state, &barclay.code, member, false).await;
    add_member(state, &barclay.code, former, false).await;
    let worksite_id = memberships::as_member(&state.db, dalia, &barclay.code)
        .await
        .unwrap()
        .0
        .id;
    let membership_id = |account| async move {
        memberships::membership_of(&state.db, worksite_id, account)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let (member_m, former_m, dalia_m) = (
        membership_id(member).await,
        membership_id(former).await,
        membership_id(dalia).await,
    );
    as_account(state, dalia, async |ch| {
        app::flows::members::change_member(ch, &barclay.code, former_m, MemberChange::SetInactive)
            .await
    })
    .await
    .unwrap();
    ask(state, requester, &barclay.code, "").await.unwrap();
    as_account(state, dalia, async |ch| {
        invitations::invite(ch, &barclay.code, "invited@clinic.example").await
    })
    .await
    .unwrap();
    let request_id = join_requests::waiting(&state.db, dalia, &barclay.code, 0)
        .await
        .unwrap()
        .items[0]
        .id
        .get();
    let invitation_id = invitations::awaiting(&state.db, dalia, &barclay.code, 0)
        .await
        .unwrap()
        .items[0]
        .id;
    let audit_before = audit_event::Entity::find().count(&state.db).await.unwrap();
    let notes_before = notification::Entity::find().count(&state.db).await.unwrap();

    for (who, expected_forbidden) in [
        (member, true),
        (former, false),
        (other_admin, false),
        (stranger, false),
        (requester, false),
    ] {
        let code = &barclay.code;
        let results: Vec<(&str, Result<(), AppError>)> = vec![
            (
                "invite",
                as_account(state, who, async |ch| {
                    invitations::invite(ch, code, "new@clinic.example").await
                })
                .await
                .map(|_| ()),
            ),
            (
                "list invitations",
                invitations::awaiting(&state.db, who, code, 0)
                    .await
                    .map(|_| ()),
            ),
            (
                "resend",
                as_account(state, who, async |ch| {
                    invitations::resend(ch, code, invitation_id, 1).await
                })
                .await,
            ),
            (
                "revoke",
                as_account(state, who, async |ch| {
                    invitations::revoke(ch, code, invitation_id).await
                })
                .await,
            ),
            (
                "waiting requests",
                join_requests::waiting(&state.db, who, code, 0)
                    .await
                    .map(|_| ()),
            ),
            (
                "approve",
                as_account(state, who, async |ch| {
                    joining::decide_join_request(ch, code, request_id, Decision::Accept, "").await
                })
                .await,
            ),
            (
                "reject",
                as_account(state, who, async |ch| {
                    joining::decide_join_request(ch, code, request_id, Decision::Reject, "").await
                })
                .await,
            ),
            (
                "promote",
                as_account(state, who, async |ch| {
                    app::flows::members::change_member(
                        ch,
                        code,
                        member_m,
                        MemberChange::PromoteToAdmin,
                    )
                    .await
                })
                .await,
            ),
            (
                "demote",
                as_account(state, who, async |ch| {
                    app::flows::members::change_member(ch, code, dalia_m, MemberChange::RemoveAdmin)
                        .await
                })
                .await,
            ),
            (
                "deactivate",
                as_account(state, who, async |ch| {
                    app::flows::members::change_member(
                        ch,
                        code,
                        member_m,
                        MemberChange::SetInactive,
                    )
                    .await
                })
                .await,
            ),
            (
                "reactivate",
                as_account(state, who, async |ch| {
                    app::flows::members::change_member(ch, code, former_m, MemberChange::SetActive)
                        .await
                })
                .await,
            ),
        ];
        for (action, result) in results {
            if expected_forbidden {
                assert_eq!(result, Err(AppError::Forbidden), "member may not {action}");
            } else {
                assert!(
                    matches!(result, Err(AppError::NotFound(_))),
                    "non-member {who} may not {action}: {result:?}"
                );
            }
        }
    }
    // An administrator of one worksite cannot reach another's members through its own code.
    let other_code = app::worksites::service::my_worksites(&state.db, other_admin)
        .await
        .unwrap()[0]
        .worksite
        .code
        .clone();
    assert!(matches!(
        as_account(state, other_admin, async |ch| {
            app::flows::members::change_member(ch, &other_code, member_m, MemberChange::SetInactive)
                .await
        })
        .await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        as_account(state, other_admin, async |ch| joining::decide_join_request(
            ch,
            &other_code,
            request_id,
            Decision::Accept,
            ""
        )
        .await)
        .await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        as_account(state, other_admin, async |ch| invitations::revoke(
            ch,
            &other_code,
            invitation_id
        )
        .await)
        .await,
        Err(AppError::NotFound(_))
    ));

    assert_eq!(
        audit_event::Entity::find().count(&state.db).await.unwrap(),
        audit_before,
        "nothing was recorded"
    );
    assert_eq!(
        notification::Entity::find().count(&state.db).await.unwrap(),
        notes_before
    );
    assert_eq!(
        join_requests::waiting(&state.db, dalia, &barclay.code, 0)
            .await
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        invitations::awaiting(&state.db, dalia, &barclay.code, 0)
            .await
            .unwrap()
            .items[0]
            .emails_sent,
        1
    );
    let members = memberships::list(
        &state.db,
        dalia,
        &barclay.code,
        true,
        "",
        MemberCursor::First,
    )
    .await
    .unwrap();
    assert_eq!(members.total, 2);
    assert!(members
        .members
        .iter()
        .all(|m| m.is_admin == (m.name == "Dalia Admin")));
}

/// Undoes the named migration and every one after it (newest first): the schema as it was
/// before it, however many migrations have been added since.
async fn undo_migrations_from(db: &sea_orm::DatabaseConnection, name: &str) {
    use migrations::{Migrator, MigratorTrait};
    let names: Vec<String> = Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect();
    let position = names
        .iter()
        .position(|known| known == name)
        .expect("a migration of that name");
    let steps = u32::try_from(names.len() - position).expect("a few migrations");
    Migrator::down(db, Some(steps)).await.unwrap();
}

async fn join_request_status(state: &AppState, account: i64) -> JoinRequestStatus {
    join_request::Entity::find()
        .filter(join_request::Column::AccountId.eq(account))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn invitation_row(state: &AppState, email: &str) -> invitation::Model {
    invitation::Entity::find()
        .filter(invitation::Column::Email.eq(email))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
}

/// Guide rule (issue 28, item 1): a join request and an invitation for the same person and
/// worksite end together, whichever is accepted first.
#[tokio::test]
async fn a_join_request_and_an_invitation_for_the_same_person_end_together() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    let tom = person(state, "tom", "Tom", "Twenty", "moa").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    let code = &barclay.code;
    let invite = |address: String| async move {
        as_account(state, dalia, async |ch| {
            invitations::invite(ch, code, &address).await
        })
        .await
        .unwrap();
    };

    // Greg asks and is invited; he accepts the invitation: his request is no longer waiting.
    ask(state, greg, code, "").await.unwrap();
    invite(email_of("greg")).await;
    let token = token_in(
        &last_email_to(&state.db, &email_of("greg")).await,
        "/invitations/accept",
    );
    as_account(state, greg, async |ch| {
        joining::accept_invitation(ch, Accepting::Token(&token)).await
    })
    .await
    .unwrap();
    assert!(is_active_member(state, code, greg).await);
    assert_eq!(
        join_request_status(state, greg).await,
        JoinRequestStatus::Superseded
    );
    assert_eq!(
        join_requests::waiting(&state.db, dalia, code, 0)
            .await
            .unwrap()
            .total,
        0
    );
    assert!(app::flows::attention::attention(&state.db, dalia)
        .await
        .unwrap()
        .waiting_requests
        .is_empty());
    assert_eq!(count_audit(state, "join_request_superseded").await, 1);
    // The emailed approval link says what became of the request; its button changes nothing.
    let approve = token_in(
        &last_email_to(&state.db, &email_of("dalia")).await,
        "/join-requests/approve",
    );
    let preview = join_requests::preview(&state.db, dalia, &approve)
        .await
        .unwrap();
    assert_eq!(
        preview.outcome.as_deref(),
        Some("This person has already joined the worksite by accepting an invitation.")
    );
    assert_eq!(
        as_account(state, dalia, async |ch| joining::approve_by_link(
            ch, &approve
        )
        .await)
        .await,
        Err(AppError::Conflict(Refusal::AlreadyHandled))
    );

    // Tom is invited and asks; his request is accepted: the invitation closes, and its link
    // says why.
    invite(email_of("tom")).await;
    let token = token_in(
        &last_email_to(&state.db, &email_of("tom")).await,
        "/invitations/accept",
    );
    ask(state, tom, code, "").await.unwrap();
    let request = join_requests::waiting(&state.db, dalia, code, 0)
        .await
        .unwrap()
        .items[0]
        .id;
    as_account(state, dalia, async |ch| {
        joining::decide_join_request(ch, code, request.get(), Decision::Accept, "").await
    })
    .await
    .unwrap();
    assert_eq!(
        invitation_row(state, &email_of("tom")).await.status,
        InvitationStatus::Superseded
    );
    assert!(invitations::awaiting(&state.db, dalia, code, 0)
        .await
        .unwrap()
        .items
        .is_empty());
    assert!(invitations::for_invitee(&state.db, tom)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        as_account(state, tom, async |ch| {
            joining::accept_invitation(ch, Accepting::Token(&token)).await
        })
        .await,
        Err(AppError::Conflict(Refusal::InvitationSuperseded))
    );
    assert_eq!(count_audit(state, "invitation_superseded").await, 1);
    // An invitation to the same address at another worksite stays open.
    let other = clinic(state, dalia, "Kingsgate Clinic").await;
    as_account(state, dalia, async |ch| {
        invitations::invite(ch, &other.code, &email_of("greg")).await
    })
    .await
    .unwrap();
    assert_eq!(
        invitations::for_invitee(&state.db, greg)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_rejection_may_say_why_and_the_requester_reads_it() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    let barclay = clinic(state, dalia, "Barclay Clinic").await;
    let code = &barclay.code;
    ask(state, greg, code, "").await.unwrap();
    let request = join_requests::waiting(&state.db, dalia, code, 0)
        .await
        .unwrap()
        .items[0]
        .id
        .get();
    let reject = |reason: String| async move {
        as_account(state, dalia, async |ch| {
            joining::decide_join_request(ch, code, request, Decision::Reject, &reason).await
        })
        .await
    };
    // A reason too long, or with hidden characters, is refused at the field; nothing changes.
    for bad in ["x".repeat(501), "Not\u{202E}staff".to_owned()] {
        assert!(
            matches!(reject(bad).await, Err(AppError::Invalid(e)) if e.get("reason").is_some())
        );
        assert_eq!(
            join_request_status(state, greg).await,
            JoinRequestStatus::Pending
        );
    }
    reject("  We only add staff who work on site.  ".to_owned())
        .await
        .unwrap();
    let row = join_request::Entity::find_by_id(request)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, JoinRequestStatus::Rejected);
    assert_eq!(
        row.reason.as_deref(),
        Some("We only add staff who work on site.")
    );
    let told = last_email_to(&state.db, &email_of("greg")).await;
    assert_eq!(
        told.subject,
        "Your request to join Barclay Clinic was not approved"
    );
    assert!(told
        .body_text
        .contains("Their reason: \"We only add staff who work on site.\""));
    let notes = app::notifications::service::list(&state.db, greg)
        .await
        .unwrap();
    assert_eq!(
        notes[0].text,
        "Your request to join Barclay Clinic was not approved. Reason: We only add staff who work on site."
    );
    let event = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("join_request_rejected"))
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(event
        .details
        .to_string()
        .contains("We only add staff who work on site."));
}

/// The guide-rules migration, undone and done again on a database in use: superseded requests
/// and invitations read as the decisions an older portal knew, the EMR keeps its old name there,
/// and the new values come back.
#[tokio::test]
async fn the_guide_rules_migration_undoes_and_redoes_on_a_database_in_use() {
    use migrations::{Migrator, MigratorTrait};
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = person(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let greg = person(state, "greg", "Gregory", "Nineteen", "moa").await;
    let mut form = worksite_form("Barclay Clinic", "1234 Barclay St", "V6E 1H4");
    form.emr = "MedAccess".to_owned();
    form.phone_extension = "0000000".to_owned();
    let barclay = register_worksite(state, dalia, &form).await;
    let code = &barclay.code;
    ask(state, greg, code, "").await.unwrap();
    as_account(state, dalia, async |ch| {
        invitations::invite(ch, code, &email_of("greg")).await
    })
    .await
    .unwrap();
    let invited = invitation_row(state, &email_of("greg")).await.id;
    as_account(state, greg, async |ch| {
        joining::accept_invitation(ch, Accepting::Id(invited)).await
    })
    .await
    .unwrap();
    let raw = |sql: &'static str| async move {
        use sea_orm::{ConnectionTrait, Statement};
        let row = state
            .db
            .query_one_raw(Statement::from_string(state.db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<String>(0).unwrap()
    };
    let worksite_emr = "SELECT emr FROM worksites";
    let request_status = "SELECT status FROM join_requests";
    assert_eq!(raw(worksite_emr).await, "MedAccess");
    assert_eq!(raw(request_status).await, "superseded");

    undo_migrations_from(&state.db, "m20261210_000015_guide_rules").await;
    assert_eq!(raw(worksite_emr).await, "Med Access (TELUS)");
    assert_eq!(raw(request_status).await, "approved");
    Migrator::up(&state.db, None).await.unwrap();
    assert_eq!(raw(worksite_emr).await, "MedAccess");
    // The database accepts the new status again, and nothing else.
    use sea_orm::ConnectionTrait;
    state
        .db
        .execute_unprepared("UPDATE join_requests SET status = 'superseded'")
        .await
        .unwrap();
    assert!(state
        .db
        .execute_unprepared("UPDATE join_requests SET status = 'forgotten'")
        .await
        .is_err());
    assert_eq!(
        join_request_status(state, greg).await,
        JoinRequestStatus::Superseded
    );
}
