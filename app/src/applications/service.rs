//! CareConnect applications: the enrolment form, the CareConnect team's queue and decisions,
//! and the requirements an approval checks.

use super::emails;
use super::types::*;
use crate::access::service::{grant_at, membership_refusal, profession_refusal, worksite_refusal};
use crate::access::types::undesignated_notice;
use crate::accounts::service::identity_validated;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{
    account, careconnect_access, careconnect_application as application, membership, worksite,
};
use crate::error::{AppError, FieldErrors, Refusal};
use crate::mail::message::Email;
use crate::memberships::service::{find_locked, lock_worksite};
use crate::memberships::types::MembershipStatus;
use crate::notifications::types::NotificationKind;
use crate::platform::staff::require_staff;
use crate::platform::{db::insert_unique, time::display_time, Change};
use crate::privacy::{declaration::declaration_of, hpcaa, service::course_status};
use crate::professions::{
    service::{people, person, Person},
    types::UserType,
};
use crate::worksites::service::{by_ids, summary_of};
use crate::worksites::types::{WorksiteId, WorksiteType};
use chrono::{Duration, Utc};
use sea_orm::{
    sea_query::{Expr, Query},
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use sea_orm::{ExprTrait, Set};
use serde_json::json;

/// Where applicants follow their applications.
pub const APPLICATIONS_LINK: &str = "/applications";
pub const SUBMITTED: &str = "Your CareConnect request has been submitted and is pending approval.";
const PAGE_SIZE: u64 = 25;
const MESSAGE_LIMIT: usize = 1000;

fn open_statuses() -> [ApplicationStatus; 3] {
    [
        ApplicationStatus::Submitted,
        ApplicationStatus::InReview,
        ApplicationStatus::Returned,
    ]
}

/// A requirement: met with how, or unmet with what is missing.
fn requirement(label: &str, outcome: Result<String, String>) -> Requirement {
    let met = outcome.is_ok();
    Requirement {
        label: label.to_owned(),
        met,
        detail: outcome.unwrap_or_else(|missing| missing),
    }
}

/// Met (with how) unless there is a refusal.
fn unless(refusal: Option<String>, met: String) -> Result<String, String> {
    refusal.map_or(Ok(met), Err)
}

/// The requirements of approval (DESIGN §4), for this person and worksite.
pub async fn checklist(
    conn: &impl ConnectionTrait,
    who: &Person,
    worksite: &worksite::Model,
) -> Result<Vec<Requirement>, AppError> {
    let identity = if identity_validated(conn, who.account.id).await? {
        Ok("Validated with the BC Services Card.".to_owned())
    } else {
        Err("The identity has not been validated with the BC Services Card.".to_owned())
    };
    let course = course_status(conn, who.account.id)
        .await?
        .completed_on
        .map(|date| format!("Completed on {date}."))
        .ok_or_else(|| {
            "The Learning Hub has not reported a completion for the verified email address yet."
                .to_owned()
        });
    let hpcaa = match hpcaa::exemption(who) {
        Some(reason) => Ok(reason),
        None => hpcaa::signature_of(conn, who.account.id)
            .await?
            .map(|signed| format!("Signed on {}.", signed.signed_on))
            .ok_or_else(|| "The HPCAA has not been signed yet.".to_owned()),
    };
    let declaration = declaration_of(conn, worksite.id)
        .await?
        .map(|signed| {
            format!(
                "Signed by {} ({}) on {}.",
                signed.name, signed.title, signed.signed_on
            )
        })
        .ok_or_else(|| {
            format!(
                "No administrator with signing authority has signed the declaration for {} yet.",
                worksite.name
            )
        });
    let worksite_type = WorksiteType::from_code(&worksite.worksite_type)
        .unwrap_or(WorksiteType::Other)
        .label();
    Ok(vec![
        requirement("Identity validated", identity),
        requirement(
            "Profession designated",
            unless(
                profession_refusal(who).map(|refusal| refusal.to_string()),
                format!("{} has a Designation Order.", who.profession.name),
            ),
        ),
        requirement(
            "Worksite eligible",
            unless(
                worksite_refusal(conn, who, worksite).await?,
                format!("A {worksite_type} worksite may be granted CareConnect access."),
            ),
        ),
        requirement(
            "Membership active",
            unless(
                membership_refusal(conn, who, worksite).await?,
                format!("An active member of {}.", worksite.name),
            ),
        ),
        requirement("P&S course complete", course),
        requirement("HPCAA signed", hpcaa),
        requirement("Site-level P&S declaration", declaration),
    ])
}

/// The application as shown; its checklist (several queries) only where it is read: for the
/// CareConnect team always, for the applicant while the application is open.
async fn view_of(
    conn: &impl ConnectionTrait,
    row: application::Model,
    worksite: &worksite::Model,
    who: &Person,
    for_staff: bool,
) -> Result<ApplicationView, AppError> {
    let status = row.status;
    let checklist = if for_staff || status.is_open() {
        checklist(conn, who, worksite).await?
    } else {
        Vec::new()
    };
    Ok(ApplicationView {
        id: row.id,
        worksite: summary_of(worksite),
        status,
        licence_number: row.licence_number,
        has_health_authority_access: row.has_health_authority_access,
        health_authority_details: row.health_authority_details,
        direct_patient_care: row.direct_patient_care,
        staff_message: row.staff_message,
        submitted_on: display_time(row.submitted_at),
        updated_on: display_time(row.updated_at),
        checklist,
    })
}

/// The "CareConnect" module: whether the person may apply, from where, and their applications.
pub async fn mine(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<MyApplications, AppError> {
    let who = person(conn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let memberships = membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .filter(membership::Column::Status.eq(MembershipStatus::Active))
        .all(conn)
        .await?;
    let rows = application::Entity::find()
        .filter(application::Column::AccountId.eq(account_id))
        .order_by_desc(application::Column::SubmittedAt)
        .order_by_desc(application::Column::Id)
        .all(conn)
        .await?;
    let sites = by_ids(
        conn,
        memberships
            .iter()
            .map(|m| m.worksite_id)
            .chain(rows.iter().map(|r| r.worksite_id)),
    )
    .await?;
    let cannot_apply = if who.user_type() == UserType::OnBehalfOf {
        Some("As an On-Behalf-Of user you see CareConnect through the Authorizers who sponsor you: ask for sponsorship on your worksite's My Sponsors tab.".to_owned())
    } else if !who.profession.designation_order {
        Some(undesignated_notice(&who.profession.name))
    } else if memberships.is_empty() {
        Some("CareConnect access is requested from a worksite you are an active member of. Join or register your worksite first, under Worksite Access.".to_owned())
    } else {
        None
    };
    let mut worksites = Vec::new();
    for membership in &memberships {
        if let Some(site) = sites.get(&membership.worksite_id) {
            worksites.push(WorksiteChoice {
                worksite: summary_of(site),
                refusal: worksite_refusal(conn, &who, site).await?,
            });
        }
    }
    worksites.sort_by(|a, b| a.worksite.name.cmp(&b.worksite.name));
    let mut applications = Vec::new();
    for row in rows {
        if let Some(site) = sites.get(&row.worksite_id) {
            applications.push(view_of(conn, row, site, &who, false).await?);
        }
    }
    Ok(MyApplications {
        cannot_apply,
        worksites,
        licence_number: who.account.licence_number.clone(),
        applications,
    })
}

/// The form's answers, checked field by field.
struct Answers {
    licence_number: String,
    has_health_authority_access: bool,
    health_authority_details: Option<String>,
}

fn validate(form: &EnrolmentForm, who: &Person, errors: &mut FieldErrors) -> Option<Answers> {
    let licence_number = form.licence_number.trim().to_owned();
    if licence_number.is_empty() && who.profession.requires_licence {
        errors.add(
            "licence_number",
            "Enter your licence or college registration number.",
        );
    } else if licence_number.chars().count() > 64 {
        errors.add("licence_number", "Use at most 64 characters.");
    }
    let has_access = match form.health_authority_access.as_deref() {
        Some("yes") => Some(true),
        Some("no") => Some(false),
        _ => {
            errors.add(
                "health_authority_access",
                "Answer whether you already have CareConnect access through a health authority.",
            );
            None
        }
    };
    let details = form.health_authority_details.trim().to_owned();
    if has_access == Some(true) && details.is_empty() {
        errors.add(
            "health_authority_details",
            "Name the health authority through which you have CareConnect access.",
        );
    } else if details.chars().count() > 500 {
        errors.add("health_authority_details", "Use at most 500 characters.");
    }
    if form.direct_patient_care.is_none() {
        errors.add("direct_patient_care", "CareConnect access is for direct patient care only: confirm that you will use it for that.");
    }
    Some(Answers {
        licence_number,
        has_health_authority_access: has_access?,
        health_authority_details: Some(details)
            .filter(|d| has_access == Some(true) && !d.is_empty()),
    })
}

/// "Submit" on the CareConnect Enrolment Form: a new application, or (with `resubmit`) the
/// applicant's returned one, updated.
pub async fn submit(
    change: &mut Change<'_>,
    form: &EnrolmentForm,
    resubmit: Option<i64>,
) -> Result<String, AppError> {
    let account_id = change.account()?;
    let txn = change.db();
    let who = person(txn, account_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if let Some(reason) = profession_refusal(&who) {
        return Err(AppError::Refused(reason));
    }
    let mut errors = FieldErrors::new();
    let chosen = match WorksiteId::parse(&form.worksite) {
        Ok(code) => find_locked(change, &code).await?,
        Err(_) => None,
    };
    let site = match chosen {
        Some(site) => {
            if membership_refusal(txn, &who, &site).await?.is_some() {
                errors.add("worksite", "Choose a worksite you are an active member of.");
                None
            } else if let Some(reason) = worksite_refusal(txn, &who, &site).await? {
                errors.add("worksite", reason);
                None
            } else {
                Some(site)
            }
        }
        None => {
            errors.add(
                "worksite",
                "Choose the worksite you will access CareConnect from.",
            );
            None
        }
    };
    let answers = validate(form, &who, &mut errors);
    errors.into_result()?;
    let (Some(site), Some(answers)) = (site, answers) else {
        return Err(AppError::Internal);
    };
    let has_access = careconnect_access::Entity::find()
        .filter(careconnect_access::Column::AccountId.eq(account_id))
        .filter(careconnect_access::Column::WorksiteId.eq(site.id))
        .filter(careconnect_access::Column::EndedAt.is_null())
        .count(txn)
        .await?;
    if has_access > 0 {
        return Err(AppError::Conflict(Refusal::Because(format!(
            "You already have CareConnect access from {}.",
            site.name
        ))));
    }
    let now = Utc::now();
    let (row, action) = match resubmit {
        Some(id) => {
            let updated = application::Entity::update_many()
                .col_expr(
                    application::Column::Status,
                    Expr::value(ApplicationStatus::Submitted),
                )
                .col_expr(
                    application::Column::LicenceNumber,
                    Expr::value(answers.licence_number),
                )
                .col_expr(
                    application::Column::HasHealthAuthorityAccess,
                    Expr::value(answers.has_health_authority_access),
                )
                .col_expr(
                    application::Column::HealthAuthorityDetails,
                    Expr::value(answers.health_authority_details),
                )
                .col_expr(application::Column::DirectPatientCare, Expr::value(true))
                .col_expr(
                    application::Column::StaffMessage,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(application::Column::UpdatedAt, Expr::value(now))
                .filter(application::Column::Id.eq(id))
                .filter(application::Column::AccountId.eq(account_id))
                .filter(application::Column::WorksiteId.eq(site.id))
                .filter(application::Column::Status.eq(ApplicationStatus::Returned))
                .exec(txn)
                .await?;
            if updated.rows_affected == 0 {
                return Err(AppError::Conflict("This application is not waiting for more information any more. The page now shows where it stands.".into()));
            }
            let row = application::Entity::find_by_id(id)
                .one(txn)
                .await?
                .ok_or(AppError::Internal)?;
            (row, AuditAction::ApplicationResubmitted)
        }
        None => {
            let row = insert_unique(
                txn,
                application::ActiveModel {
                    account_id: Set(account_id),
                    worksite_id: Set(site.id),
                    status: Set(ApplicationStatus::Submitted),
                    licence_number: Set(answers.licence_number),
                    has_health_authority_access: Set(answers.has_health_authority_access),
                    health_authority_details: Set(answers.health_authority_details),
                    direct_patient_care: Set(true),
                    staff_message: Set(None),
                    submitted_at: Set(now),
                    updated_at: Set(now),
                    reviewed_by: Set(None),
                    decided_by: Set(None),
                    decided_at: Set(None),
                    ..Default::default()
                },
                || {
                    AppError::Conflict(Refusal::Because(format!(
                        "You already have an open CareConnect request from {}. The page shows where it stands.",
                        site.name
                    )))
                },
            )
            .await?;
            (row, AuditAction::ApplicationSubmitted)
        }
    };
    let course_done = course_status(txn, account_id).await?.completed_on.is_some();
    let link = change.state().config.link(APPLICATIONS_LINK);
    tell(
        change,
        &who,
        emails::received(&who.name(), &site.name, course_done, &link),
        &format!(
            "Your CareConnect request for {} has been submitted and is pending approval.",
            site.name
        ),
    );
    change.audit(AuditEntry::new(action, format!("application:{}", row.id)).at_worksite(site.id));
    Ok(SUBMITTED.to_owned())
}

/// Emails (to the verified address) and notifies the applicant.
fn tell(change: &mut Change<'_>, applicant: &Person, email: Email, text: &str) {
    if let Some(address) = &applicant.account.email {
        change.email(address, email);
    }
    change.notify(
        applicant.account.id,
        NotificationKind::ApplicationChanged,
        text,
        APPLICATIONS_LINK,
    );
}

/// The CareConnect team's queue: open applications (or those of one status), oldest first.
pub async fn queue(
    conn: &impl ConnectionTrait,
    staff_id: i64,
    filter: &QueueFilter,
) -> Result<QueuePage, AppError> {
    require_staff(conn, staff_id).await?;
    let mut query = application::Entity::find();
    query = match ApplicationStatus::from_code(filter.status.trim()) {
        Some(status) => query.filter(application::Column::Status.eq(status)),
        None => query.filter(application::Column::Status.is_in(open_statuses())),
    };
    if let Some(worksite_type) = WorksiteType::from_code(filter.worksite_type.trim()) {
        query = query.filter(
            application::Column::WorksiteId.in_subquery(
                Query::select()
                    .column(worksite::Column::Id)
                    .from(worksite::Entity)
                    .and_where(Expr::col(worksite::Column::WorksiteType).eq(worksite_type.code()))
                    .to_owned(),
            ),
        );
    }
    if let Ok(profession) = filter.profession.trim().parse::<i32>() {
        query = query.filter(
            application::Column::AccountId.in_subquery(
                Query::select()
                    .column(account::Column::Id)
                    .from(account::Entity)
                    .and_where(Expr::col(account::Column::ProfessionId).eq(profession))
                    .to_owned(),
            ),
        );
    }
    if let Ok(days) = filter.older_than_days.trim().parse::<i64>() {
        if (1..=3650).contains(&days) {
            query = query
                .filter(application::Column::SubmittedAt.lte(Utc::now() - Duration::days(days)));
        }
    }
    let paginator = query
        .order_by_asc(application::Column::SubmittedAt)
        .order_by_asc(application::Column::Id)
        .paginate(conn, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(u64::from(filter.page)).await?;
    let applicants = people(conn, &rows.iter().map(|r| r.account_id).collect::<Vec<_>>()).await?;
    let sites = by_ids(conn, rows.iter().map(|r| r.worksite_id)).await?;
    let now = Utc::now();
    Ok(QueuePage {
        rows: rows
            .into_iter()
            .filter_map(|row| {
                let who = applicants.get(&row.account_id)?;
                let site = sites.get(&row.worksite_id)?;
                Some(QueueRow {
                    id: row.id,
                    applicant: who.name(),
                    profession: who.profession.name.clone(),
                    worksite: site.name.clone(),
                    worksite_type: summary_of(site).worksite_type,
                    status: row.status,
                    submitted_on: display_time(row.submitted_at),
                    age_days: (now - row.submitted_at).num_days(),
                })
            })
            .collect(),
        total,
        page: filter.page,
        page_size: PAGE_SIZE as u32,
    })
}

fn missing() -> AppError {
    AppError::NotFound("This application does not exist.".to_owned())
}

/// The application and its applicant.
async fn application_of(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<(application::Model, Person), AppError> {
    let row = application::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(missing)?;
    let who = person(conn, row.account_id).await?.ok_or_else(missing)?;
    Ok((row, who))
}

/// The application, its worksite and its applicant.
async fn load(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<(application::Model, worksite::Model, Person), AppError> {
    let (row, who) = application_of(conn, id).await?;
    let site = worksite::Entity::find_by_id(row.worksite_id)
        .one(conn)
        .await?
        .ok_or_else(missing)?;
    Ok((row, site, who))
}

/// One application, for the CareConnect team.
pub async fn detail(
    conn: &impl ConnectionTrait,
    staff_id: i64,
    id: i64,
) -> Result<ApplicationDetail, AppError> {
    require_staff(conn, staff_id).await?;
    let (row, site, who) = load(conn, id).await?;
    Ok(ApplicationDetail {
        applicant_id: who.account.id,
        applicant: who.name(),
        applicant_email: who.account.email.clone(),
        profession: who.profession.name.clone(),
        user_type: who.user_type().label().to_owned(),
        application: view_of(conn, row, &site, &who, true).await?,
    })
}

/// The statuses a decision starts from.
fn decided_from(decision: Decision) -> &'static [ApplicationStatus] {
    use ApplicationStatus::*;
    match decision {
        Decision::StartReview => &[Submitted],
        Decision::Approve | Decision::ReturnForInformation => &[Submitted, InReview],
        Decision::Deny => &[Submitted, InReview, Returned],
    }
}

/// A staff decision: start review, approve (refused while a requirement is unmet; grants the
/// access), deny with a reason, or return for information. It applies only while the
/// application is still as the deciding person saw it (`seen`), so concurrent decisions on one
/// application yield one outcome.
pub async fn decide(
    change: &mut Change<'_>,
    id: i64,
    decision: Decision,
    seen: ApplicationStatus,
    message: &str,
) -> Result<(), AppError> {
    let staff_id = change.account()?;
    let txn = change.db();
    require_staff(txn, staff_id).await?;
    let (row, who) = application_of(txn, id).await?;
    if row.account_id == staff_id {
        // Separation of duties: a team member who is also a practitioner is decided by another.
        return Err(AppError::Refused(
            "You cannot decide your own application: another member of the CareConnect team will."
                .into(),
        ));
    }
    let site = lock_worksite(txn, row.worksite_id)
        .await?
        .ok_or_else(missing)?;
    let from = decided_from(decision);
    let already = || {
        AppError::Conflict("This application has already been decided, perhaps by another member of the CareConnect team. The page now shows where it stands.".into())
    };
    if !from.contains(&seen) || row.status != seen {
        return Err(already());
    }
    let message = message.trim();
    let staff_message = if decision.needs_message() {
        if message.is_empty() {
            return Err(AppError::invalid(
                "message",
                match decision {
                    Decision::Deny => "Give the reason for the denial: the applicant reads it.",
                    _ => "Say what information the application needs: the applicant reads it.",
                },
            ));
        }
        if message.chars().count() > MESSAGE_LIMIT {
            return Err(AppError::invalid(
                "message",
                format!("Use at most {MESSAGE_LIMIT} characters."),
            ));
        }
        Some(message.to_owned())
    } else {
        None
    };
    if decision == Decision::Approve {
        let unmet: Vec<String> = checklist(txn, &who, &site)
            .await?
            .into_iter()
            .filter(|r| !r.met)
            .map(|r| format!("{}: {}", r.label, r.detail))
            .collect();
        if !unmet.is_empty() {
            return Err(AppError::Refused(Refusal::Because(format!(
                "This application cannot be approved yet. {}",
                unmet.join(" ")
            ))));
        }
    }
    let (status, action) = match decision {
        Decision::StartReview => (
            ApplicationStatus::InReview,
            AuditAction::ApplicationReviewStarted,
        ),
        Decision::Approve => (
            ApplicationStatus::Approved,
            AuditAction::ApplicationApproved,
        ),
        Decision::Deny => (ApplicationStatus::Denied, AuditAction::ApplicationDenied),
        Decision::ReturnForInformation => (
            ApplicationStatus::Returned,
            AuditAction::ApplicationReturned,
        ),
    };
    let now = Utc::now();
    let mut update = application::Entity::update_many()
        .col_expr(application::Column::Status, Expr::value(status))
        .col_expr(
            application::Column::StaffMessage,
            Expr::value(staff_message.clone()),
        )
        .col_expr(application::Column::UpdatedAt, Expr::value(now));
    update = if decision == Decision::StartReview {
        update.col_expr(application::Column::ReviewedBy, Expr::value(staff_id))
    } else {
        update
            .col_expr(application::Column::DecidedBy, Expr::value(staff_id))
            .col_expr(application::Column::DecidedAt, Expr::value(now))
    };
    let changed = update
        .filter(application::Column::Id.eq(id))
        .filter(application::Column::Status.eq(seen))
        .exec(txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(already());
    }
    if decision == Decision::Approve {
        grant_at(change, who.account.id, &site).await?;
    }
    let name = who.name();
    let config = &change.state().config;
    let link = config.link(APPLICATIONS_LINK);
    let (email, text) = match decision {
        Decision::StartReview => (
            emails::in_review(&name, &site.name, &link),
            format!("Your CareConnect request for {} is in review.", site.name),
        ),
        Decision::Approve => (
            emails::welcome_package(&name, &site.name, &config.link("/")),
            format!(
                "Your CareConnect request for {} has been approved.",
                site.name
            ),
        ),
        Decision::Deny => (
            emails::denied(&name, &site.name, message, &link),
            format!("Your CareConnect request for {} was denied.", site.name),
        ),
        Decision::ReturnForInformation => (
            emails::returned(&name, &site.name, message, &link),
            format!(
                "Your CareConnect request for {} needs more information.",
                site.name
            ),
        ),
    };
    tell(change, &who, email, &text);
    change.audit(
        AuditEntry::new(action, format!("application:{id}"))
            .at_worksite(site.id)
            .with_details(json!({ "applicant": who.account.id, "message": staff_message })),
    );
    Ok(())
}
