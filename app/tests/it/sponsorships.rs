//! Sponsorships, CareConnect access and the profession catalogue on a real database (SQLite,
//! or PostgreSQL with TEST_DATABASE_URL): who may sponsor whom, who sees and changes what,
//! one outcome for concurrent decisions, and the automatic ends.

use app::access::service as access;
use app::entities::{audit_event, sponsorship};
use app::error::{AppError, Refusal};
use app::memberships::{
    service as memberships,
    types::{MemberChange, MemberCursor},
};
use app::platform::AppState;
use app::professions::types::ProfessionForm;
use app::sponsorships::{service as sponsorships, types::*};
use app::testing::*;
use app::worksites::types::{WorksiteId, WorksiteSummary};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// A clinic with an administrator (Dr Dalia Eighteen), a second physician, an MOA, an LPN and a
/// pharmacist, all active members.
struct Clinic {
    site: WorksiteSummary,
    dalia: i64,
    nora: i64,
    greg: i64,
    lena: i64,
    pia: i64,
}

async fn clinic(state: &AppState) -> Clinic {
    let dalia = quick_account(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let nora = quick_account(state, "nora", "Nora", "Practitioner", "nurse_practitioner").await;
    let greg = quick_account(state, "greg", "Gregory", "Nineteen", "moa").await;
    let lena = quick_account(state, "lena", "Lena", "Twenty", "lpn").await;
    let pia = quick_account(state, "pia", "Pia", "Pharm", "pharmacist").await;
    let site = register_worksite(
        state,
        dalia,
        &worksite_form("Barclay Clinic", "1234 Barclay St", "V6E 1H4"),
    )
    .await;
    for member in [nora, greg, lena, pia] {
        add_member(state, &site.code, member, false).await;
    }
    Clinic {
        site,
        dalia,
        nora,
        greg,
        lena,
        pia,
    }
}

async fn membership_id(state: &AppState, code: &WorksiteId, account: i64) -> i64 {
    let worksite = app::worksites::service::find_by_code(&state.db, code)
        .await
        .unwrap()
        .unwrap();
    memberships::membership_of(&state.db, worksite.id, account)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn ask(
    state: &AppState,
    obo: i64,
    code: &WorksiteId,
    authorizer: i64,
) -> Result<String, AppError> {
    let target = membership_id(state, code, authorizer).await;
    as_account(state, obo, async |ch| {
        sponsorships::request(ch, code, target).await
    })
    .await
}

async fn authorize(
    state: &AppState,
    authorizer: i64,
    code: &WorksiteId,
    obo: i64,
) -> Result<String, AppError> {
    let target = membership_id(state, code, obo).await;
    as_account(state, authorizer, async |ch| {
        sponsorships::authorize(ch, code, target, "").await
    })
    .await
}

async fn open_rows(state: &AppState) -> Vec<sponsorship::Model> {
    sponsorship::Entity::find()
        .filter(sponsorship::Column::Status.is_in(SponsorshipStatus::OPEN))
        .all(&state.db)
        .await
        .unwrap()
}

async fn count_audit(state: &AppState, action: &str) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq(action))
        .count(&state.db)
        .await
        .unwrap()
}

/// The result is a refusal with its reason (not a missing record or a conflict).
fn refused<T: std::fmt::Debug>(result: Result<T, AppError>) {
    assert!(matches!(result, Err(AppError::Refused(_))), "{result:?}");
}

fn email(username: &str) -> String {
    format!("{username}@clinic.example")
}

