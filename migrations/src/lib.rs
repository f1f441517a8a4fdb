//! The portal's schema. Migrations are the source of truth for the database; they run on SQLite
//! and PostgreSQL alike and do not depend on the `app` crate.

pub use sea_orm_migration::prelude::*;

mod helpers;
mod m20261122_000001_foundation;
mod m20261123_000002_worksites;
mod m20261124_000003_members;
mod m20261125_000004_sponsorships;
mod m20261126_000005_privacy;
mod m20261127_000006_hpcaa;
mod m20261128_000007_applications;
mod m20261129_000008_member_list_keys;
mod m20261130_000009_member_name_prefixes;
mod m20261201_000010_member_counts;
mod m20261206_000011_status_checks;
mod m20261207_000012_attempt_counts;
mod m20261208_000013_session_accounts;
mod m20261209_000014_email_delivery;
mod m20261210_000015_guide_rules;
mod m20261211_000016_sponsorship_last_days;

/// Each table with a status column, and the values the database accepts in it now (the `app`
/// crate's status enums; a test holds them equal).
pub const STATUSES: [(&str, &[&str]); 7] = [
    (
        "careconnect_applications",
        &["submitted", "in_review", "approved", "denied", "returned"],
    ),
    (
        "invitations",
        m20261210_000015_guide_rules::INVITATION_STATUSES,
    ),
    (
        "join_requests",
        m20261210_000015_guide_rules::JOIN_REQUEST_STATUSES,
    ),
    ("memberships", &["active", "inactive"]),
    ("member_name_prefixes", &["active", "inactive"]),
    (
        "outbound_emails",
        m20261209_000014_email_delivery::OUTBOX_STATUSES,
    ),
    (
        "sponsorships",
        &["requested", "active", "declined", "withdrawn", "ended"],
    ),
];

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_foundation::Migration),
            Box::new(m20261123_000002_worksites::Migration),
            Box::new(m20261124_000003_members::Migration),
            Box::new(m20261125_000004_sponsorships::Migration),
            Box::new(m20261126_000005_privacy::Migration),
            Box::new(m20261127_000006_hpcaa::Migration),
            Box::new(m20261128_000007_applications::Migration),
            Box::new(m20261129_000008_member_list_keys::Migration),
            Box::new(m20261130_000009_member_name_prefixes::Migration),
            Box::new(m20261201_000010_member_counts::Migration),
            Box::new(m20261206_000011_status_checks::Migration),
            Box::new(m20261207_000012_attempt_counts::Migration),
            Box::new(m20261208_000013_session_accounts::Migration),
            Box::new(m20261209_000014_email_delivery::Migration),
            Box::new(m20261210_000015_guide_rules::Migration),
            Box::new(m20261211_000016_sponsorship_last_days::Migration),
        ]
    }
}
