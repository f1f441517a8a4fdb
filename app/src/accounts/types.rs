//! Shared data and the validation rules both the browser and the server apply.

use crate::error::FieldErrors;
use crate::professions::types::UserType;
use serde::{Deserialize, Serialize};

crate::ids::row_id! {
    /// A person's account.
    pub struct AccountId;
}

/// The development identity provider's issuer, distinct from any real provider's. An identity it
/// vouched for signs in, but never counts as validated for CareConnect.
pub const DEVELOPMENT_ISSUER: &str = "urn:my-careconnect:development-identity-provider";

/// Pages a person is never sent back to after signing in: the ways in themselves, and what is
/// not a page.
const NOT_RETURNED_TO: [&str; 6] = ["/sign-in", "/auth", "/register", "/dev/idp", "/api", "/pkg"];

/// The page a person goes back to after signing in, when `raw` is one: a path of this portal
/// only (never another site, however written: `//host`, `/\host`, a scheme), at most 1000
/// characters, without spaces or control characters.
pub fn return_path(raw: &str) -> Option<&str> {
    let portal_path = raw.starts_with('/')
        && !raw.starts_with("//")
        && raw.len() <= 1000
        && !raw
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    let page = !NOT_RETURNED_TO.iter().any(|way_in| {
        raw.strip_prefix(way_in)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
    });
    (portal_path && page).then_some(raw)
}

/// `way_in` (the sign-in page, the identity provider's start) with the page to come back to
/// afterwards, when `next` is one and not home.
pub fn with_return_to(way_in: &str, next: &str) -> String {
    match return_path(next).filter(|path| *path != "/") {
        Some(path) => format!("{way_in}?{}", crate::ui::query_string(&[("next", path)])),
        None => way_in.to_owned(),
    }
}

/// The sign-in page's address, bringing the person back to `here` afterwards.
pub fn sign_in_href(here: &str) -> String {
    with_return_to("/sign-in", here)
}

/// Where the browser goes after an identity sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityOutcome {
    SignedIn,
    MustRegister,
}

impl IdentityOutcome {
    /// A person signed in goes back to `return_to` (already checked by [`return_path`]), or home.
    pub fn next_path(self, return_to: Option<&str>) -> &str {
        match self {
            IdentityOutcome::SignedIn => return_to.and_then(return_path).unwrap_or("/"),
            IdentityOutcome::MustRegister => "/register",
        }
    }
}

/// An identity the identity provider vouched for (BC Services Card or the development provider).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidatedIdentity {
    pub issuer: String,
    pub subject: String,
    pub given_name: String,
    pub family_name: String,
    /// ISO date (`YYYY-MM-DD`) when the provider gave one.
    pub birthdate: Option<String>,
    pub email: Option<String>,
}

/// The signed-in person as every page sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub pending_email: Option<String>,
    pub phone: String,
    pub profession: String,
    pub user_type: UserType,
    pub licence_number: Option<String>,
    pub is_staff: bool,
}

/// What every page needs to know about the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<CurrentUser>,
    /// The development identity provider and mailbox are available.
    pub development: bool,
}

/// What the registration page knows before the form is filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationStart {
    pub full_name: String,
    pub suggested_email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    pub email: String,
    pub username: String,
    pub password: String,
    pub password_confirmation: String,
    pub phone: String,
    pub profession_id: String,
    #[serde(default)]
    pub licence_number: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    pub email: String,
    pub phone: String,
    /// Needed only to change the email address: whoever holds a session alone cannot move the
    /// account's recovery address.
    #[serde(default)]
    pub current_password: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeForm {
    pub current_password: String,
    pub password: String,
    pub password_confirmation: String,
}

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

/// A plausible single address: one `@`, a dotted domain, no spaces. Returns it lower-cased.
pub fn normalize_email(input: &str) -> Result<String, &'static str> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Err("Enter your email address.");
    }
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if valid {
        Ok(email)
    } else {
        Err("Enter an email address like name@example.com.")
    }
}