#[tokio::test]
async fn an_obo_user_asks_an_authorizer_who_accepts_and_is_then_seen_on_behalf_of() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;

    let view = sponsorships::view(&state.db, c.greg, code).await.unwrap();
    let names: Vec<_> = view.candidates.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        ["Dalia Eighteen", "Nora Practitioner"],
        "Authorizers only"
    );

    assert_eq!(
        ask(state, c.greg, code, c.dalia).await.unwrap(),
        "Dalia Eighteen"
    );
    let request = last_email_to(&state.db, &email("dalia")).await;
    assert_eq!(request.subject, "Sponsorship Request from Gregory Nineteen");
    assert!(request
        .body_text
        .contains(&format!("/worksites/{code}/sponsorships")));
    let attention = app::flows::attention::attention(&state.db, c.dalia)
        .await
        .unwrap();
    assert_eq!(attention.sponsorship_requests.len(), 1);
    assert_eq!(attention.sponsorship_requests[0].count, 1);
    assert_eq!(
        attention.manage_requests_href(),
        Some(format!("/worksites/{code}/sponsorships"))
    );
    let dalia_view = sponsorships::view(&state.db, c.dalia, code).await.unwrap();
    assert_eq!(dalia_view.pending.len(), 1);
    assert_eq!(dalia_view.pending[0].name, "Gregory Nineteen");
    let names: Vec<_> = dalia_view
        .candidates
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Lena Twenty"],
        "On-Behalf-Of members not yet asking"
    );

    let id = dalia_view.pending[0].id.get();
    as_account(state, c.dalia, async |ch| {
        sponsorships::change(ch, code, id, SponsorshipChange::Accept, "", "").await
    })
    .await
    .unwrap();
    let accepted = last_email_to(&state.db, &email("greg")).await;
    assert_eq!(
        accepted.subject,
        "Dalia Eighteen now sponsors your CareConnect access"
    );
    let greg_view = sponsorships::view(&state.db, c.greg, code).await.unwrap();
    assert_eq!(greg_view.active[0].name, "Dalia Eighteen");
    assert!(greg_view.pending.is_empty());

    // Greg sees CareConnect as Dr Eighteen would, once she has access.
    let overview = access::overview(&state.db, c.greg).await.unwrap();
    assert_eq!(overview.on_behalf_of.len(), 1);
    assert_eq!(overview.on_behalf_of[0].authorizer, "Dalia Eighteen");
    assert_eq!(overview.on_behalf_of[0].access_since, None);
    as_operator(state, async |ch| access::grant(ch, c.dalia, code).await)
        .await
        .unwrap();
    let overview = access::overview(&state.db, c.greg).await.unwrap();
    assert!(overview.on_behalf_of[0].access_since.is_some());
    assert_eq!(
        access::overview(&state.db, c.dalia)
            .await
            .unwrap()
            .own
            .len(),
        1
    );

    // Opening CareConnect on her behalf is recorded with both of them, once he has completed
    // the P&S course.
    let sponsorship_id = overview.on_behalf_of[0].sponsorship_id;
    complete_course(state, &email("greg")).await;
    let url = as_account(state, c.greg, async |ch| {
        access::open(ch, code, Some(sponsorship_id)).await
    })
    .await
    .unwrap();
    assert!(url.ends_with("/dev/careconnect"));
    let opened = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("careconnect_opened"))
        .all(&state.db)
        .await
        .unwrap();
    assert_eq!(opened.len(), 1);
    assert_eq!(opened[0].actor_account_id, Some(c.greg));
    assert_eq!(opened[0].on_behalf_of_account_id, Some(c.dalia));
    // Not as himself (he has no access of his own), not through someone else's sponsorship.
    refused(as_account(state, c.greg, async |ch| access::open(ch, code, None).await).await);
    assert!(matches!(
        as_account(state, c.lena, async |ch| access::open(
            ch,
            code,
            Some(sponsorship_id)
        )
        .await)
        .await,
        Err(AppError::NotFound(_))
    ));
    as_account(state, c.dalia, async |ch| {
        access::open(ch, code, None).await
    })
    .await
    .unwrap();
    assert_eq!(count_audit(state, "careconnect_opened").await, 2);
    for action in ["sponsorship_requested", "sponsorship_accepted"] {
        assert_eq!(count_audit(state, action).await, 1, "{action}");
    }
}

#[tokio::test]
async fn an_obo_user_without_the_course_cannot_open_careconnect_on_behalf_of_anyone() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    authorize(state, c.dalia, code, c.greg).await.unwrap();
    as_operator(state, async |ch| access::grant(ch, c.dalia, code).await)
        .await
        .unwrap();

    let overview = access::overview(&state.db, c.greg).await.unwrap();
    assert!(overview.on_behalf_of[0].access_since.is_some());
    assert_eq!(
        overview.on_behalf_refusal.as_deref(),
        Some(app::access::types::COURSE_NEEDED_FOR_ON_BEHALF_ACCESS)
    );
    let sponsorship_id = overview.on_behalf_of[0].sponsorship_id;
    match as_account(state, c.greg, async |ch| {
        access::open(ch, code, Some(sponsorship_id)).await
    })
    .await
    {
        Err(AppError::Refused(Refusal::Because(reason))) => {
            assert_eq!(
                reason,
                app::access::types::COURSE_NEEDED_FOR_ON_BEHALF_ACCESS
            )
        }
        other => panic!("expected the course refusal, got {other:?}"),
    }
    assert_eq!(count_audit(state, "careconnect_opened").await, 0);

    complete_course(state, &email("greg")).await;
    let overview = access::overview(&state.db, c.greg).await.unwrap();
    assert_eq!(overview.on_behalf_refusal, None);
    as_account(state, c.greg, async |ch| {
        access::open(ch, code, Some(sponsorship_id)).await
    })
    .await
    .unwrap();
    assert_eq!(count_audit(state, "careconnect_opened").await, 1);
}

