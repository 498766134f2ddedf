//! Page text from document structure: the one place that decides how headings, paragraphs,
//! list items and table rows of a structured format (Word, OpenDocument, HTML, Markdown) are
//! written as lines, so that every format reaches the segmenter in the same shape.
//!
//! - a heading is a line `# Title` (`##` for level 2, …), the form the segmenter reads as a
//!   section boundary whether or not the heading is numbered;
//! - paragraphs are separated by a blank line;
//! - consecutive list items are consecutive lines, each with its label ("4.2", "a)", "-");
//! - a table row is a line with its non-empty cells separated by ` | `; a table is a block.

use super::Page;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Block,
    Item,
    Row,
}

/// Collects blocks into pages.
#[derive(Debug)]
pub(super) struct Layout {
    pages: Vec<String>,
    current: String,
    last: Last,
    break_pending: bool,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            pages: Vec::new(),
            current: String::new(),
            last: Last::Nothing,
            break_pending: false,
        }
    }
}

/// Trims every line, drops empty lines and folds runs of spaces, so a paragraph never
/// contains a blank line (which would split it in two).
pub(super) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let folded = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&folded);
    }
    out
}

impl Layout {
    fn start(&mut self, kind: Last) {
        if self.break_pending {
            self.break_pending = false;
            self.page_break();
        }
        if !self.current.is_empty() {
            let joined = kind == self.last && matches!(kind, Last::Item | Last::Row);
            self.current.push_str(if joined { "\n" } else { "\n\n" });
        }
        self.last = kind;
    }

    /// A heading of `level` (1 = top).
    pub fn heading(&mut self, level: usize, text: &str) {
        let text = clean(text).replace('\n', " ");
        if text.is_empty() {
            return;
        }
        self.start(Last::Block);
        for _ in 0..level.clamp(1, 6) {
            self.current.push('#');
        }
        self.current.push(' ');
        self.current.push_str(&text);
    }

    /// A paragraph.
    pub fn paragraph(&mut self, text: &str) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        self.start(Last::Block);
        self.current.push_str(&text);
    }

    /// A list item with its label ("1.", "4.2", "a)", "-"); an empty label gives a bare line.
    pub fn item(&mut self, label: &str, text: &str) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        self.start(Last::Item);
        if !label.is_empty() {
            self.current.push_str(label);
            self.current.push(' ');
        }
        self.current.push_str(&text);
    }

    /// A table row; empty cells are left out.
    pub fn row(&mut self, cells: &[String]) {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| clean(c).replace('\n', " "))
            .filter(|c| !c.is_empty())
            .collect();
        if cells.is_empty() {
            return;
        }
        self.start(Last::Row);
        self.current.push_str(&cells.join(" | "));
    }

    /// Ends the current table or list, so what follows starts a new paragraph.
    pub fn end_group(&mut self) {
        if self.last != Last::Nothing {
            self.last = Last::Block;
        }
    }

    /// Starts a new page now, unless the current page is still empty.
    pub fn page_break(&mut self) {
        if !self.current.trim().is_empty() {
            self.pages.push(std::mem::take(&mut self.current));
            self.last = Last::Nothing;
        }
    }

    /// A page break that a paragraph asks for before itself: at once, or inside a table (whose
    /// rows are written only when it ends) before the next block.
    pub fn break_before_paragraph(&mut self, in_table: bool) {
        if in_table {
            self.break_before_next();
        } else {
            self.page_break();
        }
    }

    /// Starts a new page before the next block (a break inside a paragraph or table).
    pub fn break_before_next(&mut self) {
        self.break_pending = true;
    }

    /// The pages, numbered from 1; at least one (possibly empty) page.
    pub fn into_pages(mut self) -> Vec<Page> {
        if !self.current.trim().is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.current));
        }
        self.pages
            .into_iter()
            .enumerate()
            .map(|(i, text)| Page::new(i as u32 + 1, text))
            .collect()
    }
}

/// Formats `n` in a list numbering style: `1`, `a`, `A`, `i`, `I` (and `01` for zero-padded).
pub(super) fn number(n: i64, style: NumberStyle) -> String {
    match style {
        NumberStyle::Decimal => n.to_string(),
        NumberStyle::DecimalZero => format!("{n:02}"),
        NumberStyle::LowerLetter => letters(n).to_lowercase(),
        NumberStyle::UpperLetter => letters(n),
        NumberStyle::LowerRoman => roman(n).to_lowercase(),
        NumberStyle::UpperRoman => roman(n),
        NumberStyle::None => String::new(),
    }
}

