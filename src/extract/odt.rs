//! OpenDocument text files (`.odt`): the body of `content.xml`.
//!
//! - `text:h` becomes a `#` heading line of its `text:outline-level`, with its outline number
//!   (`text:number` as written by the producer, or computed from `text:outline-style`).
//! - `text:list` items become lines with their numbering computed from the list style
//!   (`style:num-format`, `num-prefix`/`num-suffix`, `text:display-levels` for "4.2" labels,
//!   `text:start-value`, `text:continue-numbering`/`text:continue-list`); bullets become "-".
//! - `table:table` rows become lines, cells separated by ` | `.
//! - **Headers and footers** live in `styles.xml` (master pages) and are never read; footnotes,
//!   annotations, tracked deletions and generated indexes (table of contents) are left out.
//! - **Pages**: split at `text:soft-page-break` (where the producer last laid out a page, as
//!   LibreOffice writes them) and at paragraphs whose style breaks the page before or after. A
//!   break inside a paragraph takes effect after it. Files without such marks are one page.
//!
//! The zip container is read within [`super::package::LIMITS`]; a password-protected file
//! (encrypted entries listed in the manifest) is refused as `encrypted`.

use std::collections::HashMap;

use super::layout::{self, Layout, NumberStyle, Table, number};
use super::package::{LIMITS, Package};
use super::xml::{Node, Ns, Parser, Tag, decode};
use super::{Document, Error, ErrorKind, Format};

const LABEL: &str = "OpenDocument file";

/// Extracts the body text of an `.odt` file.
pub(super) fn extract(bytes: &[u8]) -> Result<Document, Error> {
    let mut package = Package::open(bytes, LIMITS, LABEL)?;
    if let Some(manifest) = package.read("META-INF/manifest.xml")?
        && String::from_utf8_lossy(&manifest).contains("encryption-data")
    {
        return Err(Error::new(
            ErrorKind::Encrypted,
            "password-protected OpenDocument file: ask the vendor for an unprotected copy, or open it and save it without a password",
        ));
    }
    let content = decode(&package.read_required("content.xml")?);
    let mut styles = Styles::default();
    // Named styles first, so automatic styles in content.xml can refer to them.
    if let Some(x) = package.read("styles.xml")? {
        // Styles only enrich the text: a damaged styles.xml is ignored, not fatal.
        let _ = styles.parse(&decode(&x), "styles.xml");
    }
    styles.parse(&content, "content.xml")?;
    let pages = Body::new(&styles).read(&content)?;
    Ok(Document {
        format: Format::Odt,
        pages,
        extractor: "odt",
    })
}

/// One level of a list or outline style.
#[derive(Debug, Clone)]
struct Level {
    style: NumberStyle,
    bullet: bool,
    prefix: String,
    suffix: String,
    display: usize,
    start: i64,
}

impl Default for Level {
    fn default() -> Level {
        Level {
            style: NumberStyle::None,
            bullet: false,
            prefix: String::new(),
            suffix: String::new(),
            display: 1,
            start: 1,
        }
    }
}

impl Level {
    fn from_tag(tag: &Tag) -> Level {
        let style = match tag.attr("num-format") {
            Some("1") => NumberStyle::Decimal,
            Some("a") => NumberStyle::LowerLetter,
            Some("A") => NumberStyle::UpperLetter,
            Some("i") => NumberStyle::LowerRoman,
            Some("I") => NumberStyle::UpperRoman,
            Some("") | None => NumberStyle::None,
            Some(_) => NumberStyle::Decimal,
        };
        Level {
            style,
            bullet: tag.name == "list-level-style-bullet" || tag.name == "list-level-style-image",
            prefix: tag.attr("num-prefix").unwrap_or("").to_string(),
            suffix: tag.attr("num-suffix").unwrap_or("").to_string(),
            display: tag
                .attr("display-levels")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
            start: tag
                .attr("start-value")
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
        }
    }
}

/// What a paragraph style says about page breaks.
#[derive(Debug, Default)]
struct ParagraphStyle {
    parent: Option<String>,
    break_before: bool,
    break_after: bool,
}

/// Paragraph styles (page breaks) and list styles (numbering).
#[derive(Debug, Default)]
struct Styles {
    paragraphs: HashMap<String, ParagraphStyle>,
    lists: HashMap<String, Vec<Level>>,
    outline: Vec<Level>,
}

