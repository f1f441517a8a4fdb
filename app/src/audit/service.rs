use crate::entities::audit_event;
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

/// What happened; stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    SignIn,
    SignInFailed,
    SignOut,
    IdentityValidated,
    AccountRegistered,
    EmailVerified,
    ContactUpdated,
    PasswordChanged,
    PasswordResetRequested,
    PasswordReset,
    UsernameLookupRequested,
    StaffGranted,
    WorksiteRegistered,
    WorksiteUpdated,
    JoinRequested,
    JoinRequestApproved,
    JoinRequestRejected,
    JoinRequestWithdrawn,
    InvitationSent,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    MemberPromoted,
    MemberDemoted,
    MemberDeactivated,
    MemberReactivated,
    SponsorshipRequested,
    SponsorshipAuthorized,
    SponsorshipAccepted,
    SponsorshipDeclined,
    SponsorshipWithdrawn,
    SponsorshipRevoked,
    SponsorshipEnded,
    SponsorshipEndedAutomatically,
    CareConnectAccessGranted,
    CareConnectAccessEnded,
    CareConnectOpened,
    ProfessionAdded,
    ProfessionUpdated,
    CourseCompletionRecorded,
    HpcaaSigned,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignOut => "sign_out",
            AuditAction::IdentityValidated => "identity_validated",
            AuditAction::AccountRegistered => "account_registered",
            AuditAction::EmailVerified => "email_verified",
            AuditAction::ContactUpdated => "contact_updated",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::PasswordResetRequested => "password_reset_requested",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::UsernameLookupRequested => "username_lookup_requested",
            AuditAction::StaffGranted => "staff_granted",
            AuditAction::WorksiteRegistered => "worksite_registered",
            AuditAction::WorksiteUpdated => "worksite_updated",
            AuditAction::JoinRequested => "join_requested",
            AuditAction::JoinRequestApproved => "join_request_approved",
            AuditAction::JoinRequestRejected => "join_request_rejected",
            AuditAction::JoinRequestWithdrawn => "join_request_withdrawn",
            AuditAction::InvitationSent => "invitation_sent",
            AuditAction::InvitationResent => "invitation_resent",
            AuditAction::InvitationRevoked => "invitation_revoked",
            AuditAction::InvitationAccepted => "invitation_accepted",
            AuditAction::MemberPromoted => "member_promoted",
            AuditAction::MemberDemoted => "member_demoted",
            AuditAction::MemberDeactivated => "member_deactivated",
            AuditAction::MemberReactivated => "member_reactivated",
            AuditAction::SponsorshipRequested => "sponsorship_requested",
            AuditAction::SponsorshipAuthorized => "sponsorship_authorized",
            AuditAction::SponsorshipAccepted => "sponsorship_accepted",
            AuditAction::SponsorshipDeclined => "sponsorship_declined",
            AuditAction::SponsorshipWithdrawn => "sponsorship_withdrawn",
            AuditAction::SponsorshipRevoked => "sponsorship_revoked",
            AuditAction::SponsorshipEnded => "sponsorship_ended",
            AuditAction::SponsorshipEndedAutomatically => "sponsorship_ended_automatically",
            AuditAction::CareConnectAccessGranted => "careconnect_access_granted",
            AuditAction::CareConnectAccessEnded => "careconnect_access_ended",
            AuditAction::CareConnectOpened => "careconnect_opened",
            AuditAction::ProfessionAdded => "profession_added",
            AuditAction::ProfessionUpdated => "profession_updated",
            AuditAction::CourseCompletionRecorded => "course_completion_recorded",
            AuditAction::HpcaaSigned => "hpcaa_signed",
        }
    }
}

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

    pub fn from_addr(mut self, client_addr: Option<&str>) -> Self {
        self.client_addr = client_addr.map(str::to_owned);
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// Writes the event on `conn`: pass the transaction of the change it records.
pub async fn record(conn: &impl ConnectionTrait, entry: AuditEntry) -> Result<(), DbErr> {
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
    .insert(conn)
    .await?;
    Ok(())
}