#[tokio::test]
async fn an_obo_user_whose_profession_lost_its_designation_cannot_open_on_behalf() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    authorize(state, c.dalia, code, c.greg).await.unwrap();
    as_operator(state, async |ch| access::grant(ch, c.dalia, code).await)
        .await
        .unwrap();
    complete_course(state, &email("greg")).await;
    let sponsorship_id = access::overview(&state.db, c.greg)
        .await
        .unwrap()
        .on_behalf_of[0]
        .sponsorship_id;

    // The MOA profession loses its Designation Order; the sponsorship itself stays.
    let staff = quick_account(state, "sam", "Sam", "Staff", "counsellor").await;
    as_operator(state, async |ch| {
        app::accounts::service::grant_staff(ch, &email("sam")).await
    })
    .await
    .unwrap();
    let undesignated = ProfessionForm {
        id: profession_id(&state.db, "moa").await.to_string(),
        name: "Medical Office Assistant".to_owned(),
        user_type: "on_behalf_of".to_owned(),
        designation_order: None,
        requires_licence: None,
        requires_hpcaa: None,
    };
    as_account(state, staff, async |ch| {
        app::flows::professions::save_profession(ch, &undesignated).await
    })
    .await
    .unwrap();
    assert_eq!(open_rows(state).await.len(), 1);
    refused(
        as_account(state, c.greg, async |ch| {
            access::open(ch, code, Some(sponsorship_id)).await
        })
        .await,
    );
    assert_eq!(count_audit(state, "careconnect_opened").await, 0);
}

#[tokio::test]
async fn an_authorizer_authorizes_directly_and_a_waiting_request_becomes_that_sponsorship() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    assert_eq!(
        authorize(state, c.nora, code, c.lena).await.unwrap(),
        "Lena Twenty"
    );
    assert_eq!(
        last_email_to(&state.db, &email("lena")).await.subject,
        "Nora Practitioner now sponsors your CareConnect access"
    );
    ask(state, c.greg, code, c.nora).await.unwrap();
    authorize(state, c.nora, code, c.greg).await.unwrap();
    let open = open_rows(state).await;
    assert_eq!(open.len(), 2, "the request was accepted, not doubled");
    assert!(open
        .iter()
        .all(|row| row.status == SponsorshipStatus::Active));
    let nora_view = sponsorships::view(&state.db, c.nora, code).await.unwrap();
    assert_eq!(nora_view.active.len(), 2);
    assert!(nora_view.candidates.is_empty());
    // Once more for the same pair: refused, nothing written.
    assert!(matches!(
        authorize(state, c.nora, code, c.greg).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        ask(state, c.greg, code, c.nora).await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(open_rows(state).await.len(), 2);
}

#[tokio::test]
async fn only_an_authorizer_and_an_obo_user_of_the_same_worksite_can_be_paired() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    // Independent users neither ask nor sponsor; Authorizers do not ask; OBO users do not sponsor.
    refused(ask(state, c.pia, code, c.dalia).await);
    refused(authorize(state, c.pia, code, c.greg).await);
    refused(ask(state, c.nora, code, c.dalia).await);
    refused(authorize(state, c.greg, code, c.lena).await);
    // The counterpart must have the other user type, and never be oneself.
    refused(ask(state, c.greg, code, c.lena).await);
    refused(ask(state, c.greg, code, c.pia).await);
    refused(authorize(state, c.dalia, code, c.nora).await);
    refused(authorize(state, c.dalia, code, c.dalia).await);
    // A physician of another worksite, by their membership id there: not found here.
    let other_doctor = quick_account(state, "omar", "Omar", "Other", "physician").await;
    let other = register_worksite(
        state,
        other_doctor,
        &worksite_form("Other Clinic", "99 Main St", "V5K 0A1"),
    )
    .await;
    let foreign = membership_id(state, &other.code, other_doctor).await;
    assert!(matches!(
        as_account(state, c.greg, async |ch| sponsorships::request(
            ch, code, foreign
        )
        .await)
        .await,
        Err(AppError::NotFound(_))
    ));
    // Nobody acts at a worksite they are not an active member of.
    let outsider = quick_account(state, "olga", "Olga", "Outside", "moa").await;
    let dalia_membership = membership_id(state, code, c.dalia).await;
    assert!(matches!(
        as_account(state, outsider, async |ch| sponsorships::request(
            ch,
            code,
            dalia_membership
        )
        .await)
        .await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        sponsorships::view(&state.db, outsider, code).await,
        Err(AppError::NotFound(_))
    ));
    assert!(open_rows(state).await.is_empty());
    assert_eq!(count_audit(state, "sponsorship_requested").await, 0);
}

