//! How the domain's statuses are declared: each is an enum shared by browser and server, named
//! by its snake_case variant in serde and, on the server, stored as that name through SeaORM's
//! active enums (its database `CHECK` is in `migrations::STATUSES`).

/// Declares a status enum with the derives every status shares.
macro_rules! status_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(
            feature = "ssr",
            sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
        )]
        #[serde(rename_all = "snake_case")]
        $vis enum $name {
            $($variant),+
        }
    };
}

pub(crate) use status_enum;
