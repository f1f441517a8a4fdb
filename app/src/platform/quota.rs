//! Daily quotas on the actions that send the portal's mail for someone (ASVS 2.3.2, 2.4.1): an
//! account can invite, resend, ask to join and register worksites generously, but not turn the
//! portal into a mail cannon. Counted in the database with the change, so a refused or failed
//! action spends nothing and every app server sees one count.

use super::attempts::{self, Attempt};
use super::Change;
use crate::error::{AppError, Refusal};
use chrono::{Duration, Utc};

/// An action with a daily quota per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    Invitations,
    InvitationResends,
    JoinRequests,
    WorksiteRegistrations,
}

impl Quota {
    /// How many a day one account may make.
    pub const fn per_day(self) -> i32 {
        match self {
            // A clinic onboarding its whole staff in a day, with room to spare.
            Quota::Invitations => 200,
            Quota::InvitationResends => 50,
            Quota::JoinRequests => 20,
            Quota::WorksiteRegistrations => 5,
        }
    }

    /// The words of the refusal: "invitations", "join requests", ….
    pub const fn what(self) -> &'static str {
        match self {
            Quota::Invitations => "invitations",
            Quota::InvitationResends => "resent invitations",
            Quota::JoinRequests => "requests to join a worksite",
            Quota::WorksiteRegistrations => "worksite registrations",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Quota::Invitations => "invite",
            Quota::InvitationResends => "resend",
            Quota::JoinRequests => "join",
            Quota::WorksiteRegistrations => "register",
        }
    }
}

/// Spends one of the acting account's daily `quota`, or refuses once it is used up.
pub async fn spend(change: &mut Change<'_>, quota: Quota) -> Result<(), AppError> {
    let account_id = change.account()?;
    let attempt = Attempt::Daily {
        account_id,
        action: quota.code(),
    };
    let spent = attempts::count(change.db(), &attempt, Duration::days(1), Utc::now()).await?;
    if spent > quota.per_day() {
        return Err(AppError::Refused(Refusal::DailyLimit {
            limit: quota.per_day(),
            what: quota.what().to_owned(),
        }));
    }
    Ok(())
}
