//! Privacy & Security course completions on a real database (SQLite, or PostgreSQL with
//! TEST_DATABASE_URL): the signed callback (bad signatures, stale timestamps and replays
//! refused) and the staff CSV import (every bad line reported, nothing half-imported).

use app::entities::{audit_event, course_completion};
use app::error::AppError;
use app::platform::{Actor, AppState};
use app::privacy::{
    callback::{self, CallbackRefusal},
    service::{self as privacy, Recorded},
};
use app::testing::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::Arc;

const SECRET: &str = "a-shared-secret-of-at-least-32-characters";

fn with_callback(state: &AppState) -> AppState {
    let mut state = state.clone();
    Arc::make_mut(&mut state.config).course_callback_secret = Some(SECRET.to_owned().into());
    state
}

async fn completions(state: &AppState) -> u64 {
    course_completion::Entity::find()
        .count(&state.db)
        .await
        .unwrap()
}

fn body(email: &str, reference: &str) -> Vec<u8> {
    format!(r#"{{"email":"{email}","completed_on":"2026-11-02","reference":"{reference}"}}"#)
        .into_bytes()
}

async fn send(state: &AppState, at: i64, body: &[u8]) -> Result<Recorded, CallbackRefusal> {
    let signature = callback::signature(SECRET.as_bytes(), at, body);
    callback::receive(state, Some(&at.to_string()), Some(&signature), body).await
}

#[tokio::test]
async fn a_signed_callback_records_a_completion_once_and_refuses_replays() {
    let test = TestDb::new().await;
    let jane = verified(&test.state, "jane").await;
    assert_eq!(
        privacy::course_status(&test.state.db, jane)
            .await
            .unwrap()
            .completed_on,
        None
    );
    // Switched off until a secret is configured.
    let now = chrono::Utc::now().timestamp();
    assert_eq!(
        send(&test.state, now, &body("jane@clinic.example", "LH-1")).await,
        Err(CallbackRefusal::NotConfigured)
    );
    let state = with_callback(&test.state);
    let first = body("Jane@Clinic.example", "LH-1");
    assert_eq!(send(&state, now, &first).await, Ok(Recorded::New));
    assert_eq!(
        privacy::course_status(&state.db, jane)
            .await
            .unwrap()
            .completed_on
            .as_deref(),
        Some("November 2, 2026")
    );
    // The very same request again: refused as a replay.
    assert_eq!(
        send(&state, now, &first).await,
        Err(CallbackRefusal::Replayed)
    );
    // The learning system retrying with a new timestamp: accepted, recorded once.
    assert_eq!(
        send(&state, now + 1, &first).await,
        Ok(Recorded::AlreadyRecorded)
    );
    assert_eq!(completions(&state).await, 1);
    // Stale, tampered, unsigned and malformed requests change nothing.
    let second = body("jane@clinic.example", "LH-2");
    assert_eq!(
        send(&state, now - callback::FRESHNESS_SECONDS - 60, &second).await,
        Err(CallbackRefusal::Stale)
    );
    let signature = callback::signature(SECRET.as_bytes(), now, &second);
    assert_eq!(
        callback::receive(
            &state,
            Some(&now.to_string()),
            Some(&signature),
            &body("mallory@x.ca", "LH-2")
        )
        .await,
        Err(CallbackRefusal::BadSignature)
    );
    assert_eq!(
        callback::receive(&state, None, None, &second).await,
        Err(CallbackRefusal::Unsigned)
    );
    assert!(matches!(
        send(&state, now, b"not json").await,
        Err(CallbackRefusal::Malformed(_))
    ));
    assert!(matches!(
        send(&state, now, &body("not-an-email", "LH-3")).await,
        Err(CallbackRefusal::Malformed(_))
    ));
    assert_eq!(completions(&state).await, 1);
    let recorded = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("course_completion_recorded"))
        .count(&state.db)
        .await
        .unwrap();
    assert_eq!(recorded, 1);
}