pub fn validate_username(input: &str) -> Result<String, &'static str> {
    let username = input.trim();
    if username.is_empty() {
        return Err("Choose a username.");
    }
    let valid_chars = username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !(3..=32).contains(&username.len()) || !valid_chars {
        return Err("Use 3 to 32 letters, digits, dots, dashes or underscores.");
    }
    Ok(username.to_owned())
}

pub fn validate_new_password(password: &str, confirmation: &str, errors: &mut FieldErrors) {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        errors.add(
            "password",
            format!("Use at least {PASSWORD_MIN} characters."),
        );
    } else if length > PASSWORD_MAX {
        errors.add(
            "password",
            format!("Use at most {PASSWORD_MAX} characters."),
        );
    } else if password.chars().all(|c| password.starts_with(c)) {
        errors.add("password", "Choose a password that is harder to guess.");
    }
    if password != confirmation {
        errors.add("password_confirmation", "The passwords do not match.");
    }
}

/// North American numbers, shown as `(604) 555-1234`.
pub fn normalize_phone(input: &str) -> Result<String, &'static str> {
    let digits: String = input.chars().filter(char::is_ascii_digit).collect();
    let allowed = input
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '+'));
    let digits = match digits.len() {
        11 if digits.starts_with('1') => &digits[1..],
        _ => digits.as_str(),
    };
    if input.trim().is_empty() {
        return Err("Enter a phone number.");
    }
    if !allowed || digits.len() != 10 || digits.starts_with(['0', '1']) {
        return Err("Enter a 10-digit phone number like (604) 555-1234.");
    }
    Ok(format!(
        "({}) {}-{}",
        &digits[..3],
        &digits[3..6],
        &digits[6..]
    ))
}

/// College licence numbers: letters, digits and dashes.
pub fn validate_licence(input: &str, required: bool) -> Result<Option<String>, &'static str> {
    let licence = input.trim().to_uppercase();
    if licence.is_empty() {
        return if required {
            Err("Enter your college licence number.")
        } else {
            Ok(None)
        };
    }
    if licence.len() > 32
        || !licence
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err("Use letters, digits and dashes only.");
    }
    Ok(Some(licence))
}

