//! `portal seed` on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): what it
//! writes is consistent with the portal's own rules, and its people can sign in.

use app::memberships::{
    listing::{ListedWorksite, Listing},
    types::MemberCursor,
};
use app::platform::Actor;
use app::testing::TestDb;
use sea_orm::QuerySelect;
use server::seed::{seed, SeedPlan, SEED_PASSWORD};

#[tokio::test]
async fn seeded_data_is_usable_by_the_portal() {
    let test = TestDb::new().await;
    let state = &test.state;
    let plan = SeedPlan {
        users: 1200,
        emails: 5,
        worksites: 30,
        largest_worksite: 1100,
        seed: 7,
    };
    let report = seed(&state.db, plan).await.unwrap();
    assert_eq!(
        (report.accounts, report.worksites, report.emails),
        (1200, 30, 5)
    );
    assert_eq!(report.audit_events, 3600);
    assert!(report.sponsorships > 0 && report.applications > 0 && report.join_requests > 0);
    let sizes: Vec<usize> = report.anchors.iter().map(|(_, size, _)| *size).collect();
    assert_eq!(sizes, [1100, 1200, 100]);

    // The first worksite's administrator signs in with the seeded password and sees its
    // active members (one membership in twenty is inactive: 1045), paged to the end and back,
    // counted in full by the worksite's row.
    let (code, _, admin) = &report.anchors[0];
    let account_id =
        app::accounts::service::sign_in_with_password(state, Actor::system(), admin, SEED_PASSWORD)
            .await
            .unwrap();
    let list =
        |cursor| app::memberships::service::list(&state.db, account_id, code, true, "", cursor);
    let mut page = list(MemberCursor::First).await.unwrap();
    assert_eq!(page.total, 1045);
    assert_eq!(page.count_label(), "1,045 members");
    assert_eq!(page.page_count(), Some(42));
    let mut seen: Vec<i64> = page.members.iter().map(|m| m.membership_id.get()).collect();
    while page.has_next {
        page = list(page.next()).await.unwrap();
        seen.extend(page.members.iter().map(|m| m.membership_id.get()));
    }
    assert_eq!(seen.len(), 1045);
    assert_eq!(
        seen.iter().collect::<std::collections::HashSet<_>>().len(),
        1045
    );
    assert_eq!(page.members.len(), 1045 % 25);
    assert_eq!(page.total, 1045, "every page carries the count");
    // After the last member no row carries the count, which is then read alone.
    let past_end = list(MemberCursor::After(seen[1044])).await.unwrap();
    assert!(past_end.members.is_empty() && !past_end.has_next);
    assert_eq!(past_end.total, 1045);
    let before = list(page.previous()).await.unwrap();
    assert_eq!(before.members.len(), 25);
    assert!(before.has_next && before.has_previous);
    assert_eq!(
        before.members.last().unwrap().membership_id.get(),
        seen[1045 - 21]
    );

    // Every member list query is served by an index, in list order.
    let worksite = app::worksites::service::find_by_code(&state.db, code)
        .await
        .unwrap()
        .unwrap();
    // The triggers counted the seeded memberships in as they were inserted.
    assert_eq!(
        (worksite.active_members, worksite.inactive_members),
        (1045, 55)
    );
    let worksite = ListedWorksite::from(&worksite);
    // Found by the first letters of their names, whichever page they are on.
    let sought = before.members[3].clone();
    let typed: Vec<String> = sought
        .name
        .split(' ')
        .map(|word| word.chars().take(3).collect())
        .collect();
    let found = app::memberships::service::list(
        &state.db,
        account_id,
        code,
        true,
        &typed.join(" "),
        MemberCursor::First,
    )
    .await
    .unwrap();
    assert!(found.members.contains(&sought), "{typed:?}");
    assert!(found.members.iter().all(|m| typed.iter().all(|t| m
        .name
        .to_lowercase()
        .split(' ')
        .any(|w| w.starts_with(&t.to_lowercase())))));
    // A search finds exactly the list's members with a word starting with each typed word, in
    // list order, whichever word leads.
    let whole_list = whole_list(&state.db, account_id, code).await;
    for search in ["s", "smi", "a s", "smi an", "zzz"] {
        let typed: Vec<&str> = search.split(' ').collect();
        let expected: Vec<i64> = whole_list
            .iter()
            .filter(|m| {
                typed.iter().all(|t| {
                    m.name
                        .to_lowercase()
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|word| word.starts_with(t))
                })
            })
            .map(|m| m.membership_id.get())
            .collect();
        for listing in [
            Listing::led_by_first_word(worksite, true, search),
            Listing::new(&state.db, worksite, true, search)
                .await
                .unwrap(),
        ] {
            let ids: Vec<i64> = listing
                .page_select(None, false)
                .select_only()
                .column(app::entities::membership::Column::Id)
                .into_tuple()
                .all(&state.db)
                .await
                .unwrap();
            assert_eq!(ids, expected[..expected.len().min(26)], "{search}");
            let counted = listing.count(&state.db).await.unwrap();
            assert_eq!(counted, expected.len().min(1001) as u64, "{search}");
        }
        // The count a page carries is the same.
        let page = app::memberships::service::list(
            &state.db,
            account_id,
            code,
            true,
            search,
            MemberCursor::First,
        )
        .await
        .unwrap();
        assert_eq!(page.total, expected.len().min(1001) as u64, "{search}");
        assert_eq!(page.total_is_exact, expected.len() <= 1000, "{search}");
    }
    for (query, plan) in server::explain::member_list_plans(&state.db, worksite.worksite_id)
        .await
        .unwrap()
    {
        // The profession catalogue (a few dozen rows, fixed) may be read whole, and so may a
        // search's count's own subquery (`counted`: at most MEMBER_COUNT_LIMIT + 1 rows, found
        // along an index, as the plan shows); nothing that grows with the people in the portal
        // may.
        let scans = plan.lines().any(|line| {
            let line = line.trim_start();
            (line.starts_with("SCAN")
                && !line.starts_with("SCAN CONSTANT")
                && line != "SCAN counted")
                || (line.contains("Seq Scan") && !line.contains("Seq Scan on professions"))
        });
        assert!(!scans, "{query}:\n{plan}");
        // A search walks its leading word's prefix rows in list order (the primary key), each
        // member checked for the other words by their own prefixes; the whole list walks its
        // index. Neither sorts.
        if query.contains("search") {
            assert!(
                plan.contains("member_name_prefixes") || plan.contains("pk_member_name_prefixes"),
                "{query}:\n{plan}"
            );
            if query.contains("checked") {
                assert!(
                    plan.contains("ix_member_name_prefixes_member"),
                    "{query}:\n{plan}"
                );
            }
        } else {
            assert!(plan.contains("ix_memberships_list"), "{query}:\n{plan}");
        }
        assert!(
            !plan.contains("TEMP B-TREE") && !plan.contains("Sort"),
            "{query}:\n{plan}"
        );
    }
    // The address search finds seeded worksites by their street.
    let found = app::worksites::service::search::search(&state.db, "st")
        .await
        .unwrap();
    assert!(!found.is_empty());

    // A second run adds to the first without colliding (ids continue, sequences follow).
    let again = seed(&state.db, SeedPlan { seed: 8, ..plan }).await.unwrap();
    assert_eq!(again.first_account, report.first_account + 1200);
    app::testing::quick_account(state, "after", "After", "Seed", "physician").await;
}

/// Every active member of the worksite, in list order, page by page.
async fn whole_list(
    db: &sea_orm::DatabaseConnection,
    viewer: i64,
    code: &app::worksites::types::WorksiteId,
) -> Vec<app::memberships::types::MemberListing> {
    let mut members = Vec::new();
    let mut cursor = MemberCursor::First;
    loop {
        let page = app::memberships::service::list(db, viewer, code, true, "", cursor)
            .await
            .unwrap();
        members.extend(page.members.iter().cloned());
        if !page.has_next {
            return members;
        }
        cursor = page.next();
    }
}