#[tokio::test]
async fn only_the_two_parties_see_or_change_a_sponsorship() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    ask(state, c.greg, code, c.nora).await.unwrap();
    let id = open_rows(state).await[0].id;
    // Dr Eighteen administers the worksite, but the sponsorship is not hers.
    for (actor, change) in [
        (c.dalia, SponsorshipChange::Accept),
        (c.dalia, SponsorshipChange::Decline),
        (c.lena, SponsorshipChange::Withdraw),
        (c.pia, SponsorshipChange::Accept),
    ] {
        assert!(
            matches!(
                as_account(state, actor, async |ch| sponsorships::change(
                    ch, code, id, change, "", ""
                )
                .await)
                .await,
                Err(AppError::NotFound(_))
            ),
            "{actor} {change:?}"
        );
    }
    assert!(sponsorships::view(&state.db, c.dalia, code)
        .await
        .unwrap()
        .pending
        .is_empty());
    // Each party makes only their own side's changes.
    assert!(matches!(
        as_account(state, c.greg, async |ch| sponsorships::change(
            ch,
            code,
            id,
            SponsorshipChange::Accept,
            "",
            ""
        )
        .await)
        .await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        as_account(state, c.nora, async |ch| sponsorships::change(
            ch,
            code,
            id,
            SponsorshipChange::Withdraw,
            "",
            ""
        )
        .await)
        .await,
        Err(AppError::Forbidden)
    ));
    // Not yet active: nothing to revoke.
    assert!(matches!(
        as_account(state, c.nora, async |ch| sponsorships::change(
            ch,
            code,
            id,
            SponsorshipChange::Revoke,
            "",
            ""
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));
    as_account(state, c.greg, async |ch| {
        sponsorships::change(ch, code, id, SponsorshipChange::Withdraw, "", "").await
    })
    .await
    .unwrap();
    assert!(open_rows(state).await.is_empty());
}

#[tokio::test]
async fn concurrent_accept_and_decline_have_one_outcome() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = c.site.code.clone();
    ask(state, c.greg, &code, c.dalia).await.unwrap();
    let id = open_rows(state).await[0].id;
    let attempts = [
        SponsorshipChange::Accept,
        SponsorshipChange::Decline,
        SponsorshipChange::Accept,
        SponsorshipChange::Decline,
    ];
    let handles: Vec<_> = attempts
        .into_iter()
        .map(|change| {
            let (state, code) = (state.clone(), code.clone());
            tokio::spawn(async move {
                as_account(&state, c.dalia, async |ch| {
                    sponsorships::change(ch, &code, id, change, "", "").await
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
    let decided = count_audit(state, "sponsorship_accepted").await
        + count_audit(state, "sponsorship_declined").await;
    assert_eq!(decided, 1);
    assert_eq!(emails_to(&state.db, &email("greg")).await.len(), 1);
}

#[tokio::test]
async fn either_party_ends_an_active_sponsorship_and_the_other_is_told() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    authorize(state, c.dalia, code, c.greg).await.unwrap();
    authorize(state, c.dalia, code, c.lena).await.unwrap();
    let rows = open_rows(state).await;
    let with = |obo: i64| rows.iter().find(|r| r.obo_id == obo).unwrap().id;
    as_account(state, c.dalia, async |ch| {
        sponsorships::change(ch, code, with(c.greg), SponsorshipChange::Revoke, "", "").await
    })
    .await
    .unwrap();
    assert!(last_email_to(&state.db, &email("greg"))
        .await
        .subject
        .starts_with("Sponsorship ended"));
    as_account(state, c.lena, async |ch| {
        sponsorships::change(ch, code, with(c.lena), SponsorshipChange::End, "", "").await
    })
    .await
    .unwrap();
    assert!(last_email_to(&state.db, &email("dalia"))
        .await
        .body_text
        .contains("Lena Twenty ended the sponsorship."));
    assert!(open_rows(state).await.is_empty());
    // A second revocation is already handled.
    assert!(matches!(
        as_account(state, c.dalia, async |ch| sponsorships::change(
            ch,
            code,
            with(c.greg),
            SponsorshipChange::Revoke,
            "",
            ""
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));
    // They can start again afterwards.
    ask(state, c.greg, code, c.dalia).await.unwrap();
}

#[tokio::test]
async fn sponsorships_end_when_a_membership_becomes_inactive_and_both_are_told() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    authorize(state, c.nora, code, c.greg).await.unwrap();
    ask(state, c.lena, code, c.nora).await.unwrap();
    authorize(state, c.dalia, code, c.greg).await.unwrap();
    as_operator(state, async |ch| access::grant(ch, c.nora, code).await)
        .await
        .unwrap();
    // The administrator sets Nora inactive: her sponsorship and the request to her end, and so
    // does her access from the worksite; Dr Eighteen's sponsorship of Greg stays.
    let nora_membership = membership_id(state, code, c.nora).await;
    as_account(state, c.dalia, async |ch| {
        app::flows::members::change_member(ch, code, nora_membership, MemberChange::SetInactive)
            .await
    })
    .await
    .unwrap();
    let open = open_rows(state).await;
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].authorizer_id, open[0].obo_id), (c.dalia, c.greg));
    for told in ["nora", "greg", "lena"] {
        let last = last_email_to(&state.db, &email(told)).await;
        assert!(
            last.subject.starts_with("Sponsorship ended"),
            "{told}: {}",
            last.subject
        );
        assert!(
            last.body_text.contains("no longer both active members"),
            "{told}"
        );
    }
    assert_eq!(
        count_audit(state, "sponsorship_ended_automatically").await,
        2
    );
    assert!(access::overview(&state.db, c.nora)
        .await
        .unwrap()
        .own
        .is_empty());
    // The OBO side too.
    let greg_membership = membership_id(state, code, c.greg).await;
    as_account(state, c.dalia, async |ch| {
        app::flows::members::change_member(ch, code, greg_membership, MemberChange::SetInactive)
            .await
    })
    .await
    .unwrap();
    assert!(open_rows(state).await.is_empty());
}

#[tokio::test]
async fn sponsorships_end_when_the_authorizers_access_ends() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    as_operator(state, async |ch| access::grant(ch, c.dalia, code).await)
        .await
        .unwrap();
    authorize(state, c.dalia, code, c.greg).await.unwrap();
    ask(state, c.lena, code, c.dalia).await.unwrap();
    as_operator(state, async |ch| {
        access::end(ch, c.dalia, code, "ended_by_operator").await
    })
    .await
    .unwrap();
    let open = open_rows(state).await;
    assert_eq!(open.len(), 1, "the pending request stays");
    assert_eq!(open[0].status, SponsorshipStatus::Requested);
    for told in ["dalia", "greg"] {
        assert!(last_email_to(&state.db, &email(told))
            .await
            .body_text
            .contains("CareConnect access from Barclay Clinic ended"));
    }
    assert!(matches!(
        as_operator(state, async |ch| access::end(ch, c.dalia, code, "again")
            .await)
        .await,
        Err(AppError::Conflict(_))
    ));
}

#[tokio::test]
async fn access_is_granted_only_when_every_rule_allows_it() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    // On-Behalf-Of users see CareConnect through their sponsors.
    refused(as_operator(state, async |ch| access::grant(ch, c.greg, code).await).await);
    // Professions without a Designation Order may join and be listed, never granted access.
    let physio = quick_account(state, "phil", "Phil", "Physio", "physiotherapist").await;
    add_member(state, code, physio, false).await;
    let listed = memberships::list(&state.db, c.dalia, code, true, "Physio", Default::default())
        .await
        .unwrap();
    assert_eq!(listed.members.len(), 1);
    match as_operator(state, async |ch| access::grant(ch, physio, code).await).await {
        Err(AppError::Refused(Refusal::NoDesignationOrder { profession })) => {
            assert_eq!(profession, "Physiotherapist")
        }
        other => panic!("{other:?}"),
    }
    let overview = access::overview(&state.db, physio).await.unwrap();
    assert!(!overview.designated);
    // Ineligible worksite types and inactive members are refused.
    let mut home_office = worksite_form("Home Office", "7 Home St", "V6E 1H4");
    home_office.worksite_type = app::worksites::types::WorksiteType::Other.code().to_owned();
    let home = register_worksite(state, c.pia, &home_office).await;
    refused(as_operator(state, async |ch| access::grant(ch, c.pia, &home.code).await).await);
    let outsider = quick_account(state, "ivan", "Ivan", "Inde", "pharmacist").await;
    refused(as_operator(state, async |ch| access::grant(ch, outsider, code).await).await);
    // Once, not twice.
    as_operator(state, async |ch| access::grant(ch, c.pia, code).await)
        .await
        .unwrap();
    assert!(matches!(
        as_operator(state, async |ch| access::grant(ch, c.pia, code).await).await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(count_audit(state, "careconnect_access_granted").await, 1);
}

#[tokio::test]
async fn staff_edit_the_catalogue_and_a_changed_user_type_ends_what_it_no_longer_allows() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    authorize(state, c.nora, code, c.lena).await.unwrap();
    authorize(state, c.dalia, code, c.greg).await.unwrap();
    let staff = quick_account(state, "sam", "Sam", "Staff", "counsellor").await;
    as_operator(state, async |ch| {
        app::accounts::service::grant_staff(ch, &email("sam")).await
    })
    .await
    .unwrap();
    let lpn = profession_id(&state.db, "lpn").await;
    let form = |user_type: &str| ProfessionForm {
        id: lpn.to_string(),
        name: "Licensed Practical Nurse".to_owned(),
        user_type: user_type.to_owned(),
        designation_order: Some("on".to_owned()),
        requires_licence: Some("on".to_owned()),
        requires_hpcaa: None,
    };
    // Only staff.
    assert!(matches!(
        as_account(state, c.dalia, async |ch| {
            app::flows::professions::save_profession(ch, &form("independent")).await
        })
        .await,
        Err(AppError::Forbidden)
    ));
    let saved = as_account(state, staff, async |ch| {
        app::flows::professions::save_profession(ch, &form("independent")).await
    })
    .await
    .unwrap();
    assert_eq!(
        saved.user_type,
        app::professions::types::UserType::Independent
    );
    let open = open_rows(state).await;
    assert_eq!(open.len(), 1, "Lena is no longer On-Behalf-Of");
    assert_eq!(open[0].obo_id, c.greg);
    let listed = memberships::list(&state.db, c.dalia, code, true, "", MemberCursor::First)
        .await
        .unwrap();
    let names: Vec<_> = listed.members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Dalia Eighteen",
            "Nora Practitioner",
            "Gregory Nineteen",
            "Pia Pharm",
            "Lena Twenty"
        ],
        "Lena is listed with the Independent Users now"
    );
    let lena_m = membership_id(state, code, c.lena).await;
    let her_prefixes = app::entities::member_name_prefix::Entity::find()
        .filter(app::entities::member_name_prefix::Column::MembershipId.eq(lena_m))
        .all(&state.db)
        .await
        .unwrap();
    assert!(
        !her_prefixes.is_empty() && her_prefixes.iter().all(|row| row.list_group == 2),
        "and found there by a search"
    );
    assert!(last_email_to(&state.db, &email("lena"))
        .await
        .subject
        .starts_with("Sponsorship ended"));
    // A new profession, and a name taken twice.
    let added = as_account(state, staff, async |ch| {
        app::flows::professions::save_profession(
            ch,
            &ProfessionForm {
                name: "Speech Language Pathologist".to_owned(),
                user_type: "independent".to_owned(),
                ..Default::default()
            },
        )
        .await
    })
    .await
    .unwrap();
    assert!(!added.designation_order);
    let taken = as_account(state, staff, async |ch| {
        app::flows::professions::save_profession(
            ch,
            &ProfessionForm {
                name: "speech language pathologist".to_owned(),
                user_type: "independent".to_owned(),
                ..Default::default()
            },
        )
        .await
    })
    .await
    .unwrap_err();
    assert!(taken.field_errors().and_then(|e| e.get("name")).is_some());
    assert_eq!(count_audit(state, "profession_updated").await, 1);
    assert_eq!(count_audit(state, "profession_added").await, 1);
}

