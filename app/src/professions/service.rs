use super::types::{Profession, ProfessionForm, UserType};
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{account, profession};
use crate::error::AppError;
use crate::platform::{db::insert_unique, Change};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use serde_json::json;
use std::collections::HashMap;

impl From<profession::Model> for Profession {
    fn from(row: profession::Model) -> Self {
        Profession {
            id: row.id,
            user_type: UserType::from_code(&row.user_type).unwrap_or(UserType::OnBehalfOf),
            name: row.name,
            designation_order: row.designation_order,
            requires_licence: row.requires_licence,
            requires_hpcaa: row.requires_hpcaa,
        }
    }
}

pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<Profession>, DbErr> {
    Ok(profession::Entity::find()
        .order_by_asc(profession::Column::SortOrder)
        .all(conn)
        .await?
        .into_iter()
        .map(Profession::from)
        .collect())
}

pub async fn find(conn: &impl ConnectionTrait, id: i32) -> Result<Option<Profession>, DbErr> {
    Ok(profession::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(Profession::from))
}

/// An account with its profession: who someone is and what their user type lets them do.
#[derive(Debug, Clone)]
pub struct Person {
    pub account: account::Model,
    pub profession: Profession,
}

impl Person {
    pub fn user_type(&self) -> UserType {
        self.profession.user_type
    }

    pub fn name(&self) -> String {
        self.account.full_name()
    }
}

pub async fn person(conn: &impl ConnectionTrait, account_id: i64) -> Result<Option<Person>, DbErr> {
    Ok(people(conn, &[account_id]).await?.remove(&account_id))
}

/// The accounts with these ids and their professions, in two queries (the catalogue is small).
pub async fn people(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Person>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let catalogue: HashMap<i32, Profession> = list(conn)
        .await?
        .into_iter()
        .map(|profession| (profession.id, profession))
        .collect();
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|account| {
            let profession = catalogue.get(&account.profession_id)?.clone();
            Some((
                account.id,
                Person {
                    account,
                    profession,
                },
            ))
        })
        .collect())
}

/// A stable code for a new profession's name: lower-case words joined by underscores.
fn code_for(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// A profession as saved, and whether its user type changed.
pub struct Saved {
    pub profession: Profession,
    pub user_type_changed: bool,
}

/// Adds or changes a profession (staff only). What a new user type changes elsewhere is
/// `flows::professions`' business.
pub async fn save(change: &mut Change<'_>, form: &ProfessionForm) -> Result<Saved, AppError> {
    let valid = form.validate()?;
    let staff_id = change.account()?;
    let txn = change.db();
    crate::platform::staff::require_staff(txn, staff_id).await?;
    let same_name = profession::Entity::find()
        .filter(
            Expr::expr(Func::lower(Expr::col(profession::Column::Name)))
                .eq(valid.name.to_lowercase()),
        )
        .one(txn)
        .await?;
    if same_name.is_some_and(|other| Some(other.id) != valid.id) {
        return Err(AppError::invalid(
            "name",
            "Another profession has this name.",
        ));
    }
    let (row, before) = match valid.id {
        Some(id) => {
            let existing = profession::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::invalid("name", "This profession does not exist."))?;
            let before = Profession::from(existing.clone());
            let mut row: profession::ActiveModel = existing.into();
            row.name = Set(valid.name.clone());
            row.user_type = Set(valid.user_type.code().to_owned());
            row.designation_order = Set(valid.designation_order);
            row.requires_licence = Set(valid.requires_licence);
            row.requires_hpcaa = Set(valid.requires_hpcaa);
            (row.update(txn).await?, Some(before))
        }
        None => {
            let next_order = profession::Entity::find()
                .order_by_desc(profession::Column::SortOrder)
                .one(txn)
                .await?
                .map_or(0, |last| last.sort_order + 1);
            let row = insert_unique(
                txn,
                profession::ActiveModel {
                    code: Set(code_for(&valid.name)),
                    name: Set(valid.name.clone()),
                    user_type: Set(valid.user_type.code().to_owned()),
                    designation_order: Set(valid.designation_order),
                    requires_licence: Set(valid.requires_licence),
                    requires_hpcaa: Set(valid.requires_hpcaa),
                    sort_order: Set(next_order),
                    ..Default::default()
                },
                || {
                    AppError::invalid(
                        "name",
                        "Another profession has a name too close to this one.",
                    )
                },
            )
            .await?;
            (row, None)
        }
    };
    let saved = Profession::from(row);
    let user_type_changed = before
        .as_ref()
        .is_some_and(|before| before.user_type != saved.user_type);
    let action = if before.is_some() {
        AuditAction::ProfessionUpdated
    } else {
        AuditAction::ProfessionAdded
    };
    change.audit(
        AuditEntry::new(action, format!("profession:{}", saved.id)).with_details(json!({
            "name": saved.name,
            "user_type": saved.user_type.code(),
            "designation_order": saved.designation_order,
            "requires_licence": saved.requires_licence,
            "requires_hpcaa": saved.requires_hpcaa,
            "previous_user_type": before.map(|b| b.user_type.code()),
        })),
    );
    Ok(Saved {
        profession: saved,
        user_type_changed,
    })
}
