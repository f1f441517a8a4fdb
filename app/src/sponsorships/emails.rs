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

pub fn declined(obo: &str, authorizer: &str, worksite: &str) -> Email {
    Email::new("Your sponsorship request was declined")
        .paragraph(format!("Hello {obo},"))
        .paragraph(format!("{authorizer} declined your request to sponsor your CareConnect access at {worksite}. You may ask another Authorizer of the worksite on its My Sponsors tab."))
        .signed()
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
