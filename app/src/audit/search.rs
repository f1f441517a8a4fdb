//! The CareConnect team's audit search and its CSV export.

use super::types::*;
use crate::entities::{account, audit_event, worksite};
use crate::error::{AppError, FieldErrors};
use crate::platform::spreadsheet;
use crate::platform::staff::require_staff;
use crate::platform::time::display_time;
use crate::worksites::service::find_by_code;
use crate::worksites::types::WorksiteId;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::America::Vancouver;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use std::collections::HashMap;

const PAGE_SIZE: u64 = 50;
/// Events an export reads at a time.
const EXPORT_PAGE: u64 = 500;

/// The start of a day in British Columbia, as UTC.
fn day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    Vancouver
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// The query's conditions; a criterion that matches nothing (an unknown actor or worksite)
/// makes the search empty rather than ignored.
async fn filtered(
    conn: &impl ConnectionTrait,
    query: &AuditQuery,
) -> Result<Select<audit_event::Entity>, AppError> {
    let mut errors = FieldErrors::new();
    let mut select = audit_event::Entity::find();
    let actor = query.actor.trim();
    if !actor.is_empty() {
        let lowered = actor.to_lowercase();
        let ids: Vec<i64> = account::Entity::find()
            .filter(
                Condition::any()
                    .add(account::Column::Email.eq(lowered.as_str()))
                    .add(account::Column::UsernameKey.eq(lowered.as_str())),
            )
            .all(conn)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect();
        select = select.filter(audit_event::Column::ActorAccountId.is_in(ids));
    }
    let site = query.worksite.trim();
    if !site.is_empty() {
        let found = match WorksiteId::parse(site) {
            Ok(code) => find_by_code(conn, &code).await?,
            Err(_) => None,
        };
        let id = found.map_or(-1, |w| w.id);
        select = select.filter(audit_event::Column::WorksiteId.eq(id));
    }
    let action = query.action.trim();
    if !action.is_empty() {
        match AuditAction::from_code(action) {
            Some(action) => select = select.filter(audit_event::Column::Action.eq(action.as_str())),
            None => errors.add("action", "Choose an action from the list."),
        }
    }
    let mut day = |text: &str, field: &str| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| Some((d, day_start(d)?)));
        if parsed.is_none() {
            errors.add(field, "Write the date as YYYY-MM-DD.");
        }
        parsed
    };
    let from = day(&query.from, "from");
    let to = day(&query.to, "to");
    if let Some((_, start)) = from {
        select = select.filter(audit_event::Column::OccurredAt.gte(start));
    }
    if let Some((last, _)) = to {
        if let Some(end) = last.succ_opt().and_then(day_start) {
            select = select.filter(audit_event::Column::OccurredAt.lt(end));
        }
    }
    if let (Some((first, _)), Some((last, _))) = (from, to) {
        if last < first {
            errors.add("to", "The last day comes before the first.");
        }
    }
    errors.into_result()?;
    Ok(select
        .order_by_desc(audit_event::Column::OccurredAt)
        .order_by_desc(audit_event::Column::Id))
}

/// The events with their people and worksites named.
async fn rows(
    conn: &impl ConnectionTrait,
    events: Vec<audit_event::Model>,
) -> Result<Vec<AuditRow>, AppError> {
    let account_ids: Vec<i64> = events
        .iter()
        .flat_map(|e| [e.actor_account_id, e.on_behalf_of_account_id])
        .flatten()
        .collect();
    let accounts: HashMap<i64, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(account_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| {
            let email = a.email.clone().unwrap_or_else(|| a.username.clone());
            (a.id, format!("{} <{email}>", a.full_name()))
        })
        .collect();
    let worksites: HashMap<i64, String> = worksite::Entity::find()
        .filter(worksite::Column::Id.is_in(events.iter().filter_map(|e| e.worksite_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|w| (w.id, format!("{} ({})", w.name, w.code)))
        .collect();
    let name = |id: Option<i64>, names: &HashMap<i64, String>| {
        id.map(|id| names.get(&id).cloned().unwrap_or_else(|| format!("#{id}")))
    };
    Ok(events
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            occurred_at: display_time(e.occurred_at),
            actor: name(e.actor_account_id, &accounts),
            on_behalf_of: name(e.on_behalf_of_account_id, &accounts),
            worksite: name(e.worksite_id, &worksites),
            action: AuditAction::from_code(&e.action).map_or(e.action.clone(), AuditAction::label),
            target: e.target,
            client_addr: e.client_addr,
            details: e.details,
        })
        .collect())
}