#[cfg(test)]
mod tests {
    #[test]
    fn people_return_only_to_pages_of_this_portal() {
        for page in [
            "/worksites/K6MR8QY",
            "/join-requests/approve?token=abc",
            "/invitations/accept?token=a-b_c",
            "/registered-nurses",
        ] {
            assert_eq!(return_path(page), Some(page), "{page}");
        }
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "/x\\y",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/a b",
            "/a\nb",
            "/sign-in?next=/x",
            "/auth/oidc/start",
            "/register",
            "/api/sign_out",
        ] {
            assert_eq!(return_path(elsewhere), None, "{elsewhere:?}");
        }
        assert_eq!(return_path(&format!("/{}", "a".repeat(1000))), None);
        assert_eq!(
            sign_in_href("/join-requests/approve?token=abc"),
            "/sign-in?next=%2Fjoin-requests%2Fapprove%3Ftoken%3Dabc"
        );
        assert_eq!(sign_in_href("/"), "/sign-in");
        assert_eq!(sign_in_href("//evil.example"), "/sign-in");
        assert_eq!(
            IdentityOutcome::SignedIn.next_path(Some("/worksites")),
            "/worksites"
        );
        assert_eq!(
            IdentityOutcome::SignedIn.next_path(Some("//evil.example")),
            "/"
        );
        assert_eq!(IdentityOutcome::SignedIn.next_path(None), "/");
        assert_eq!(
            IdentityOutcome::MustRegister.next_path(Some("/worksites")),
            "/register"
        );
    }

    use super::*;

    #[test]
    fn emails_are_checked_and_lower_cased() {
        assert_eq!(
            normalize_email(" Jane.Doe@Clinic.CA ").unwrap(),
            "jane.doe@clinic.ca"
        );
        for bad in [
            "",
            "jane",
            "jane@",
            "@clinic.ca",
            "jane@clinic",
            "ja ne@clinic.ca",
            "a@b@c.ca",
            "jane@clinic..ca",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn usernames_are_short_and_plain() {
        assert_eq!(validate_username(" dr.jones ").unwrap(), "dr.jones");
        assert!(validate_username("ab").is_err());
        assert!(validate_username("dr jones").is_err());
        assert!(validate_username(&"a".repeat(33)).is_err());
    }

    #[test]
    fn passwords_need_length_and_matching_confirmation() {
        let mut errors = FieldErrors::new();
        validate_new_password("short", "short", &mut errors);
        assert!(errors.get("password").is_some());
        let mut errors = FieldErrors::new();
        validate_new_password("aaaaaaaaaaaaaa", "aaaaaaaaaaaaaa", &mut errors);
        assert!(errors.get("password").is_some());
        let mut errors = FieldErrors::new();
        validate_new_password("a long enough secret", "a different secret", &mut errors);
        assert!(errors.get("password").is_none());
        assert!(errors.get("password_confirmation").is_some());
        let mut errors = FieldErrors::new();
        validate_new_password("a long enough secret", "a long enough secret", &mut errors);
        assert!(errors.is_empty());
    }

    #[test]
    fn phones_are_north_american() {
        assert_eq!(normalize_phone("604-555-1234").unwrap(), "(604) 555-1234");
        assert_eq!(
            normalize_phone("+1 (604) 555 1234").unwrap(),
            "(604) 555-1234"
        );
        assert!(normalize_phone("555-1234").is_err());
        assert!(normalize_phone("604-555-12345").is_err());
        assert!(normalize_phone("104-555-1234").is_err());
        assert!(normalize_phone("604-CALL-NOW").is_err());
    }

    #[test]
    fn licences_are_required_only_for_regulated_professions() {
        assert_eq!(
            validate_licence(" ab-123 ", true).unwrap().as_deref(),
            Some("AB-123")
        );
        assert!(validate_licence("", true).is_err());
        assert_eq!(validate_licence("", false).unwrap(), None);
        assert!(validate_licence("12 34", false).is_err());
    }
}

/// A device signed in to the person's account, as "Manage My Account" lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInDevice {
    /// E.g. "Firefox on Windows".
    pub browser: String,
    pub address: Option<String>,
    pub last_active: String,
    pub signed_in: String,
    /// The device this list is shown on.
    pub this_device: bool,
}

/// People are warned this long before their session idles out.
pub const IDLE_WARNING_SECONDS: i64 = 120;

/// A person found by the CareConnect team's user lookup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSummary {
    pub id: i64,
    pub name: String,
    pub username: String,
    pub email: Option<String>,
    pub profession: String,
}

/// Everything the CareConnect team sees of one person, each line already worded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRecord {
    pub summary: PersonSummary,
    pub pending_email: Option<String>,
    pub phone: String,
    pub user_type: String,
    pub licence_number: Option<String>,
    pub identity_validated: bool,
    pub is_staff: bool,
    pub registered_on: String,
    pub course: String,
    pub hpcaa: String,
    /// "NAME (ID): active, administrator", …
    pub memberships: Vec<String>,
    /// (application id, "WORKSITE: STATUS, submitted DATE").
    pub applications: Vec<(i64, String)>,
    /// "Sponsors NAME at WORKSITE (active)", "Sponsored by NAME at WORKSITE (requested)", …
    pub sponsorships: Vec<String>,
    /// "WORKSITE, since DATE".
    pub access: Vec<String>,
    /// "Disabled on DATE: REASON" while the CareConnect team has disabled the account.
    pub disabled: Option<String>,
}
