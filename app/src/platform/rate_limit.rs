//! Per-client limits on the actions attackers repeat: sign-in, registration and account
//! recovery, kept per server process. What follows an account or an address across servers
//! (wrong passwords, recovery emails) is counted in the database (`attempts`).

use crate::error::AppError;
use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use std::num::NonZeroU32;

type Keyed = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    SignInFromAddress,
    Registration,
    Recovery,
}

pub struct RateLimits {
    sign_in_from_address: Keyed,
    registration: Keyed,
    recovery: Keyed,
}

fn per_minute(count: u32) -> Keyed {
    let count = NonZeroU32::new(count).unwrap_or(NonZeroU32::MIN);
    RateLimiter::keyed(Quota::per_minute(count))
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::new(crate::platform::config::DEFAULT_SIGN_INS_PER_ADDRESS)
    }
}

impl RateLimits {
    /// The limits, with `sign_ins_per_address` password sign-ins per client address and minute.
    pub fn new(sign_ins_per_address: u32) -> Self {
        Self {
            sign_in_from_address: per_minute(sign_ins_per_address),
            registration: per_minute(10),
            recovery: per_minute(10),
        }
    }

    /// Counts one attempt; refuses it when the key has used up its quota.
    pub fn check(&self, limited: Limited, key: &str) -> Result<(), AppError> {
        let limiter = match limited {
            Limited::SignInFromAddress => &self.sign_in_from_address,
            Limited::Registration => &self.registration,
            Limited::Recovery => &self.recovery,
        };
        limiter
            .check_key(&key.to_lowercase())
            .map_err(|_| AppError::RateLimited)
    }

    /// Drops idle keys so the tables do not grow without bound.
    pub fn forget_idle_keys(&self) {
        for limiter in [
            &self.sign_in_from_address,
            &self.registration,
            &self.recovery,
        ] {
            limiter.retain_recent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_limited_independently_of_others() {
        let limits = RateLimits::default();
        for _ in 0..10 {
            limits
                .check(Limited::Registration, "2001:db8:1:2::/64")
                .unwrap();
        }
        assert_eq!(
            limits.check(Limited::Registration, "2001:DB8:1:2::/64"),
            Err(AppError::RateLimited)
        );
        limits.check(Limited::Registration, "192.0.2.1").unwrap();
    }
}
