//! The words of the CareConnect application emails.

use crate::mail::message::Email;
use crate::privacy::types::COURSE_NAME;

/// "Received and in queue", with the course reminder (also after a resubmission).
pub fn received(applicant: &str, worksite: &str, course_done: bool, link: &str) -> Email {
    let email = Email::new("Your CareConnect request has been received")
        .paragraph(format!("Hello {applicant},"))
        .paragraph(format!("Your request for CareConnect access from {worksite} has been received and is in queue for processing by the CareConnect team."));
    let email = if course_done {
        email.paragraph(format!("Thank you for completing the {COURSE_NAME}."))
    } else {
        email.paragraph(format!("As a requirement for accessing CareConnect, you must complete the {COURSE_NAME} (about 10–15 minutes) on the Learning Hub. The course is mandatory for CareConnect access, so we recommend completing it as soon as possible to avoid delays."))
    };
    email
        .paragraph("Your access also needs the Healthcare Practitioner CareConnect Access Agreement (HPCAA) signed, where your profession signs it, and your worksite's site-level Privacy & Security declaration.")
        .link("Follow your application", link)
        .signed()
}

pub fn in_review(applicant: &str, worksite: &str, link: &str) -> Email {
    Email::new("Your CareConnect request is in review")
        .paragraph(format!("Hello {applicant},"))
        .paragraph(format!("The CareConnect team is now reviewing your request for CareConnect access from {worksite}."))
        .link("Follow your application", link)
        .signed()
}

/// The approval: the Welcome Package.
pub fn welcome_package(applicant: &str, worksite: &str, link: &str) -> Email {
    Email::new("Welcome to CareConnect: your Welcome Package")
        .paragraph(format!("Hello {applicant},"))
        .paragraph(format!("Your request for CareConnect access from {worksite} has been approved. Welcome to CareConnect."))
        .emphasis("Signing in to CareConnect", "Sign in to the my.CareConnect Enrolment Portal and choose \"Open CareConnect\" on your home page, from the worksite your access was granted for.")
        .emphasis("On-Behalf-Of users", "As an Authorizer you may sponsor your support staff on your worksite's \"My On-behalf-Of Users\" tab; they then see CareConnect on your behalf.")
        .emphasis("Support", "CareConnect team: CareConnect@phsa.ca. Privacy questions or a suspected breach: private.careconnect@phsa.ca.")
        .link("Open the portal", link)
        .signed()
}

pub fn denied(applicant: &str, worksite: &str, reason: &str, link: &str) -> Email {
    Email::new("Your CareConnect request was denied")
        .paragraph(format!("Hello {applicant},"))
        .paragraph(format!(
            "Your request for CareConnect access from {worksite} was denied."
        ))
        .emphasis("Reason", reason)
        .paragraph(
            "If you have questions, please contact the CareConnect team at CareConnect@phsa.ca.",
        )
        .link("See your application", link)
        .signed()
}

pub fn returned(applicant: &str, worksite: &str, needed: &str, link: &str) -> Email {
    Email::new("Your CareConnect request needs more information")
        .paragraph(format!("Hello {applicant},"))
        .paragraph(format!("The CareConnect team returned your request for CareConnect access from {worksite}: it needs more information before it can be approved."))
        .emphasis("What is needed", needed)
        .paragraph("Please update your CareConnect Enrolment Form and submit it again.")
        .link("Update your application", link)
        .signed()
}

/// Every message's words, as its reader gets them (`cargo insta review` after a deliberate
/// change). Names carry characters HTML must escape.
#[cfg(test)]
mod snapshots {
    use super::*;
    use crate::mail::message::rendered;
    use insta::assert_snapshot;

    #[test]
    fn received_with_and_without_the_course() {
        assert_snapshot!(
            "received_course_done",
            rendered(&received(
                "Pia <Pharm>",
                "Main & Co",
                true,
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "received_course_to_do",
            rendered(&received(
                "Pia <Pharm>",
                "Main & Co",
                false,
                "https://portal.example/x?token=abc&n=1"
            ))
        );
    }

    #[test]
    fn decisions() {
        assert_snapshot!(
            "in_review",
            rendered(&in_review(
                "Pia <Pharm>",
                "Main & Co",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "welcome_package",
            rendered(&welcome_package(
                "Pia <Pharm>",
                "Main & Co",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "denied",
            rendered(&denied(
                "Pia <Pharm>",
                "Main & Co",
                "No \"licence\" on file",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "returned",
            rendered(&returned(
                "Pia <Pharm>",
                "Main & Co",
                "Your licence number",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
    }
}
