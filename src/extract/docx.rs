//! Word files (`.docx`, Office Open XML): the body of `word/document.xml`.
//!
//! - **Paragraphs** become paragraphs; a paragraph whose style is a heading ("heading 1"… by
//!   the style's locale-independent name, or an outline level) becomes a `#` heading line.
//! - **List numbering** is computed as Word shows it: from the paragraph's `w:numPr` (or its
//!   style's), the levels of `numbering.xml` (`w:start`, `w:numFmt`, `w:lvlText` such as
//!   `%1.%2`, `w:isLgl`) and one counter set per abstract numbering, restarted by a
//!   `w:startOverride`. So clause labels like "4.2" that exist only as numbering reach the
//!   segmenter.
//! - **Tables** become one line per row, cells separated by ` | `.
//! - **Headers, footers, footnotes and comments** live in other parts and are not read, so
//!   they never mix into the body. Deleted tracked changes, hidden text, the fallback copy of
//!   `mc:AlternateContent` and table-of-contents paragraphs are left out too.
//! - **Pages**: a Word file has no fixed pages. The text is split at explicit page breaks
//!   (`w:br w:type="page"`, "page break before") and at the page breaks Word recorded when it
//!   last laid the file out (`w:lastRenderedPageBreak`), so page numbers match Word's when the
//!   file was last saved by Word; a break inside a paragraph takes effect after that paragraph,
//!   which is never cut in two. Files from other producers are usually one page.
//!
//! The zip container is read within [`super::package::LIMITS`].
//!
//! This module maps the XML to paragraphs and says what each one is (heading, list item or
//! paragraph, with its label); where it goes — a table cell or the page — and the page breaks
//! are [`super::layout::Flow`]'s, shared with the other word-processor format.

use std::collections::{HashMap, HashSet};

use super::layout::{Block, Flow, NumberStyle, number};
use super::package::{LIMITS, Package};
use super::xml::{Node, Ns, Parser, Tag, decode};
use super::{Document, Error, Format};

const LABEL: &str = "Word file";

/// Extracts the body text of a `.docx` file.
pub(super) fn extract(bytes: &[u8]) -> Result<Document, Error> {
    let mut package = Package::open(bytes, LIMITS, LABEL)?;
    let body = decode(&package.read_required("word/document.xml")?);
    // Styles and numbering only enrich the text: a damaged one is ignored, not fatal.
    let styles = package
        .read("word/styles.xml")?
        .and_then(|x| Styles::parse(&decode(&x)).ok())
        .unwrap_or_default();
    let numbering = package
        .read("word/numbering.xml")?
        .and_then(|x| Numbering::parse(&decode(&x)).ok())
        .unwrap_or_default();
    let pages = Body::new(&styles, numbering).read(&body)?;
    Ok(Document {
        format: Format::Docx,
        pages,
        extractor: "docx",
    })
}

fn on(tag: &Tag) -> bool {
    !matches!(tag.attr("val"), Some("0" | "false" | "off"))
}

/// A paragraph style's properties that matter for the text.
#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

/// Paragraph styles by id.
#[derive(Debug, Default)]
struct Styles(HashMap<String, Style>);

impl Styles {
    fn parse(xml: &str) -> Result<Styles, Error> {
        let mut p = Parser::new(xml, "word/styles.xml", LABEL);
        let mut styles = HashMap::new();
        let mut current: Option<(String, Style)> = None;
        loop {
            match p.next()? {
                Node::Start(t) if t.ns == Ns::Word => match t.name.as_str() {
                    "style" => {
                        current = t
                            .attr("styleId")
                            .map(|id| (id.to_string(), Style::default()));
                    }
                    "name" | "basedOn" | "outlineLvl" | "numId" | "ilvl" => {
                        if let (Some((_, s)), Some(v)) = (current.as_mut(), t.attr("val")) {
                            match t.name.as_str() {
                                "name" => s.name = v.to_ascii_lowercase(),
                                "basedOn" => s.based_on = Some(v.to_string()),
                                "outlineLvl" => s.outline = v.parse().ok(),
                                "numId" => s.num_id = Some(v.to_string()),
                                _ => s.ilvl = v.parse().ok(),
                            }
                        }
                    }
                    _ => {}
                },
                Node::End(Ns::Word, name) if name == "style" => {
                    if let Some((id, s)) = current.take() {
                        styles.insert(id, s);
                    }
                }
                Node::Eof => break,
                _ => {}
            }
        }
        Ok(Styles(styles))
    }

