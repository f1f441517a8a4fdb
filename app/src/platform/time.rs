//! Times as people in British Columbia read them.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::America::Vancouver;

/// E.g. "Oct 17, 2022, 9:07 PM" in Pacific time (standard or daylight, as it was that day).
pub fn display_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Vancouver)
        .format("%b %-d, %Y, %-I:%M %p")
        .to_string()
}

/// The day it is in British Columbia at `now`: the day a sponsorship's last day is compared with.
pub fn today_in_bc(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&Vancouver).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn shows_pacific_time_with_daylight_saving() {
        let summer = Utc.with_ymd_and_hms(2022, 10, 18, 4, 7, 38).unwrap();
        assert_eq!(display_time(summer), "Oct 17, 2022, 9:07 PM");
        let winter = Utc.with_ymd_and_hms(2026, 1, 5, 17, 30, 0).unwrap();
        assert_eq!(display_time(winter), "Jan 5, 2026, 9:30 AM");
    }

    #[test]
    fn today_is_the_day_in_british_columbia() {
        // 02:30 UTC on Jan 6 is still Jan 5 in Vancouver.
        let late = Utc.with_ymd_and_hms(2026, 1, 6, 2, 30, 0).unwrap();
        assert_eq!(
            today_in_bc(late),
            NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()
        );
    }
}
