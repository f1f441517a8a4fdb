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

pub fn sponsored(
    obo: &str,
    authorizer: &str,
    worksite: &str,
    last_day: Option<&str>,
    link: &str,
) -> Email {
    let mut email = Email::new(format!("{authorizer} now sponsors your CareConnect access"))
        .paragraph(format!("Hello {obo},"))
        .paragraph(format!("{authorizer} now sponsors your CareConnect access at {worksite}. You see CareConnect on behalf of {authorizer}, as they would, once they have CareConnect access from {worksite}."));
    if let Some(day) = last_day {
        email = email.paragraph(format!("The sponsorship's last day is {day}: it ends after that day unless {authorizer} changes it."));
    }
    email.link("See My Sponsors", link).signed()
}

/// The Authorizer gave an active sponsorship a last day, changed it, or removed it.
pub fn last_day_set(
    obo: &str,
    authorizer: &str,
    worksite: &str,
    last_day: Option<&str>,
    link: &str,
) -> Email {
    let words = match last_day {
        Some(day) => format!("{authorizer} set the last day of their sponsorship of your CareConnect access at {worksite}: {day}. It ends after that day."),
        None => format!("{authorizer} removed the last day of their sponsorship of your CareConnect access at {worksite}: it goes on until one of you ends it."),
    };
    Email::new(format!("Your sponsorship by {authorizer} changed"))
        .paragraph(format!("Hello {obo},"))
        .paragraph(words)
        .link("See My Sponsors", link)
        .signed()
}

/// Told to both people when a sponsorship's last day is near.
pub fn ending_soon(
    to: &str,
    authorizer: &str,
    obo: &str,
    worksite: &str,
    last_day: &str,
    link: &str,
) -> Email {
    Email::new(format!(
        "Sponsorship ends after {last_day}: {obo} On-Behalf-Of {authorizer}"
    ))
    .paragraph(format!("Hello {to},"))
    .paragraph(format!("{authorizer}'s sponsorship of {obo} at {worksite} ends after {last_day}. From the next day {obo} no longer sees CareConnect on behalf of {authorizer}."))
    .paragraph(format!("{authorizer} can change or remove the last day on the My On-behalf-Of Users tab of the worksite."))
    .link("Open the worksite", link)
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
                None,
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "sponsored_until",
            rendered(&sponsored(
                "Greg & Sons",
                "Dalia <Eighteen>",
                "Barclay & Co",
                Some("Jan 31, 2027"),
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        for (name, day) in [
            ("last_day_set", Some("Jan 31, 2027")),
            ("last_day_removed", None),
        ] {
            assert_snapshot!(
                name,
                rendered(&last_day_set(
                    "Greg & Sons",
                    "Dalia <Eighteen>",
                    "Barclay & Co",
                    day,
                    "https://portal.example/x?token=abc&n=1"
                ))
            );
        }
        assert_snapshot!(
            "ending_soon",
            rendered(&ending_soon(
                "Greg & Sons",
                "Dalia <Eighteen>",
                "Greg & Sons",
                "Barclay & Co",
                "Jan 31, 2027",
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
