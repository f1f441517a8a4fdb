//! The account pages.

mod dev_idp;
mod idle;
mod manage;
mod recovery;
mod register;
mod sign_in;
mod staff;
mod verify;

pub use dev_idp::DevIdentityProviderPage;
pub use idle::IdleWarning;
pub use manage::ManageAccountPage;
pub use recovery::{LookUpUsernamePage, ResetPasswordPage};
pub use register::RegisterPage;
pub use sign_in::{SignInPage, SignInPanel};
pub use staff::{StaffUserPage, StaffUsersPage};
pub use verify::VerifyEmailPage;
