//! Server functions of the audit search.

use super::types::{AuditPage, AuditQuery};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::platform::RequestContext;
use leptos::prelude::*;

/// The CareConnect team's audit search.
#[server(prefix = "/api", endpoint = "search_audit_log", output = server_fn::codec::Postcard)]
pub async fn search_audit_log(query: AuditQuery) -> Result<AuditPage, AppError> {
    let ctx = RequestContext::load().await?;
    let account_id = ctx.require_account().await?;
    super::search::search(ctx.db(), account_id, &query).await
}