impl Styles {
    fn parse(&mut self, xml: &str, part: &str) -> Result<(), Error> {
        let mut p = Parser::new(xml, part, LABEL);
        let mut paragraph: Option<(String, ParagraphStyle)> = None;
        let mut list: Option<(String, Vec<Level>)> = None;
        let mut in_outline = false;
        loop {
            match p.next()? {
                Node::Start(t) => match (t.ns, t.name.as_str()) {
                    (Ns::Office, "body") => break,
                    (Ns::Style, "style") if t.attr("family") == Some("paragraph") => {
                        paragraph = t.attr("name").map(|n| {
                            let parent = t.attr("parent-style-name").map(str::to_string);
                            (
                                n.to_string(),
                                ParagraphStyle {
                                    parent,
                                    ..ParagraphStyle::default()
                                },
                            )
                        });
                    }
                    (Ns::Style, "paragraph-properties") => {
                        if let Some((_, style)) = paragraph.as_mut() {
                            style.break_before |= t.attr("break-before") == Some("page");
                            style.break_after |= t.attr("break-after") == Some("page");
                        }
                    }
                    (Ns::Text, "list-style") => {
                        list = t.attr("name").map(|n| (n.to_string(), Vec::new()));
                    }
                    (Ns::Text, "outline-style") => in_outline = true,
                    (
                        Ns::Text,
                        "list-level-style-number"
                        | "list-level-style-bullet"
                        | "list-level-style-image"
                        | "outline-level-style",
                    ) => {
                        let index = t
                            .attr("level")
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(1)
                            .clamp(1, 10)
                            - 1;
                        let levels = if in_outline {
                            Some(&mut self.outline)
                        } else {
                            list.as_mut().map(|(_, l)| l)
                        };
                        if let Some(levels) = levels {
                            if levels.len() <= index {
                                levels.resize(index + 1, Level::default());
                            }
                            levels[index] = Level::from_tag(&t);
                        }
                    }
                    _ => {}
                },
                Node::End(Ns::Style, name) if name == "style" => {
                    if let Some((n, v)) = paragraph.take() {
                        self.paragraphs.insert(n, v);
                    }
                }
                Node::End(Ns::Text, name) if name == "list-style" => {
                    if let Some((n, v)) = list.take() {
                        self.lists.insert(n, v);
                    }
                }
                Node::End(Ns::Text, name) if name == "outline-style" => in_outline = false,
                Node::Eof => break,
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether paragraph style `name` (or a parent) breaks the page before / after.
    fn breaks(&self, name: Option<&str>) -> (bool, bool) {
        let mut next = name;
        let (mut before, mut after) = (false, false);
        for _ in 0..16 {
            let Some(style) = next.and_then(|n| self.paragraphs.get(n)) else {
                break;
            };
            before |= style.break_before;
            after |= style.break_after;
            next = style.parent.as_deref();
        }
        (before, after)
    }
}

/// Counters of one list (a `text:list` and the lists that continue it), by level.
type Counters = [Option<i64>; 10];

/// The label of the next item at `level` (0-based) of `levels`, counting in `counters`.
fn next_label(
    levels: &[Level],
    counters: &mut Counters,
    level: usize,
    start: Option<i64>,
) -> String {
    let level = level.min(9);
    let this = levels.get(level).cloned().unwrap_or_default();
    let value = start.unwrap_or_else(|| counters[level].map_or(this.start, |c| c + 1));
    counters[level] = Some(value);
    counters[level + 1..].iter_mut().for_each(|c| *c = None);
    if this.bullet {
        return "-".to_string();
    }
    if this.style == NumberStyle::None {
        return String::new();
    }
    let first = (level + 1).saturating_sub(this.display.max(1));
    let numbers: Vec<String> = (first..=level)
        .map(|l| {
            let of = levels.get(l).cloned().unwrap_or_default();
            let style = if of.style == NumberStyle::None {
                NumberStyle::Decimal
            } else {
                of.style
            };
            number(counters[l].unwrap_or(of.start), style)
        })
        .collect();
    format!("{}{}{}", this.prefix, numbers.join("."), this.suffix)
}

/// A list being read.
#[derive(Debug)]
struct List {
    style: Option<String>,
    instance: usize,
    level: usize,
    /// The label of the current item, until its first paragraph takes it.
    label: Option<String>,
}

#[derive(Debug, Default)]
struct Paragraph {
    text: String,
    number: Option<String>,
    heading: Option<usize>,
    list_header: bool,
    break_before: bool,
    break_after: bool,
}

struct Body<'s> {
    styles: &'s Styles,
    layout: Layout,
    paragraphs: Vec<Paragraph>,
    lists: Vec<List>,
    instances: Vec<Counters>,
    ids: HashMap<String, usize>,
    outline: Counters,
    tables: Vec<Table>,
    in_number: bool,
}

/// Elements whose content is not body text.
fn skipped(tag: &Tag) -> bool {
    match tag.ns {
        Ns::Text => matches!(
            tag.name.as_str(),
            "note"
                | "tracked-changes"
                | "table-of-content"
                | "alphabetical-index"
                | "illustration-index"
                | "table-index"
                | "object-index"
                | "user-index"
                | "bibliography"
                | "sequence-decls"
                | "variable-decls"
                | "user-field-decls"
                | "ruby-text"
        ),
        Ns::Office => matches!(
            tag.name.as_str(),
            "annotation" | "forms" | "binary-data" | "scripts" | "event-listeners"
        ),
        Ns::Other => true,
        _ => false,
    }
}

impl<'s> Body<'s> {
    fn new(styles: &'s Styles) -> Body<'s> {
        Body {
            styles,
            layout: Layout::default(),
            paragraphs: Vec::new(),
            lists: Vec::new(),
            instances: Vec::new(),
            ids: HashMap::new(),
            outline: Counters::default(),
            tables: Vec::new(),
            in_number: false,
        }
    }

    fn read(mut self, xml: &str) -> Result<Vec<super::Page>, Error> {
        let mut p = Parser::new(xml, "content.xml", LABEL);
        // Only the body: skip the prologue (styles, declarations).
        loop {
            match p.next()? {
                Node::Start(t) if t.ns == Ns::Office && t.name == "text" => break,
                Node::Eof => return Ok(self.layout.into_pages()),
                _ => {}
            }
        }
        loop {
            match p.next()? {
                Node::Eof => break,
                Node::Text(t) => {
                    if let Some(para) = self.paragraphs.last_mut() {
                        // Line ends and tabs in the XML are white space, not line breaks.
                        let t = t.replace(['\n', '\r', '\t'], " ");
                        if self.in_number {
                            para.number.get_or_insert_default().push_str(&t);
                        } else {
                            para.text.push_str(&t);
                        }
                    }
                }
                Node::Start(tag) if skipped(&tag) => p.skip()?,
                Node::Start(tag) => self.start(&tag),
                Node::End(ns, name) => {
                    if ns == Ns::Office && name == "text" {
                        break;
                    }
                    self.end(ns, &name);
                }
            }
        }
        Ok(self.layout.into_pages())
    }

    fn start(&mut self, tag: &Tag) {
        match (tag.ns, tag.name.as_str()) {
            (Ns::Text, "p" | "h") => {
                let (before, after) = self.styles.breaks(tag.attr("style-name"));
                let heading = (tag.name == "h").then(|| {
                    tag.attr("outline-level")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1usize)
                        .clamp(1, 10)
                });
                self.paragraphs.push(Paragraph {
                    heading,
                    list_header: tag.attr("is-list-header") == Some("true"),
                    break_before: before,
                    break_after: after,
                    ..Paragraph::default()
                });
            }
            (Ns::Text, "number") => self.in_number = true,
            (Ns::Text, "list") => self.start_list(tag),
            (Ns::Text, "list-item" | "list-header") => self.start_item(tag),
            (Ns::Text, "s") => {
                let n = tag.attr("c").and_then(|v| v.parse().ok()).unwrap_or(1usize);
                if let Some(para) = self.paragraphs.last_mut() {
                    para.text.extend(std::iter::repeat_n(' ', n.min(50)));
                }
            }
            (Ns::Text, "tab") => self.push('\t'),
            (Ns::Text, "line-break") => self.push('\n'),
            (Ns::Text, "soft-page-break") => match self.paragraphs.last_mut() {
                Some(para) if !para.text.trim().is_empty() => para.break_after = true,
                Some(para) => para.break_before = true,
                None if self.tables.is_empty() => self.layout.page_break(),
                None => self.layout.break_before_next(),
            },
            (Ns::Table, "table") => self.tables.push(Table::default()),
            _ => {}
        }
    }

    fn push(&mut self, c: char) {
        if let Some(para) = self.paragraphs.last_mut() {
            para.text.push(c);
        }
    }

    fn start_list(&mut self, tag: &Tag) {
        let parent = self.lists.last();
        let style = tag
            .attr("style-name")
            .map(str::to_string)
            .or_else(|| parent.and_then(|p| p.style.clone()));
        let (instance, level) = match parent {
            Some(p) => (p.instance, p.level + 1),
            None => {
                let continued = match (tag.attr("continue-list"), tag.attr("continue-numbering")) {
                    (Some(id), _) => self.ids.get(id).copied(),
                    (None, Some("true")) => self.instances.len().checked_sub(1),
                    _ => None,
                };
                let instance = continued.unwrap_or_else(|| {
                    self.instances.push(Counters::default());
                    self.instances.len() - 1
                });
                (instance, 0)
            }
        };
        if let Some(id) = tag.attr("id") {
            self.ids.insert(id.to_string(), instance);
        }
        self.lists.push(List {
            style,
            instance,
            level,
            label: None,
        });
    }

    fn start_item(&mut self, tag: &Tag) {
        let Some(list) = self.lists.last_mut() else {
            return;
        };
        if tag.name == "list-header" {
            list.label = Some(String::new());
            return;
        }
        let start = tag.attr("start-value").and_then(|v| v.parse().ok());
        let levels = list
            .style
            .as_deref()
            .and_then(|s| self.styles.lists.get(s))
            .map_or(&[][..], Vec::as_slice);
        let counters = &mut self.instances[list.instance];
        list.label = Some(next_label(levels, counters, list.level, start));
    }

    fn end(&mut self, ns: Ns, name: &str) {
        match (ns, name) {
            (Ns::Text, "p" | "h") => self.end_paragraph(),
            (Ns::Text, "number") => self.in_number = false,
            (Ns::Text, "list") => {
                self.lists.pop();
                if self.lists.is_empty() && self.tables.is_empty() {
                    self.layout.end_group();
                }
            }
            (Ns::Table, "table-cell" | "covered-table-cell") => {
                if let Some(t) = self.tables.last_mut() {
                    t.end_cell();
                }
            }
            (Ns::Table, "table-row") => self.end_row(),
            (Ns::Table, "table") => self.end_table(),
            _ => {}
        }
    }

    fn end_paragraph(&mut self) {
        let Some(para) = self.paragraphs.pop() else {
            return;
        };
        if para.break_before {
            self.layout.break_before_paragraph(!self.tables.is_empty());
        }
        let after = para.break_after;
        self.emit(para);
        if after {
            self.layout.break_before_next();
        }
    }

    fn emit(&mut self, para: Paragraph) {
        if para.text.trim().is_empty() {
            return;
        }
        // The first paragraph of a list item carries the item's label.
        let item_label = self
            .lists
            .last_mut()
            .map(|l| l.label.take().unwrap_or_default());
        let label = match (para.number.as_deref().map(str::trim), para.heading) {
            (Some(n), _) if !n.is_empty() => n.to_string(),
            (_, Some(level)) if !para.list_header && item_label.is_none() => {
                next_label(&self.styles.outline, &mut self.outline, level - 1, None)
            }
            _ => item_label.clone().unwrap_or_default(),
        };
        let text = if label.is_empty() {
            para.text
        } else {
            format!("{label} {}", para.text.trim_start())
        };
        if let Some(table) = self.tables.last_mut() {
            table.push_text(&text);
            return;
        }
        match (para.heading, item_label) {
            (Some(level), _) => self.layout.heading(level, &text),
            (None, Some(_)) => self.layout.item("", &text),
            (None, None) => self.layout.paragraph(&text),
        }
    }

    fn end_row(&mut self) {
        layout::end_row(&mut self.tables, &mut self.layout);
    }

    fn end_table(&mut self) {
        layout::end_table(&mut self.tables, &mut self.layout);
    }
}

#[cfg(test)]
mod tests {
    use super::super::package::tests::zip_of;
    use super::*;

    const NS: &str = r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0""#;

    fn odt(automatic: &str, body: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:automatic-styles>{automatic}</office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        let styles = format!(
            r#"<office:document-styles {NS}><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>KOPFZEILE Vertraulich</text:p></style:header><style:footer><text:p>FUSSZEILE Seite <text:page-number/></text:p></style:footer></style:master-page></office:master-styles></office:document-styles>"#
        );
        zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
            ("styles.xml", styles.as_bytes()),
        ])
    }

