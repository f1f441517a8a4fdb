//! How password sign-in with a username slows down after wrong passwords, and how many recovery
//! emails one address receives. Both are counted in the database (`platform::attempts`), so every
//! app server applies the same count. Identity-provider sign-in is never slowed: whoever keeps
//! guessing a person's password cannot keep them out.

use crate::platform::attempts::{self, Attempt};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DbErr};

/// Wrong passwords in a row before password sign-in to the account pauses.
pub const FREE_PASSWORD_FAILURES: i32 = 5;
/// Recovery emails (reset links, username reminders) one address receives a day; more requests
/// are answered as usual but send nothing.
pub const RECOVERY_EMAILS_PER_DAY: i32 = 5;

/// After `failures` wrong passwords in a row, how long password sign-in pauses: nothing for the
/// first few, then 30 seconds, doubling with each further one, at most 15 minutes.
pub fn pause_after(failures: i32) -> Option<Duration> {
    if failures < FREE_PASSWORD_FAILURES {
        return None;
    }
    let beyond = (failures - FREE_PASSWORD_FAILURES).min(10);
    let seconds = 30_i64 << beyond;
    Some(Duration::seconds(seconds.min(15 * 60)))
}

fn failed_password(username_key: &str) -> Attempt {
    Attempt::FailedPassword {
        username_key: username_key.to_owned(),
    }
}

/// How much longer password sign-in with the username stays paused, if it is.
pub async fn paused_for(
    conn: &impl ConnectionTrait,
    username_key: &str,
    now: DateTime<Utc>,
) -> Result<Option<Duration>, DbErr> {
    let Some((failures, last)) = attempts::current(conn, &failed_password(username_key)).await?
    else {
        return Ok(None);
    };
    Ok(pause_after(failures)
        .map(|pause| last + pause - now)
        .filter(|left| *left > Duration::zero()))
}

pub async fn wrong_password(
    conn: &impl ConnectionTrait,
    username_key: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // A run of wrong passwords a day apart is not an attack on the account.
    attempts::count(conn, &failed_password(username_key), Duration::days(1), now).await?;
    Ok(())
}

/// A correct password, or a password reset, ends the run of wrong ones.
pub async fn password_accepted(
    conn: &impl ConnectionTrait,
    username_key: &str,
) -> Result<(), DbErr> {
    attempts::clear(conn, &failed_password(username_key)).await
}

/// Counts a recovery email to `address`; `false` once the address has had its day's share.
pub async fn may_send_recovery(
    conn: &impl ConnectionTrait,
    address: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let attempt = Attempt::RecoveryEmail {
        address: address.to_owned(),
    };
    Ok(attempts::count(conn, &attempt, Duration::days(1), now).await? <= RECOVERY_EMAILS_PER_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_sign_in_pauses_longer_with_each_wrong_password_up_to_a_limit() {
        assert_eq!(pause_after(FREE_PASSWORD_FAILURES - 1), None);
        assert_eq!(
            pause_after(FREE_PASSWORD_FAILURES),
            Some(Duration::seconds(30))
        );
        assert_eq!(
            pause_after(FREE_PASSWORD_FAILURES + 1),
            Some(Duration::seconds(60))
        );
        assert_eq!(
            pause_after(FREE_PASSWORD_FAILURES + 5),
            Some(Duration::minutes(15))
        );
        assert_eq!(pause_after(i32::MAX), Some(Duration::minutes(15)));
    }
}
