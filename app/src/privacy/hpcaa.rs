//! Signing the HPCAA: who must, the typed full name and confirmation, one signature per person
//! and version.

use super::agreement::HPCAA_VERSION;
use super::types::{HpcaaSigning, HpcaaView, SignedAgreement};
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::hpcaa_signature;
use crate::error::{AppError, FieldErrors};
use crate::platform::{db::insert_unique, time::display_time, Change};
use crate::professions::{
    service::{person, Person},
    types::UserType,
};
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Why the person does not sign, or `None` when they must.
pub fn exemption(who: &Person) -> Option<String> {
    match who.user_type() {
        UserType::OnBehalfOf => Some("On-Behalf-Of users do not sign the HPCAA: the Authorizers who sponsor them have signed it.".to_owned()),
        _ if !who.profession.requires_hpcaa => Some(format!(
            "Your profession, {}, does not sign the HPCAA.",
            who.profession.name
        )),
        _ => None,
    }
}

fn comparable(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A signature's typed full name, which must be the signer's legal name (field `full_name`).
pub(super) fn typed_name(typed: &str, legal_name: &str, errors: &mut FieldErrors) -> String {
    let typed = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if typed.is_empty() {
        errors.add("full_name", "Type your full name to sign.");
    } else if comparable(&typed) != comparable(legal_name) {
        errors.add(
            "full_name",
            format!("Type your full name as your identity provider gave it: {legal_name}."),
        );
    }
    typed
}

fn signed(row: hpcaa_signature::Model) -> SignedAgreement {
    SignedAgreement {
        name: row.signed_name,
        signed_on: display_time(row.signed_at),
        version: row.version,
    }
}

/// The person's signature of the current version, if any.
pub async fn signature_of(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Option<SignedAgreement>, AppError> {
    Ok(hpcaa_signature::Entity::find()
        .filter(hpcaa_signature::Column::AccountId.eq(account_id))
        .filter(hpcaa_signature::Column::Version.eq(HPCAA_VERSION))
        .one(conn)
        .await?
        .map(signed))
}

pub async fn view(conn: &impl ConnectionTrait, account_id: i64) -> Result<HpcaaView, AppError> {
    let who = person(conn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    Ok(HpcaaView {
        exemption: exemption(&who),
        legal_name: who.name(),
        signature: signature_of(conn, account_id).await?,
    })
}

/// "Sign Agreement": the typed name must be the person's legal name, and they must confirm.
pub async fn sign(
    change: &mut Change<'_>,
    form: &HpcaaSigning,
) -> Result<SignedAgreement, AppError> {
    let account_id = change.account()?;
    let txn = change.db();
    let who = person(txn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if let Some(reason) = exemption(&who) {
        return Err(AppError::Refused(reason.into()));
    }
    let mut errors = FieldErrors::new();
    let typed = typed_name(&form.full_name, &who.name(), &mut errors);
    if form.agree.is_none() {
        errors.add(
            "agree",
            "Confirm that you have read and agree to the agreement.",
        );
    }
    errors.into_result()?;
    let row = insert_unique(
        txn,
        hpcaa_signature::ActiveModel {
            account_id: Set(account_id),
            version: Set(HPCAA_VERSION.to_owned()),
            signed_name: Set(typed),
            signed_at: Set(Utc::now()),
            client_addr: Set(change.actor().addr.clone()),
            ..Default::default()
        },
        || AppError::Conflict("You have already signed this version of the HPCAA.".into()),
    )
    .await?;
    change.audit(
        AuditEntry::new(
            AuditAction::HpcaaSigned,
            format!("hpcaa_signature:{}", row.id),
        )
        .with_details(serde_json::json!({ "version": HPCAA_VERSION })),
    );
    Ok(signed(row))
}
