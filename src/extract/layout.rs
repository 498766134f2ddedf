//! Page text from document structure: the one place that decides how headings, paragraphs,
//! list items and table rows of a structured format (Word, OpenDocument, HTML, Markdown) are
//! written as lines, so that every format reaches the segmenter in the same shape.
//!
//! - a heading is a line `# Title` (`##` for level 2, …), the form the segmenter reads as a
//!   section boundary whether or not the heading is numbered;
//! - paragraphs are separated by a blank line;
//! - consecutive list items are consecutive lines, each with its label ("4.2", "a)", "-");
//! - a table row is a line with its non-empty cells separated by ` | `; a table is a block.
//!
//! [`Layout`] writes the lines. [`Flow`] is the body of a word-processor file (DOCX, ODT) on its
//! way there: it owns the open paragraphs and tables and the page breaks they ask for, so the
//! readers of those formats keep only the mapping of their XML to paragraphs.

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

/// A paragraph of a word-processor body being read: its text, what the reader keeps about it
/// (`P`: style, numbering, heading level) and the page breaks it asks for.
#[derive(Debug, Default)]
pub(super) struct Open<P> {
    /// The text read so far.
    pub text: String,
    /// The reader's own properties of the paragraph.
    pub props: P,
    /// Start a new page before the paragraph.
    pub break_before: bool,
    /// Start a new page after the paragraph.
    pub break_after: bool,
}

impl<P> Open<P> {
    /// A page break inside the paragraph: before it while it has no text yet, else after it,
    /// so a paragraph is never cut in two.
    pub fn page_break(&mut self) {
        if self.text.trim().is_empty() {
            self.break_before = true;
        } else {
            self.break_after = true;
        }
    }
}

/// What a reader makes of a finished paragraph; [`Flow`] decides where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Block {
    /// A heading of a level (1 = top).
    Heading(usize, String),
    /// A list item, its label already in the text.
    Item(String),
    /// A plain paragraph.
    Paragraph(String),
}

impl Block {
    fn text(&self) -> &str {
        match self {
            Block::Heading(_, text) | Block::Item(text) | Block::Paragraph(text) => text,
        }
    }
}

/// The body of a word-processor file (DOCX, ODT) on its way into a [`Layout`]: the open
/// paragraphs (they nest: a text box or a note inside a paragraph), the open tables (a table
/// inside a cell) and the page breaks paragraphs ask for. A reader maps its XML to paragraphs
/// and says what each finished paragraph is ([`Block`]); the flow puts it into the current
/// table cell or onto the page, and starts new pages where the paragraphs asked for them.
#[derive(Debug)]
pub(super) struct Flow<P> {
    layout: Layout,
    paragraphs: Vec<Open<P>>,
    tables: Vec<Table>,
}

impl<P> Default for Flow<P> {
    fn default() -> Flow<P> {
        Flow {
            layout: Layout::default(),
            paragraphs: Vec::new(),
            tables: Vec::new(),
        }
    }
}

impl<P: Default> Flow<P> {
    /// Opens a paragraph (inside the current one, if any) and returns it.
    pub fn open_paragraph(&mut self) -> &mut Open<P> {
        self.paragraphs.push(Open::default());
        let last = self.paragraphs.len() - 1;
        &mut self.paragraphs[last]
    }
}

impl<P> Flow<P> {
    /// The innermost open paragraph.
    pub fn paragraph(&mut self) -> Option<&mut Open<P>> {
        self.paragraphs.last_mut()
    }

    /// Closes the innermost paragraph: its breaks take effect around it, and a paragraph with
    /// text becomes what `block` makes of its text and properties (`None`: left out).
    pub fn close_paragraph(&mut self, block: impl FnOnce(String, P) -> Option<Block>) {
        let Some(para) = self.paragraphs.pop() else {
            return;
        };
        if para.break_before {
            self.layout.break_before_paragraph(!self.tables.is_empty());
        }
        if !para.text.trim().is_empty()
            && let Some(block) = block(para.text, para.props)
        {
            self.write(block);
        }
        if para.break_after {
            self.layout.break_before_next();
        }
    }

    fn write(&mut self, block: Block) {
        if let Some(table) = self.tables.last_mut() {
            table.push_text(block.text());
            return;
        }
        match block {
            Block::Heading(level, text) => self.layout.heading(level, &text),
            Block::Item(text) => self.layout.item("", &text),
            Block::Paragraph(text) => self.layout.paragraph(&text),
        }
    }

    /// A page break outside any paragraph's text: the open paragraph decides (see
    /// [`Open::page_break`]); between paragraphs it takes effect at once, or after the table
    /// it stands in.
    pub fn page_break(&mut self) {
        match self.paragraphs.last_mut() {
            Some(para) => para.page_break(),
            None if self.tables.is_empty() => self.layout.page_break(),
            None => self.layout.break_before_next(),
        }
    }

