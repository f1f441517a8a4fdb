//! The site-level Privacy & Security declaration: signed once per worksite and version by an
//! administrator who has signing authority for the worksite.

use super::agreement::DECLARATION_VERSION;
use super::hpcaa::typed_name;
use super::types::{DeclarationSigning, DeclarationView, SignedDeclaration};
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::site_declaration;
use crate::error::{AppError, FieldErrors, Refusal};
use crate::memberships::service::{administered, as_member};
use crate::platform::{db::insert_unique, time::display_time, Change};
use crate::professions::service::person;
use crate::worksites::types::WorksiteId;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

fn signed(row: site_declaration::Model) -> SignedDeclaration {
    SignedDeclaration {
        name: row.signer_name,
        title: row.signer_title,
        signed_on: display_time(row.signed_at),
        version: row.version,
    }
}

/// The worksite's declaration of the current version, if signed.
pub async fn declaration_of(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
) -> Result<Option<SignedDeclaration>, AppError> {
    Ok(site_declaration::Entity::find()
        .filter(site_declaration::Column::WorksiteId.eq(worksite_id))
        .filter(site_declaration::Column::Version.eq(DECLARATION_VERSION))
        .one(conn)
        .await?
        .map(signed))
}

/// What a member of the worksite sees of its declaration.
pub async fn view(
    conn: &impl ConnectionTrait,
    account_id: i64,
    code: &WorksiteId,
) -> Result<DeclarationView, AppError> {
    let (worksite, membership) = as_member(conn, account_id, code).await?;
    let who = person(conn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(DeclarationView {
        viewer_is_admin: membership.is_admin,
        legal_name: who.name(),
        signature: declaration_of(conn, worksite.id).await?,
    })
}

/// "Sign Declaration": an administrator of the worksite, with signing authority, for the
/// current version.
pub async fn sign(
    change: &mut Change<'_>,
    code: &WorksiteId,
    form: &DeclarationSigning,
) -> Result<SignedDeclaration, AppError> {
    let worksite = administered(change, code).await?;
    let account_id = change.account()?;
    let txn = change.db();
    let who = person(txn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let mut errors = FieldErrors::new();
    let name = typed_name(&form.full_name, &who.name(), &mut errors);
    let title = form.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        errors.add(
            "title",
            "Enter your title or role at the worksite (e.g. Owner, Medical Director).",
        );
    } else if title.chars().count() > 100 {
        errors.add("title", "Use at most 100 characters.");
    } else if crate::text::has_hidden_characters(&title, false) {
        errors.add("title", crate::text::HIDDEN_CHARACTERS);
    }
    if form.signing_authority.is_none() {
        errors.add("signing_authority", "Only a person with signing authority for the worksite may sign the declaration. Confirm that you have it, or ask the person who does.");
    }
    if form.agree.is_none() {
        errors.add("agree", "Confirm the declaration for the worksite.");
    }
    errors.into_result()?;
    let row = insert_unique(
        txn,
        site_declaration::ActiveModel {
            worksite_id: Set(worksite.id),
            version: Set(DECLARATION_VERSION.to_owned()),
            signer_account_id: Set(account_id),
            signer_name: Set(name),
            signer_title: Set(title),
            signed_at: Set(Utc::now()),
            client_addr: Set(change.actor().addr.clone()),
            ..Default::default()
        },
        || {
            AppError::Conflict(Refusal::Because(format!(
                "The declaration for {} has already been signed.",
                worksite.name
            )))
        },
    )
    .await?;
    change.audit(
        AuditEntry::new(
            AuditAction::SiteDeclarationSigned,
            format!("worksite:{}", worksite.code),
        )
        .at_worksite(worksite.id)
        .with_details(serde_json::json!({ "version": DECLARATION_VERSION, "declaration": row.id })),
    );
    Ok(signed(row))
}
