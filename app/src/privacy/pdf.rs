//! The signed HPCAA as a PDF, through krilla: every letter of a person's name as they wrote it
//! ("Nguyễn", "Sḵwx̱wú7mesh"), shaped (combining marks placed) in DejaVu Sans, embedded as
//! subsets, with the text extractable as written. Lines wrap at the width the font's own advances
//! give (ttf-parser), so any script fits the page.

use super::agreement::{HPCAA_SECTIONS, HPCAA_TITLE};
use super::types::SignedAgreement;
use krilla::geom::Point;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use krilla::Document;

const PAGE_WIDTH: f32 = 612.0;
const PAGE_HEIGHT: f32 = 792.0;
const MARGIN: f32 = 72.0;
const BODY_SIZE: f32 = 10.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const LINE: f32 = 13.0;

#[derive(Clone, Copy)]
enum Style {
    Title,
    Heading,
    Body,
}

impl Style {
    fn size(self) -> f32 {
        match self {
            Style::Title => 15.0,
            Style::Heading => 11.0,
            Style::Body => BODY_SIZE,
        }
    }
}

/// The embedded fonts: DejaVu Sans, the widest coverage of Latin, Vietnamese and the combining
/// marks of First Nations orthographies among freely embeddable fonts.
struct Fonts {
    heading: Font,
    body: Font,
    /// The body font's advances, to wrap lines by width.
    body_face: ttf_parser::Face<'static>,
}

impl Fonts {
    fn load() -> Option<Self> {
        Some(Self {
            heading: Font::new(dejavu::sans::bold().into(), 0)?,
            body: Font::new(dejavu::sans::regular().into(), 0)?,
            body_face: ttf_parser::Face::parse(dejavu::sans::regular(), 0).ok()?,
        })
    }

    fn of(&self, style: Style) -> Font {
        match style {
            Style::Title | Style::Heading => self.heading.clone(),
            Style::Body => self.body.clone(),
        }
    }

    /// How wide `text` is in the body font at the body size, in points (combining marks add
    /// nothing; a character the font lacks counts as its widest letter).
    fn body_width(&self, text: &str) -> f32 {
        let face = &self.body_face;
        let units: f32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|glyph| face.glyph_hor_advance(glyph))
                    .unwrap_or(2000) as f32
            })
            .sum();
        units * BODY_SIZE / f32::from(face.units_per_em())
    }
}

/// Why the PDF could not be made (a font that does not load, or krilla refusing the document).
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded fonts did not load")]
    Fonts,
    #[error("the PDF could not be written: {0:?}")]
    Write(krilla::error::KrillaError),
}

/// Breaks a paragraph into lines that `fits`, at spaces where it can (a word too long for a
/// line is cut).
fn wrap(text: &str, fits: impl Fn(&str) -> bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if fits(&joined) {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let mut longer = line.clone();
            longer.push(c);
            if !line.is_empty() && !fits(&longer) {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The document's lines in order: style, text, and the space before it.
fn lines(signature: &SignedAgreement, fonts: &Fonts) -> Vec<(Style, String, f32)> {
    let fits = |line: &str| fonts.body_width(line) <= TEXT_WIDTH;
    let mut lines = vec![
        (Style::Title, HPCAA_TITLE.to_owned(), 0.0),
        (Style::Body, format!("Version {}", signature.version), 6.0),
    ];
    for (heading, paragraphs) in HPCAA_SECTIONS {
        lines.push((Style::Heading, (*heading).to_owned(), 14.0));
        for paragraph in *paragraphs {
            for (index, line) in wrap(paragraph, fits).into_iter().enumerate() {
                lines.push((Style::Body, line, if index == 0 { 6.0 } else { 0.0 }));
            }
        }
    }
    lines.push((Style::Heading, "Signature".to_owned(), 20.0));
    let signed = format!(
        "Signed electronically by {} on {} (Pacific time) through the my.CareConnect Enrolment Portal, after confirming that they had read and agreed to this agreement.",
        signature.name, signature.signed_on
    );
    for (index, line) in wrap(&signed, fits).into_iter().enumerate() {
        lines.push((Style::Body, line, if index == 0 { 6.0 } else { 0.0 }));
    }
    lines
}

/// The PDF of the agreement as `signature` signed it.
pub fn signed_agreement(signature: &SignedAgreement) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load().ok_or(PdfError::Fonts)?;
    let settings = || PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(PdfError::Fonts);
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{HPCAA_TITLE}, signed by {}", signature.name))
            .language("en-CA".to_owned()),
    );
    // Where each line goes: krilla measures from the top of the page, text sits on its baseline.
    let mut pages: Vec<Vec<(Style, String, f32)>> = vec![Vec::new()];
    let mut y = MARGIN;
    for (style, text, space_before) in lines(signature, &fonts) {
        y += space_before + LINE;
        if y > PAGE_HEIGHT - MARGIN {
            pages.push(Vec::new());
            y = MARGIN + LINE;
        }
        if let Some(page) = pages.last_mut() {
            page.push((style, text, y));
        }
    }
    for placed in pages {
        let mut page = document.start_page_with(settings()?);
        let mut surface = page.surface();
        for (style, text, y) in placed {
            surface.draw_text(
                Point::from_xy(MARGIN, y),
                fonts.of(style),
                style.size(),
                &text,
                false,
                TextDirection::Auto,
            );
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(PdfError::Write)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_at_the_width_and_keep_every_word() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let short = |line: &str| line.chars().count() <= 14;
        let lines = wrap(text, short);
        assert!(lines.iter().all(|line| short(line)), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(
            wrap("abcdefghij", |line| line.chars().count() <= 4),
            ["abcd", "efgh", "ij"]
        );
    }

    #[test]
    fn the_body_font_measures_real_text() {
        let fonts = Fonts::load().unwrap();
        // A wide letter is wider than a narrow one, and a combining mark adds nothing.
        assert!(fonts.body_width("WWW") > fonts.body_width("iii"));
        assert_eq!(fonts.body_width("x\u{331}"), fonts.body_width("x"));
        let agreement = lines(
            &SignedAgreement {
                name: "Nguyễn Sḵwx̱wú7mesh".to_owned(),
                signed_on: "November 23, 2026, 9:15 AM".to_owned(),
                version: "2026.1".to_owned(),
            },
            &fonts,
        );
        for (style, line, _) in agreement {
            if matches!(style, Style::Body) {
                assert!(fonts.body_width(&line) <= TEXT_WIDTH, "{line}");
            }
        }
    }

    #[test]
    fn the_pdf_is_a_document_with_the_fonts_embedded() {
        let bytes = signed_agreement(&SignedAgreement {
            name: "Nguyễn Sḵwx̱wú7mesh".to_owned(),
            signed_on: "November 23, 2026, 9:15 AM".to_owned(),
            version: "2026.1".to_owned(),
        })
        .unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("FontFile2"), "a TrueType font is embedded");
        assert!(
            text.contains("ToUnicode"),
            "text maps back to what was written"
        );
        // The words themselves are checked by a PDF tool in the server's tests.
    }
}
