use crate::professions::types::UserType;
use crate::status::status_enum;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

crate::ids::row_id! {
    /// A sponsorship between an Authorizer and an On-Behalf-Of user.
    pub struct SponsorshipId;
}

/// The other party of a sponsorship, as the viewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SponsorshipListing {
    pub id: SponsorshipId,
    pub name: String,
    pub profession: String,
    /// When it was asked for (pending) or began (active), in British Columbia's time.
    pub since: String,
    /// The last day it gives access, when the Authorizer set one.
    pub last_day: Option<NaiveDate>,
}

/// How far ahead a last day may be set.
pub const LAST_DAY_YEARS: i32 = 5;

/// A sponsorship's last day as typed (`YYYY-MM-DD`, as a date field sends it): empty for none;
/// never before `today`, at most five years after it. The error is the message beside the field.
pub fn parse_last_day(input: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .map_err(|_| "Enter the date as YYYY-MM-DD.".to_owned())?;
    if day < today {
        return Err("The last day cannot be in the past.".to_owned());
    }
    let limit = today
        .with_year(today.year() + LAST_DAY_YEARS)
        .unwrap_or(NaiveDate::MAX);
    if day > limit {
        return Err(format!("Choose a last day within {LAST_DAY_YEARS} years."));
    }
    Ok(Some(day))
}

/// A day as people read it: "Jan 31, 2027".
pub fn display_day(day: NaiveDate) -> String {
    day.format("%b %-d, %Y").to_string()
}

/// A member the viewer could sponsor, or ask for sponsorship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SponsorshipCandidate {
    pub membership_id: i64,
    pub name: String,
    pub profession: String,
}

/// The viewer's own sponsorships at one worksite; nobody else's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SponsorshipsView {
    pub viewer_user_type: UserType,
    /// Authorizers: requests waiting for their decision. On-Behalf-Of users: the requests they
    /// sent that wait for an Authorizer.
    pub pending: Vec<SponsorshipListing>,
    /// Authorizers: the On-Behalf-Of users they sponsor. On-Behalf-Of users: their sponsors.
    pub active: Vec<SponsorshipListing>,
    /// Authorizers: On-Behalf-Of members they could authorize. On-Behalf-Of users: Authorizers
    /// they could ask.
    pub candidates: Vec<SponsorshipCandidate>,
}

/// The member chosen in a sponsorship form's list, by membership id.
pub fn chosen_member(value: &str, whom: &str) -> Result<i64, crate::error::AppError> {
    value
        .trim()
        .parse()
        .map_err(|_| crate::error::AppError::invalid("membership_id", format!("Choose {whom}.")))
}

status_enum! {
    /// Where a sponsorship stands: requested by the On-Behalf-Of user (or active at once when the
    /// Authorizer authorizes), then active, declined or withdrawn; an active one ends.
    pub enum SponsorshipStatus {
        Requested,
        Active,
        Declined,
        Withdrawn,
        Ended,
    }
}

impl SponsorshipStatus {
    /// A waiting request or an active sponsorship: what a pair may have one of at a worksite.
    pub const OPEN: [SponsorshipStatus; 2] =
        [SponsorshipStatus::Requested, SponsorshipStatus::Active];

    pub fn can_become(self, next: Self) -> bool {
        use SponsorshipStatus::*;
        matches!(
            (self, next),
            (Requested, Active | Declined | Withdrawn | Ended) | (Active, Ended)
        )
    }
}

/// What a party does to a sponsorship; each has one side and one starting state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SponsorshipChange {
    /// The Authorizer accepts a request.
    Accept,
    /// The Authorizer declines a request.
    Decline,
    /// The On-Behalf-Of user takes back their request.
    Withdraw,
    /// The Authorizer ends an active sponsorship.
    Revoke,
    /// The On-Behalf-Of user ends an active sponsorship.
    End,
}

impl SponsorshipChange {
    pub fn label(self) -> &'static str {
        match self {
            SponsorshipChange::Accept => "Accept",
            SponsorshipChange::Decline => "Decline",
            SponsorshipChange::Withdraw => "Withdraw Request",
            SponsorshipChange::Revoke => "Revoke",
            SponsorshipChange::End => "End Sponsorship",
        }
    }

    /// Which side may make the change.
    pub fn by(self) -> UserType {
        match self {
            SponsorshipChange::Accept | SponsorshipChange::Decline | SponsorshipChange::Revoke => {
                UserType::Authorizer
            }
            SponsorshipChange::Withdraw | SponsorshipChange::End => UserType::OnBehalfOf,
        }
    }

    /// Whether it applies to a pending request (or else to an active sponsorship).
    pub fn on_request(self) -> bool {
        matches!(
            self,
            SponsorshipChange::Accept | SponsorshipChange::Decline | SponsorshipChange::Withdraw
        )
    }

    /// The status it applies to and the one it leads to.
    pub fn transition(self) -> (SponsorshipStatus, SponsorshipStatus) {
        use SponsorshipStatus::*;
        match self {
            SponsorshipChange::Accept => (Requested, Active),
            SponsorshipChange::Decline => (Requested, Declined),
            SponsorshipChange::Withdraw => (Requested, Withdrawn),
            SponsorshipChange::Revoke | SponsorshipChange::End => (Active, Ended),
        }
    }

    /// The guide's "Confirmation" wording, about the other party.
    pub fn confirmation(self, name: &str) -> String {
        match self {
            SponsorshipChange::Accept => format!("ACCEPT {name}'s request. {name} will see CareConnect on your behalf, as you would."),
            SponsorshipChange::Decline => format!("DECLINE {name}'s request for sponsorship."),
            SponsorshipChange::Withdraw => format!("WITHDRAW your request to {name}."),
            SponsorshipChange::Revoke => format!("REVOKE {name}'s sponsorship. {name} will no longer see CareConnect on your behalf."),
            SponsorshipChange::End => format!("END your sponsorship by {name}. You will no longer see CareConnect on {name}'s behalf."),
        }
    }

    pub fn done(self, name: &str) -> String {
        match self {
            SponsorshipChange::Accept => format!("You now sponsor {name}."),
            SponsorshipChange::Decline => format!("You declined {name}'s request."),
            SponsorshipChange::Withdraw => format!("Your request to {name} is withdrawn."),
            SponsorshipChange::Revoke => format!("You no longer sponsor {name}."),
            SponsorshipChange::End => format!("{name} no longer sponsors you."),
        }
    }
}

