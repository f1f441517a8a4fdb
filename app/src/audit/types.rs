//! The audit log's vocabulary, shared with the back office's search page.

use serde::{Deserialize, Serialize};

/// What happened; stored as its snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    StaffRevoked,
    AccountDisabled,
    AccountEnabled,
    SessionsEnded,
    WorksiteRegistered,
    WorksiteUpdated,
    JoinRequested,
    JoinRequestApproved,
    JoinRequestRejected,
    JoinRequestWithdrawn,
    JoinRequestSuperseded,
    InvitationSent,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    InvitationSuperseded,
    MemberPromoted,
    MemberDemoted,
    MemberDeactivated,
    MemberReactivated,
    MemberLeft,
    SponsorshipRequested,
    SponsorshipAuthorized,
    SponsorshipAccepted,
    SponsorshipDeclined,
    SponsorshipWithdrawn,
    SponsorshipRevoked,
    SponsorshipEnded,
    SponsorshipEndedAutomatically,
    SponsorshipLastDaySet,
    SponsorshipEndReminded,
    CareConnectAccessGranted,
    CareConnectAccessEnded,
    CareConnectOpened,
    ProfessionAdded,
    ProfessionUpdated,
    CourseCompletionRecorded,
    HpcaaSigned,
    SiteDeclarationSigned,
    ApplicationSubmitted,
    ApplicationResubmitted,
    ApplicationReviewStarted,
    ApplicationApproved,
    ApplicationDenied,
    ApplicationReturned,
    WorksiteLockedFieldsUpdated,
    EmailResent,
}