    fn text(bytes: &[u8]) -> String {
        let doc = extract(bytes).unwrap();
        assert_eq!(doc.format, Format::Odt);
        doc.pages
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n<PAGE>\n")
    }

    const LISTS: &str = r#"
        <text:list-style style:name="L1">
          <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>
          <text:list-level-style-number text:level="2" style:num-format="1" text:display-levels="2"/>
          <text:list-level-style-number text:level="3" style:num-format="a" style:num-suffix=")"/>
        </text:list-style>
        <text:list-style style:name="L2"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/></text:list-style>
        <style:style style:name="P9" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>"#;

    #[test]
    fn headings_lists_numbering_and_no_headers_or_footers() {
        let body = r#"
          <text:table-of-content><text:index-body><text:p>1. Gegenstand 2</text:p></text:index-body></text:table-of-content>
          <text:h text:outline-level="1">Auftragsverarbeitungsvertrag</text:h>
          <text:h text:outline-level="2"><text:number>§ 1</text:number>Gegenstand</text:h>
          <text:p>Der Auftragnehmer<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>Fußnote</text:p></text:note-body></text:note> verarbeitet
             Daten.<office:annotation><text:p>Kommentar</text:p></office:annotation></text:p>
          <text:list text:style-name="L1">
            <text:list-item><text:p>Gegenstand</text:p>
              <text:list><text:list-item><text:p>erster Unterpunkt</text:p></text:list-item>
                <text:list-item><text:p>zweiter Unterpunkt</text:p>
                  <text:list><text:list-item><text:p>tief</text:p></text:list-item></text:list>
                </text:list-item></text:list>
            </text:list-item>
            <text:list-item><text:p>Weisungen</text:p><text:p>Fortsetzung</text:p></text:list-item>
          </text:list>
          <text:p>Zwischentext</text:p>
          <text:list text:style-name="L1" text:continue-numbering="true"><text:list-item><text:p>Dritter</text:p></text:list-item></text:list>
          <text:list text:style-name="L2"><text:list-item><text:p>Punkt</text:p></text:list-item></text:list>
          <text:p>A<text:s text:c="3"/>B<text:tab/>C<text:line-break/>D</text:p>"#;
        let got = text(&odt(LISTS, body));
        assert_eq!(
            got,
            "# Auftragsverarbeitungsvertrag\n\n## § 1 Gegenstand\n\nDer Auftragnehmer verarbeitet Daten.\n\n1. Gegenstand\n1.1 erster Unterpunkt\n1.2 zweiter Unterpunkt\na) tief\n2. Weisungen\nFortsetzung\n\nZwischentext\n\n3. Dritter\n\n- Punkt\n\nA B C\nD"
        );
        assert!(!got.contains("KOPFZEILE") && !got.contains("FUSSZEILE"));
        assert!(!got.contains("Fußnote") && !got.contains("Kommentar"));
    }

