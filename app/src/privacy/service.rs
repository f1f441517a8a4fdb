//! Recording course completions, from the signed callback or a staff CSV import.

use super::types::*;
use crate::accounts::types::normalize_email;
use crate::audit::{AuditAction, AuditEntry};
use crate::entities::{account, course_completion};
use crate::error::AppError;
use crate::notifications::types::NotificationKind;
use crate::platform::{staff::require_staff, Actor, AppState, Change};
use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    sea_query::OnConflict, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;
use serde_json::json;

pub const FROM_CALLBACK: &str = "callback";
pub const FROM_CSV: &str = "csv_import";

/// Most rows one import takes.
const IMPORT_LIMIT: usize = 10_000;
/// Rows one change of an import records: other writes wait for one batch at most.
pub const IMPORT_BATCH: usize = 100;

/// One completion as the learning system reports it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Completion {
    pub email: String,
    /// `YYYY-MM-DD`.
    pub completed_on: String,
    /// The learning system's id of this completion.
    pub reference: String,
}

/// A completion that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCompletion {
    pub email: String,
    pub completed_on: NaiveDate,
    pub reference: String,
}

impl Completion {
    /// Checks the fields; the message names what is wrong.
    pub fn validate(&self) -> Result<ValidCompletion, String> {
        let email = normalize_email(&self.email)
            .map_err(|_| format!("\"{}\" is not an email address", self.email.trim()))?;
        let completed_on = NaiveDate::parse_from_str(self.completed_on.trim(), "%Y-%m-%d")
            .map_err(|_| "the completion date must be written YYYY-MM-DD".to_owned())?;
        // A day of slack for the learning system's time zone.
        if completed_on > (Utc::now() + Duration::days(1)).date_naive() {
            return Err("the completion date is in the future".to_owned());
        }
        let reference = self.reference.trim();
        if reference.is_empty() || reference.chars().count() > 128 {
            return Err("the reference must have 1 to 128 characters".to_owned());
        }
        Ok(ValidCompletion {
            email,
            completed_on,
            reference: reference.to_owned(),
        })
    }
}

/// Whether a completion was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    New,
    AlreadyRecorded,
}

/// Records the completion with the change, once per source and reference; the account with that
/// verified email (if any) is notified. The change's actor recorded it (staff, or nobody for the
/// learning system's callback).
pub async fn record(
    change: &mut Change<'_>,
    completion: &ValidCompletion,
    source: &str,
) -> Result<Recorded, AppError> {
    let conn = change.db();
    // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed
    // statement would abort the import's whole transaction.
    let inserted = course_completion::Entity::insert(course_completion::ActiveModel {
        email: Set(completion.email.clone()),
        completed_on: Set(completion.completed_on),
        source: Set(source.to_owned()),
        reference: Set(completion.reference.clone()),
        recorded_at: Set(Utc::now()),
        recorded_by: Set(change.actor().account),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            course_completion::Column::Source,
            course_completion::Column::Reference,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    if inserted == 0 {
        return Ok(Recorded::AlreadyRecorded);
    }
    let row = course_completion::Entity::find()
        .filter(course_completion::Column::Source.eq(source))
        .filter(course_completion::Column::Reference.eq(&completion.reference))
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let owner = account::Entity::find()
        .filter(account::Column::Email.eq(&completion.email))
        .one(conn)
        .await?;
    if let Some(owner) = &owner {
        change.notify(
            owner.id,
            NotificationKind::CourseCompleted,
            &format!(
                "The Learning Hub reports that you completed the {COURSE_NAME} on {}.",
                completion.completed_on.format("%B %-d, %Y")
            ),
            "/",
        );
    }
    change.audit(
        AuditEntry::new(
            AuditAction::CourseCompletionRecorded,
            format!("course_completion:{}", row.id),
        )
        .with_details(json!({
            "email": completion.email,
            "completed_on": completion.completed_on.to_string(),
            "source": source,
            "reference": completion.reference,
        })),
    );
    Ok(Recorded::New)
}

/// Staff import completions from CSV (`email,completed_on,reference` with that header). Every row
/// is checked first; with any error nothing is imported and the report lists each bad line. The
/// rows are then recorded [`IMPORT_BATCH`] to a change, so a large file never keeps a sign-in
/// waiting; should a batch fail, importing the file again records only what is missing.
pub async fn import_csv(
    state: &AppState,
    actor: &Actor,
    text: &str,
) -> Result<ImportReport, AppError> {
    require_staff(&state.db, actor.account.ok_or(AppError::Unauthenticated)?).await?;
    let valid = match checked_completions(text) {
        Ok(valid) => valid,
        Err(refused) => return Ok(refused),
    };
    let recorded = state
        .write_in_batches(actor, &valid, IMPORT_BATCH, async |change, batch| {
            // Still staff, batch after batch.
            require_staff(change.db(), change.account()?).await?;
            let mut recorded = Vec::with_capacity(batch.len());
            for completion in batch {
                recorded.push(record(change, completion, FROM_CSV).await?);
            }
            Ok(recorded)
        })
        .await?;
    let mut report = ImportReport::default();
    for outcome in recorded {
        match outcome {
            Recorded::New => report.imported += 1,
            Recorded::AlreadyRecorded => report.already_recorded += 1,
        }
    }
    Ok(report)
}

/// The file's completions, or the report of every line that is wrong.
fn checked_completions(text: &str) -> Result<Vec<ValidCompletion>, ImportReport> {
    let mut report = ImportReport::default();
    let mut valid = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    match reader.headers() {
        Ok(headers) if headers.iter().collect::<Vec<_>>().join(",") == CSV_HEADER => {}
        _ => {
            report
                .errors
                .push(format!("Line 1: the first line must be \"{CSV_HEADER}\""));
            return Err(report);
        }
    }
    for (index, row) in reader.deserialize::<Completion>().enumerate() {
        // Line 1 is the header.
        let line = index + 2;
        if index >= IMPORT_LIMIT {
            report.errors.push(format!(
                "Line {line}: one import takes at most {IMPORT_LIMIT} rows; split the file"
            ));
            break;
        }
        match row.map_err(|_| "the row must have an email, a date and a reference".to_owned()) {
            Ok(completion) => match completion.validate() {
                Ok(completion) => valid.push(completion),
                Err(problem) => report.errors.push(format!("Line {line}: {problem}")),
            },
            Err(problem) => report.errors.push(format!("Line {line}: {problem}")),
        }
    }
    if valid.is_empty() && report.errors.is_empty() {
        report
            .errors
            .push("The file has no completions after its header line.".to_owned());
    }
    if report.errors.is_empty() {
        Ok(valid)
    } else {
        Err(report)
    }
}

/// The person's course status: the latest completion reported for their verified email.
pub async fn course_status(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<CourseStatus, AppError> {
    let Some(email) = crate::accounts::service::find(conn, account_id)
        .await?
        .and_then(|account| account.email)
    else {
        return Ok(CourseStatus { completed_on: None });
    };
    let latest = course_completion::Entity::find()
        .filter(course_completion::Column::Email.eq(email))
        .order_by_desc(course_completion::Column::CompletedOn)
        .one(conn)
        .await?;
    Ok(CourseStatus {
        completed_on: latest.map(|row| row.completed_on.format("%B %-d, %Y").to_string()),
    })
}