impl AuditAction {
    /// Every action, in the order the audit search lists them.
    pub const ALL: [AuditAction; 59] = [
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignOut,
        AuditAction::IdentityValidated,
        AuditAction::AccountRegistered,
        AuditAction::EmailVerified,
        AuditAction::ContactUpdated,
        AuditAction::PasswordChanged,
        AuditAction::PasswordResetRequested,
        AuditAction::PasswordReset,
        AuditAction::UsernameLookupRequested,
        AuditAction::StaffGranted,
        AuditAction::StaffRevoked,
        AuditAction::AccountDisabled,
        AuditAction::AccountEnabled,
        AuditAction::SessionsEnded,
        AuditAction::WorksiteRegistered,
        AuditAction::WorksiteUpdated,
        AuditAction::JoinRequested,
        AuditAction::JoinRequestApproved,
        AuditAction::JoinRequestRejected,
        AuditAction::JoinRequestWithdrawn,
        AuditAction::JoinRequestSuperseded,
        AuditAction::InvitationSent,
        AuditAction::InvitationResent,
        AuditAction::InvitationRevoked,
        AuditAction::InvitationAccepted,
        AuditAction::InvitationSuperseded,
        AuditAction::MemberPromoted,
        AuditAction::MemberDemoted,
        AuditAction::MemberDeactivated,
        AuditAction::MemberReactivated,
        AuditAction::MemberLeft,
        AuditAction::SponsorshipRequested,
        AuditAction::SponsorshipAuthorized,
        AuditAction::SponsorshipAccepted,
        AuditAction::SponsorshipDeclined,
        AuditAction::SponsorshipWithdrawn,
        AuditAction::SponsorshipRevoked,
        AuditAction::SponsorshipEnded,
        AuditAction::SponsorshipEndedAutomatically,
        AuditAction::SponsorshipLastDaySet,
        AuditAction::SponsorshipEndReminded,
        AuditAction::CareConnectAccessGranted,
        AuditAction::CareConnectAccessEnded,
        AuditAction::CareConnectOpened,
        AuditAction::ProfessionAdded,
        AuditAction::ProfessionUpdated,
        AuditAction::CourseCompletionRecorded,
        AuditAction::HpcaaSigned,
        AuditAction::SiteDeclarationSigned,
        AuditAction::ApplicationSubmitted,
        AuditAction::ApplicationResubmitted,
        AuditAction::ApplicationReviewStarted,
        AuditAction::ApplicationApproved,
        AuditAction::ApplicationDenied,
        AuditAction::ApplicationReturned,
        AuditAction::WorksiteLockedFieldsUpdated,
        AuditAction::EmailResent,
    ];

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
            AuditAction::StaffRevoked => "staff_revoked",
            AuditAction::AccountDisabled => "account_disabled",
            AuditAction::AccountEnabled => "account_enabled",
            AuditAction::SessionsEnded => "sessions_ended",
            AuditAction::WorksiteRegistered => "worksite_registered",
            AuditAction::WorksiteUpdated => "worksite_updated",
            AuditAction::JoinRequested => "join_requested",
            AuditAction::JoinRequestApproved => "join_request_approved",
            AuditAction::JoinRequestRejected => "join_request_rejected",
            AuditAction::JoinRequestWithdrawn => "join_request_withdrawn",
            AuditAction::JoinRequestSuperseded => "join_request_superseded",
            AuditAction::InvitationSent => "invitation_sent",
            AuditAction::InvitationResent => "invitation_resent",
            AuditAction::InvitationRevoked => "invitation_revoked",
            AuditAction::InvitationAccepted => "invitation_accepted",
            AuditAction::InvitationSuperseded => "invitation_superseded",
            AuditAction::MemberPromoted => "member_promoted",
            AuditAction::MemberDemoted => "member_demoted",
            AuditAction::MemberDeactivated => "member_deactivated",
            AuditAction::MemberReactivated => "member_reactivated",
            AuditAction::MemberLeft => "member_left",
            AuditAction::SponsorshipRequested => "sponsorship_requested",
            AuditAction::SponsorshipAuthorized => "sponsorship_authorized",
            AuditAction::SponsorshipAccepted => "sponsorship_accepted",
            AuditAction::SponsorshipDeclined => "sponsorship_declined",
            AuditAction::SponsorshipWithdrawn => "sponsorship_withdrawn",
            AuditAction::SponsorshipRevoked => "sponsorship_revoked",
            AuditAction::SponsorshipEnded => "sponsorship_ended",
            AuditAction::SponsorshipEndedAutomatically => "sponsorship_ended_automatically",
            AuditAction::SponsorshipLastDaySet => "sponsorship_last_day_set",
            AuditAction::SponsorshipEndReminded => "sponsorship_end_reminded",
            AuditAction::CareConnectAccessGranted => "careconnect_access_granted",
            AuditAction::CareConnectAccessEnded => "careconnect_access_ended",
            AuditAction::CareConnectOpened => "careconnect_opened",
            AuditAction::ProfessionAdded => "profession_added",
            AuditAction::ProfessionUpdated => "profession_updated",
            AuditAction::CourseCompletionRecorded => "course_completion_recorded",
            AuditAction::HpcaaSigned => "hpcaa_signed",
            AuditAction::SiteDeclarationSigned => "site_declaration_signed",
            AuditAction::ApplicationSubmitted => "application_submitted",
            AuditAction::ApplicationResubmitted => "application_resubmitted",
            AuditAction::ApplicationReviewStarted => "application_review_started",
            AuditAction::ApplicationApproved => "application_approved",
            AuditAction::ApplicationDenied => "application_denied",
            AuditAction::ApplicationReturned => "application_returned",
            AuditAction::WorksiteLockedFieldsUpdated => "worksite_locked_fields_updated",
            AuditAction::EmailResent => "email_resent",
        }
    }

    /// The action as staff read it: "member_promoted" → "Member promoted".
    pub fn label(self) -> String {
        let words = self.as_str().replace('_', " ");
        let mut chars = words.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == code)
    }
}

/// The audit search's criteria, as the query string carries them. Empty means any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// The actor's email address or username.
    #[serde(default)]
    pub actor: String,
    /// A Worksite ID.
    #[serde(default)]
    pub worksite: String,
    /// An action code.
    #[serde(default)]
    pub action: String,
    /// First day, `YYYY-MM-DD`, in British Columbia's time.
    #[serde(default)]
    pub from: String,
    /// Last day, inclusive.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: u32,
}

impl AuditQuery {
    /// The criteria as a query string (without the page), for links and the CSV export.
    pub fn query_string(&self) -> String {
        crate::ui::query_string(&[
            ("actor", &self.actor),
            ("worksite", &self.worksite),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
        ])
    }
}

/// One event as the audit search shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// In British Columbia's time.
    pub occurred_at: String,
    pub actor: Option<String>,
    pub on_behalf_of: Option<String>,
    pub worksite: Option<String>,
    pub action: String,
    pub target: String,
    pub client_addr: Option<String>,
    pub details: String,
}

/// A page of the audit search, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}
