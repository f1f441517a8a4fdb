//! What combines several concepts, kept above them so that the concepts form layers without
//! import cycles: the cascades of a change (a membership set inactive ends access, sponsorships and
//! invitations; joining one way closes the other; a profession's new user type regroups members and ends sponsorships), and the
//! reads that gather many concepts (what needs a person's attention, a person's record for the
//! CareConnect team). The concepts below never import this module.

pub mod attention;
pub mod joining;
pub mod members;
pub mod people;
pub mod professions;
