//! The worksite rules on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL).

use app::entities::{audit_event, worksite};
use app::error::{AppError, Refusal};
use app::testing::*;
use app::worksites::{service, service::search, types::*};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn form(name: &str, street: &str, postal_code: &str) -> WorksiteForm {
    worksite_form(name, street, postal_code)
}

async fn register(
    state: &app::platform::AppState,
    account_id: i64,
    form: &WorksiteForm,
) -> WorksiteSummary {
    register_worksite(state, account_id, form).await
}

#[tokio::test]
async fn registering_makes_the_registrant_administrator_and_emails_the_worksite_id() {
    let test = TestDb::new().await;
    let state = &test.state;
    let unverified = registered(state, "pending").await;
    let refused = as_account(state, unverified, async |ch| {
        service::register(ch, &form("Barclay Clinic", "1234 Barclay St", "V6E 1H4")).await
    })
    .await;
    assert!(
        matches!(refused, Err(AppError::Refused(Refusal::EmailNotVerified))),
        "{refused:?}"
    );

    let dalia = verified(state, "dalia").await;
    let summary = register(
        state,
        dalia,
        &form("Barclay Clinic", "1234 Barclay St", "v6e1h4"),
    )
    .await;
    assert_eq!(summary.code.as_str().len(), 7);
    assert!(summary
        .code
        .as_str()
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
    assert_eq!(
        summary.address,
        "101-1234 BARCLAY ST, VANCOUVER BC V6E 1H4, CANADA"
    );

    let row = service::find_by_code(
        test.db(),
        &summary.code.as_str().to_lowercase().parse().unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let member = app::memberships::service::membership_of(test.db(), row.id, dalia)
        .await
        .unwrap()
        .unwrap();
    assert!(member.is_admin);
    assert_eq!(
        member.status,
        app::memberships::types::MembershipStatus::Active
    );

    let email = last_email_to(test.db(), "dalia@clinic.example").await;
    assert!(email
        .body_text
        .contains("You just registered your worksite for access to CareConnect."));
    assert!(email
        .body_text
        .contains("Your new Worksite is: Barclay Clinic"));
    assert!(email
        .body_text
        .contains(&format!("Your Worksite Id is: {}", summary.code)));
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("worksite_registered"))
        .filter(audit_event::Column::WorksiteId.eq(row.id))
        .count(test.db())
        .await
        .unwrap();
    assert_eq!(audited, 1);

    let mine = service::my_worksites(test.db(), dalia).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].is_admin && mine[0].active);
}

#[tokio::test]
async fn invalid_worksites_say_what_is_wrong_and_write_nothing() {
    let test = TestDb::new().await;
    let dalia = verified(&test.state, "dalia").await;
    let bad = WorksiteForm {
        name: " ".into(),
        worksite_type: "castle".into(),
        street: "".into(),
        city: "".into(),
        postal_code: "12345".into(),
        phone: "555".into(),
        phone_extension: "12a".into(),
        email: "front@".into(),
        emr: "Paper".into(),
        clinic_type: "".into(),
        ..form("x", "x", "x")
    };
    match as_account(&test.state, dalia, async |ch| {
        service::register(ch, &bad).await
    })
    .await
    {
        Err(AppError::Invalid(errors)) => {
            for field in [
                "name",
                "worksite_type",
                "street",
                "city",
                "postal_code",
                "phone",
                "phone_extension",
                "email",
                "emr",
                "clinic_type",
            ] {
                assert!(errors.get(field).is_some(), "{field}: {errors:?}");
            }
        }
        other => panic!("expected invalid input, got {other:?}"),
    }
    // A name that reads differently from what it is (a bidi override, a zero-width space).
    for hidden in [
        "Barclay\u{202E}cinilC",
        "Bar\u{200B}clay",
        "Barclay\nClinic",
    ] {
        let disguised = form(hidden, "1 Real St", "V6E 1H4");
        match as_account(&test.state, dalia, async |ch| {
            service::register(ch, &disguised).await
        })
        .await
        {
            Err(AppError::Invalid(errors)) => assert_eq!(
                errors.get("name"),
                Some(app::text::HIDDEN_CHARACTERS),
                "{hidden:?}"
            ),
            other => panic!("expected invalid input for {hidden:?}, got {other:?}"),
        }
    }
    assert_eq!(worksite::Entity::find().count(test.db()).await.unwrap(), 0);
}