#[tokio::test]
async fn a_member_who_leaves_ends_what_the_membership_carried_and_admins_are_told() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    authorize(state, c.nora, code, c.greg).await.unwrap();
    ask(state, c.lena, code, c.nora).await.unwrap();
    as_operator(state, async |ch| access::grant(ch, c.nora, code).await)
        .await
        .unwrap();
    let leave = |account: i64| async move {
        as_account(state, account, async |ch| {
            app::flows::members::leave(ch, code).await
        })
        .await
    };

    // The only administrator cannot leave; nothing changes.
    assert_eq!(
        leave(c.dalia).await,
        Err(AppError::Refused(Refusal::LastAdministratorLeaving {
            worksite: "Barclay Clinic".to_owned()
        }))
    );
    assert!(memberships::as_admin(&state.db, c.dalia, code)
        .await
        .is_ok());

    // Nora leaves: her sponsorship, the request to her and her access from the worksite end, and
    // the administrator is told.
    leave(c.nora).await.unwrap();
    assert!(matches!(
        memberships::as_member(&state.db, c.nora, code).await,
        Err(AppError::NotFound(_))
    ));
    assert!(open_rows(state).await.is_empty());
    for told in ["greg", "lena", "nora"] {
        let last = last_email_to(&state.db, &email(told)).await;
        assert!(last.subject.starts_with("Sponsorship ended"), "{told}");
    }
    assert!(access::overview(&state.db, c.nora)
        .await
        .unwrap()
        .own
        .is_empty());
    assert_eq!(count_audit(state, "member_left").await, 1);
    let told = app::notifications::service::list(&state.db, c.dalia)
        .await
        .unwrap();
    assert!(
        told.iter()
            .any(|n| n.text == "Nora Practitioner left Barclay Clinic."),
        "{told:?}"
    );
    // Leaving twice, or a worksite one never belonged to, is refused alike.
    assert!(matches!(leave(c.nora).await, Err(AppError::NotFound(_))));
    let outsider = quick_account(state, "olga", "Olga", "Outside", "physician").await;
    assert!(matches!(leave(outsider).await, Err(AppError::NotFound(_))));

    // With a second administrator the first may leave; an administrator can set them active
    // again, as a plain member.
    let greg_membership = membership_id(state, code, c.greg).await;
    as_account(state, c.dalia, async |ch| {
        app::flows::members::change_member(ch, code, greg_membership, MemberChange::PromoteToAdmin)
            .await
    })
    .await
    .unwrap();
    leave(c.dalia).await.unwrap();
    let dalia_membership = membership_id(state, code, c.dalia).await;
    as_account(state, c.greg, async |ch| {
        app::flows::members::change_member(ch, code, dalia_membership, MemberChange::SetActive)
            .await
    })
    .await
    .unwrap();
    let (_, back) = memberships::as_member(&state.db, c.dalia, code)
        .await
        .unwrap();
    assert!(!back.is_admin);
}

