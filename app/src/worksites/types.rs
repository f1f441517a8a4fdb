//! Worksite data shared by browser and server, and the validation both apply.

use serde::{Deserialize, Serialize};

/// The worksite types, in the guide's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WorksiteType {
    CommunityBasedPrivatePractice,
    HomeOffice,
    FirstNationsHealthAuthorityFacility,
    HealthAuthorityClinic,
    CommunityPharmacy,
    LongTermCareFacility,
    NoClinicalApps,
    Other,
}

impl WorksiteType {
    pub const ALL: [WorksiteType; 8] = [
        WorksiteType::CommunityBasedPrivatePractice,
        WorksiteType::HomeOffice,
        WorksiteType::FirstNationsHealthAuthorityFacility,
        WorksiteType::HealthAuthorityClinic,
        WorksiteType::CommunityPharmacy,
        WorksiteType::LongTermCareFacility,
        WorksiteType::NoClinicalApps,
        WorksiteType::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            WorksiteType::CommunityBasedPrivatePractice => "Community Based Private Practice",
            WorksiteType::HomeOffice => "Home Office",
            WorksiteType::FirstNationsHealthAuthorityFacility => {
                "First Nations Health Authority Facility"
            }
            WorksiteType::HealthAuthorityClinic => "Health Authority Clinic",
            WorksiteType::CommunityPharmacy => "Community Pharmacy",
            WorksiteType::LongTermCareFacility => "Long Term Care Facility (non-Health Authority)",
            WorksiteType::NoClinicalApps => "No Clinical Apps (Services Card Registration only)",
            WorksiteType::Other => "Other",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            WorksiteType::CommunityBasedPrivatePractice => "community_private_practice",
            WorksiteType::HomeOffice => "home_office",
            WorksiteType::FirstNationsHealthAuthorityFacility => "fnha_facility",
            WorksiteType::HealthAuthorityClinic => "health_authority_clinic",
            WorksiteType::CommunityPharmacy => "community_pharmacy",
            WorksiteType::LongTermCareFacility => "long_term_care",
            WorksiteType::NoClinicalApps => "no_clinical_apps",
            WorksiteType::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Members of these worksites can be granted CareConnect access.
    pub fn eligible_for_careconnect(self) -> bool {
        matches!(
            self,
            WorksiteType::CommunityBasedPrivatePractice
                | WorksiteType::FirstNationsHealthAuthorityFacility
                | WorksiteType::CommunityPharmacy
                | WorksiteType::LongTermCareFacility
        )
    }
}

/// Electronic medical record systems used in BC community practice.
pub const EMRS: &[&str] = &[
    "Accuro",
    "CHARM EHR",
    "Intrahealth Profile",
    "Juno EMR",
    "MedAccess",
    "MOIS",
    "OSCAR",
    "OSCAR Pro",
    "Plexia",
    "TELUS PS Suite",
    "Wolf (TELUS)",
    "Other",
    "None",
];

/// Clinic types; the first is the guide's own example.
pub const CLINIC_TYPES: &[&str] = &[
    "Physician Led, Community Based Private Practice",
    "Family Practice",
    "Walk-in / Urgent Care",
    "Specialist Practice",
    "Multidisciplinary Clinic",
    "Pharmacy",
    "Long Term Care",
    "Community Health Centre",
    "Other",
];

/// A worksite's public identifier, the Worksite ID people type: 7 letters and digits, stored
/// upper-case. Server functions take it typed, so a malformed one is refused where the request
/// is decoded and no rule below ever sees one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::DeriveValueType))]
#[serde(try_from = "String", into = "String")]
pub struct WorksiteId(String);

/// What a person is told when a typed Worksite ID cannot be one.
pub const MALFORMED_WORKSITE_ID: &str = "A Worksite ID has 7 letters and digits, like K6MR8QY.";

/// What the CareConnect team and people joining are told of a Worksite ID no worksite has.
pub fn no_such_worksite() -> crate::error::AppError {
    crate::error::AppError::NotFound("No worksite has this Worksite ID.".to_owned())
}

impl WorksiteId {
    pub const LENGTH: usize = 7;