#[tokio::test]
async fn a_second_registration_at_the_same_address_offers_the_existing_worksite() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = verified(state, "dalia").await;
    let first = register(
        state,
        dalia,
        &form("Barclay Clinic", "1234 Barclay St", "V6E 1H4"),
    )
    .await;
    let again = form("Barclay Medical", "1234  barclay st.", "v6e 1h4");
    match as_account(state, dalia, async |ch| service::register(ch, &again).await)
        .await
        .unwrap()
    {
        RegistrationOutcome::AddressInUse(found) => assert_eq!(found, vec![first.clone()]),
        other => panic!("expected the existing worksite, got {other:?}"),
    }
    let other_unit = WorksiteForm {
        unit: "202".into(),
        ..again.clone()
    };
    register(state, dalia, &other_unit).await;
    let anyway = WorksiteForm {
        register_anyway: "yes".into(),
        ..again
    };
    let second = register(state, dalia, &anyway).await;
    assert_ne!(second.code, first.code);
}

#[tokio::test]
async fn worksites_are_found_by_id_in_any_case_and_by_any_part_of_their_address() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = verified(state, "dalia").await;
    let barclay = register(
        state,
        dalia,
        &form("Barclay Clinic", "1234 Barclay St", "V6E 1H4"),
    )
    .await;
    let willingdon = register(
        state,
        dalia,
        &WorksiteForm {
            unit: String::new(),
            city: "Burnaby".into(),
            ..form("Willingdon", "1795 Willingdon Ave", "V5C 6E3")
        },
    )
    .await;

    assert_eq!(
        service::look_up(test.db(), &barclay.code.as_str().to_lowercase())
            .await
            .unwrap(),
        barclay
    );
    for bad in ["", "ABC", "ZZZZZZZ"] {
        assert!(
            matches!(
                service::look_up(test.db(), bad).await,
                Err(AppError::Invalid(_))
            ),
            "{bad}"
        );
    }

    let codes = |found: Vec<WorksiteSummary>| found.into_iter().map(|w| w.code).collect::<Vec<_>>();
    for query in [
        "1234 barc",
        "BARCLAY",
        "101",
        "v6e",
        "V6E 1H4",
        "v6e1h4",
        "vancouver",
        "barclay clinic",
    ] {
        assert_eq!(
            codes(search::search(test.db(), query).await.unwrap()),
            vec![barclay.code.clone()],
            "{query}"
        );
    }
    assert_eq!(
        codes(search::search(test.db(), "burnaby will").await.unwrap()),
        vec![willingdon.code.clone()]
    );
    assert_eq!(
        search::search(test.db(), "1").await.unwrap().len(),
        0,
        "one character is too little"
    );
    assert_eq!(
        search::search(test.db(), "barclay burnaby")
            .await
            .unwrap()
            .len(),
        0,
        "every word must match"
    );
    assert_eq!(search::search(test.db(), "17").await.unwrap().len(), 1);
}

#[tokio::test]
async fn whole_word_matches_rank_before_prefix_matches() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = verified(state, "dalia").await;
    let long = register(
        state,
        dalia,
        &form("Alpha Clinic", "1234 Main St", "V5K 0A1"),
    )
    .await;
    let exact = register(state, dalia, &form("Zulu Clinic", "12 Main St", "V5K 0A2")).await;
    let found: Vec<WorksiteId> = search::search(test.db(), "12 main")
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.code)
        .collect();
    assert_eq!(
        found,
        vec![exact.code, long.code],
        "\"12\" in full first, although Zulu sorts after Alpha"
    );
}

