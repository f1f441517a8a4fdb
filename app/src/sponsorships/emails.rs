//! The words of the sponsorship emails.

use crate::mail::message::Email;

pub fn requested(
    authorizer: &str,
    obo: &str,
    profession: &str,
    worksite: &str,
    link: &str,
) -> Email {
    Email::new(format!("Sponsorship Request from {obo}"))
        .paragraph(format!("Hello {authorizer},"))
        .paragraph(format!("{obo} ({profession}) at {worksite} asks you to sponsor their CareConnect access. Once you accept, {obo} works On-Behalf-Of you: they see CareConnect as you would."))
        .paragraph("Please accept or decline the request on the Sponsorships tab of your worksite.")
        .link("Review the sponsorship request", link)
        .signed()
}

pub fn sponsored(obo: &str, authorizer: &str, worksite: &str, link: &str) -> Email {
    Email::new(format!("{authorizer} now sponsors your CareConnect access"))
        .paragraph(format!("Hello {obo},"))
        .paragraph(format!("{authorizer} now sponsors your CareConnect access at {worksite}. You see CareConnect on behalf of {authorizer}, as they would, once they have CareConnect access from {worksite}."))
        .link("See My Sponsors", link)
        .signed()
}

pub fn declined(obo: &str, authorizer: &str, worksite: &str, reason: Option<&str>) -> Email {
    let mut email = Email::new("Your sponsorship request was declined")
        .paragraph(format!("Hello {obo},"))
        .paragraph(format!("{authorizer} declined your request to sponsor your CareConnect access at {worksite}. You may ask another Authorizer of the worksite on its My Sponsors tab."));
    if let Some(reason) = reason {
        email = email.paragraph(format!("Their reason: \"{reason}\""));
    }
    email.signed()
}

/// Told to one party (`to`) when a sponsorship ends, with why.
pub fn ended(to: &str, why: &str, authorizer: &str, obo: &str, worksite: &str) -> Email {
    Email::new(format!(
        "Sponsorship ended: {obo} On-Behalf-Of {authorizer}"
    ))
    .paragraph(format!("Hello {to},"))
    .paragraph(format!(
        "{authorizer}'s sponsorship of {obo} at {worksite} has ended. {why}"
    ))
    .paragraph(format!(
        "{obo} no longer sees CareConnect on behalf of {authorizer} from {worksite}."
    ))
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
    fn every_sponsorship_message() {
        assert_snapshot!(
            "requested",
            rendered(&requested(
                "Dalia <Eighteen>",
                "Greg & Sons",
                "Medical Office Assistant",
                "Barclay & Co",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "sponsored",
            rendered(&sponsored(
                "Greg & Sons",
                "Dalia <Eighteen>",
                "Barclay & Co",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "declined",
            rendered(&declined(
                "Greg & Sons",
                "Dalia <Eighteen>",
                "Barclay & Co",
                None
            ))
        );
        assert_snapshot!(
            "declined_with_reason",
            rendered(&declined(
                "Greg & Sons",
                "Dalia <Eighteen>",
                "Barclay & Co",
                Some("I sponsor the MOAs of my own <team> only.")
            ))
        );
        assert_snapshot!(
            "ended",
            rendered(&ended(
                "Greg & Sons",
                "Dalia revoked your sponsorship.",
                "Dalia <Eighteen>",
                "Greg & Sons",
                "Barclay & Co"
            ))
        );
    }
}