    /// A Worksite ID as typed: trimmed and upper-cased; refused unless 7 letters or digits.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let id = input.trim().to_uppercase();
        if id.len() == Self::LENGTH && id.chars().all(|c| c.is_ascii_alphanumeric()) {
            Ok(Self(id))
        } else {
            Err(MALFORMED_WORKSITE_ID)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WorksiteId {
    type Error = &'static str;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<WorksiteId> for String {
    fn from(id: WorksiteId) -> Self {
        id.0
    }
}

impl std::str::FromStr for WorksiteId {
    type Err = &'static str;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input)
    }
}

impl std::fmt::Display for WorksiteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for WorksiteId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Canadian postal code `A1A 1A1`.
pub fn normalize_postal_code(input: &str) -> Result<String, &'static str> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let bytes = compact.as_bytes();
    let valid = bytes.len() == 6
        && bytes.iter().enumerate().all(|(i, b)| {
            if i % 2 == 0 {
                b.is_ascii_uppercase()
            } else {
                b.is_ascii_digit()
            }
        })
        && !matches!(
            bytes[0],
            b'D' | b'F' | b'I' | b'O' | b'Q' | b'U' | b'W' | b'Z'
        );
    if valid {
        Ok(format!("{} {}", &compact[..3], &compact[3..]))
    } else {
        Err("Enter a postal code like V6E 1H4.")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub unit: Option<String>,
    pub street: String,
    pub city: String,
    pub province: String,
    pub postal_code: String,
    pub country: String,
}

impl Address {
    /// As the guide shows it: `101-1234 BARCLAY ST, VANCOUVER BC V6E 1H4, CANADA`.
    pub fn display(&self) -> String {
        let street = match &self.unit {
            Some(unit) => format!("{unit}-{}", self.street),
            None => self.street.clone(),
        };
        format!(
            "{}, {} {} {}, {}",
            street, self.city, self.province, self.postal_code, self.country
        )
        .to_uppercase()
    }
}

/// An address offered while typing; choosing it fills the registration form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressSuggestion {
    pub unit: Option<String>,
    pub street: String,
    pub city: String,
    pub postal_code: String,
}

impl AddressSuggestion {
    pub fn address(&self) -> Address {
        Address {
            unit: self.unit.clone(),
            street: self.street.clone(),
            city: self.city.clone(),
            province: "BC".to_owned(),
            postal_code: self.postal_code.clone(),
            country: "Canada".to_owned(),
        }
    }
}

/// What anyone looking for a worksite may see of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorksiteSummary {
    pub code: WorksiteId,
    pub name: String,
    pub address: String,
    pub worksite_type: WorksiteType,
}

/// A worksite in the user's own list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyWorksite {
    pub worksite: WorksiteSummary,
    pub is_admin: bool,
    pub active: bool,
}

/// The worksite page's header and what the viewer may do there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorksiteDetails {
    pub code: WorksiteId,
    pub name: String,
    pub worksite_type: WorksiteType,
    pub address: Address,
    pub phone: String,
    pub phone_extension: Option<String>,
    pub email: String,
    pub emr: String,
    pub clinic_type: String,
    pub viewer_is_admin: bool,
    pub viewer_user_type: crate::professions::types::UserType,
}

