//! The CareConnect team's worksite lookup, and the fields only they change.

use super::{
    address_key, address_of, save_edit, search, summary_of, validate_location, validate_practice,
    Edit,
};
use crate::audit::AuditAction;
use crate::entities::{account, membership, worksite};
use crate::error::{AppError, FieldErrors};
use crate::memberships::service::find_locked;
use crate::memberships::types::MembershipStatus;
use crate::platform::staff::require_staff;
use crate::platform::{time::display_time, Change};
use crate::privacy::declaration::declaration_of;
use crate::worksites::types::WorksiteId;
use crate::worksites::types::*;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

/// Worksites by Worksite ID, or by words of their name and address.
pub async fn lookup(
    conn: &impl ConnectionTrait,
    staff_id: i64,
    query: &str,
) -> Result<Vec<WorksiteSummary>, AppError> {
    require_staff(conn, staff_id).await?;
    if let Ok(code) = WorksiteId::parse(query) {
        if let Some(row) = super::find_by_code(conn, &code).await? {
            return Ok(vec![summary_of(&row)]);
        }
    }
    Ok(search::search(conn, query).await?)
}

async fn members(
    conn: &impl ConnectionTrait,
    worksite_id: i64,
    status: MembershipStatus,
) -> Result<u64, AppError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::WorksiteId.eq(worksite_id))
        .filter(membership::Column::Status.eq(status))
        .count(conn)
        .await?)
}

/// One worksite, for the CareConnect team.
pub async fn view(
    conn: &impl ConnectionTrait,
    staff_id: i64,
    code: &WorksiteId,
) -> Result<StaffWorksite, AppError> {
    require_staff(conn, staff_id).await?;
    let row = super::find_by_code(conn, code)
        .await?
        .ok_or_else(no_such_worksite)?;
    let admin_ids: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::WorksiteId.eq(row.id))
        .filter(membership::Column::Status.eq(MembershipStatus::Active))
        .filter(membership::Column::IsAdmin.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.account_id)
        .collect();
    let mut administrators: Vec<String> = account::Entity::find()
        .filter(account::Column::Id.is_in(admin_ids))
        .all(conn)
        .await?
        .iter()
        .map(account::Model::full_name)
        .collect();
    administrators.sort();
    Ok(StaffWorksite {
        code: row.code.clone(),
        name: row.name.clone(),
        worksite_type: summary_of(&row).worksite_type,
        address: address_of(&row),
        phone: row.phone.clone(),
        email: row.email.clone(),
        emr: row.emr.clone(),
        clinic_type: row.clinic_type.clone(),
        registered_on: display_time(row.created_at),
        active_members: members(conn, row.id, MembershipStatus::Active).await?,
        inactive_members: members(conn, row.id, MembershipStatus::Inactive).await?,
        administrators,
        declaration: declaration_of(conn, row.id)
            .await?
            .map(|d| format!("{} ({}), {}", d.name, d.title, d.signed_on)),
    })
}

/// The CareConnect team changes the address, EMR or clinic type; the old and new values are
/// audited and the address search follows.
pub async fn update_locked(
    change: &mut Change<'_>,
    code: &WorksiteId,
    form: &LockedFieldsForm,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let (unit, street, city, postal_code) = validate_location(
        &form.unit,
        &form.street,
        &form.city,
        &form.postal_code,
        &mut errors,
    );
    let (emr, clinic_type) = validate_practice(&form.emr, &form.clinic_type, &mut errors);
    require_staff(change.db(), change.account()?).await?;
    let row = find_locked(change, code)
        .await?
        .ok_or_else(no_such_worksite)?;
    let Some(postal_code) = postal_code else {
        return Err(AppError::Invalid(errors));
    };
    errors.into_result()?;
    let mut active: worksite::ActiveModel = row.clone().into();
    active.address_key = Set(address_key(unit.as_deref(), &street, &postal_code));
    active.unit = Set(unit);
    active.street = Set(street);
    active.city = Set(city);
    active.postal_code = Set(postal_code);
    active.emr = Set(emr);
    active.clinic_type = Set(clinic_type);
    let edit = Edit {
        action: AuditAction::WorksiteLockedFieldsUpdated,
        describe: |row| json!({ "address": address_of(row).display(), "emr": row.emr, "clinic_type": row.clinic_type }),
    };
    save_edit(change, &row, active, edit).await
}
