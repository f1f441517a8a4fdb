//! Building blocks every page uses: the page frame, form fields that show their own errors,
//! notices, and access to the signed-in user.

mod awaiting;
mod debounce;
mod dialog;
mod fields;
mod frame;
mod hydration;
mod post_form;
mod resource;
mod user;

pub use awaiting::*;
pub use debounce::*;
pub use dialog::*;
pub use fields::*;
pub use frame::*;
pub use hydration::*;
pub use post_form::*;
pub use resource::*;
pub use user::*;
