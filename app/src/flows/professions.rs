//! A change to the profession catalogue, with what a new user type changes for the people who
//! practise it.

use crate::error::AppError;
use crate::memberships::service::regroup_profession;
use crate::platform::Change;
use crate::professions::{
    service as professions,
    types::{Profession, ProfessionForm},
};
use crate::sponsorships::service::{end_automatically, Ending};

/// The CareConnect team adds or changes a profession. When its user type changes, its
/// practitioners move to their new group in every member list, and the sponsorships that no
/// longer join an Authorizer and an On-Behalf-Of user end (both people are told).
pub async fn save_profession(
    change: &mut Change<'_>,
    form: &ProfessionForm,
) -> Result<Profession, AppError> {
    let saved = professions::save(change, form).await?;
    let profession = saved.profession;
    if saved.user_type_changed {
        regroup_profession(change.db(), profession.id, profession.user_type).await?;
        end_automatically(
            change,
            Ending::Profession {
                profession_id: profession.id,
            },
        )
        .await?;
    }
    Ok(profession)
}
