//! Free text people type (names, addresses, comments, reasons) as browser and server both check
//! it. It reaches email subjects, PDFs, CSV exports and logs, where a control character or an
//! invisible formatting one (a bidi override, a zero-width space) could make it read differently
//! from what it is.

/// The refusal shown next to the field.
pub const HIDDEN_CHARACTERS: &str =
    "Remove the invisible or control characters from this text (copied text sometimes has them).";

/// Unicode "format" characters that change how text reads without showing: bidi embeddings,
/// overrides and isolates, zero-width spaces and joiners, the word joiner, the BOM.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Whether the text holds a character that does not belong in it. Line breaks (and tabs) are
/// allowed where the field is a paragraph, such as a comment.
pub fn has_hidden_characters(text: &str, paragraph: bool) -> bool {
    text.chars().any(|c| {
        let layout = paragraph && matches!(c, '\n' | '\r' | '\t');
        (c.is_control() && !layout) || invisible(c)
    })
}

/// The longest reason a decision may carry (a rejection, a declined request, a disabled account).
pub const REASON_MAX: usize = 500;

/// A decider's reason as typed: trimmed, `None` when left empty; the error is the message shown
/// next to the field.
pub fn reason(text: &str) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.chars().count() > REASON_MAX {
        return Err(format!(
            "Keep the reason to {REASON_MAX} characters or fewer."
        ));
    }
    if has_hidden_characters(text, true) {
        return Err(HIDDEN_CHARACTERS.to_owned());
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_are_found_and_real_text_is_not() {
        for hidden in [
            "Barclay\u{202E}cinilC",
            "Main\u{200B}Street",
            "nul\0byte",
            "bell\u{7}",
            "one\nline",
            "\u{FEFF}BOM",
        ] {
            assert!(has_hidden_characters(hidden, false), "{hidden:?}");
        }
        for plain in [
            "Barclay Clinic",
            "Clinique Saint-Léonard",
            "Dr. Ōtani's Practice",
            "診療所",
            "عيادة",
        ] {
            assert!(!has_hidden_characters(plain, false), "{plain}");
        }
        assert!(!has_hidden_characters(
            "First line\r\nsecond line\tend",
            true
        ));
        assert!(has_hidden_characters("line\u{202E}", true));
    }

    #[test]
    fn a_reason_is_trimmed_optional_bounded_and_visible() {
        assert_eq!(reason("  \n "), Ok(None));
        assert_eq!(
            reason(" Not one of our staff.\n"),
            Ok(Some("Not one of our staff.".to_owned()))
        );
        assert_eq!(
            reason(&"é".repeat(REASON_MAX)).map(|r| r.is_some()),
            Ok(true)
        );
        assert!(reason(&"e".repeat(REASON_MAX + 1)).is_err());
        assert_eq!(reason("No\u{202E}"), Err(HIDDEN_CHARACTERS.to_owned()));
    }
}