    #[test]
    fn tables_and_page_breaks() {
        let body = r#"
          <text:p>eins</text:p>
          <table:table><table:table-column table:number-columns-repeated="3"/>
            <table:table-header-rows><table:table-row><table:table-cell><text:p>Dienst</text:p></table:table-cell><table:table-cell><text:p>Ort</text:p></table:table-cell></table:table-row></table:table-header-rows>
            <table:table-row><table:table-cell><text:p>Hosting</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>Frankfurt</text:p></table:table-cell></table:table-row>
          </table:table>
          <text:soft-page-break/>
          <text:p>zwei <draw:frame><svg:title>Logo</svg:title><draw:text-box><text:p>im Rahmen</text:p></draw:text-box></draw:frame></text:p>
          <text:p text:style-name="P9">drei</text:p>"#;
        assert_eq!(
            text(&odt(LISTS, body)),
            "eins\n\nDienst | Ort\nHosting | Frankfurt\n<PAGE>\nim Rahmen\n\nzwei\n<PAGE>\ndrei"
        );
    }

    #[test]
    fn encrypted_and_bomb_are_refused() {
        let locked = zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            (
                "META-INF/manifest.xml",
                b"<manifest:manifest><manifest:file-entry manifest:full-path=\"content.xml\"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>",
            ),
            ("content.xml", b"\x01\x02garbage"),
        ]);
        assert_eq!(extract(&locked).unwrap_err().kind(), ErrorKind::Encrypted);
        let zeros = vec![b'a'; 40 * 1024 * 1024];
        let bomb = zip_of(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", &zeros),
        ]);
        assert_eq!(extract(&bomb).unwrap_err().kind(), ErrorKind::TooLarge);
    }
}
