//! The words of the account emails.

use crate::mail::message::Email;

pub fn verify_email(full_name: &str, link: &str) -> Email {
    Email::new("Verify your email address for my.CareConnect")
        .paragraph(format!("Hello {full_name},"))
        .paragraph("Please confirm that this is your email address. The portal sends invitations and notifications about your worksites and CareConnect access here.")
        .link("Verify my email address", link)
        .paragraph("This link works once and expires in 48 hours. If you didn't register for my.CareConnect, you can ignore this message.")
        .signed()
}

pub fn reset_password(full_name: &str, link: &str) -> Email {
    Email::new("Reset your my.CareConnect password")
        .paragraph(format!("Hello {full_name},"))
        .paragraph("We received a request to reset the password of your my.CareConnect account.")
        .link("Choose a new password", link)
        .paragraph("This link works once and expires in 1 hour. If you didn't ask for it, you can ignore this message: your password stays as it is.")
        .signed()
}

pub fn username_reminder(full_name: &str, username: &str, sign_in_link: &str) -> Email {
    Email::new("Your my.CareConnect username")
        .paragraph(format!("Hello {full_name},"))
        .paragraph("You asked us to look up the username of your my.CareConnect account.")
        .emphasis("Your username is:", username)
        .link("Sign in to my.CareConnect", sign_in_link)
        .paragraph("If you didn't ask for this, you can ignore this message.")
        .signed()
}

/// Sent to the verified address an account is moving away from, so a hijacked session cannot
/// move the account quietly.
pub fn email_changing(full_name: &str, new_email: &str) -> Email {
    Email::new("Your my.CareConnect email address is changing")
        .paragraph(format!("Hello {full_name},"))
        .paragraph("Someone signed in to your my.CareConnect account asked to use a new email address for it:")
        .emphasis("New address:", new_email)
        .paragraph("The change takes effect once the new address is verified; this address then stops receiving the portal's messages.")
        .paragraph("If this wasn't you, reset your password now and tell the CareConnect team at CareConnect@phsa.ca.")
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
    fn account_messages() {
        assert_snapshot!(
            "verify_email",
            rendered(&verify_email(
                "Jane <Doe>",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "reset_password",
            rendered(&reset_password(
                "Jane <Doe>",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
        assert_snapshot!(
            "email_changing",
            rendered(&email_changing("Jane <Doe>", "jane&doe@new.example"))
        );
        assert_snapshot!(
            "username_reminder",
            rendered(&username_reminder(
                "Jane <Doe>",
                "jane&doe",
                "https://portal.example/x?token=abc&n=1"
            ))
        );
    }
}
