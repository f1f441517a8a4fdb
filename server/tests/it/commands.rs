//! The operator commands of the `portal` binary, run as an operator would.

use app::testing::{verified, TestDb};
use std::process::Command;

fn portal(database_url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("PORTAL_ENV", "development")
        .output()
        .expect("portal runs")
}

#[tokio::test]
async fn staff_grant_and_revoke_change_a_verified_account_and_refuse_unknown_addresses() {
    let test = TestDb::new().await;
    let id = verified(&test.state, "jane").await;
    let url = secrecy::ExposeSecret::expose_secret(&test.state.config.database_url).to_owned();

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

    let revoked = portal(&url, &["staff", "revoke", "jane@clinic.example"]);
    assert!(revoked.status.success());
    assert!(String::from_utf8_lossy(&revoked.stdout).contains("is no longer CareConnect staff"));
    let user = app::accounts::service::current_user(test.db(), id)
        .await
        .unwrap()
        .unwrap();
    assert!(!user.is_staff);

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

/// `portal migrate` with these variables (and no other portal setting): its refusal, if any.
fn refusal_with(vars: &[(&str, &str)]) -> Option<String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portal"));
    command.arg("migrate");
    for name in [
        "PORTAL_ENV",
        "OIDC_ISSUER_URL",
        "OIDC_CLIENT_ID",
        "OIDC_CLIENT_SECRET",
        "SMTP_URL",
        "PORTAL_PUBLIC_URL",
    ] {
        command.env_remove(name);
    }
    command.env("DATABASE_URL", "sqlite::memory:");
    for (name, value) in vars {
        command.env(name, value);
    }
    let output = command.output().expect("portal runs");
    (!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn the_portal_never_fails_open_into_development_mode() {
    let oidc = [
        ("OIDC_ISSUER_URL", "https://id.example"),
        ("OIDC_CLIENT_ID", "portal"),
        ("OIDC_CLIENT_SECRET", "secret"),
    ];
    // Unset PORTAL_ENV is production: a real SMTP server alone does not make it development.
    let unset = refusal_with(&[("SMTP_URL", "smtp://127.0.0.1:2525")]).expect("refused");
    assert!(
        unset.contains("production mode requires OIDC_ISSUER_URL"),
        "{unset}"
    );
    let nothing = refusal_with(&[]).expect("refused");
    assert!(
        nothing.contains("production mode requires OIDC_ISSUER_URL"),
        "{nothing}"
    );

    // Development, chosen explicitly, is refused beside anything real, naming what to fix.
    let mut with_oidc = vec![("PORTAL_ENV", "development")];
    with_oidc.extend(oidc);
    let with_smtp = [
        ("PORTAL_ENV", "development"),
        ("SMTP_URL", "smtp://127.0.0.1:2525"),
    ];
    let with_https = [
        ("PORTAL_ENV", "development"),
        ("PORTAL_PUBLIC_URL", "https://portal.example"),
    ];
    for (vars, variable) in [
        (&with_oidc[..], "OIDC_ISSUER_URL"),
        (&with_smtp[..], "SMTP_URL"),
        (&with_https[..], "PORTAL_PUBLIC_URL"),
    ] {
        let refusal = refusal_with(vars).expect("refused");
        assert!(refusal.contains("development mode is refused"), "{refusal}");
        assert!(refusal.contains(variable), "{refusal}");
        assert_eq!(refusal.trim_end().lines().count(), 1, "one line: {refusal}");
    }

    // Chosen development with nothing real configured runs.
    assert_eq!(refusal_with(&[("PORTAL_ENV", "development")]), None);
}

/// Several app servers starting at once on one PostgreSQL database migrate it once, one after
/// another. (On SQLite one server owns the file.)
#[tokio::test]
async fn servers_starting_together_migrate_once_one_after_another() {
    const SERVERS: usize = 4;
    use migrations::{Migrator, MigratorTrait};
    use sea_orm::{ConnectionTrait, Statement};
    let admin_url = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => return,
    };
    let name = format!(
        "portal_migrate_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    let started = std::time::Instant::now();
    let mut servers = tokio::task::JoinSet::new();
    for _ in 0..SERVERS {
        let url = url.clone();
        servers.spawn(async move {
            let connection = app::platform::db::connect(&url, 4).await?;
            server::migrate(&connection, &url).await?;
            connection.close().await
        });
    }
    while let Some(started) = servers.join_next().await {
        started.unwrap().expect("every server starts");
    }
    let connection = app::platform::db::connect(&url, 1).await.unwrap();
    let applied = connection
        .query_one_raw(Statement::from_string(
            connection.get_database_backend(),
            "SELECT COUNT(*) AS applied FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "applied")
        .unwrap();
    assert_eq!(
        applied,
        i64::try_from(Migrator::migrations().len()).unwrap()
    );
    println!(
        "figure: {SERVERS} servers starting together on an empty PostgreSQL database: all \
         started in {:.1} s, the {applied} migrations applied once",
        started.elapsed().as_secs_f64()
    );
    connection.close().await.unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE {name}"))
        .await
        .unwrap();
}

/// Every setting the portal reads is in the operators' environment file and in the README's
/// configuration table, so neither falls behind the code.
#[test]
fn every_setting_is_in_the_environment_file_and_the_readme() {
    let config = include_str!("../../../app/src/platform/config.rs");
    let env_file = include_str!("../../../deploy/portal.env");
    let readme = include_str!("../../../README.md");
    let mut names: std::collections::BTreeSet<&str> = config
        .split("lookup(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    names.insert("LOG_FORMAT");
    assert!(names.len() > 20, "{names:?}");
    for name in names {
        assert!(
            env_file.contains(name),
            "{name} is missing from deploy/portal.env"
        );
        assert!(
            readme.contains(&format!("`{name}`")),
            "{name} is missing from the README's configuration table"
        );
    }
    for secret in app::platform::config::SECRETS {
        assert!(readme.contains(secret) && env_file.contains(secret));
    }
}
