use serde::{Deserialize, Serialize};

/// The course every CareConnect user completes (about 10–15 minutes, on the Learning Hub).
pub const COURSE_NAME: &str = "CareConnect Private Practice Privacy and Security course";

/// The signed-in person's Privacy & Security course, as their home page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseStatus {
    /// When they completed it (British Columbia's date), if the learning system has said so.
    pub completed_on: Option<String>,
}

/// What a staff CSV import did. With any error, nothing was imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: u32,
    /// Rows whose completion was already recorded (the same reference).
    pub already_recorded: u32,
    /// "Line N: what is wrong", in file order.
    pub errors: Vec<String>,
}

/// The header a completions CSV starts with.
pub const CSV_HEADER: &str = "email,completed_on,reference";

/// A signature of the HPCAA, as the signed copy shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedAgreement {
    pub name: String,
    /// When, in British Columbia's time.
    pub signed_on: String,
    pub version: String,
}

/// What the HPCAA page shows the signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HpcaaView {
    /// Why they do not sign it (their user type or profession); `None` when they must.
    pub exemption: Option<String>,
    /// Their name as the identity provider gave it: what they type to sign.
    pub legal_name: String,
    /// Their signature of the current version.
    pub signature: Option<SignedAgreement>,
}

/// "Sign Agreement": the typed full name and the confirmation checkbox (`on` when ticked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HpcaaSigning {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub agree: Option<String>,
}

/// The person's Privacy & Security requirements, as their home page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    pub course: CourseStatus,
    pub hpcaa: HpcaaView,
}

/// A worksite's site-level Privacy & Security declaration, as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedDeclaration {
    pub name: String,
    pub title: String,
    /// When, in British Columbia's time.
    pub signed_on: String,
    pub version: String,
}

/// What the worksite's "P&S Declaration" tab shows a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationView {
    /// Administrators sign it (those with signing authority say so when they do).
    pub viewer_is_admin: bool,
    /// The viewer's legal name, what they type to sign.
    pub legal_name: String,
    pub signature: Option<SignedDeclaration>,
}

/// "Sign Declaration": the signer's typed name and title, and two confirmations (`on` when
/// ticked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationSigning {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub signing_authority: Option<String>,
    #[serde(default)]
    pub agree: Option<String>,
}