/// List numbering styles shared by the formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumberStyle {
    /// 1, 2, 3
    Decimal,
    /// 01, 02, 03
    DecimalZero,
    /// a, b, c, …, z, aa
    LowerLetter,
    /// A, B, C
    UpperLetter,
    /// i, ii, iii
    LowerRoman,
    /// I, II, III
    UpperRoman,
    /// No number shown.
    None,
}

/// "A".."Z", then "AA", "BB" (the spreadsheet-free way word processors count on).
fn letters(n: i64) -> String {
    if n < 1 {
        return n.to_string();
    }
    let n = n - 1;
    let letter = (b'A' + (n % 26) as u8) as char;
    std::iter::repeat_n(letter, (n / 26 + 1).min(10) as usize).collect()
}

fn roman(n: i64) -> String {
    if !(1..4000).contains(&n) {
        return n.to_string();
    }
    const TABLE: [(i64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_lines_and_blank_lines() {
        let mut l = Layout::default();
        l.heading(2, "§ 4  Weisungen");
        l.paragraph("  Der Auftragnehmer\n\n handelt nur auf Weisung. ");
        l.item("1.", "erstens");
        l.item("2.", "zweitens");
        l.row(&["Dienst".into(), "".into(), "Ort".into()]);
        l.row(&["Hosting".into(), "Frankfurt".into()]);
        l.end_group();
        l.page_break();
        l.paragraph("Seite zwei");
        let pages = l.into_pages();
        assert_eq!(pages.len(), 2);
        assert_eq!(
            pages[0].text,
            "## § 4 Weisungen\n\nDer Auftragnehmer\nhandelt nur auf Weisung.\n\n1. erstens\n2. zweitens\n\nDienst | Ort\nHosting | Frankfurt"
        );
        assert_eq!(pages[1].text, "Seite zwei");
        assert_eq!(pages[1].number, 2);
    }

    #[test]
    fn breaks_never_make_empty_pages() {
        let mut l = Layout::default();
        l.page_break();
        l.paragraph("eins");
        l.page_break();
        l.page_break();
        l.break_before_next();
        l.paragraph("zwei");
        assert_eq!(l.into_pages().len(), 2);
    }

    #[test]
    fn numbers_in_every_style() {
        assert_eq!(number(4, NumberStyle::Decimal), "4");
        assert_eq!(number(3, NumberStyle::DecimalZero), "03");
        assert_eq!(number(2, NumberStyle::LowerLetter), "b");
        assert_eq!(number(27, NumberStyle::UpperLetter), "AA");
        assert_eq!(number(14, NumberStyle::LowerRoman), "xiv");
        assert_eq!(number(2026, NumberStyle::UpperRoman), "MMXXVI");
        assert_eq!(number(1, NumberStyle::None), "");
    }
}

/// A table being read from a document package (tables nest: a table inside a cell).
#[derive(Debug, Default)]
pub(super) struct Table {
    /// Finished rows, for a nested table whose text goes into the outer cell.
    rows: Vec<String>,
    /// Cells of the row being read.
    pub row: Vec<String>,
    /// Text of the cell being read.
    pub cell: String,
}

impl Table {
    /// Appends a paragraph's text to the current cell.
    pub fn push_text(&mut self, text: &str) {
        if !self.cell.is_empty() {
            self.cell.push(' ');
        }
        self.cell.push_str(text.trim());
    }

    /// Ends the current cell.
    pub fn end_cell(&mut self) {
        let cell = std::mem::take(&mut self.cell);
        self.row.push(cell);
    }
}

/// Ends the innermost table's row: an outer table's row becomes a layout line, a nested
/// table's row is kept for the cell it sits in.
pub(super) fn end_row(tables: &mut [Table], layout: &mut Layout) {
    let nested = tables.len() > 1;
    let Some(table) = tables.last_mut() else {
        return;
    };
    let row = std::mem::take(&mut table.row);
    if nested {
        let cells: Vec<&str> = row
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if !cells.is_empty() {
            table.rows.push(cells.join(" | "));
        }
    } else {
        layout.row(&row);
    }
}

/// Ends the innermost table: a nested table's rows become part of the outer cell's text.
pub(super) fn end_table(tables: &mut Vec<Table>, layout: &mut Layout) {
    let Some(table) = tables.pop() else {
        return;
    };
    match tables.last_mut() {
        Some(outer) => outer.push_text(&table.rows.join("; ")),
        None => layout.end_group(),
    }
}
