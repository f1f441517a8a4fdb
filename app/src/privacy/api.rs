//! Server functions of the Privacy & Security requirements.

use super::types::{CourseStatus, ImportReport};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::service, crate::platform::RequestContext};

/// The signed-in person's Privacy & Security course.
#[server(prefix = "/api", endpoint = "my_course_status")]
pub async fn my_course_status() -> Result<CourseStatus, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::course_status(ctx.db(), account_id).await
}

/// CareConnect staff import course completions as CSV.
#[server(prefix = "/api", endpoint = "import_course_completions")]
pub async fn import_course_completions(csv: String) -> Result<ImportReport, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    service::import_csv(&ctx.state, account_id, &csv).await
}