    /// The style and its ancestors (`basedOn`), nearest first.
    fn chain<'s>(&'s self, id: Option<&'s str>) -> impl Iterator<Item = &'s Style> + 's {
        let mut next = id;
        std::iter::from_fn(move || {
            let style = self.0.get(next?)?;
            next = style.based_on.as_deref();
            Some(style)
        })
        .take(16)
    }

    /// Heading level (1-based) of a paragraph style, if it is a heading.
    fn heading_level(&self, id: Option<&str>) -> Option<u8> {
        let first = self.chain(id).next()?;
        if first.name == "title" {
            return Some(1);
        }
        for style in self.chain(id) {
            if let Some(n) = style.name.strip_prefix("heading ") {
                return n.trim().parse().ok();
            }
            if let Some(o) = style.outline {
                return (o < 9).then_some(o + 1);
            }
        }
        None
    }

    /// True for table-of-contents styles ("toc 1", "TOC Heading"): their text repeats the
    /// headings and would make empty sections.
    fn is_toc(&self, id: Option<&str>) -> bool {
        self.chain(id)
            .next()
            .is_some_and(|s| s.name.starts_with("toc"))
    }

    /// Numbering inherited from the style: (numId, level).
    fn numbering(&self, id: Option<&str>) -> Option<(String, u8)> {
        let mut ilvl = None;
        for style in self.chain(id) {
            ilvl = ilvl.or(style.ilvl);
            if let Some(num) = &style.num_id {
                return Some((num.clone(), ilvl.unwrap_or(0)));
            }
        }
        None
    }
}

/// One level of a numbering definition.
#[derive(Debug, Clone)]
struct Level {
    start: i64,
    style: NumberStyle,
    bullet: bool,
    text: String,
    legal: bool,
}

impl Default for Level {
    fn default() -> Level {
        Level {
            start: 1,
            style: NumberStyle::Decimal,
            bullet: false,
            text: String::new(),
            legal: false,
        }
    }
}

fn number_style(format: &str) -> (NumberStyle, bool) {
    match format {
        "decimalZero" => (NumberStyle::DecimalZero, false),
        "lowerLetter" => (NumberStyle::LowerLetter, false),
        "upperLetter" => (NumberStyle::UpperLetter, false),
        "lowerRoman" => (NumberStyle::LowerRoman, false),
        "upperRoman" => (NumberStyle::UpperRoman, false),
        "bullet" => (NumberStyle::None, true),
        "none" => (NumberStyle::None, false),
        _ => (NumberStyle::Decimal, false),
    }
}

/// `numbering.xml`: abstract numberings and the numbering instances that use them.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// Numbering instances by numId.
    nums: HashMap<String, Num>,
}

/// A numbering instance (`w:num`): its abstract numbering and start overrides by level.
#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    overrides: Vec<(u8, i64)>,
}

