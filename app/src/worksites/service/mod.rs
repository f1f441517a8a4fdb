//! The worksite rules over a database connection.

pub mod address_lookup;
mod emails;
pub mod search;
pub mod staff;

use super::types::*;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{membership, worksite};
use crate::error::{AppError, FieldErrors};
use crate::memberships::types::MembershipStatus;
use crate::memberships::{
    self,
    service::{administered, as_member},
};
use crate::platform::{
    quota::{self, Quota},
    Change,
};
use crate::professions;
use chrono::Utc;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, SqlErr,
};
use serde_json::json;

const ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// A fresh random Worksite ID: 7 uppercase letters and digits (36^7 ≈ 7.8 × 10^10).
pub fn new_worksite_id() -> WorksiteId {
    let mut rng = rand::rng();
    let id: String = (0..WorksiteId::LENGTH)
        .map(|_| ID_ALPHABET[rng.random_range(0..ID_ALPHABET.len())] as char)
        .collect();
    WorksiteId::parse(&id).expect("the alphabet holds letters and digits only")
}

/// What makes two registrations the same place: unit, street and postal code, normalised.
pub fn address_key(unit: Option<&str>, street: &str, postal_code: &str) -> String {
    let plain = |text: &str| {
        text.to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "{}|{}|{}",
        plain(unit.unwrap_or_default()),
        plain(street),
        plain(postal_code).replace(' ', "")
    )
}

pub fn address_of(row: &worksite::Model) -> Address {
    Address {
        unit: row.unit.clone(),
        street: row.street.clone(),
        city: row.city.clone(),
        province: row.province.clone(),
        postal_code: row.postal_code.clone(),
        country: row.country.clone(),
    }
}

pub fn summary_of(row: &worksite::Model) -> WorksiteSummary {
    WorksiteSummary {
        code: row.code.clone(),
        name: row.name.clone(),
        address: address_of(row).display(),
        worksite_type: WorksiteType::from_code(&row.worksite_type).unwrap_or(WorksiteType::Other),
    }
}

struct ValidWorksite {
    name: String,
    worksite_type: WorksiteType,
    unit: Option<String>,
    street: String,
    city: String,
    postal_code: String,
    phone: String,
    phone_extension: Option<String>,
    email: String,
    emr: String,
    clinic_type: String,
}

fn required(value: &str, field: &str, message: &str, errors: &mut FieldErrors) -> String {
    let value = value.trim();
    if value.is_empty() {
        errors.add(field, message);
    } else if value.chars().count() > 200 {
        errors.add(field, "Use at most 200 characters.");
    } else if crate::text::has_hidden_characters(value, false) {
        errors.add(field, crate::text::HIDDEN_CHARACTERS);
    }
    value.to_owned()
}

fn validate_contact(
    name: &str,
    phone: &str,
    extension: &str,
    email: &str,
    errors: &mut FieldErrors,
) -> (String, Option<String>, Option<String>, Option<String>) {
    use crate::accounts::types::{normalize_email, normalize_phone};
    let name = required(name, "name", "Enter the worksite's name.", errors);
    let phone = normalize_phone(phone)
        .map_err(|m| errors.add("phone", m))
        .ok();
    let extension = validate_extension(extension)
        .map_err(|m| errors.add("phone_extension", m))
        .ok()
        .flatten();
    let email = normalize_email(email)
        .map_err(|m| errors.add("email", m))
        .ok();
    (name, phone, extension, email)
}

/// The address fields: unit (optional), street, city and postal code.
fn validate_location(
    unit: &str,
    street: &str,
    city: &str,
    postal_code: &str,
    errors: &mut FieldErrors,
) -> (Option<String>, String, String, Option<String>) {
    let unit = Some(unit.trim().to_owned()).filter(|u| !u.is_empty());
    if unit.as_ref().is_some_and(|u| u.len() > 20) {
        errors.add("unit", "Use at most 20 characters.");
    }
    let street = required(street, "street", "Enter the street address.", errors);
    let city = required(city, "city", "Enter the city.", errors);
    let postal_code = normalize_postal_code(postal_code)
        .map_err(|m| errors.add("postal_code", m))
        .ok();
    (unit, street, city, postal_code)
}

