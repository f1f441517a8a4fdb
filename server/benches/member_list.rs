//! In-process benchmarks (criterion) of the paths behind the worksite page: the Active Members
//! list (first page, next page, searches) on worksites of 100, 10 000 and `BENCH_USERS` members,
//! and the address search. SQLite by default; with `TEST_DATABASE_URL=postgres://…` a fresh
//! PostgreSQL database, as the tests use.
//!
//!     cargo bench -p server --bench member_list

use app::entities::account;
use app::memberships::{service::list, types::MemberCursor};
use app::testing::TestDb;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::seed::{seed, SeedPlan};

fn benchmarks(c: &mut Criterion) {
    let users = std::env::var("BENCH_USERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let (test, anchors) = runtime.block_on(async {
        let test = TestDb::new().await;
        let plan = SeedPlan {
            users,
            emails: 0,
            worksites: (users / 10).max(3),
            largest_worksite: users,
            seed: 2026,
        };
        let report = seed(test.db(), plan).await.expect("seeded");
        let mut anchors = Vec::new();
        for (code, size, username) in report.anchors {
            let admin = account::Entity::find()
                .filter(account::Column::Username.eq(username))
                .one(test.db())
                .await
                .expect("read")
                .expect("the anchor's administrator");
            anchors.push((code, size, admin.id));
        }
        (test, anchors)
    });
    let db = test.db();

    let mut lists = c.benchmark_group("active members");
    for (code, size, admin) in &anchors {
        let page = |search: &'static str, cursor| list(db, *admin, code, true, search, cursor);
        let first = runtime
            .block_on(page("", MemberCursor::First))
            .expect("a first page");
        lists.bench_function(BenchmarkId::new("first page", size), |b| {
            b.to_async(&runtime).iter(|| page("", MemberCursor::First))
        });
        lists.bench_function(BenchmarkId::new("next page", size), |b| {
            b.to_async(&runtime).iter(|| page("", first.next()))
        });
        for search in ["s", "smi", "smith vi"] {
            let name = format!("search \"{search}\"");
            lists.bench_function(BenchmarkId::new(name, size), |b| {
                b.to_async(&runtime)
                    .iter(|| page(search, MemberCursor::First))
            });
        }
    }
    lists.finish();

    c.bench_function("address search \"main st\"", |b| {
        b.to_async(&runtime)
            .iter(|| app::worksites::service::search::search(db, "main st"))
    });
}

criterion_group!(benches, benchmarks);
criterion_main!(benches);