#[tokio::test]
async fn a_declined_sponsorship_request_may_say_why() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    ask(state, c.lena, code, c.nora).await.unwrap();
    let id = open_rows(state).await[0].id;
    let decline = |reason: String| async move {
        as_account(state, c.nora, async |ch| {
            sponsorships::change(ch, code, id, SponsorshipChange::Decline, &reason, "").await
        })
        .await
    };
    assert!(
        matches!(decline("x".repeat(501)).await, Err(AppError::Invalid(e)) if e.get("reason").is_some())
    );
    assert_eq!(open_rows(state).await.len(), 1, "nothing changed");
    decline(" I sponsor the MOAs of my own team only. ".to_owned())
        .await
        .unwrap();
    let row = sponsorship::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, SponsorshipStatus::Declined);
    assert_eq!(
        row.decline_reason.as_deref(),
        Some("I sponsor the MOAs of my own team only.")
    );
    let told = last_email_to(&state.db, &email("lena")).await;
    assert_eq!(told.subject, "Your sponsorship request was declined");
    assert!(told
        .body_text
        .contains("Their reason: \"I sponsor the MOAs of my own team only.\""));
    let notes = app::notifications::service::list(&state.db, c.lena)
        .await
        .unwrap();
    assert_eq!(
        notes[0].text,
        "Nora Practitioner declined your sponsorship request at Barclay Clinic. Reason: I sponsor the MOAs of my own team only."
    );
}

