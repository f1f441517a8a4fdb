//! Argon2id password hashing on a bounded pool of blocking threads, so a burst of sign-ins
//! cannot starve the request workers.

use crate::error::AppError;
use argon2::{
    password_hash::{
        rand_core::OsRng, PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString,
    },
    Argon2,
};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    pub fn new(concurrent_hashes: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrent_hashes.max(1))),
        }
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|error| {
                    tracing::error!(%error, "password hashing failed");
                    AppError::Internal
                })
        })
        .await
    }

    /// Checks a password against a stored hash. With no stored hash (unknown user) it checks
    /// against a fixed hash, so the answer takes as long either way.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let password = password.to_owned();
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| decoy_hash()).to_owned();
        let matches = self
            .run(move || {
                let parsed = PasswordHash::new(&stored).map_err(|error| {
                    tracing::error!(%error, "stored password hash is malformed");
                    AppError::Internal
                })?;
                Ok(Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok())
            })
            .await?;
        Ok(known && matches)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|_| AppError::Internal)?
    }
}

fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"decoy password never used", &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_never_match() {
        let hasher = PasswordHasher::new(2);
        let hash = hasher.hash("correct horse battery").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(hasher
            .verify("correct horse battery", Some(&hash))
            .await
            .unwrap());
        assert!(!hasher
            .verify("wrong horse battery", Some(&hash))
            .await
            .unwrap());
        assert!(!hasher
            .verify("decoy password never used", None)
            .await
            .unwrap());
    }
}
