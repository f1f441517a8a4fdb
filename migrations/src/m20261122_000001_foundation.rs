//! Accounts, identities, professions, one-time tokens, sessions, the mail outbox and the audit log.

use crate::helpers::{drop_tables, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Professions {
    Table,
    Id,
    Code,
    Name,
    UserType,
    DesignationOrder,
    RequiresLicence,
    RequiresHpcaa,
    SortOrder,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Username,
    UsernameKey,
    Email,
    EmailVerifiedAt,
    PendingEmail,
    PasswordHash,
    Phone,
    ProfessionId,
    LicenceNumber,
    GivenName,
    FamilyName,
    Birthdate,
    IsStaff,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccountIdentities {
    Table,
    Id,
    AccountId,
    Issuer,
    Subject,
    CreatedAt,
    LastSignedInAt,
}

#[derive(DeriveIden)]
enum OneTimeTokens {
    Table,
    Id,
    AccountId,
    Purpose,
    TokenHash,
    Email,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum OutboundEmails {
    Table,
    Id,
    ToAddress,
    Subject,
    BodyText,
    BodyHtml,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorAccountId,
    OnBehalfOfAccountId,
    WorksiteId,
    Action,
    Target,
    ClientAddr,
    Details,
}

/// (code, name, user type, designation order, requires licence, requires HPCAA)
const SEED_PROFESSIONS: &[(&str, &str, &str, bool, bool, bool)] = &[
    ("physician", "Physician", "authorizer", true, true, true),
    (
        "nurse_practitioner",
        "Nurse Practitioner",
        "authorizer",
        true,
        true,
        true,
    ),
    (
        "rn_independent",
        "Registered Nurse (without GP supervision)",
        "independent",
        true,
        true,
        true,
    ),
    ("pharmacist", "Pharmacist", "independent", true, true, true),
    ("resident", "Resident", "independent", true, true, true),
    (
        "moa",
        "Medical Office Assistant",
        "on_behalf_of",
        true,
        false,
        false,
    ),
    (
        "lpn",
        "Licensed Practical Nurse",
        "on_behalf_of",
        true,
        true,
        false,
    ),
    (
        "rn_supervised",
        "Registered Nurse (with GP supervision)",
        "on_behalf_of",
        true,
        true,
        false,
    ),
    (
        "pharmacy_technician",
        "Pharmacy Technician",
        "on_behalf_of",
        true,
        true,
        false,
    ),
    (
        "physiotherapist",
        "Physiotherapist",
        "independent",
        false,
        true,
        true,
    ),
    (
        "counsellor",
        "Counsellor",
        "independent",
        false,
        false,
        true,
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Professions::Table)
                    .col(pk_auto(Professions::Id))
                    .col(string_len_uniq(Professions::Code, 64))
                    .col(string_len(Professions::Name, 200))
                    .col(string_len(Professions::UserType, 32))
                    .col(boolean(Professions::DesignationOrder))
                    .col(boolean(Professions::RequiresLicence))
                    .col(boolean(Professions::RequiresHpcaa))
                    .col(integer(Professions::SortOrder))
                    .to_owned(),
            )
            .await?;
        for (order, (code, name, user_type, designated, licence, hpcaa)) in
            SEED_PROFESSIONS.iter().enumerate()
        {
            manager
                .exec_stmt(
                    Query::insert()
                        .into_table(Professions::Table)
                        .columns([
                            Professions::Code,
                            Professions::Name,
                            Professions::UserType,
                            Professions::DesignationOrder,
                            Professions::RequiresLicence,
                            Professions::RequiresHpcaa,
                            Professions::SortOrder,
                        ])
                        .values_panic([
                            (*code).into(),
                            (*name).into(),
                            (*user_type).into(),
                            (*designated).into(),
                            (*licence).into(),
                            (*hpcaa).into(),
                            (order as i32).into(),
                        ])
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(big_pk_auto(Accounts::Id))
                    .col(string_len(Accounts::Username, 64))
                    .col(string_len_uniq(Accounts::UsernameKey, 64))
                    .col(string_len_null(Accounts::Email, 254).unique_key())
                    .col(timestamp_with_time_zone_null(Accounts::EmailVerifiedAt))
                    .col(string_len_null(Accounts::PendingEmail, 254))
                    .col(string_len(Accounts::PasswordHash, 255))
                    .col(string_len(Accounts::Phone, 32))
                    .col(integer(Accounts::ProfessionId))
                    .col(string_len_null(Accounts::LicenceNumber, 32))
                    .col(string_len(Accounts::GivenName, 100))
                    .col(string_len(Accounts::FamilyName, 100))
                    .col(date_null(Accounts::Birthdate))
                    .col(boolean(Accounts::IsStaff).default(false))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::ProfessionId)
                            .to(Professions::Table, Professions::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccountIdentities::Table)
                    .col(big_pk_auto(AccountIdentities::Id))
                    .col(big_integer(AccountIdentities::AccountId))
                    .col(string_len(AccountIdentities::Issuer, 255))
                    .col(string_len(AccountIdentities::Subject, 255))
                    .col(timestamp_with_time_zone(AccountIdentities::CreatedAt))
                    .col(timestamp_with_time_zone(AccountIdentities::LastSignedInAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AccountIdentities::Table, AccountIdentities::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_account_identities_issuer_subject",
            AccountIdentities::Table,
            [AccountIdentities::Issuer, AccountIdentities::Subject],
            true,
        )
        .await?;
        index(
            manager,
            "ix_account_identities_account",
            AccountIdentities::Table,
            [AccountIdentities::AccountId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OneTimeTokens::Table)
                    .col(big_pk_auto(OneTimeTokens::Id))
                    .col(big_integer(OneTimeTokens::AccountId))
                    .col(string_len(OneTimeTokens::Purpose, 32))
                    .col(string_len_uniq(OneTimeTokens::TokenHash, 64))
                    .col(string_len_null(OneTimeTokens::Email, 254))
                    .col(timestamp_with_time_zone(OneTimeTokens::CreatedAt))
                    .col(timestamp_with_time_zone(OneTimeTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(OneTimeTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OneTimeTokens::Table, OneTimeTokens::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_one_time_tokens_account_purpose",
            OneTimeTokens::Table,
            [OneTimeTokens::AccountId, OneTimeTokens::Purpose],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string_len(Sessions::Id, 64).primary_key())
                    .col(text(Sessions::Data))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_sessions_expires_at",
            Sessions::Table,
            [Sessions::ExpiresAt],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(OutboundEmails::Table)
                    .col(big_pk_auto(OutboundEmails::Id))
                    .col(string_len(OutboundEmails::ToAddress, 254))
                    .col(string_len(OutboundEmails::Subject, 255))
                    .col(text(OutboundEmails::BodyText))
                    .col(text(OutboundEmails::BodyHtml))
                    .col(string_len(OutboundEmails::Status, 16))
                    .col(integer(OutboundEmails::Attempts).default(0))
                    .col(timestamp_with_time_zone(OutboundEmails::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(OutboundEmails::LeaseUntil))
                    .col(text_null(OutboundEmails::LastError))
                    .col(timestamp_with_time_zone(OutboundEmails::CreatedAt))
                    .col(timestamp_with_time_zone_null(OutboundEmails::SentAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_outbound_emails_due",
            OutboundEmails::Table,
            [OutboundEmails::Status, OutboundEmails::NextAttemptAt],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::OccurredAt))
                    .col(big_integer_null(AuditEvents::ActorAccountId))
                    .col(big_integer_null(AuditEvents::OnBehalfOfAccountId))
                    .col(big_integer_null(AuditEvents::WorksiteId))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::Target, 255))
                    .col(string_len_null(AuditEvents::ClientAddr, 64))
                    .col(text(AuditEvents::Details))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_audit_events_occurred_at", AuditEvents::OccurredAt),
            ("ix_audit_events_actor", AuditEvents::ActorAccountId),
            ("ix_audit_events_worksite", AuditEvents::WorksiteId),
        ] {
            index(manager, name, AuditEvents::Table, [column], false).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            vec![
                AuditEvents::Table.into_iden(),
                OutboundEmails::Table.into_iden(),
                Sessions::Table.into_iden(),
                OneTimeTokens::Table.into_iden(),
                AccountIdentities::Table.into_iden(),
                Accounts::Table.into_iden(),
                Professions::Table.into_iden(),
            ],
        )
        .await
    }
}