/// A page of events matching the query, newest first (staff only).
pub async fn search(
    conn: &impl ConnectionTrait,
    staff_id: i64,
    query: &AuditQuery,
) -> Result<AuditPage, AppError> {
    require_staff(conn, staff_id).await?;
    let paginator = filtered(conn, query).await?.paginate(conn, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let events = paginator.fetch_page(u64::from(query.page)).await?;
    Ok(AuditPage {
        rows: rows(conn, events).await?,
        total,
        page: query.page,
        page_size: PAGE_SIZE as u32,
    })
}

/// Starts the CSV export of every event matching the query (staff only): the criteria are
/// checked here, before any of the file is sent.
pub async fn export_csv(
    conn: &impl ConnectionTrait,
    staff_id: i64,
    query: &AuditQuery,
) -> Result<CsvExport, AppError> {
    require_staff(conn, staff_id).await?;
    Ok(CsvExport {
        select: filtered(conn, query).await?,
        after: None,
        next: ExportPart::Header,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExportPart {
    Header,
    Rows,
    Done,
}

/// An audit export under way, in the search's order (newest first). Each page is read after the
/// last event written (keyset paging, no offsets), so the export holds one page however many
/// events match, and costs the same per page at the end of the log as at its start.
pub struct CsvExport {
    select: Select<audit_event::Entity>,
    /// The last event written: its time and id.
    after: Option<(DateTime<Utc>, i64)>,
    next: ExportPart,
}

impl CsvExport {
    /// The next part of the file, the header line first and then a page of events at a time;
    /// `None` once every event is written.
    pub async fn next_part(
        &mut self,
        conn: &impl ConnectionTrait,
    ) -> Result<Option<Vec<u8>>, AppError> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        match self.next {
            ExportPart::Done => return Ok(None),
            ExportPart::Header => {
                spreadsheet::write_row(&mut writer, EXPORT_COLUMNS).map_err(csv_failed)?;
                self.next = ExportPart::Rows;
            }
            ExportPart::Rows => {
                let mut page = self.select.clone();
                if let Some((at, id)) = self.after {
                    page = page.filter(audit_event::Column::OccurredAt.lte(at)).filter(
                        Condition::any()
                            .add(audit_event::Column::OccurredAt.lt(at))
                            .add(audit_event::Column::Id.lt(id)),
                    );
                }
                let events = page.limit(EXPORT_PAGE).all(conn).await?;
                if events.len() < EXPORT_PAGE as usize {
                    self.next = ExportPart::Done;
                }
                let Some(last) = events.last() else {
                    return Ok(None);
                };
                self.after = Some((last.occurred_at, last.id));
                for row in rows(conn, events).await? {
                    spreadsheet::write_row(
                        &mut writer,
                        [
                            row.id.to_string(),
                            row.occurred_at,
                            row.actor.unwrap_or_default(),
                            row.on_behalf_of.unwrap_or_default(),
                            row.worksite.unwrap_or_default(),
                            row.action,
                            row.target,
                            row.client_addr.unwrap_or_default(),
                            row.details,
                        ],
                    )
                    .map_err(csv_failed)?;
                }
            }
        }
        writer
            .into_inner()
            .map(Some)
            .map_err(|error| csv_failed(error.into_error()))
    }

    /// The whole file at once (tests).
    #[cfg(feature = "test-support")]
    pub async fn read_all(mut self, conn: &impl ConnectionTrait) -> Result<Vec<u8>, AppError> {
        let mut file = Vec::new();
        while let Some(part) = self.next_part(conn).await? {
            file.extend(part);
        }
        Ok(file)
    }
}

const EXPORT_COLUMNS: [&str; 9] = [
    "id",
    "occurred_at_pacific",
    "actor",
    "on_behalf_of",
    "worksite",
    "action",
    "target",
    "client_address",
    "details",
];

fn csv_failed(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "could not write the audit export");
    AppError::Internal
}
