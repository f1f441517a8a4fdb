use serde::{Deserialize, Serialize};

/// What a person may do follows from their profession's user type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UserType {
    /// Physicians and nurse practitioners: sponsor On-Behalf-Of users, sign the HPCAA.
    Authorizer,
    /// May request CareConnect access alone; cannot approve others.
    Independent,
    /// Support staff who need an Authorizer's sponsorship.
    OnBehalfOf,
}

impl UserType {
    pub const ALL: [UserType; 3] = [
        UserType::Authorizer,
        UserType::Independent,
        UserType::OnBehalfOf,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UserType::Authorizer => "authorizer",
            UserType::Independent => "independent",
            UserType::OnBehalfOf => "on_behalf_of",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "authorizer" => Some(UserType::Authorizer),
            "independent" => Some(UserType::Independent),
            "on_behalf_of" => Some(UserType::OnBehalfOf),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UserType::Authorizer => "Authorizer",
            UserType::Independent => "Independent User",
            UserType::OnBehalfOf => "On-Behalf-Of User",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profession {
    pub id: i32,
    pub name: String,
    pub user_type: UserType,
    /// Only professions with an approved Designation Order can be granted CareConnect access.
    pub designation_order: bool,
    pub requires_licence: bool,
    /// Whether its members sign the Healthcare Practitioner CareConnect Access Agreement.
    pub requires_hpcaa: bool,
}

/// The CareConnect team's form for one profession; `id` is empty for a new one. Checkboxes
/// arrive as `on` when ticked and are absent otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfessionForm {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub user_type: String,
    #[serde(default)]
    pub designation_order: Option<String>,
    #[serde(default)]
    pub requires_licence: Option<String>,
    #[serde(default)]
    pub requires_hpcaa: Option<String>,
}

/// A profession form that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfession {
    pub id: Option<i32>,
    pub name: String,
    pub user_type: UserType,
    pub designation_order: bool,
    pub requires_licence: bool,
    pub requires_hpcaa: bool,
}

impl ProfessionForm {
    pub fn validate(&self) -> Result<ValidProfession, crate::error::AppError> {
        let mut errors = crate::error::FieldErrors::new();
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.chars().count() < 2 {
            errors.add("name", "Enter the profession's name.");
        } else if name.chars().count() > 100 {
            errors.add("name", "Use at most 100 characters.");
        } else if crate::text::has_hidden_characters(&name, false) {
            errors.add("name", crate::text::HIDDEN_CHARACTERS);
        }
        let user_type = UserType::from_code(&self.user_type);
        if user_type.is_none() {
            errors.add("user_type", "Choose the user type.");
        }
        let id = match self.id.trim() {
            "" => None,
            id => match id.parse() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.add("name", "This profession does not exist.");
                    None
                }
            },
        };
        errors.into_result()?;
        Ok(ValidProfession {
            id,
            name,
            user_type: user_type.unwrap_or(UserType::Independent),
            designation_order: self.designation_order.is_some(),
            requires_licence: self.requires_licence.is_some(),
            requires_hpcaa: self.requires_hpcaa.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::UserType;

    #[test]
    fn a_profession_form_needs_a_name_and_a_user_type() {
        use super::ProfessionForm;
        let errors = ProfessionForm::default().validate().unwrap_err();
        let fields = errors.field_errors().unwrap();
        assert!(fields.get("name").is_some() && fields.get("user_type").is_some());
        let valid = ProfessionForm {
            name: "  Speech   Language Pathologist ".to_owned(),
            user_type: "independent".to_owned(),
            requires_licence: Some("on".to_owned()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(valid.name, "Speech Language Pathologist");
        assert_eq!(valid.id, None);
        assert!(valid.requires_licence && !valid.designation_order && !valid.requires_hpcaa);
    }

    #[test]
    fn user_type_codes_round_trip() {
        for user_type in [
            UserType::Authorizer,
            UserType::Independent,
            UserType::OnBehalfOf,
        ] {
            assert_eq!(UserType::from_code(user_type.code()), Some(user_type));
        }
        assert_eq!(UserType::from_code("staff"), None);
    }
}