/// Why a sponsorship ended without either party ending it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutomaticEnd {
    /// One party's membership of the worksite became inactive.
    MembershipInactive,
    /// The Authorizer's CareConnect access from the worksite ended.
    AccessEnded,
    /// The CareConnect team changed a profession's user type.
    UserTypeChanged,
    /// The last day the Authorizer gave it has passed.
    LastDayPassed,
}

impl AutomaticEnd {
    pub fn code(self) -> &'static str {
        match self {
            AutomaticEnd::MembershipInactive => "membership_inactive",
            AutomaticEnd::AccessEnded => "access_ended",
            AutomaticEnd::UserTypeChanged => "user_type_changed",
            AutomaticEnd::LastDayPassed => "last_day_passed",
        }
    }

    /// Why, in words both parties read.
    pub fn explanation(self, authorizer: &str, obo: &str, worksite: &str) -> String {
        match self {
            AutomaticEnd::MembershipInactive => format!("{authorizer} and {obo} are no longer both active members of {worksite}."),
            AutomaticEnd::AccessEnded => format!("{authorizer}'s CareConnect access from {worksite} ended."),
            AutomaticEnd::UserTypeChanged => format!("The CareConnect team changed which professions sponsor and which are sponsored, and {authorizer} and {obo} no longer fit."),
            AutomaticEnd::LastDayPassed => format!("The last day {authorizer} gave the sponsorship at {worksite} has passed."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_last_day_is_today_or_later_and_within_five_years() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(parse_last_day(" ", today), Ok(None));
        assert_eq!(parse_last_day("2026-12-06", today), Ok(Some(today)));
        assert_eq!(
            parse_last_day("2031-12-06", today).map(|d| d.map(display_day)),
            Ok(Some("Dec 6, 2031".to_owned()))
        );
        assert!(parse_last_day("2031-12-07", today).is_err());
        assert_eq!(
            parse_last_day("2026-12-05", today),
            Err("The last day cannot be in the past.".to_owned())
        );
        assert_eq!(
            parse_last_day("06/12/2026", today),
            Err("Enter the date as YYYY-MM-DD.".to_owned())
        );
    }

    #[test]
    fn an_empty_choice_is_a_field_error() {
        assert_eq!(chosen_member(" 42 ", "an Authorizer"), Ok(42));
        let error = chosen_member("", "an Authorizer").unwrap_err();
        assert_eq!(
            error.field_errors().and_then(|e| e.get("membership_id")),
            Some("Choose an Authorizer.")
        );
    }

    #[test]
    fn each_change_belongs_to_one_side() {
        use SponsorshipChange::*;
        for change in [Accept, Decline, Revoke] {
            assert_eq!(change.by(), UserType::Authorizer);
        }
        for change in [Withdraw, End] {
            assert_eq!(change.by(), UserType::OnBehalfOf);
        }
        assert!(Accept.on_request() && Decline.on_request() && Withdraw.on_request());
        assert!(!Revoke.on_request() && !End.on_request());
    }
}

#[cfg(test)]
mod status_tests {
    use super::*;

    #[test]
    fn every_party_change_is_an_allowed_transition() {
        use SponsorshipChange::*;
        for change in [Accept, Decline, Withdraw, Revoke, End] {
            let (from, to) = change.transition();
            assert!(from.can_become(to), "{change:?}");
            assert_eq!(from == SponsorshipStatus::Requested, change.on_request());
        }
    }

    #[test]
    fn only_open_sponsorships_change() {
        use SponsorshipStatus::*;
        for done in [Declined, Withdrawn, Ended] {
            for next in [Requested, Active, Declined, Withdrawn, Ended] {
                assert!(!done.can_become(next), "{done:?} -> {next:?}");
            }
        }
        assert!(Active.can_become(Ended) && !Active.can_become(Requested));
        assert!(
            Requested.can_become(Ended),
            "automatic ends reach requests too"
        );
    }
}
