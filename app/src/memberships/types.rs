use crate::professions::types::UserType;
use crate::status::status_enum;
use serde::{Deserialize, Serialize};

crate::ids::row_id! {
    /// A person's membership of one worksite.
    pub struct MembershipId;
}

status_enum! {
    /// A membership's status. An active member sees and uses the worksite; an inactive one is kept
    /// for its history and may be set active again. Stored as its snake_case name.
    pub enum MembershipStatus {
        Active,
        Inactive,
    }
}

impl MembershipStatus {
    /// "Set Member Inactive" and "Set Member Active" each go one way.
    pub fn can_become(self, next: Self) -> bool {
        self != next
    }
}

/// Refuses anyone but an active member alike, whether or not the worksite exists (or its
/// Worksite ID could be one).
pub fn not_a_member() -> crate::error::AppError {
    crate::error::AppError::NotFound(
        "You are not a member of this worksite, or it does not exist.".to_owned(),
    )
}

/// Members shown per page of the Active and Inactive Members tabs.
pub const MEMBERS_PER_PAGE: u64 = 25;

/// A member as the Active and Inactive Members tabs list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberListing {
    pub membership_id: MembershipId,
    pub name: String,
    pub profession: String,
    pub user_type: UserType,
    pub is_admin: bool,
    /// Listed among the active members (not the inactive ones).
    pub active: bool,
    /// The member is the person looking.
    pub is_viewer: bool,
}

/// A search's matches are counted exactly up to this many; more say "more than" it. Counting
/// every match in a very large worksite would cost more than the page itself. (A whole list is
/// counted exactly at any size: the worksite's row keeps its count.)
pub const MEMBER_COUNT_LIMIT: u64 = 1000;

/// Where a page of a member list starts: the first page, or next to a member already shown
/// (its membership id), so paging walks the list's index instead of skipping rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberCursor {
    #[default]
    First,
    After(i64),
    Before(i64),
}

/// One page of a member list, with what the pager needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPage {
    pub members: Vec<MemberListing>,
    /// The list's members: all of them, or a search's matches counted up to
    /// `MEMBER_COUNT_LIMIT + 1`.
    pub total: u64,
    /// `total` is every member listed (not a search's count stopped at the limit).
    pub total_is_exact: bool,
    pub has_previous: bool,
    pub has_next: bool,
    pub viewer_is_admin: bool,
}

impl MemberPage {
    /// "1 member", "25 members", "12,500 members", "more than 1,000 members".
    pub fn count_label(&self) -> String {
        if !self.total_is_exact {
            format!("more than {} members", grouped(MEMBER_COUNT_LIMIT))
        } else if self.total == 1 {
            "1 member".to_owned()
        } else {
            format!("{} members", grouped(self.total))
        }
    }

    /// The pages, while the count is exact.
    pub fn page_count(&self) -> Option<u64> {
        self.total_is_exact
            .then(|| self.total.div_ceil(MEMBERS_PER_PAGE).max(1))
    }

    /// The cursors of the pages before and after this one.
    pub fn previous(&self) -> MemberCursor {
        self.members.first().map_or(MemberCursor::First, |m| {
            MemberCursor::Before(m.membership_id.get())
        })
    }

    pub fn next(&self) -> MemberCursor {
        self.members.last().map_or(MemberCursor::First, |m| {
            MemberCursor::After(m.membership_id.get())
        })
    }
}

/// `n` with its thousands separated by commas, as Canadian English writes them.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The changes "Manage User" offers an administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MemberChange {
    PromoteToAdmin,
    RemoveAdmin,
    SetInactive,
    SetActive,
}

impl MemberChange {
    pub fn label(self) -> &'static str {
        match self {
            MemberChange::PromoteToAdmin => "Promote To Admin",
            MemberChange::RemoveAdmin => "Remove Admin",
            MemberChange::SetInactive => "Set Member Inactive",
            MemberChange::SetActive => "Set Member Active",
        }
    }

    /// The guide's "Confirmation" wording: the verb in capitals, then what it means.
    pub fn confirmation(self, name: &str) -> (String, String) {
        match self {
            MemberChange::PromoteToAdmin => (
                format!("PROMOTE {name} to a Group/Site Administrator."),
                format!("This will allow {name} to make changes to your worksite, grant / invite other people to this worksite and view additional details about this worksite."),
            ),
            MemberChange::RemoveAdmin => (
                format!("REMOVE {name} as a Group/Site Administrator."),
                format!("{name} will stay a member of this worksite but will no longer be able to make changes to it or grant / invite other people."),
            ),
            MemberChange::SetInactive => (
                format!("SET {name} INACTIVE at this worksite."),
                format!("{name} will no longer be able to access CareConnect from this worksite, and their sponsorships at this worksite will end."),
            ),
            MemberChange::SetActive => (
                format!("SET {name} ACTIVE at this worksite."),
                format!("{name} will be a member of this worksite again."),
            ),
        }
    }

    /// What the administrator is told once it is done.
    pub fn done(self, name: &str) -> String {
        match self {
            MemberChange::PromoteToAdmin => format!("{name} is now a Group / Site Administrator."),
            MemberChange::RemoveAdmin => {
                format!("{name} is no longer a Group / Site Administrator.")
            }
            MemberChange::SetInactive => format!("{name} is now an inactive member."),
            MemberChange::SetActive => format!("{name} is an active member again."),
        }
    }

    /// What the member is told afterwards.
    pub fn told(self, worksite: &str) -> String {
        match self {
            MemberChange::PromoteToAdmin => {
                format!("You are now a Group / Site Administrator of {worksite}.")
            }
            MemberChange::RemoveAdmin => {
                format!("You are no longer a Group / Site Administrator of {worksite}.")
            }
            MemberChange::SetInactive => format!("Your membership of {worksite} was set inactive."),
            MemberChange::SetActive => format!("Your membership of {worksite} is active again."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_promotion_is_confirmed_in_the_guides_words() {
        let (question, meaning) = MemberChange::PromoteToAdmin.confirmation("Gregory SIX");
        assert_eq!(
            question,
            "PROMOTE Gregory SIX to a Group/Site Administrator."
        );
        assert!(meaning.starts_with("This will allow Gregory SIX to make changes to your worksite, grant / invite other people"));
    }

    #[test]
    fn pages_are_counted_while_the_count_is_exact() {
        let page = |total, total_is_exact| MemberPage {
            members: vec![],
            total,
            total_is_exact,
            has_previous: false,
            has_next: false,
            viewer_is_admin: false,
        };
        assert_eq!(page(0, true).page_count(), Some(1));
        assert_eq!(page(25, true).page_count(), Some(1));
        assert_eq!(page(26, true).page_count(), Some(2));
        assert_eq!(page(1000, true).page_count(), Some(40));
        assert_eq!(page(100_000, true).page_count(), Some(4000));
        assert_eq!(page(1001, false).page_count(), None);
        assert_eq!(page(1, true).count_label(), "1 member");
        assert_eq!(page(999, true).count_label(), "999 members");
        assert_eq!(page(1045, true).count_label(), "1,045 members");
        assert_eq!(page(100_000, true).count_label(), "100,000 members");
        assert_eq!(page(1001, false).count_label(), "more than 1,000 members");
    }
}

#[cfg(test)]
mod status_tests {
    use super::*;

    #[test]
    fn a_membership_goes_from_active_to_inactive_and_back() {
        use MembershipStatus::*;
        assert!(Active.can_become(Inactive) && Inactive.can_become(Active));
        assert!(!Active.can_become(Active) && !Inactive.can_become(Inactive));
    }
}
