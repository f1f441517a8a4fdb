//! The app's integration tests, one binary (it links the app and SeaORM once, not once per file):
//! the rules on a real database (SQLite, or PostgreSQL with `TEST_DATABASE_URL`), each file a
//! concept; and the layering of the source.

#[cfg(feature = "test-support")]
mod accounts;
#[cfg(feature = "test-support")]
mod applications;
#[cfg(feature = "test-support")]
mod delivery;
mod layers;
#[cfg(feature = "test-support")]
mod members;
#[cfg(feature = "test-support")]
mod platform;
#[cfg(feature = "test-support")]
mod privacy;
#[cfg(feature = "test-support")]
mod sponsorships;
#[cfg(feature = "test-support")]
mod worksites;
