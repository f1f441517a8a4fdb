use super::types::AuditAction;
use crate::entities::audit_event;
use chrono::Utc;
use sea_orm::Set;

#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub action: AuditAction,
    pub actor_account_id: Option<i64>,
    pub on_behalf_of_account_id: Option<i64>,
    pub worksite_id: Option<i64>,
    pub target: String,
    pub client_addr: Option<String>,
    pub details: serde_json::Value,
}

impl AuditEntry {
    pub fn new(action: AuditAction, target: impl Into<String>) -> Self {
        Self {
            action,
            actor_account_id: None,
            on_behalf_of_account_id: None,
            worksite_id: None,
            target: target.into(),
            client_addr: None,
            details: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn by(mut self, actor_account_id: i64) -> Self {
        self.actor_account_id = Some(actor_account_id);
        self
    }

    /// The Authorizer an On-Behalf-Of user acted for.
    pub fn on_behalf_of(mut self, authorizer_account_id: i64) -> Self {
        self.on_behalf_of_account_id = Some(authorizer_account_id);
        self
    }

    pub fn at_worksite(mut self, worksite_id: i64) -> Self {
        self.worksite_id = Some(worksite_id);
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// The event's row, stamped now; [`crate::platform::Change`] writes it with its change.
pub fn row(entry: AuditEntry) -> audit_event::ActiveModel {
    audit_event::ActiveModel {
        occurred_at: Set(Utc::now()),
        actor_account_id: Set(entry.actor_account_id),
        on_behalf_of_account_id: Set(entry.on_behalf_of_account_id),
        worksite_id: Set(entry.worksite_id),
        action: Set(entry.action.as_str().to_owned()),
        target: Set(entry.target),
        client_addr: Set(entry.client_addr),
        details: Set(entry.details.to_string()),
        ..Default::default()
    }
}
