//! The words of the join-request emails (guide 001, §3B).

use crate::mail::message::Email;

pub fn access_requested(
    admin: &str,
    requester: &str,
    requester_email: &str,
    worksite: &str,
    comment: Option<&str>,
    approve_link: &str,
) -> Email {
    let mut email = Email::new(format!("Access Request for Worksite: {worksite}"))
        .paragraph(format!("Hello {admin},"))
        .paragraph(format!(
            "{requester}, {requester_email} would like to join {worksite}."
        ));
    if let Some(comment) = comment {
        email = email.paragraph(format!("Their message: \"{comment}\""));
    }
    email
        .paragraph(format!("If you would like to approve their ability to access CareConnect from the {worksite}, please click on the link below, or login to My.CareConnect to approve their request."))
        .link(format!("Click Here to approve {requester}'s request to join {worksite}"), approve_link)
        .paragraph("If you need help with this request please contact CareConnect@phsa.ca")
}

pub fn request_approved(requester: &str, worksite: &str, link: &str) -> Email {
    Email::new(format!("Your request to join {worksite} was approved"))
        .paragraph(format!("Hello {requester},"))
        .paragraph(format!("Your request to join {worksite} was approved. The worksite is now in your list of worksites on My.CareConnect."))
        .link(format!("Open {worksite}"), link)
        .signed()
}

pub fn request_rejected(requester: &str, worksite: &str, reason: Option<&str>) -> Email {
    let mut email = Email::new(format!("Your request to join {worksite} was not approved"))
        .paragraph(format!("Hello {requester},"))
        .paragraph(format!("The administrators of {worksite} did not approve your request to join the worksite. If you think this is a mistake, please contact the worksite directly."));
    if let Some(reason) = reason {
        email = email.paragraph(format!("Their reason: \"{reason}\""));
    }
    email.signed()
}

/// Every message's words, as its reader gets them (`cargo insta review` after a deliberate
/// change). Names carry characters HTML must escape.
#[cfg(test)]
mod snapshots {
    use super::*;
    use crate::mail::message::rendered;
    use insta::assert_snapshot;

    #[test]
    fn access_requested_with_and_without_a_comment() {
        assert_snapshot!(
            "access_requested_comment",
            rendered(&access_requested(
                "Dalia <Eighteen>",
                "Greg & Sons",
                "greg@clinic.example",
                "Barclay & Co",
                Some("I'm the new MOA"),
                "https://portal.example/x?token=abc&n=1",
            ))
        );
        assert_snapshot!(
            "access_requested_no_comment",
            rendered(&access_requested(
                "Dalia <Eighteen>",
                "Greg & Sons",
                "greg@clinic.example",
                "Barclay & Co",
                None,
                "https://portal.example/x?token=abc&n=1",
            ))
        );
    }

    #[test]
    fn decisions() {
        assert_snapshot!(
            "request_approved",
            rendered(&request_approved(
                "Greg & Sons",
                "Barclay & Co",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "request_rejected",
            rendered(&request_rejected("Greg & Sons", "Barclay & Co", None))
        );
        assert_snapshot!(
            "request_rejected_with_reason",
            rendered(&request_rejected(
                "Greg & Sons",
                "Barclay & Co",
                Some("We only add staff <on site>.")
            ))
        );
    }
}
