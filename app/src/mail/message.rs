//! Composing an email once, for both its plain-text and HTML parts.

/// A rendered message, ready for the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Email {
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            text: String::new(),
            html: String::new(),
        }
    }

    pub fn paragraph(mut self, text: impl AsRef<str>) -> Self {
        let text = text.as_ref();
        self.text.push_str(text);
        self.text.push_str("\n\n");
        self.html.push_str("<p>");
        self.html.push_str(&escape(text));
        self.html.push_str("</p>\n");
        self
    }

    /// A paragraph whose text is the highlighted value, e.g. an id the reader must type.
    pub fn emphasis(mut self, label: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let (label, value) = (label.as_ref(), value.as_ref());
        self.text.push_str(&format!("{label} {value}\n\n"));
        self.html.push_str(&format!(
            "<p>{} <strong>{}</strong></p>\n",
            escape(label),
            escape(value)
        ));
        self
    }

    pub fn link(mut self, label: impl AsRef<str>, url: impl AsRef<str>) -> Self {
        let (label, url) = (label.as_ref(), url.as_ref());
        self.text.push_str(&format!("{label}:\n{url}\n\n"));
        self.html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>\n",
            escape(url),
            escape(label)
        ));
        self
    }

    /// Closes every message the same way, with where to get help.
    pub fn signed(self) -> Self {
        self.paragraph(
            "If you need help, please contact the CareConnect team at CareConnect@phsa.ca.",
        )
        .paragraph("my.CareConnect Enrolment Portal")
    }
}

/// The whole message as its snapshot test records it: subject, text part and HTML part.
#[cfg(test)]
pub fn rendered(email: &Email) -> String {
    format!(
        "Subject: {}\n\n--- text ---\n{}--- html ---\n{}",
        email.subject, email.text, email.html
    )
}

pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_html_say_the_same_and_html_is_escaped() {
        let email = Email::new("Hello")
            .paragraph("Dr. <Jones> & co")
            .link("Click", "https://x.example/a?b=1&c=2");
        assert_eq!(
            email.text,
            "Dr. <Jones> & co\n\nClick:\nhttps://x.example/a?b=1&c=2\n\n"
        );
        assert!(email.html.contains("<p>Dr. &lt;Jones&gt; &amp; co</p>"));
        assert!(email
            .html
            .contains("<a href=\"https://x.example/a?b=1&amp;c=2\">Click</a>"));
    }
}
