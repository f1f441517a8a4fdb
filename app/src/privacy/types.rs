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
