//! Per-client and per-account limits on the actions attackers repeat: sign-in, registration and
//! account recovery. Limits are kept per server process.

use crate::error::AppError;
use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use std::num::NonZeroU32;

type Keyed = RateLimiter<String, DefaultKeyedStateStore<String>, DefaultClock>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    SignInFromAddress,
    SignInToAccount,
    Registration,
    Recovery,
}

pub struct RateLimits {
    sign_in_from_address: Keyed,
    sign_in_to_account: Keyed,
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
            sign_in_to_account: per_minute(10),
            registration: per_minute(10),
            recovery: per_minute(10),
        }
    }

    /// Counts one attempt; refuses it when the key has used up its quota.
    pub fn check(&self, limited: Limited, key: &str) -> Result<(), AppError> {
        let limiter = match limited {
            Limited::SignInFromAddress => &self.sign_in_from_address,
            Limited::SignInToAccount => &self.sign_in_to_account,
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
            &self.sign_in_to_account,
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
    fn an_account_is_limited_independently_of_others() {
        let limits = RateLimits::default();
        for _ in 0..10 {
            limits.check(Limited::SignInToAccount, "alice").unwrap();
        }
        assert_eq!(
            limits.check(Limited::SignInToAccount, "ALICE"),
            Err(AppError::RateLimited)
        );
        limits.check(Limited::SignInToAccount, "bob").unwrap();
    }
}