/// The EMR and clinic type, each one of its list.
fn validate_practice(emr: &str, clinic_type: &str, errors: &mut FieldErrors) -> (String, String) {
    let (emr, clinic_type) = (emr.trim(), clinic_type.trim());
    if !EMRS.contains(&emr) {
        errors.add("emr", "Select the EMR the worksite uses (or None).");
    }
    if !CLINIC_TYPES.contains(&clinic_type) {
        errors.add("clinic_type", "Select the clinic type.");
    }
    (emr.to_owned(), clinic_type.to_owned())
}

fn validate(form: &WorksiteForm) -> Result<ValidWorksite, AppError> {
    let mut errors = FieldErrors::new();
    let (name, phone, phone_extension, email) = validate_contact(
        &form.name,
        &form.phone,
        &form.phone_extension,
        &form.email,
        &mut errors,
    );
    let worksite_type = WorksiteType::from_code(form.worksite_type.trim());
    if worksite_type.is_none() {
        errors.add("worksite_type", "Select the worksite type.");
    }
    let (unit, street, city, postal_code) = validate_location(
        &form.unit,
        &form.street,
        &form.city,
        &form.postal_code,
        &mut errors,
    );
    let (emr, clinic_type) = validate_practice(&form.emr, &form.clinic_type, &mut errors);
    match (worksite_type, postal_code, phone, email) {
        (Some(worksite_type), Some(postal_code), Some(phone), Some(email)) if errors.is_empty() => {
            Ok(ValidWorksite {
                name,
                worksite_type,
                unit,
                street,
                city,
                postal_code,
                phone,
                phone_extension,
                email,
                emr,
                clinic_type,
            })
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Registers a worksite; its registrant becomes its first Group / Site Administrator.
pub async fn register(
    change: &mut Change<'_>,
    form: &WorksiteForm,
) -> Result<RegistrationOutcome, AppError> {
    let valid = validate(form)?;
    let key = address_key(valid.unit.as_deref(), &valid.street, &valid.postal_code);
    let account_id = change.account()?;
    let txn = change.db();
    let registrant = crate::accounts::service::verified_account(txn, account_id).await?;
    if form.register_anyway.trim().is_empty() {
        let same_place = worksite::Entity::find()
            .filter(worksite::Column::AddressKey.eq(&key))
            .order_by_asc(worksite::Column::Name)
            .all(txn)
            .await?;
        if !same_place.is_empty() {
            return Ok(RegistrationOutcome::AddressInUse(
                same_place.iter().map(summary_of).collect(),
            ));
        }
    }
    quota::spend(change, Quota::WorksiteRegistrations).await?;
    let txn = change.db();
    let now = Utc::now();
    let mut attempt = 0;
    let row = loop {
        attempt += 1;
        let inserted = worksite::ActiveModel {
            code: Set(new_worksite_id()),
            name: Set(valid.name.clone()),
            worksite_type: Set(valid.worksite_type.code().to_owned()),
            unit: Set(valid.unit.clone()),
            street: Set(valid.street.clone()),
            city: Set(valid.city.clone()),
            province: Set("BC".to_owned()),
            postal_code: Set(valid.postal_code.clone()),
            country: Set("Canada".to_owned()),
            address_key: Set(key.clone()),
            phone: Set(valid.phone.clone()),
            phone_extension: Set(valid.phone_extension.clone()),
            email: Set(valid.email.clone()),
            emr: Set(valid.emr.clone()),
            clinic_type: Set(valid.clinic_type.clone()),
            created_by: Set(account_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await;
        match inserted {
            Ok(row) => break row,
            // A Worksite ID collision: draw another.
            Err(error)
                if attempt < 5
                    && matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
            {
                continue
            }
            Err(error) => return Err(error.into()),
        }
    };
    search::index(txn, &row).await?;
    memberships::service::insert_membership(txn, row.id, account_id, true).await?;
    if let Some(email) = &registrant.email {
        let link = change
            .state()
            .config
            .link(&format!("/worksites/{}", row.code));
        change.email(
            email,
            emails::worksite_registered(
                &registrant.full_name(),
                &row.name,
                row.code.as_str(),
                &link,
            ),
        );
    }
    change.audit(
        AuditEntry::new(AuditAction::WorksiteRegistered, format!("worksite:{}", row.code))
            .at_worksite(row.id)
            .with_details(json!({ "name": row.name, "type": row.worksite_type, "address": address_of(&row).display() })),
    );
    Ok(RegistrationOutcome::Registered(summary_of(&row)))
}

/// The worksites with these ids, by id, in one query.
pub async fn by_ids(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, worksite::Model>, DbErr> {
    Ok(worksite::Entity::find()
        .filter(worksite::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect())
}

pub async fn find_by_code(
    conn: &impl ConnectionTrait,
    code: &WorksiteId,
) -> Result<Option<worksite::Model>, DbErr> {
    worksite::Entity::find()
        .filter(worksite::Column::Code.eq(code.clone()))
        .one(conn)
        .await
}

/// "I was provided code to register with": the worksite with the Worksite ID as typed.
pub async fn look_up(
    conn: &impl ConnectionTrait,
    typed: &str,
) -> Result<WorksiteSummary, AppError> {
    let code =
        WorksiteId::parse(typed).map_err(|message| AppError::invalid("worksite_id", message))?;
    find_by_code(conn, &code)
        .await?
        .map(|row| summary_of(&row))
        .ok_or_else(|| {
            AppError::invalid(
                "worksite_id",
                "No worksite has this Worksite ID. Please check it with your site administrator.",
            )
        })
}

pub async fn details(
    conn: &impl ConnectionTrait,
    account_id: i64,
    code: &WorksiteId,
) -> Result<WorksiteDetails, AppError> {
    let (row, membership) = as_member(conn, account_id, code).await?;
    let viewer = crate::accounts::service::find(conn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let profession = professions::service::find(conn, viewer.profession_id)
        .await?
        .ok_or(AppError::Internal)?;
    Ok(WorksiteDetails {
        code: row.code.clone(),
        name: row.name.clone(),
        worksite_type: WorksiteType::from_code(&row.worksite_type).unwrap_or(WorksiteType::Other),
        address: address_of(&row),
        phone: row.phone,
        phone_extension: row.phone_extension,
        email: row.email,
        emr: row.emr,
        clinic_type: row.clinic_type,
        viewer_is_admin: membership.is_admin,
        viewer_user_type: profession.user_type,
    })
}

pub async fn my_worksites(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Vec<MyWorksite>, AppError> {
    let rows = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .find_also_related(worksite::Entity)
        .all(conn)
        .await?;
    let mut mine: Vec<MyWorksite> = rows
        .into_iter()
        .filter_map(|(membership, worksite)| {
            worksite.map(|worksite| MyWorksite {
                worksite: summary_of(&worksite),
                is_admin: membership.is_admin,
                active: membership.status == MembershipStatus::Active,
            })
        })
        .collect();
    mine.sort_by(|a, b| (!a.active, &a.worksite.name).cmp(&(!b.active, &b.worksite.name)));
    Ok(mine)
}

/// "Update Worksite": administrators change the name, phone, extension and email.
pub async fn update(
    change: &mut Change<'_>,
    code: &WorksiteId,
    form: &WorksiteEditForm,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let (name, phone, phone_extension, email) = validate_contact(
        &form.name,
        &form.phone,
        &form.phone_extension,
        &form.email,
        &mut errors,
    );
    let row = administered(change, code).await?;
    let (Some(phone), Some(email)) = (phone, email) else {
        return Err(AppError::Invalid(errors));
    };
    errors.into_result()?;
    let mut active: worksite::ActiveModel = row.clone().into();
    active.name = Set(name);
    active.phone = Set(phone);
    active.phone_extension = Set(phone_extension);
    active.email = Set(email);
    let edit = Edit {
        action: AuditAction::WorksiteUpdated,
        describe: |row| json!({ "name": row.name, "phone": row.phone, "phone_extension": row.phone_extension, "email": row.email }),
    };
    save_edit(change, &row, active, edit).await
}

/// How the audit event of a worksite's change names it and describes its fields.
struct Edit {
    action: AuditAction,
    describe: fn(&worksite::Model) -> serde_json::Value,
}

/// Saves an edited worksite, re-indexes its address search terms, and audits the fields before
/// and after.
async fn save_edit(
    change: &mut Change<'_>,
    before: &worksite::Model,
    mut active: worksite::ActiveModel,
    edit: Edit,
) -> Result<(), AppError> {
    active.updated_at = Set(Utc::now());
    let updated = active.update(change.db()).await?;
    search::index(change.db(), &updated).await?;
    change.audit(
        AuditEntry::new(edit.action, format!("worksite:{}", updated.code))
            .at_worksite(updated.id)
            .with_details(
                json!({ "old": (edit.describe)(before), "new": (edit.describe)(&updated) }),
            ),
    );
    Ok(())
}