#[tokio::test]
async fn only_members_see_a_worksite_and_only_its_administrators_edit_it() {
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = verified(state, "dalia").await;
    let greg = verified(state, "greg").await;
    let other_admin = verified(state, "otheradmin").await;
    let stranger = verified(state, "stranger").await;
    let barclay = register(
        state,
        dalia,
        &form("Barclay Clinic", "1234 Barclay St", "V6E 1H4"),
    )
    .await;
    register(
        state,
        other_admin,
        &form("Other Clinic", "1 Main St", "V5K 0A1"),
    )
    .await;
    add_member(&test.state, &barclay.code, greg, false).await;

    let details = service::details(test.db(), greg, &barclay.code)
        .await
        .unwrap();
    assert!(!details.viewer_is_admin);
    assert_eq!(details.phone_display(), "(778) 888-9999 X 123");
    for outsider in [stranger, other_admin] {
        assert!(matches!(
            service::details(test.db(), outsider, &barclay.code).await,
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            app::memberships::service::list(
                test.db(),
                outsider,
                &barclay.code,
                true,
                "",
                Default::default()
            )
            .await,
            Err(AppError::NotFound(_))
        ));
    }

    let edit = WorksiteEditForm {
        name: "Barclay Family Clinic".into(),
        phone: "(604) 518-1795".into(),
        phone_extension: String::new(),
        email: "hello@barclay.example".into(),
    };
    assert_eq!(
        as_account(state, greg, async |ch| service::update(
            ch,
            &barclay.code,
            &edit
        )
        .await)
        .await,
        Err(AppError::Forbidden)
    );
    assert!(matches!(
        as_account(state, other_admin, async |ch| service::update(
            ch,
            &barclay.code,
            &edit
        )
        .await)
        .await,
        Err(AppError::NotFound(_))
    ));
    assert_eq!(
        service::details(test.db(), dalia, &barclay.code)
            .await
            .unwrap()
            .name,
        "Barclay Clinic",
        "nothing changed"
    );

    let bad = WorksiteEditForm {
        name: "".into(),
        email: "nope".into(),
        ..edit.clone()
    };
    assert!(matches!(
        as_account(state, dalia, async |ch| service::update(
            ch,
            &barclay.code,
            &bad
        )
        .await)
        .await,
        Err(AppError::Invalid(_))
    ));

    as_account(state, dalia, async |ch| {
        service::update(ch, &barclay.code, &edit).await
    })
    .await
    .unwrap();
    let details = service::details(test.db(), dalia, &barclay.code)
        .await
        .unwrap();
    assert_eq!(details.name, "Barclay Family Clinic");
    assert_eq!(details.phone_display(), "(604) 518-1795");
    let event = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("worksite_updated"))
        .one(test.db())
        .await
        .unwrap()
        .unwrap();
    let recorded: serde_json::Value = serde_json::from_str(&event.details).unwrap();
    assert_eq!(recorded["old"]["name"], "Barclay Clinic");
    assert_eq!(recorded["new"]["name"], "Barclay Family Clinic");
    assert_eq!(
        search::search(test.db(), "family").await.unwrap().len(),
        1,
        "search follows the new name"
    );

    let members = app::memberships::service::list(
        test.db(),
        greg,
        &barclay.code,
        true,
        "",
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(members.total, 2);
    assert!(members
        .members
        .iter()
        .any(|m| m.is_admin && m.name == "Jane Doe"));
}

#[tokio::test]
async fn address_suggestions_come_from_registered_worksites_and_the_reference_file() {
    use app::worksites::service::address_lookup::{
        AddressLookup, BuiltInAddressLookup, ReferenceAddresses,
    };
    let test = TestDb::new().await;
    let dalia = verified(&test.state, "dalia").await;
    register(
        &test.state,
        dalia,
        &form("Barclay Clinic", "1234 Barclay St", "V6E 1H4"),
    )
    .await;
    let reference = ReferenceAddresses::parse(
        "unit,street,city,postal_code\n,1250 Barclay St,Vancouver,V6E 1H5\n101,1234 Barclay St,Vancouver,V6E 1H4\n",
    )
    .unwrap();
    let lookup = BuiltInAddressLookup { reference };
    let found = lookup.suggest(test.db(), "barclay").await.unwrap();
    let shown: Vec<String> = found.iter().map(|a| a.address().display()).collect();
    assert_eq!(
        shown,
        vec![
            "101-1234 BARCLAY ST, VANCOUVER BC V6E 1H4, CANADA".to_owned(),
            "1250 BARCLAY ST, VANCOUVER BC V6E 1H5, CANADA".to_owned(),
        ],
        "registered first, the reference file next, each address once"
    );
}

#[tokio::test]
async fn an_account_registers_at_most_its_daily_share_of_worksites() {
    use app::platform::quota::Quota;
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = verified(state, "dalia").await;
    let per_day = Quota::WorksiteRegistrations.per_day();
    for n in 0..per_day {
        let street = format!("{} Quota St", 100 + n);
        register(
            state,
            dalia,
            &form(&format!("Clinic {n}"), &street, "V6E 1H4"),
        )
        .await;
    }
    let one_more = form("One Too Many", "999 Quota St", "V6E 1H4");
    let refused = as_account(state, dalia, async |ch| {
        service::register(ch, &one_more).await
    })
    .await;
    let Err(AppError::Refused(refusal)) = refused else {
        panic!("refused with a reason, not {refused:?}");
    };
    assert_eq!(
        refusal,
        Refusal::DailyLimit {
            limit: per_day,
            what: "worksite registrations".to_owned()
        }
    );
    assert!(refusal.to_string().contains("try again tomorrow"));
    assert_eq!(
        worksite::Entity::find().count(test.db()).await.unwrap(),
        u64::try_from(per_day).unwrap(),
        "nothing half-written"
    );
    // Another person's share is their own.
    let greg = verified(state, "greg").await;
    register(state, greg, &form("Greg's Clinic", "5 Other St", "V6E 1H4")).await;
}
