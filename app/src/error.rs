//! The one error type of the portal. Every variant carries only what may be shown to the user;
//! internal causes are logged where they happen and never cross the network.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::PostcardEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
    Decodes,
};

/// Messages for individual form fields, keyed by the field's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.get(field).is_none() {
            self.0.push((field.to_owned(), message.into()));
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when no field failed, the invalid-input error otherwise.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self))
        }
    }
}

/// Why a change was refused or conflicts with what is there: the refusals callers and tests
/// branch on are variants; `Because` carries a rule's reason in its own words (an eligibility
/// check whose words the checklist also shows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    Because(String),
    #[error("This has already been handled, perhaps by another administrator. The page now shows where things stand.")]
    AlreadyHandled,
    #[error("Please verify your email address first: worksite messages are sent to it.")]
    EmailNotVerified,
    #[error("Incorrect username or password.")]
    WrongCredentials,
    #[error("This link is not valid. Please check that you used the whole link from the email.")]
    LinkInvalid,
    #[error("This link has already been used.")]
    LinkUsed,
    #[error("This link has expired. Please request a new one.")]
    LinkExpired,
    #[error("You are already a member of {worksite}.")]
    AlreadyYourWorksite { worksite: String },
    #[error("This person is already a member of the worksite.")]
    AlreadyAMember,
    #[error("You have already asked to join {worksite}. Its administrators have your request.")]
    AlreadyAsked { worksite: String },
    #[error("A worksite needs at least one active Group / Site Administrator. Promote another member to administrator first.")]
    LastAdministrator,
    #[error("You are the only active Group / Site Administrator of {worksite}. Promote another member to administrator before you leave.")]
    LastAdministratorLeaving { worksite: String },
    #[error("This invitation was sent to {email}. Sign in as the user whose verified email address is {email}, or register with it, to accept it.")]
    InvitationForSomeoneElse { email: String },
    #[error("This invitation has expired. Please ask the worksite's Group / Site Administrator to resend it.")]
    InvitationExpired,
    #[error("This invitation has already been accepted.")]
    InvitationAccepted,
    #[error("This invitation was withdrawn by the worksite.")]
    InvitationWithdrawn,
    #[error("You are already a member of this worksite: its administrators approved your request to join.")]
    InvitationSuperseded,
    #[error("Too many incorrect passwords for this username: password sign-in is paused for {minutes} minute(s). Wait, reset your password, or sign in with your BC Services Card.")]
    PasswordSignInPaused { minutes: i64 },
    #[error("Your profession, {profession}, does not have a Ministry of Health Designation Order for CareConnect yet. You can register, join worksites and be listed as a member, but you cannot be granted CareConnect access until a Designation Order is approved for your profession.")]
    NoDesignationOrder { profession: String },
    #[error("This account has been disabled by the CareConnect team. If you think this is a mistake, contact them at CareConnect@phsa.ca.")]
    AccountDisabled,
    #[error("CareConnect team accounts sign in with the BC Services Card only, so that a password alone never opens the back office.")]
    StaffSignInWithIdentityProvider,
    #[error("You have reached today's limit of {limit} {what}. Please try again tomorrow, or contact the CareConnect team at CareConnect@phsa.ca if you need more.")]
    DailyLimit { limit: i32, what: String },
}

impl From<String> for Refusal {
    fn from(reason: String) -> Self {
        Refusal::Because(reason)
    }
}

