//! `portal seed` on a real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): what it
//! writes is consistent with the portal's own rules, and its people can sign in.

use app::testing::TestDb;
use server::seed::{seed, SeedPlan, SEED_PASSWORD};

#[tokio::test]
async fn seeded_data_is_usable_by_the_portal() {
    let test = TestDb::new().await;
    let state = &test.state;
    let plan = SeedPlan {
        users: 400,
        emails: 5,
        worksites: 30,
        largest_worksite: 300,
        seed: 7,
    };
    let report = seed(&state.db, plan).await.unwrap();
    assert_eq!(
        (report.accounts, report.worksites, report.emails),
        (400, 30, 5)
    );
    assert_eq!(report.audit_events, 1200);
    assert!(report.sponsorships > 0 && report.applications > 0 && report.join_requests > 0);
    let sizes: Vec<usize> = report.anchors.iter().map(|(_, size, _)| *size).collect();
    assert_eq!(sizes, [300, 400, 100]);

    // The first worksite's administrator signs in with the seeded password and sees its
    // active members (one membership in twenty is inactive), paged.
    let (code, _, admin) = &report.anchors[0];
    let account_id =
        app::accounts::service::sign_in_with_password(state, admin, SEED_PASSWORD, None)
            .await
            .unwrap();
    let page = app::memberships::service::list(&state.db, account_id, code, true, "", 0)
        .await
        .unwrap();
    assert_eq!(page.total, 300 - 15);
    assert_eq!(page.members.len(), 25);
    // The address search finds seeded worksites by their street.
    let found = app::worksites::service::search::search(&state.db, "st")
        .await
        .unwrap();
    assert!(!found.is_empty());

    // A second run adds to the first without colliding (ids continue, sequences follow).
    let again = seed(&state.db, SeedPlan { seed: 8, ..plan }).await.unwrap();
    assert_eq!(again.first_account, report.first_account + 400);
    app::testing::quick_account(state, "after", "After", "Seed", "physician").await;
}