#[tokio::test]
async fn a_completion_reported_before_the_account_exists_counts_once_it_does() {
    let test = TestDb::new().await;
    let state = with_callback(&test.state);
    let now = chrono::Utc::now().timestamp();
    send(&state, now, &body("later@clinic.example", "LH-9"))
        .await
        .unwrap();
    let later = verified(&state, "later").await;
    assert!(privacy::course_status(&state.db, later)
        .await
        .unwrap()
        .completed_on
        .is_some());
}

#[tokio::test]
async fn staff_import_completions_from_csv_all_or_nothing() {
    let test = TestDb::new().await;
    let state = &test.state;
    let staff = quick_account(state, "sam", "Sam", "Staff", "counsellor").await;
    let jane = quick_account(state, "jane", "Jane", "Doe", "pharmacist").await;
    // Not staff: refused.
    assert!(matches!(
        privacy::import_csv(
            state,
            &Actor::account(jane),
            "email,completed_on,reference\n"
        )
        .await,
        Err(AppError::Forbidden)
    ));
    as_operator(state, async |ch| {
        app::accounts::service::grant_staff(ch, "sam@clinic.example").await
    })
    .await
    .unwrap();

    let as_staff = Actor::account(staff);
    let wrong_header = privacy::import_csv(state, &as_staff, "mail,date\nx,y\n")
        .await
        .unwrap();
    assert_eq!(wrong_header.errors.len(), 1);
    assert!(wrong_header.errors[0].starts_with("Line 1:"));

    let with_errors = "email,completed_on,reference\n\
        jane@clinic.example,2026-11-02,LH-10\n\
        not-an-email,2026-11-02,LH-11\n\
        bob@clinic.example,02/11/2026,LH-12\n\
        ann@clinic.example,2026-11-02\n\
        eve@clinic.example,2999-01-01,LH-14\n";
    let report = privacy::import_csv(state, &as_staff, with_errors)
        .await
        .unwrap();
    let lines: Vec<&str> = report
        .errors
        .iter()
        .map(|error| error.split(':').next().unwrap())
        .collect();
    assert_eq!(
        lines,
        ["Line 3", "Line 4", "Line 5", "Line 6"],
        "{:?}",
        report.errors
    );
    assert_eq!(report.imported, 0);
    assert_eq!(completions(state).await, 0, "nothing half-imported");

    let good = "email,completed_on,reference\n\
        jane@clinic.example,2026-11-02,LH-10\n\
        bob@clinic.example, 2026-10-30 ,LH-12\n";
    let report = privacy::import_csv(state, &as_staff, good).await.unwrap();
    assert_eq!((report.imported, report.already_recorded), (2, 0));
    assert!(report.errors.is_empty());
    let again = privacy::import_csv(state, &as_staff, good).await.unwrap();
    assert_eq!((again.imported, again.already_recorded), (0, 2));
    assert_eq!(completions(state).await, 2);
    assert!(privacy::course_status(&state.db, jane)
        .await
        .unwrap()
        .completed_on
        .is_some());
    let empty = privacy::import_csv(state, &as_staff, "email,completed_on,reference\n")
        .await
        .unwrap();
    assert_eq!(empty.errors.len(), 1);
}

