//! The words of the worksite emails (guide 001, §2C).

use crate::mail::message::Email;

pub fn worksite_registered(
    full_name: &str,
    worksite: &str,
    worksite_id: &str,
    link: &str,
) -> Email {
    Email::new(format!("Your new worksite: {worksite}"))
        .paragraph(format!("Hello {full_name},"))
        .paragraph("You just registered your worksite for access to CareConnect.")
        .emphasis("Your new Worksite is:", worksite)
        .emphasis("Your Worksite Id is:", worksite_id)
        .paragraph("Give this Worksite Id to your team members so they can ask to join the worksite, or invite them from the worksite's Invite Members tab.")
        .link("Open your worksite", link)
        .paragraph("If you didn't make this change, please contact CareConnect@phsa.ca")
        .signed()
}

/// Every message's words, as its reader gets them (`cargo insta review` after a deliberate
/// change). Names carry characters HTML must escape.
#[cfg(test)]
mod snapshots {
    use crate::mail::message::rendered;
    use insta::assert_snapshot;

    #[test]
    fn worksite_registered() {
        assert_snapshot!(rendered(&super::worksite_registered(
            "Dalia <Eighteen>",
            "Barclay & Co",
            "K6MR8QY",
            "https://portal.example/x?token=abc&n=1"
        )));
    }
}
