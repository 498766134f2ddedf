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
//!
//! This module maps the XML to paragraphs and says what each one is (heading, list item or
//! paragraph, with its label); where it goes — a table cell or the page — and the page breaks
//! are [`super::layout::Flow`]'s, shared with the other word-processor format.

use std::collections::HashMap;

use super::layout::{Block, Flow, NumberStyle, number};
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

/// What the reader keeps about a paragraph besides its text.
#[derive(Debug, Default)]
struct Props {
    /// The outline number the producer wrote (`text:number`).
    number: Option<String>,
    /// The outline level of a `text:h`.
    heading: Option<usize>,
    /// A `text:is-list-header` heading: in a list, but without a number.
    list_header: bool,
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

/// Lists and outline numbering: what a finished paragraph is, and its label.
struct Labels<'s> {
    styles: &'s Styles,
    /// The open lists, innermost last.
    lists: Vec<List>,
    /// Counters of every list instance (continued lists share one).
    instances: Vec<Counters>,
    /// List instances by `xml:id`, for `text:continue-list`.
    ids: HashMap<String, usize>,
    outline: Counters,
}

impl Labels<'_> {
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

    /// The block a paragraph becomes: a heading with its outline number, a list item (the
    /// first paragraph of an item carries the item's label), else a paragraph.
    fn block(&mut self, text: String, props: Props) -> Block {
        let item_label = self
            .lists
            .last_mut()
            .map(|l| l.label.take().unwrap_or_default());
        let label = match (props.number.as_deref().map(str::trim), props.heading) {
            (Some(n), _) if !n.is_empty() => n.to_string(),
            (_, Some(level)) if !props.list_header && item_label.is_none() => {
                next_label(&self.styles.outline, &mut self.outline, level - 1, None)
            }
            _ => item_label.clone().unwrap_or_default(),
        };
        let text = if label.is_empty() {
            text
        } else {
            format!("{label} {}", text.trim_start())
        };
        match (props.heading, item_label) {
            (Some(level), _) => Block::Heading(level, text),
            (None, Some(_)) => Block::Item(text),
            (None, None) => Block::Paragraph(text),
        }
    }
}

/// The reader of `content.xml`.
struct Body<'s> {
    labels: Labels<'s>,
    flow: Flow<Props>,
    in_number: bool,
}

impl<'s> Body<'s> {
    fn new(styles: &'s Styles) -> Body<'s> {
        Body {
            labels: Labels {
                styles,
                lists: Vec::new(),
                instances: Vec::new(),
                ids: HashMap::new(),
                outline: Counters::default(),
            },
            flow: Flow::default(),
            in_number: false,
        }
    }

    fn read(mut self, xml: &str) -> Result<Vec<super::Page>, Error> {
        let mut p = Parser::new(xml, "content.xml", LABEL);
        // Only the body: skip the prologue (styles, declarations).
        loop {
            match p.next()? {
                Node::Start(t) if t.ns == Ns::Office && t.name == "text" => break,
                Node::Eof => return Ok(self.flow.into_pages()),
                _ => {}
            }
        }
        loop {
            match p.next()? {
                Node::Eof => break,
                Node::Text(t) => {
                    if let Some(para) = self.flow.paragraph() {
                        // Line ends and tabs in the XML are white space, not line breaks.
                        let t = t.replace(['\n', '\r', '\t'], " ");
                        if self.in_number {
                            para.props.number.get_or_insert_default().push_str(&t);
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
        Ok(self.flow.into_pages())
    }

    fn start(&mut self, tag: &Tag) {
        match (tag.ns, tag.name.as_str()) {
            (Ns::Text, "p" | "h") => {
                let (before, after) = self.labels.styles.breaks(tag.attr("style-name"));
                let para = self.flow.open_paragraph();
                para.props.heading = (tag.name == "h").then(|| {
                    tag.attr("outline-level")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1usize)
                        .clamp(1, 10)
                });
                para.props.list_header = tag.attr("is-list-header") == Some("true");
                para.break_before = before;
                para.break_after = after;
            }
            (Ns::Text, "number") => self.in_number = true,
            (Ns::Text, "list") => self.labels.start_list(tag),
            (Ns::Text, "list-item" | "list-header") => self.labels.start_item(tag),
            (Ns::Text, "s") => {
                let n = tag.attr("c").and_then(|v| v.parse().ok()).unwrap_or(1usize);
                if let Some(para) = self.flow.paragraph() {
                    para.text.extend(std::iter::repeat_n(' ', n.min(50)));
                }
            }
            (Ns::Text, "tab") => self.push('\t'),
            (Ns::Text, "line-break") => self.push('\n'),
            (Ns::Text, "soft-page-break") => self.flow.page_break(),
            (Ns::Table, "table") => self.flow.open_table(),
            _ => {}
        }
    }

    fn push(&mut self, c: char) {
        if let Some(para) = self.flow.paragraph() {
            para.text.push(c);
        }
    }

    fn end(&mut self, ns: Ns, name: &str) {
        match (ns, name) {
            (Ns::Text, "p" | "h") => {
                let labels = &mut self.labels;
                self.flow
                    .close_paragraph(|text, props| Some(labels.block(text, props)));
            }
            (Ns::Text, "number") => self.in_number = false,
            (Ns::Text, "list") => {
                self.labels.lists.pop();
                if self.labels.lists.is_empty() {
                    self.flow.end_list();
                }
            }
            (Ns::Table, "table-cell" | "covered-table-cell") => self.flow.end_cell(),
            (Ns::Table, "table-row") => self.flow.end_row(),
            (Ns::Table, "table") => self.flow.close_table(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