#[tokio::test]
async fn authorizers_sign_the_hpcaa_once_with_their_own_name_and_obo_users_do_not() {
    use app::privacy::{hpcaa, pdf, types::HpcaaSigning};
    let test = TestDb::new().await;
    let state = &test.state;
    let dalia = quick_account(state, "dalia", "Dalia", "Eighteen", "physician").await;
    let greg = quick_account(state, "greg", "Gregory", "Nineteen", "moa").await;
    let form = |name: &str, agree: bool| HpcaaSigning {
        full_name: name.to_owned(),
        agree: agree.then(|| "on".to_owned()),
    };
    let view = hpcaa::view(&state.db, dalia).await.unwrap();
    assert_eq!(view.exemption, None);
    assert_eq!(view.signature, None);

    let refused = as_account(state, dalia, async |ch| {
        hpcaa::sign(ch, &form("Someone Else", false)).await
    })
    .await
    .unwrap_err();
    let fields = refused.field_errors().unwrap();
    assert!(fields.get("full_name").unwrap().contains("Dalia Eighteen"));
    assert!(fields.get("agree").is_some());
    let signed = as_account(state, dalia, async |ch| {
        hpcaa::sign(ch, &form("  dalia   EIGHTEEN ", true)).await
    })
    .await
    .unwrap();
    assert_eq!(signed.name, "dalia EIGHTEEN");
    assert!(matches!(
        as_account(state, dalia, async |ch| hpcaa::sign(
            ch,
            &form("Dalia Eighteen", true)
        )
        .await)
        .await,
        Err(AppError::Conflict(_))
    ));
    let copy = hpcaa::signature_of(&state.db, dalia)
        .await
        .unwrap()
        .unwrap();
    let bytes = pdf::signed_agreement(&copy).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(pdf_text(&bytes).contains("Signed electronically by dalia EIGHTEEN on"));

    let greg_view = hpcaa::view(&state.db, greg).await.unwrap();
    assert!(greg_view.exemption.unwrap().contains("On-Behalf-Of"));
    assert!(matches!(
        as_account(state, greg, async |ch| hpcaa::sign(
            ch,
            &form("Gregory Nineteen", true)
        )
        .await)
        .await,
        Err(AppError::Refused(_))
    ));
    let signatures = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("hpcaa_signed"))
        .count(&state.db)
        .await
        .unwrap();
    assert_eq!(signatures, 1);
}

/// A large import commits in batches: other writes (a sign-in's) take their turn between batches
/// instead of waiting for the whole file. `IMPORT_ROWS` sets its size (2 000 here;
/// `scripts/faults.sh` imports 10 000).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_import_lets_other_writes_through_between_its_batches() {
    let rows: usize = std::env::var("IMPORT_ROWS")
        .ok()
        .and_then(|rows| rows.parse().ok())
        .unwrap_or(2_000);
    let test = TestDb::new().await;
    let state = &test.state;
    let staff = quick_account(state, "sam", "Sam", "Staff", "counsellor").await;
    as_operator(state, async |ch| {
        app::accounts::service::grant_staff(ch, "sam@clinic.example").await
    })
    .await
    .unwrap();
    let mut file = String::from("email,completed_on,reference\n");
    for n in 0..rows {
        file.push_str(&format!("person{n}@clinic.example,2026-11-02,LH-{n}\n"));
    }
    let import = tokio::spawn({
        let state = state.clone();
        async move {
            let started = std::time::Instant::now();
            let report = privacy::import_csv(&state, &Actor::account(staff), &file).await;
            (report, started.elapsed())
        }
    });
    let mut waits = Vec::new();
    while !import.is_finished() {
        let asked = std::time::Instant::now();
        state
            .write(Actor::system(), async |_| Ok(()))
            .await
            .unwrap();
        waits.push(asked.elapsed());
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let (report, took) = import.await.unwrap();
    let report = report.unwrap();
    assert_eq!(report.imported as usize, rows, "{:?}", report.errors);
    assert_eq!(completions(state).await as usize, rows);
    assert!(
        waits.len() >= 2,
        "other writes waited for the whole import ({} got through)",
        waits.len()
    );
    let longest = waits.iter().max().copied().unwrap_or_default();
    println!(
        "figure: import of {rows} rows in {:.1} s, {} rows a change: {} other writes went \
         between its batches, the longest waited {:.1} ms",
        took.as_secs_f64(),
        privacy::IMPORT_BATCH,
        waits.len(),
        longest.as_secs_f64() * 1000.0
    );
}