    /// Ends a list: what follows starts a new paragraph (inside a table the cell goes on).
    pub fn end_list(&mut self) {
        if self.tables.is_empty() {
            self.layout.end_group();
        }
    }

    /// Opens a table (inside the current cell, if any).
    pub fn open_table(&mut self) {
        self.tables.push(Table::default());
    }

    /// Ends the current cell of the innermost table.
    pub fn end_cell(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            let cell = std::mem::take(&mut table.cell);
            table.row.push(cell);
        }
    }

    /// Ends the innermost table's row: an outer table's row becomes a layout line, a nested
    /// table's row is kept for the cell it sits in.
    pub fn end_row(&mut self) {
        let nested = self.tables.len() > 1;
        let Some(table) = self.tables.last_mut() else {
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
            self.layout.row(&row);
        }
    }

    /// Ends the innermost table: a nested table's rows become part of the outer cell's text.
    pub fn close_table(&mut self) {
        let Some(table) = self.tables.pop() else {
            return;
        };
        match self.tables.last_mut() {
            Some(outer) => outer.push_text(&table.rows.join("; ")),
            None => self.layout.end_group(),
        }
    }

    /// The pages, numbered from 1; at least one (possibly empty) page.
    pub fn into_pages(self) -> Vec<Page> {
        self.layout.into_pages()
    }
}

/// A table being read (tables nest: a table inside a cell).
#[derive(Debug, Default)]
struct Table {
    /// Finished rows, for a nested table whose text goes into the outer cell.
    rows: Vec<String>,
    /// Cells of the row being read.
    row: Vec<String>,
    /// Text of the cell being read.
    cell: String,
}

impl Table {
    /// Appends a paragraph's text to the current cell.
    fn push_text(&mut self, text: &str) {
        if !self.cell.is_empty() {
            self.cell.push(' ');
        }
        self.cell.push_str(text.trim());
    }
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

    /// A paragraph of `text` through `flow`, as a plain paragraph.
    fn paragraph(flow: &mut Flow<()>, text: &str) {
        flow.open_paragraph().text.push_str(text);
        flow.close_paragraph(|text, ()| Some(Block::Paragraph(text)));
    }

    fn texts(flow: Flow<()>) -> Vec<String> {
        flow.into_pages().into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn a_paragraph_is_never_cut_by_its_page_break() {
        let mut flow = Flow::default();
        paragraph(&mut flow, "eins");
        // A break before any text moves before the paragraph, a break after text after it.
        let para = flow.open_paragraph();
        para.page_break();
        para.text.push_str("zwei");
        flow.close_paragraph(|text, ()| Some(Block::Paragraph(text)));
        flow.open_paragraph().text.push_str("drei");
        flow.page_break();
        flow.paragraph().expect("open").text.push_str(" und mehr");
        flow.close_paragraph(|text, ()| Some(Block::Paragraph(text)));
        paragraph(&mut flow, "vier");
        assert_eq!(texts(flow), ["eins", "zwei\n\ndrei und mehr", "vier"]);
    }

    #[test]
    fn tables_nest_and_a_break_inside_waits_for_the_table() {
        let mut flow = Flow::default();
        paragraph(&mut flow, "vorher");
        flow.open_table();
        paragraph(&mut flow, "Dienst");
        flow.end_cell();
        // A table inside the second cell: its rows join the outer cell's text.
        flow.open_table();
        paragraph(&mut flow, "a");
        flow.end_cell();
        paragraph(&mut flow, "b");
        flow.end_cell();
        flow.end_row();
        paragraph(&mut flow, "c");
        flow.end_cell();
        flow.end_row();
        flow.close_table();
        flow.end_cell();
        flow.end_row();
        // A break between the rows: the table stays on its page.
        flow.page_break();
        flow.close_table();
        paragraph(&mut flow, "nachher");
        assert_eq!(texts(flow), ["vorher\n\nDienst | a | b; c", "nachher"]);
    }

    #[test]
    fn empty_and_left_out_paragraphs_write_nothing_but_keep_their_breaks() {
        let mut flow: Flow<()> = Flow::default();
        paragraph(&mut flow, "eins");
        let para = flow.open_paragraph();
        para.text.push_str("   ");
        para.break_after = true;
        flow.close_paragraph(|_, ()| panic!("an empty paragraph is no block"));
        flow.open_paragraph().text.push_str("Inhaltsverzeichnis");
        flow.close_paragraph(|_, ()| None);
        paragraph(&mut flow, "zwei");
        assert_eq!(texts(flow), ["eins", "zwei"]);
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
