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
}

#[cfg(test)]
mod tests {
    use super::UserType;

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