impl Numbering {
    fn parse(xml: &str) -> Result<Numbering, Error> {
        let mut p = Parser::new(xml, "word/numbering.xml", LABEL);
        let mut n = Numbering::default();
        let mut abstract_id: Option<String> = None;
        let mut levels: Vec<Level> = Vec::new();
        let mut level: Option<(u8, Level)> = None;
        let mut num: Option<(String, Num)> = None;
        let mut override_level: u8 = 0;
        loop {
            match p.next()? {
                Node::Start(t) if t.ns == Ns::Word => {
                    let val = t.attr("val");
                    match t.name.as_str() {
                        "abstractNum" if num.is_none() => {
                            abstract_id = t.attr("abstractNumId").map(str::to_string);
                            levels = Vec::new();
                        }
                        "lvl" if abstract_id.is_some() => {
                            let ilvl = t.attr("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                            level = Some((ilvl, Level::default()));
                        }
                        "start" => {
                            if let (Some((_, l)), Some(v)) = (level.as_mut(), val) {
                                l.start = v.parse().unwrap_or(1);
                            }
                        }
                        "numFmt" => {
                            if let (Some((_, l)), Some(v)) = (level.as_mut(), val) {
                                (l.style, l.bullet) = number_style(v);
                            }
                        }
                        "lvlText" => {
                            if let (Some((_, l)), Some(v)) = (level.as_mut(), val) {
                                l.text = v.to_string();
                            }
                        }
                        "isLgl" => {
                            if let Some((_, l)) = level.as_mut() {
                                l.legal = on(&t);
                            }
                        }
                        "num" => {
                            num = t.attr("numId").map(|id| (id.to_string(), Num::default()));
                        }
                        "abstractNumId" => {
                            if let (Some((_, num)), Some(v)) = (num.as_mut(), val) {
                                num.abstract_id = v.to_string();
                            }
                        }
                        "lvlOverride" => {
                            override_level =
                                t.attr("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        }
                        "startOverride" => {
                            if let (Some((_, num)), Some(v)) = (num.as_mut(), val) {
                                num.overrides.push((override_level, v.parse().unwrap_or(1)));
                            }
                        }
                        _ => {}
                    }
                }
                Node::End(Ns::Word, name) => match name.as_str() {
                    "lvl" => {
                        if let Some((ilvl, l)) = level.take() {
                            let i = usize::from(ilvl.min(8));
                            if levels.len() <= i {
                                levels.resize(i + 1, Level::default());
                            }
                            levels[i] = l;
                        }
                    }
                    "abstractNum" => {
                        if let Some(id) = abstract_id.take() {
                            n.abstracts.insert(id, std::mem::take(&mut levels));
                        }
                    }
                    "num" => {
                        if let Some((id, num)) = num.take() {
                            n.nums.insert(id, num);
                        }
                    }
                    _ => {}
                },
                Node::Eof => break,
                _ => {}
            }
        }
        Ok(n)
    }
}

/// Running list counters, as Word keeps them: per abstract numbering.
#[derive(Debug, Default)]
struct Counters {
    by_abstract: HashMap<String, [Option<i64>; 9]>,
    started: HashSet<String>,
}

impl Counters {
    /// The label of the next paragraph numbered with `num_id` at level `ilvl`: `Some("")`
    /// for unnumbered levels, `Some("-")` for bullets, `None` when there is no such numbering.
    fn next(&mut self, numbering: &Numbering, num_id: &str, ilvl: u8) -> Option<String> {
        let Num {
            abstract_id,
            overrides,
        } = numbering.nums.get(num_id)?;
        let levels = numbering.abstracts.get(abstract_id)?;
        let ilvl = usize::from(ilvl.min(8));
        let counters = self.by_abstract.entry(abstract_id.clone()).or_default();
        if self.started.insert(num_id.to_string()) {
            for &(level, start) in overrides {
                let level = usize::from(level.min(8));
                counters[level] = Some(start - 1);
                counters[level + 1..].iter_mut().for_each(|c| *c = None);
            }
        }
        let level = levels.get(ilvl).cloned().unwrap_or_default();
        let value = counters[ilvl].map_or(level.start, |c| c + 1);
        counters[ilvl] = Some(value);
        counters[ilvl + 1..].iter_mut().for_each(|c| *c = None);
        if level.bullet {
            return Some("-".to_string());
        }
        let mut label = level.text.clone();
        for (k, slot) in counters.iter().enumerate().take(ilvl + 1) {
            let placeholder = format!("%{}", k + 1);
            if !label.contains(&placeholder) {
                continue;
            }
            let of = levels.get(k).cloned().unwrap_or_default();
            let style = if level.legal {
                NumberStyle::Decimal
            } else {
                of.style
            };
            label = label.replace(&placeholder, &number(slot.unwrap_or(of.start), style));
        }
        Some(label.trim().to_string())
    }
}

/// What the reader keeps about a paragraph besides its text: its style and numbering.
#[derive(Debug, Default)]
struct Props {
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    outline: Option<u8>,
}

/// Styles and list numbering: what a finished paragraph is, and its label.
struct Labels<'s> {
    styles: &'s Styles,
    numbering: Numbering,
    counters: Counters,
}

impl Labels<'_> {
    /// The block a paragraph becomes: a heading by outline level or style, a list item when it
    /// is numbered, else a paragraph; table-of-contents entries are left out.
    fn block(&mut self, text: String, props: Props) -> Option<Block> {
        let style = props.style.as_deref();
        if self.styles.is_toc(style) {
            return None;
        }
        let heading = match props.outline {
            Some(o) => (o < 9).then_some(o + 1),
            None => self.styles.heading_level(style),
        };
        let numbering = match props.num_id.as_deref() {
            Some("0") => None,
            Some(id) => Some((
                id.to_string(),
                props
                    .ilvl
                    .or_else(|| self.styles.numbering(style).map(|(_, l)| l))
                    .unwrap_or(0),
            )),
            None => self
                .styles
                .numbering(style)
                .map(|(id, l)| (id, props.ilvl.unwrap_or(l))),
        };
        let label = numbering
            .and_then(|(id, ilvl)| self.counters.next(&self.numbering, &id, ilvl))
            .unwrap_or_default();
        let text = if label.is_empty() {
            text
        } else {
            format!("{label} {}", text.trim_start())
        };
        Some(match heading {
            Some(level) => Block::Heading(usize::from(level), text),
            None if !label.is_empty() => Block::Item(text),
            None => Block::Paragraph(text),
        })
    }
}

/// The reader of `document.xml`.
struct Body<'s> {
    labels: Labels<'s>,
    flow: Flow<Props>,
}

