//! The words of the invitation email (guide 001, §2B).

use crate::mail::message::Email;

pub fn invitation(
    inviter: &str,
    worksite: &str,
    worksite_id: &str,
    invited: &str,
    accept_link: &str,
    expires: &str,
) -> Email {
    Email::new(format!("{inviter} has invited you to join {worksite} on My.CareConnect"))
        .paragraph("Hello,")
        .paragraph(format!("{inviter} has invited you to join the {worksite} worksite on the My.CareConnect site. Accepting this invitation will allow you to access CareConnect while you are working in the worksite. If you choose not to become a member of the {worksite} your CareConnect access will not be permitted from this location."))
        .paragraph("Please note, this letter is only to notify you of your invitation to join this worksite. It is not a notification of enrolment. If you are not enrolled in CareConnect please follow the steps on the My.CareConnect site to start the enrolment process.")
        .link("To accept this invitation and add it to your list of My.CareConnect clinics click here", accept_link)
        .paragraph("If you have not previously registered for access on My.CareConnect, be sure to use the email address you were invited with:")
        .emphasis("Invited address:", invited)
        .emphasis("When selecting a worksite to join please use the following worksite Id:", worksite_id)
        .paragraph(format!("This invitation can be accepted until {expires}."))
        .signed()
}

/// Every message's words, as its reader gets them (`cargo insta review` after a deliberate
/// change). Names carry characters HTML must escape.
#[cfg(test)]
mod snapshots {
    use crate::mail::message::rendered;
    use insta::assert_snapshot;

    #[test]
    fn invitation() {
        assert_snapshot!(rendered(&super::invitation(
            "Dalia <Eighteen>",
            "Barclay & Co",
            "K6MR8QY",
            "greg@clinic.example",
            "https://portal.example/x?token=abc&n=1",
            "December 20, 2026 at 3:00 p.m. PST",
        )));
    }
}
