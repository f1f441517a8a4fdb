//! The operator commands of the `portal` binary, run as an operator would.

use app::testing::{verified, TestDb};
use std::process::Command;

fn portal(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env_remove("PORTAL_ENV")
        .output()
        .expect("portal runs")
}

#[tokio::test]
async fn staff_grant_makes_a_verified_account_staff_and_refuses_unknown_addresses() {
    let test = TestDb::new().await;
    let id = verified(&test.state, "jane").await;
    let url = test.state.config.database_url.clone();

    let unknown = portal(&url, &["staff", "grant", "nobody@clinic.example"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr)
        .contains("No account has the verified email address"));

    let granted = portal(&url, &["staff", "grant", "Jane@Clinic.example"]);
    assert!(
        granted.status.success(),
        "{}",
        String::from_utf8_lossy(&granted.stderr)
    );
    assert!(String::from_utf8_lossy(&granted.stdout).contains("is now CareConnect staff"));
    let user = app::accounts::service::current_user(test.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert!(user.is_staff);

    let migrated = portal(&url, &["migrate"]);
    assert!(migrated.status.success());
}

#[test]
fn production_mode_refuses_to_start_without_its_settings() {
    let output = Command::new(env!("CARGO_BIN_EXE_portal"))
        .arg("migrate")
        .env("PORTAL_ENV", "production")
        .env_remove("OIDC_ISSUER_URL")
        .env_remove("SMTP_URL")
        .output()
        .expect("portal runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("production mode requires OIDC_ISSUER_URL"));
}
