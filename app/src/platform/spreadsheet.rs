//! CSV that spreadsheets open safely. A cell that starts like a formula (`=`, `+`, `-`, `@`, or a
//! tab, carriage return or NUL before one) would run when a staff member opens the export; such a
//! cell is written with a leading `'`, which spreadsheets read as "this is text" (ASVS 1.2.10).

use std::borrow::Cow;

const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// The cell as a spreadsheet should show it: text, never a formula.
pub fn cell(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// Writes one CSV row, each cell made safe.
pub fn write_row<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    cells: impl IntoIterator<Item = impl AsRef<str>>,
) -> csv::Result<()> {
    writer.write_record(
        cells
            .into_iter()
            .map(|value| cell(value.as_ref()).into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_become_text_and_everything_else_is_untouched() {
        for formula in [
            "=HYPERLINK(\"https://evil.example\",\"open\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(cell(formula), format!("'{formula}"));
        }
        for text in [
            "Barclay Clinic (K6MR8QY)",
            "jane@clinic.example",
            "",
            "1 = 1",
        ] {
            assert!(matches!(cell(text), Cow::Borrowed(same) if same == text));
        }
    }

    #[test]
    fn a_row_is_written_with_every_cell_safe() {
        let mut writer = csv::Writer::from_writer(Vec::new());
        write_row(&mut writer, ["=cmd|' /C calc'!A0", "plain"]).unwrap();
        let written = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(written, "'=cmd|' /C calc'!A0,plain\n");
    }
}