impl From<&str> for Refusal {
    fn from(reason: &str) -> Self {
        Refusal::Because(reason.to_owned())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You are not allowed to do that.")]
    Forbidden,
    #[error("{0}")]
    NotFound(String),
    #[error("Please correct the highlighted fields.")]
    Invalid(FieldErrors),
    /// A decision someone already made, or a value someone already holds.
    #[error("{0}")]
    Conflict(Refusal),
    /// A refusal with its reason, e.g. an expired link.
    #[error("{0}")]
    Refused(Refusal),
    #[error("Too many attempts. Please wait a minute and try again.")]
    RateLimited,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// The database's disk is full: nothing was saved, and reading goes on.
    #[error("The portal cannot save changes right now because its storage is full. Nothing was changed: please try again in a few minutes.")]
    StorageFull,
    /// A failure on the portal's side (`Internal`, `StorageFull`) as the person reads it: with the
    /// reference of their request, its id in the logs, by which the CareConnect team finds what
    /// happened. Added as the answer leaves the server; services never make it.
    #[error("{failure} Reference: {reference}.")]
    Referenced {
        failure: Box<AppError>,
        reference: String,
    },
    /// The request never reached the portal's code (network, encoding).
    #[error("The portal could not be reached ({0}). Please check your connection and try again.")]
    Transport(String),
}

impl AppError {
    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(errors) => Some(errors),
            _ => None,
        }
    }

    /// The HTTP status a server function answers with when it fails this way.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Conflict(_) => 409,
            AppError::Invalid(_) | AppError::Refused(_) => 422,
            AppError::RateLimited => 429,
            AppError::Transport(_) => 400,
            AppError::Internal => 500,
            AppError::StorageFull => 503,
            AppError::Referenced { failure, .. } => failure.status(),
        }
    }

    /// A failure on the portal's side with the request's reference; any other error, a refusal
    /// the person can act on, as it is.
    pub fn with_reference(self, reference: &str) -> Self {
        match self {
            AppError::Internal | AppError::StorageFull => AppError::Referenced {
                failure: Box::new(self),
                reference: reference.to_owned(),
            },
            other => other,
        }
    }

    /// The error without its reference, to branch on.
    pub fn failure(&self) -> &AppError {
        match self {
            AppError::Referenced { failure, .. } => failure,
            other => other,
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message);
        AppError::Invalid(errors)
    }

    /// The error a failed server function's answer carries, decoded as the browser decodes it.
    pub fn from_answer(answer: server_fn::Bytes) -> Option<Self> {
        <Self as FromServerFnError>::Encoder::decode(answer).ok()
    }

    /// The answer a failed server function sends, as [`Self::from_answer`] reads it.
    pub fn to_answer(&self) -> Option<server_fn::Bytes> {
        <<Self as FromServerFnError>::Encoder as server_fn::Encodes<Self>>::encode(self).ok()
    }
}

impl FromServerFnError for AppError {
    type Encoder = PostcardEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
mod server_conversions {
    use super::AppError;

    impl From<sea_orm::DbErr> for AppError {
        fn from(error: sea_orm::DbErr) -> Self {
            if crate::platform::db::storage_full(&error) {
                tracing::error!(%error, "the database's disk is full: a write was refused");
                return AppError::StorageFull;
            }
            tracing::error!(%error, "database error");
            AppError::Internal
        }
    }

    impl From<sea_orm::TransactionError<AppError>> for AppError {
        fn from(error: sea_orm::TransactionError<AppError>) -> Self {
            match error {
                sea_orm::TransactionError::Connection(db) => db.into(),
                sea_orm::TransactionError::Transaction(app) => app,
            }
        }
    }

    impl From<tower_sessions::session::Error> for AppError {
        fn from(error: tower_sessions::session::Error) -> Self {
            tracing::error!(%error, "session error");
            AppError::Internal
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::{AppError, Refusal};

    #[test]
    fn failures_on_our_side_carry_their_reference_and_refusals_do_not() {
        let referenced = AppError::StorageFull.with_reference("7F3KQ9ZD2M1A");
        assert_eq!(referenced.status(), 503);
        assert_eq!(referenced.failure(), &AppError::StorageFull);
        let words = referenced.to_string();
        assert!(words.starts_with("The portal cannot save changes right now"));
        assert!(words.ends_with("Reference: 7F3KQ9ZD2M1A."), "{words}");
        assert_eq!(
            AppError::Internal.with_reference("X").to_string(),
            "Something went wrong on our side. Please try again in a moment. Reference: X."
        );
        // It travels as the browser reads it.
        let answer = referenced.to_answer().expect("encodes");
        assert_eq!(AppError::from_answer(answer), Some(referenced));
        // A refusal says what to do; it needs no reference.
        let refusal = AppError::Refused(Refusal::LinkExpired);
        assert_eq!(refusal.clone().with_reference("X"), refusal);
    }
}