impl<'s> Body<'s> {
    fn new(styles: &'s Styles, numbering: Numbering) -> Body<'s> {
        Body {
            labels: Labels {
                styles,
                numbering,
                counters: Counters::default(),
            },
            flow: Flow::default(),
        }
    }

    fn read(mut self, xml: &str) -> Result<Vec<super::Page>, Error> {
        let mut p = Parser::new(xml, "word/document.xml", LABEL);
        let mut in_text = false;
        let mut in_properties = false;
        let mut hidden = false;
        loop {
            let tag = match p.next()? {
                Node::Eof => break,
                Node::Text(t) => {
                    if in_text
                        && !hidden
                        && let Some(para) = self.flow.paragraph()
                    {
                        para.text.push_str(&t);
                    }
                    continue;
                }
                Node::End(Ns::Word, name) => {
                    match name.as_str() {
                        "t" => in_text = false,
                        "pPr" => in_properties = false,
                        "r" => hidden = false,
                        "p" => {
                            let labels = &mut self.labels;
                            self.flow
                                .close_paragraph(|text, props| labels.block(text, props));
                        }
                        "tc" => self.flow.end_cell(),
                        "tr" => self.flow.end_row(),
                        "tbl" => self.flow.close_table(),
                        _ => {}
                    }
                    continue;
                }
                Node::End(..) => continue,
                Node::Start(tag) => tag,
            };
            if tag.ns == Ns::Compat && tag.name == "Fallback" {
                // The same content as the `mc:Choice` before it, for older readers.
                p.skip()?;
                continue;
            }
            if tag.ns != Ns::Word {
                continue;
            }
            let para = self.flow.paragraph();
            match (tag.name.as_str(), para) {
                ("p", _) => {
                    self.flow.open_paragraph();
                }
                ("tbl", _) => self.flow.open_table(),
                ("del" | "moveFrom" | "instrText" | "delText", _) => p.skip()?,
                ("pPr", _) => in_properties = true,
                ("t", _) => in_text = true,
                ("pStyle", Some(para)) => para.props.style = tag.attr("val").map(str::to_string),
                ("numId", Some(para)) => para.props.num_id = tag.attr("val").map(str::to_string),
                ("ilvl", Some(para)) => {
                    para.props.ilvl = tag.attr("val").and_then(|v| v.parse().ok());
                }
                ("outlineLvl", Some(para)) => {
                    para.props.outline = tag.attr("val").and_then(|v| v.parse().ok());
                }
                ("pageBreakBefore", Some(para)) if on(&tag) => para.break_before = true,
                ("vanish", _) if !in_properties && on(&tag) => hidden = true,
                (_, Some(para)) if !in_properties && !hidden => match tag.name.as_str() {
                    "tab" | "ptab" => para.text.push('\t'),
                    "br" => match tag.attr("type") {
                        Some("page") => para.page_break(),
                        _ => para.text.push('\n'),
                    },
                    "cr" => para.text.push('\n'),
                    "noBreakHyphen" => para.text.push('-'),
                    "softHyphen" => para.text.push('\u{00AD}'),
                    "lastRenderedPageBreak" => para.page_break(),
                    _ => {}
                },
                _ => {}
            }
        }
        Ok(self.flow.into_pages())
    }
}

#[cfg(test)]
mod tests;