/// A sponsorship with a last day whose row says `last_day`, as if set on an earlier day.
async fn move_last_day(state: &AppState, id: i64, last_day: chrono::NaiveDate) {
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let mut row = sponsorship::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    row.last_day = Set(Some(last_day));
    row.update(&state.db).await.unwrap();
}

async fn follow_last_days(state: &AppState, today: chrono::NaiveDate) {
    as_operator(state, async |ch| {
        sponsorships::follow_last_days(ch, today).await
    })
    .await
    .unwrap();
}

/// Issue 28, item 2: an Authorizer gives a sponsorship a last day (authorizing, accepting or
/// later); access on their behalf stops after it, checked on the server; both are reminded
/// once a week before and told when it ends.
#[tokio::test]
async fn a_sponsorship_with_a_last_day_is_reminded_stops_and_ends() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    let today = app::platform::time::today_in_bc(chrono::Utc::now());
    let day = |days: i64| today + chrono::Duration::days(days);
    as_operator(state, async |ch| access::grant(ch, c.dalia, code).await)
        .await
        .unwrap();
    complete_course(state, &email("greg")).await;

    // Authorizing with a last day: refused beside the field when past or malformed.
    let greg_membership = membership_id(state, code, c.greg).await;
    for (bad, why) in [
        (day(-1).to_string(), "in the past"),
        ("31/01/2027".to_owned(), "YYYY-MM-DD"),
    ] {
        let refused = as_account(state, c.dalia, async |ch| {
            sponsorships::authorize(ch, code, greg_membership, &bad).await
        })
        .await;
        assert!(
            matches!(&refused, Err(AppError::Invalid(e)) if e.get("last_day").is_some_and(|m| m.contains(why))),
            "{refused:?}"
        );
    }
    assert!(open_rows(state).await.is_empty());
    as_account(state, c.dalia, async |ch| {
        sponsorships::authorize(ch, code, greg_membership, &day(30).to_string()).await
    })
    .await
    .unwrap();
    let id = open_rows(state).await[0].id;
    assert!(last_email_to(&state.db, &email("greg"))
        .await
        .body_text
        .contains(&format!(
            "The sponsorship's last day is {}",
            display_day(day(30))
        )));
    // Both see the last day on their tabs.
    for viewer in [c.dalia, c.greg] {
        let view = sponsorships::view(&state.db, viewer, code).await.unwrap();
        assert_eq!(view.active[0].last_day, Some(day(30)), "{viewer}");
    }

    // Only the Authorizer of that sponsorship may change it: the On-Behalf-Of user is refused,
    // another Authorizer is told it does not exist.
    let set = |who: i64, last_day: String| async move {
        as_account(state, who, async |ch| {
            sponsorships::set_last_day(ch, code, id, &last_day).await
        })
        .await
    };
    assert!(matches!(
        set(c.greg, day(3).to_string()).await,
        Err(AppError::NotFound(_))
    ));
    assert!(matches!(
        set(c.nora, day(3).to_string()).await,
        Err(AppError::NotFound(_))
    ));
    set(c.dalia, day(3).to_string()).await.unwrap();
    assert_eq!(
        last_email_to(&state.db, &email("greg")).await.subject,
        "Your sponsorship by Dalia Eighteen changed"
    );
    assert_eq!(count_audit(state, "sponsorship_last_day_set").await, 1);

    // A week before: both are reminded, once, however often the round runs.
    follow_last_days(state, today).await;
    follow_last_days(state, today).await;
    for who in ["dalia", "greg"] {
        let reminders: Vec<_> = emails_to(&state.db, &email(who))
            .await
            .into_iter()
            .filter(|m| m.subject.starts_with("Sponsorship ends after"))
            .collect();
        assert_eq!(reminders.len(), 1, "{who}");
        assert!(reminders[0].subject.contains(&display_day(day(3))));
    }
    assert_eq!(count_audit(state, "sponsorship_end_reminded").await, 1);

    // Greg opens CareConnect on Dalia's behalf until the last day; the moment it has passed the
    // server refuses, before any round ends the sponsorship.
    let open_on_behalf = || async {
        as_account(state, c.greg, async |ch| {
            access::open(ch, code, Some(id)).await
        })
        .await
    };
    assert!(open_on_behalf().await.is_ok());
    move_last_day(state, id, day(-1)).await;
    assert!(matches!(open_on_behalf().await, Err(AppError::NotFound(_))));
    assert!(sponsorships::sponsors_of(&state.db, c.greg)
        .await
        .unwrap()
        .is_empty());

    // The round ends it; both are told why.
    follow_last_days(state, today).await;
    assert!(open_rows(state).await.is_empty());
    let ended = last_email_to(&state.db, &email("dalia")).await;
    assert!(ended.subject.starts_with("Sponsorship ended"));
    assert!(ended.body_text.contains(
        "The last day Dalia Eighteen gave the sponsorship at Barclay Clinic has passed."
    ));
    assert_eq!(
        sponsorship::Entity::find_by_id(id)
            .one(&state.db)
            .await
            .unwrap()
            .unwrap()
            .end_reason
            .as_deref(),
        Some("last_day_passed")
    );
    // An ended sponsorship's last day cannot be set.
    assert!(matches!(
        set(c.dalia, day(10).to_string()).await,
        Err(AppError::NotFound(_))
    ));
}

#[tokio::test]
async fn accepting_a_request_may_give_it_a_last_day() {
    let test = TestDb::new().await;
    let state = &test.state;
    let c = clinic(state).await;
    let code = &c.site.code;
    let today = app::platform::time::today_in_bc(chrono::Utc::now());
    ask(state, c.lena, code, c.nora).await.unwrap();
    let id = open_rows(state).await[0].id;
    let last_day = (today + chrono::Duration::days(60)).to_string();
    as_account(state, c.nora, async |ch| {
        sponsorships::change(ch, code, id, SponsorshipChange::Accept, "", &last_day).await
    })
    .await
    .unwrap();
    let row = &open_rows(state).await[0];
    assert_eq!(row.status, SponsorshipStatus::Active);
    assert_eq!(row.last_day.map(|d| d.to_string()), Some(last_day));
    // Removing it: the sponsorship goes on without an end.
    as_account(state, c.nora, async |ch| {
        sponsorships::set_last_day(ch, code, id, "").await
    })
    .await
    .unwrap();
    assert_eq!(open_rows(state).await[0].last_day, None);
    assert!(last_email_to(&state.db, &email("lena"))
        .await
        .body_text
        .contains("removed the last day"));
}
