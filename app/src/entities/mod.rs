//! SeaORM entities, one per table. The migrations crate owns the schema; these mirror it.

pub mod account;
pub mod account_identity;
pub mod attempt_count;
pub mod audit_event;
pub mod callback_receipt;
pub mod careconnect_access;
pub mod careconnect_application;
pub mod course_completion;
pub mod hpcaa_signature;
pub mod invitation;
pub mod join_request;
pub mod member_name_prefix;
pub mod membership;
pub mod notification;
pub mod one_time_token;
pub mod outbound_email;
pub mod profession;
pub mod session;
pub mod site_declaration;
pub mod sponsorship;
pub mod worksite;
pub mod worksite_search_term;