impl WorksiteDetails {
    /// `(604) 555-1234 X 123` as the guide shows it.
    pub fn phone_display(&self) -> String {
        match &self.phone_extension {
            Some(extension) => format!("{} X {extension}", self.phone),
            None => self.phone.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorksiteForm {
    pub name: String,
    pub worksite_type: String,
    #[serde(default)]
    pub unit: String,
    pub street: String,
    pub city: String,
    pub postal_code: String,
    pub phone: String,
    #[serde(default)]
    pub phone_extension: String,
    pub email: String,
    pub emr: String,
    pub clinic_type: String,
    /// Set when the registrant saw the worksites already at this address and goes on anyway.
    #[serde(default)]
    pub register_anyway: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorksiteEditForm {
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub phone_extension: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationOutcome {
    Registered(WorksiteSummary),
    /// Worksites already registered at this address (and unit): join one instead?
    AddressInUse(Vec<WorksiteSummary>),
}

/// Phone extensions: up to 7 digits (the guide's example is "0000000").
pub const EXTENSION_DIGITS: usize = 7;

pub fn validate_extension(input: &str) -> Result<Option<String>, &'static str> {
    let extension = input.trim();
    if extension.is_empty() {
        return Ok(None);
    }
    if extension.len() <= EXTENSION_DIGITS && extension.chars().all(|c| c.is_ascii_digit()) {
        Ok(Some(extension.to_owned()))
    } else {
        Err("Use up to 7 digits.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worksite_types_keep_the_guides_order_and_eligibility() {
        let labels: Vec<_> = WorksiteType::ALL.iter().map(|t| t.label()).collect();
        assert_eq!(labels[0], "Community Based Private Practice");
        assert_eq!(labels[7], "Other");
        let eligible: Vec<_> = WorksiteType::ALL
            .into_iter()
            .filter(|t| t.eligible_for_careconnect())
            .collect();
        assert_eq!(
            eligible,
            vec![
                WorksiteType::CommunityBasedPrivatePractice,
                WorksiteType::FirstNationsHealthAuthorityFacility,
                WorksiteType::CommunityPharmacy,
                WorksiteType::LongTermCareFacility
            ]
        );
        for t in WorksiteType::ALL {
            assert_eq!(WorksiteType::from_code(t.code()), Some(t));
        }
    }

    #[test]
    fn the_guides_values_are_offered_and_accepted() {
        assert_eq!(
            CLINIC_TYPES[0],
            "Physician Led, Community Based Private Practice"
        );
        assert!(EMRS.contains(&"MedAccess"));
        assert_eq!(
            validate_extension(" 0000000 "),
            Ok(Some("0000000".to_owned()))
        );
        assert!(validate_extension("12345678").is_err());
        assert!(validate_extension("12a").is_err());
        assert_eq!(validate_extension(""), Ok(None));
    }

    #[test]
    fn worksite_ids_are_accepted_in_any_case() {
        assert_eq!(
            WorksiteId::parse(" k6mr8qy ")
                .as_ref()
                .map(WorksiteId::as_str),
            Ok("K6MR8QY")
        );
        assert_eq!(WorksiteId::parse("K6MR8Q"), Err(MALFORMED_WORKSITE_ID));
        assert_eq!(WorksiteId::parse("K6MR-QY"), Err(MALFORMED_WORKSITE_ID));
    }

    #[test]
    fn a_malformed_worksite_id_cannot_be_decoded() {
        let decoded: WorksiteId = serde_json::from_str("\"k6mr8qy\"").unwrap();
        assert_eq!(decoded.as_str(), "K6MR8QY");
        assert!(serde_json::from_str::<WorksiteId>("\"K6MR8Q'\"").is_err());
        assert_eq!(serde_json::to_string(&decoded).unwrap(), "\"K6MR8QY\"");
    }

    #[test]
    fn postal_codes_are_canadian() {
        assert_eq!(normalize_postal_code("v6e1h4").unwrap(), "V6E 1H4");
        assert_eq!(normalize_postal_code(" V3L 1Y1 ").unwrap(), "V3L 1Y1");
        for bad in ["", "12345", "V6E 1H", "VV6 1H4", "D6E 1H4", "V6E-1H4X"] {
            assert!(normalize_postal_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn addresses_display_in_capitals_as_the_guide_shows() {
        let address = Address {
            unit: Some("101".into()),
            street: "1234 Barclay St".into(),
            city: "Vancouver".into(),
            province: "BC".into(),
            postal_code: "V6E 1H4".into(),
            country: "Canada".into(),
        };
        assert_eq!(
            address.display(),
            "101-1234 BARCLAY ST, VANCOUVER BC V6E 1H4, CANADA"
        );
    }
}

/// The fields only the CareConnect team changes: the address, EMR and clinic type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedFieldsForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub street: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub emr: String,
    #[serde(default)]
    pub clinic_type: String,
}

/// A worksite as the CareConnect team's lookup shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffWorksite {
    pub code: WorksiteId,
    pub name: String,
    pub worksite_type: WorksiteType,
    pub address: Address,
    pub phone: String,
    pub email: String,
    pub emr: String,
    pub clinic_type: String,
    /// In British Columbia's time.
    pub registered_on: String,
    pub active_members: u64,
    pub inactive_members: u64,
    pub administrators: Vec<String>,
    /// Who signed the site-level P&S declaration, and when.
    pub declaration: Option<String>,
}
