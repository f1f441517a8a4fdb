//! The signed HPCAA as a PDF (pdf-writer): the agreement in the standard Courier font (every
//! glyph equally wide, so lines wrap exactly) with Helvetica headings, and the signature.

use super::agreement::{HPCAA_SECTIONS, HPCAA_TITLE};
use super::types::SignedAgreement;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 72.0;
const BODY_SIZE: f32 = 10.0;
/// Courier's glyphs are 600/1000 of the font size wide.
const BODY_CHARS: usize = ((PAGE_WIDTH - 2.0 * MARGIN) / (BODY_SIZE * 0.6)) as usize;
const LINE: f32 = 13.0;

#[derive(Clone, Copy)]
enum Style {
    Title,
    Heading,
    Body,
}

impl Style {
    fn font(self) -> Name<'static> {
        match self {
            Style::Title | Style::Heading => Name(b"Heading"),
            Style::Body => Name(b"Body"),
        }
    }

    fn size(self) -> f32 {
        match self {
            Style::Title => 15.0,
            Style::Heading => 11.0,
            Style::Body => BODY_SIZE,
        }
    }
}

/// Text in the fonts' WinAnsi encoding; characters it lacks become `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '\u{2018}' => 0x91,
            '\u{2019}' => 0x92,
            '\u{201c}' => 0x93,
            '\u{201d}' => 0x94,
            '\u{2013}' => 0x96,
            '\u{2014}' => 0x97,
            _ => b'?',
        })
        .collect()
}

/// Breaks a paragraph into lines of at most `width` characters, at spaces where it can.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        while word.chars().count() > width {
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(head);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The document's lines in order: style, text, and the space before it.
fn lines(signature: &SignedAgreement) -> Vec<(Style, String, f32)> {
    let mut lines = vec![
        (Style::Title, HPCAA_TITLE.to_owned(), 0.0),
        (Style::Body, format!("Version {}", signature.version), 6.0),
    ];
    for (heading, paragraphs) in HPCAA_SECTIONS {
        lines.push((Style::Heading, (*heading).to_owned(), 14.0));
        for paragraph in *paragraphs {
            for (index, line) in wrap(paragraph, BODY_CHARS).into_iter().enumerate() {
                lines.push((Style::Body, line, if index == 0 { 6.0 } else { 0.0 }));
            }
        }
    }
    lines.push((Style::Heading, "Signature".to_owned(), 20.0));
    let signed = format!(
        "Signed electronically by {} on {} (Pacific time) through the my.CareConnect Enrolment Portal, after confirming that they had read and agreed to this agreement.",
        signature.name, signature.signed_on
    );
    for (index, line) in wrap(&signed, BODY_CHARS).into_iter().enumerate() {
        lines.push((Style::Body, line, if index == 0 { 6.0 } else { 0.0 }));
    }
    lines
}

/// The PDF of the agreement as `signature` signed it.
pub fn signed_agreement(signature: &SignedAgreement) -> Vec<u8> {
    let mut pages: Vec<Content> = Vec::new();
    let mut content = Content::new();
    let mut y = PAGE_HEIGHT - MARGIN;
    for (style, text, space_before) in lines(signature) {
        y -= space_before + LINE;
        if y < MARGIN {
            pages.push(std::mem::replace(&mut content, Content::new()));
            y = PAGE_HEIGHT - MARGIN - LINE;
        }
        content.begin_text();
        content.set_font(style.font(), style.size());
        content.next_line(MARGIN, y);
        content.show(Str(&win_ansi(&text)));
        content.end_text();
    }
    pages.push(content);

    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let heading_font = Ref::new(3);
    let body_font = Ref::new(4);
    let first_page = 5;
    let page_ref = |index: usize| Ref::new(first_page + 2 * index as i32);
    let content_ref = |index: usize| Ref::new(first_page + 2 * index as i32 + 1);

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..pages.len()).map(page_ref))
        .count(pages.len() as i32);
    pdf.type1_font(heading_font)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(body_font)
        .base_font(Name(b"Courier"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    for (index, content) in pages.into_iter().enumerate() {
        let mut page = pdf.page(page_ref(index));
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree);
        page.contents(content_ref(index));
        let mut resources = page.resources();
        resources
            .fonts()
            .pair(Name(b"Heading"), heading_font)
            .pair(Name(b"Body"), body_font);
        resources.finish();
        page.finish();
        pdf.stream(content_ref(index), &content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_at_the_width_and_keep_every_word() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lines = wrap(text, 14);
        assert!(
            lines.iter().all(|line| line.chars().count() <= 14),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn the_pdf_holds_the_signature() {
        let bytes = signed_agreement(&SignedAgreement {
            name: "Zoë Ng".to_owned(),
            signed_on: "November 23, 2026, 9:15 AM".to_owned(),
            version: "2026.1".to_owned(),
        });
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.ends_with(b"%%EOF") || bytes.ends_with(b"%%EOF\n"));
        // Lines with non-ASCII text are written as hex strings, in the fonts' WinAnsi encoding.
        let zoe = hex::encode(win_ansi("Zoë Ng"));
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(text.contains(&zoe), "{zoe} not in the PDF");
    }
}
