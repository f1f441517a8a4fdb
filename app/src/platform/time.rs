//! Times as people in British Columbia read them.

use chrono::{DateTime, Utc};
use chrono_tz::America::Vancouver;

/// E.g. "Oct 17, 2022, 9:07 PM" in Pacific time (standard or daylight, as it was that day).
pub fn display_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Vancouver)
        .format("%b %-d, %Y, %-I:%M %p")
        .to_string()
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
}
