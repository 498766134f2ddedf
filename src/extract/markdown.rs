//! Markdown: parsed with `pulldown-cmark` (CommonMark with tables, footnotes and YAML front
//! matter) and written as structured text without markup.
//!
//! Raw HTML blocks that hold text are read as the Markdown they wrap (see
//! [`unwrap_html_blocks`]): documentation sites set whole agreements in `<div>` blocks. A page
//! whose body is empty and whose front matter carries the text in block values is read from
//! those (see [`front_matter_content`]).
//!
//! `#` headings stay `#` heading lines (section boundaries), list items become lines with their
//! number ("4.", "-"), pipe-table rows lines with cells separated by ` | `. Inline markup is
//! dropped, so `**4. Weisungen**` reads "4. Weisungen" in section labels and quotes and
//! `**nicht**` no longer stands between a rule's words; link targets, images, inline HTML tags, front
//! matter and footnote definitions are left out. Soft line breaks inside a paragraph are
//! spaces, as they are when the Markdown is rendered. Of YAML front matter only its `title` is
//! kept, as the `#` heading a documentation site renders from it, when the body has no `#`
//! heading of its own ("Data Processing Agreement" of a Mintlify or Docusaurus page) — unless the
//! body is empty and the front matter holds the page's text (above).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use scraper::{ElementRef, Html, Node};

use super::layout::Layout;
use super::{Document, Format, html, plain};

/// Extracts the text of a Markdown document (one page).
pub(super) fn extract(bytes: &[u8]) -> Document {
    let source = plain::decode(bytes).replace("\r\n", "\n");
    Document {
        format: Format::Markdown,
        pages: render(&source).into_pages(),
        extractor: "markdown",
    }
}

#[derive(Debug)]
struct List {
    next: Option<u64>,
}

/// The CommonMark extensions read: tables, footnotes, strikethrough, YAML front matter and
/// heading attributes.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

fn render(source: &str) -> Layout {
    let content = front_matter_content(source);
    let source = content.as_deref().unwrap_or(source);
    match unwrap_html_blocks(source) {
        Some(unwrapped) => render_markdown(&unwrapped),
        None => render_markdown(source),
    }
}

/// A body this short leaves the page's text to its front matter, if that holds any.
const EMPTY_BODY_WORDS: usize = 50;

/// The page's text when a site keeps it in the YAML front matter rather than the body, or `None`
/// (the common case). Page builders on static-site generators store each block of a page as a
/// front-matter entry — `components:` / `- type: Text` / `text: >+` followed by the indented
/// Markdown of the whole agreement — and leave the body empty, so the body alone reads as no
/// text. Where the body has fewer than [`EMPTY_BODY_WORDS`] words, the front matter's block
/// scalars (`|` and `>` values, with or without `+`/`-`) are taken in order, each dedented, as
/// the Markdown of the page; or, where those hold no text, its rich-text nodes (see
/// [`rich_text_nodes`]).
fn front_matter_content(source: &str) -> Option<String> {
    let (yaml, body) = front_matter(source)?;
    if body.split_whitespace().nth(EMPTY_BODY_WORDS).is_some() {
        return None;
    }
    let holds_text = |text: &String| text.split_whitespace().nth(EMPTY_BODY_WORDS).is_some();
    Some(block_scalars(&yaml))
        .filter(holds_text)
        .or_else(|| Some(rich_text_nodes(&yaml)).filter(holds_text))
}

/// The YAML front matter of a page and the body after it, as the parser delimits them (the same
/// block [`render_markdown`] leaves out), or `None` where the page has none.
fn front_matter(source: &str) -> Option<(String, &str)> {
    // A metadata block opens with a `---` line as the page's first block; only then is the page
    // parsed here, so the common page without front matter is not parsed twice.
    if !source.trim_start().starts_with("---") {
        return None;
    }
    let mut events = Parser::new_ext(source, OPTIONS).into_offset_iter();
    let (Event::Start(Tag::MetadataBlock(_)), _) = events.next()? else {
        return None;
    };
    let mut yaml = String::new();
    for (event, range) in events {
        match event {
            Event::Text(text) => yaml.push_str(&text),
            Event::End(TagEnd::MetadataBlock(_)) => return Some((yaml, &source[range.end..])),
            _ => {}
        }
    }
    None
}

/// The text of a rich-text document stored as YAML nodes, as a page builder keeps it (Statamic's
/// Bard: `type: paragraph` / `content:` / `- type: text` / `text: 'This DPA …'`, headings with
/// `attrs: level: 2`, `bulletList` of `listItem`s), written as Markdown: each paragraph and
/// heading a block, each list item a `- ` item, the `text:` values of a block joined in order.
fn rich_text_nodes(yaml: &str) -> String {
    let mut out = String::new();
    let mut heading = false;
    let mut item = false;
    let mut lines = yaml.lines();
    while let Some(line) = lines.next() {
        let line = line.trim_start().trim_start_matches("- ").trim_start();
        if let Some(kind) = line.strip_prefix("type: ") {
            match kind.trim() {
                "paragraph" | "heading" | "blockquote" | "codeBlock" => {
                    if !item {
                        out.push_str("\n\n");
                    }
                    item = false;
                    heading = kind.trim() == "heading";
                }
                "listItem" => {
                    out.push_str("\n\n- ");
                    item = true;
                }
                "hardBreak" => out.push('\n'),
                _ => {}
            }
        } else if let Some(level) = line.strip_prefix("level: ")
            && heading
        {
            let level = level.trim().parse::<usize>().unwrap_or(2).clamp(1, 6);
            out.push_str(&"#".repeat(level));
            out.push(' ');
            heading = false;
        } else if let Some(value) = line.strip_prefix("text: ") {
            if heading {
                out.push_str("## ");
                heading = false;
            }
            out.push_str(&yaml_scalar(value, &mut lines));
        }
    }
    out
}

/// A YAML scalar value that starts on this line: single-quoted (`''` is a quote), double-quoted
/// (backslash escapes) or plain; a quoted value may go on over the next lines, folded with
/// spaces.
fn yaml_scalar<'a>(first: &str, rest: &mut impl Iterator<Item = &'a str>) -> String {
    let first = first.trim();
    let Some(quote) = first.chars().next().filter(|c| matches!(c, '\'' | '"')) else {
        return first.to_string();
    };
    let mut raw = first[1..].to_string();
    let mut value = String::new();
    loop {
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\'' if quote == '\'' && chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\\' if quote == '"' => {
                    if let Some(escaped) = chars.next() {
                        value.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                }
                c if c == quote => return value,
                c => value.push(c),
            }
        }
        match rest.next() {
            Some(next) => {
                value.push(' ');
                raw = next.trim().to_string();
            }
            None => return value,
        }
    }
}

/// The block scalars of a YAML text (`key: |`, `key: >+`, `- text: >-`), dedented and joined by
/// blank lines. Only what a page's text needs of YAML: the values' lines are taken as they stand
/// (a folded `>` value is Markdown either way: its single line breaks read as spaces).
fn block_scalars(yaml: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = yaml.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let indent = line.len() - line.trim_start().len();
        let value = line.trim_end();
        let is_block = value.rsplit_once(": ").is_some_and(|(_, indicator)| {
            let indicator = indicator.trim_end_matches(|c: char| c.is_ascii_digit());
            matches!(indicator, "|" | ">" | "|+" | ">+" | "|-" | ">-")
        });
        if !is_block {
            continue;
        }
        let start = i;
        while i < lines.len()
            && (lines[i].trim().is_empty() || lines[i].len() - lines[i].trim_start().len() > indent)
        {
            i += 1;
        }
        let block = &lines[start..i];
        let dedent = block
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        for l in block {
            out.push_str(l.get(dedent..).unwrap_or("").trim_end());
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

fn render_markdown(source: &str) -> Layout {
    let options = OPTIONS;
    let mut layout = Layout::default();
    let mut inline = String::new();
    let mut lists: Vec<List> = Vec::new();
    let mut label: Option<String> = None;
    let mut row: Vec<String> = Vec::new();
    let mut cell: Option<String> = None;
    // Depth inside content that is not text: images, front matter, footnote definitions.
    let mut hidden = 0usize;
    // The text of the YAML front matter while inside it.
    let mut metadata: Option<String> = None;

    let flush =
        |inline: &mut String, label: &mut Option<String>, lists: &[List], layout: &mut Layout| {
            let text = std::mem::take(inline);
            if text.trim().is_empty() {
                return;
            }
            match label.take() {
                Some(l) => layout.item(&l, &text),
                None if !lists.is_empty() => layout.item("", &text),
                None => layout.paragraph(&text),
            }
        };

    for event in Parser::new_ext(source, options) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => {
                hidden += 1;
                metadata = Some(String::new());
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                hidden = hidden.saturating_sub(1);
                // Only a page with a front-matter title is parsed a second time, to see whether
                // its body has a title of its own.
                if let Some(title) = metadata.take().as_deref().and_then(front_matter_title)
                    && !Parser::new_ext(source, options).any(|e| {
                        matches!(
                            e,
                            Event::Start(Tag::Heading {
                                level: pulldown_cmark::HeadingLevel::H1,
                                ..
                            })
                        )
                    })
                {
                    layout.heading(1, &title);
                }
            }
            Event::Text(t) if metadata.is_some() => {
                if let Some(m) = metadata.as_mut() {
                    m.push_str(&t);
                }
            }
            Event::Start(Tag::Image { .. } | Tag::FootnoteDefinition(_)) => {
                hidden += 1;
            }
            Event::End(TagEnd::Image | TagEnd::FootnoteDefinition) => {
                hidden = hidden.saturating_sub(1);
            }
            _ if hidden > 0 => {}
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut inline, &mut label, &lists, &mut layout)
            }
            Event::End(TagEnd::Heading(level)) => {
                layout.heading(level as usize, &std::mem::take(&mut inline));
            }
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_) | Tag::BlockQuote(_)) => {
                flush(&mut inline, &mut label, &lists, &mut layout);
            }
            Event::End(TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::BlockQuote(_)) => {
                flush(&mut inline, &mut label, &lists, &mut layout);
            }
            Event::Start(Tag::List(start)) => {
                flush(&mut inline, &mut label, &lists, &mut layout);
                lists.push(List { next: start });
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut inline, &mut label, &lists, &mut layout);
                lists.pop();
                if lists.is_empty() {
                    layout.end_group();
                }
            }
            Event::Start(Tag::Item) => {
                flush(&mut inline, &mut label, &lists, &mut layout);
                label = Some(match lists.last_mut().and_then(|l| l.next.as_mut()) {
                    Some(n) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    None => "-".to_string(),
                });
            }
            Event::End(TagEnd::Item) => {
                flush(&mut inline, &mut label, &lists, &mut layout);
                label = None;
            }
            Event::Start(Tag::Table(_)) => flush(&mut inline, &mut label, &lists, &mut layout),
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => row.extend(cell.take()),
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                layout.row(&std::mem::take(&mut row));
            }
            Event::End(TagEnd::Table) | Event::Rule => {
                flush(&mut inline, &mut label, &lists, &mut layout);
                layout.end_group();
            }
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                cell.as_mut().unwrap_or(&mut inline).push_str(&t);
            }
            Event::SoftBreak => cell.as_mut().unwrap_or(&mut inline).push(' '),
            Event::HardBreak => cell.as_mut().unwrap_or(&mut inline).push('\n'),
            _ => {}
        }
    }
    flush(&mut inline, &mut label, &lists, &mut layout);
    layout
}

/// The source with each top-level raw HTML block that holds text replaced by the Markdown it
/// renders to, or `None` when there is no such block (most Markdown: parsed once).
///
/// CommonMark passes an HTML block (from a line starting with a tag to the next blank line)
/// through as raw HTML, which the text leaves out. Documentation sites set whole agreements
/// that way — `<div class="paragraph">` / `#### 1.1<div class="paragraph-text">This DPA is
/// applicable …</div>` / `</div>` — and MDX renders the Markdown inside such blocks, so left out
/// the agreement would read as empty. The block's text is kept: block elements become paragraph
/// breaks, `<h1>`–`<h6>` `#` headings, `<li>` list items, each table row a line of its non-empty
/// cells separated by ` | `; scripts, styles, navigation and hidden elements stay out (the HTML
/// reader's [`html::dropped`]). Lines are trimmed, so the HTML's indentation does not turn text
/// into indented code. The result is parsed as Markdown once more, as MDX does.
fn unwrap_html_blocks(source: &str) -> Option<String> {
    // An HTML block opens with a tag at the start of a line (after at most three spaces); without
    // one the source is not parsed a second time.
    if !source
        .lines()
        .any(|line| line.trim_start().starts_with('<'))
    {
        return None;
    }
    let mut out = String::new();
    let mut copied = 0;
    // Nesting depth of the elements open at an event: only blocks at the top level are
    // replaced (a block inside a list item or quote spans the container's markers too).
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(source, OPTIONS).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 && matches!(tag, Tag::HtmlBlock) {
                    let text = html_block_text(&source[range.clone()]);
                    if !text.trim().is_empty() {
                        out.push_str(&source[copied..range.start]);
                        out.push_str("\n\n");
                        out.push_str(&text);
                        out.push_str("\n\n");
                        copied = range.end;
                    }
                }
                depth += 1;
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&source[copied..]);
    Some(out)
}

/// The text of one raw HTML block, with its structure written as Markdown.
fn html_block_text(block: &str) -> String {
    let fragment = Html::parse_fragment(block);
    let mut out = String::new();
    write_children(fragment.root_element(), &mut out, 0);
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    lines.join("\n")
}

/// Writes the children of `element`, `depth` elements below the block. Like the HTML reader, the
/// walk goes only [`html::MAX_DEPTH`] elements deep (hostile nesting would overflow the stack);
/// below that an element's text is taken as it stands.
fn write_children(element: ElementRef<'_>, out: &mut String, depth: usize) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    write_element(child, out, depth + 1);
                }
            }
            _ => {}
        }
    }
}

fn write_element(element: ElementRef<'_>, out: &mut String, depth: usize) {
    if html::dropped(&element) {
        return;
    }
    if depth >= html::MAX_DEPTH {
        out.extend(element.text());
        return;
    }
    let name = element.value().name();
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let level = usize::from(name.as_bytes()[1] - b'0');
            out.push_str("\n\n");
            out.push_str(&"#".repeat(level));
            out.push(' ');
            out.push_str(&html::cell_text(element));
            out.push_str("\n\n");
        }
        "li" => {
            out.push_str("\n\n- ");
            write_children(element, out, depth);
            out.push_str("\n\n");
        }
        "br" => out.push('\n'),
        "tr" => {
            // One line per row with its non-empty cells (a signature table's blank cells and
            // empty rows leave nothing).
            let mut cells = html::row_cells(element);
            cells.retain(|text| !text.is_empty());
            if !cells.is_empty() {
                out.push_str("\n\n");
                out.push_str(&cells.join(" | "));
                out.push_str("\n\n");
            }
        }
        // The HTML reader's plain blocks, and the containers it handles apart (lists, tables,
        // `<pre>`, forms), each a block here.
        name if html::is_block(name)
            || matches!(
                name,
                "ul" | "ol" | "table" | "thead" | "tbody" | "tfoot" | "pre" | "form"
            ) =>
        {
            out.push_str("\n\n");
            write_children(element, out, depth);
            out.push_str("\n\n");
        }
        _ => write_children(element, out, depth),
    }
}

/// The `title:` of YAML front matter, unquoted (`title: "Data Processing Agreement"`).
fn front_matter_title(yaml: &str) -> Option<String> {
    let value = yaml
        .lines()
        .find_map(|line| line.strip_prefix("title:"))?
        .trim();
    let value = ['"', '\'']
        .iter()
        .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
        .unwrap_or(value)
        .trim();
    (!value.is_empty()).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn text(md: &str) -> String {
        let doc = extract(md.as_bytes());
        assert_eq!(doc.pages.len(), 1);
        doc.pages[0].text.clone()
    }

    #[test]
    fn markup_is_dropped_structure_kept() {
        let md = "---\nlang: de-DE\ntitle: x\n---\n\n# Vertrag\n\n**HelpHub** GmbH, [Website](https://helphub.example)\n\n## **4. Weisungen**\n\nDer Auftragnehmer darf **nicht** für eigene Zwecke\nverarbeiten.[^1] ![Logo](logo.png)\n\n1. erstens\n2. `zweitens`\n   - Punkt\n\n| Dienst | Ort |\n|---|---|\n| Hosting | *Frankfurt* |\n\n[^1]: Fußnote.\n";
        assert_eq!(
            text(md),
            "# Vertrag\n\nHelpHub GmbH, Website\n\n## 4. Weisungen\n\nDer Auftragnehmer darf nicht für eigene Zwecke verarbeiten.\n\n1. erstens\n2. zweitens\n- Punkt\n\nDienst | Ort\nHosting | Frankfurt"
        );
    }

    #[test]
    fn a_front_matter_title_heads_a_page_without_its_own() {
        let md = "---\ntitle: \"Data Processing Agreement\"\ndescription: \"How we process data\"\n---\n\nThis document describes how we handle data.\n\n## 1. Roles\n\nWe are the processor.\n";
        assert_eq!(
            text(md),
            "# Data Processing Agreement\n\nThis document describes how we handle data.\n\n## 1. Roles\n\nWe are the processor."
        );
        // A page with its own `#` heading keeps only that (the title is usually the same).
        let md = "---\ntitle: 'DPA'\n---\n\n# Data Processing Addendum\n\nText.\n";
        assert_eq!(text(md), "# Data Processing Addendum\n\nText.");
        assert_eq!(front_matter_title("lang: de\ntitle:   \n"), None);
        assert_eq!(front_matter_title("title: AVV"), Some("AVV".to_string()));
    }

    #[test]
    fn headings_are_section_boundaries_with_clean_labels() {
        let md = "# Auftragsverarbeitungsvertrag\n\n## § 1 Gegenstand\n\nDer Auftragnehmer verarbeitet Daten.\n\n## **4. Weisungen**\n\nNur auf *dokumentierte* Weisung.\n\n## Anlage 1 – Technische und organisatorische Maßnahmen\n\nVerschlüsselung.\n\n### Präambel ohne Nummer\n\nText.\n";
        let doc = extract(md.as_bytes());
        let t = Text::new(doc.pages.iter().map(|p| (p.number, p.text.as_str())));
        let labels: Vec<String> = (0..t.sections.len())
            .filter_map(|i| t.section_label(i))
            .collect();
        assert_eq!(
            labels,
            vec![
                "Auftragsverarbeitungsvertrag",
                "§ 1 Gegenstand",
                "4. Weisungen",
                "Anlage 1 – Technische und organisatorische Maßnahmen",
                "Präambel ohne Nummer",
            ]
        );
        let at = t.flat.find("dokumentierte").unwrap();
        let sentence = &t.sentences[t.sentence_at(at).unwrap()];
        assert_eq!(
            t.original_slice(sentence.start, sentence.end),
            "Nur auf dokumentierte Weisung."
        );
        assert_eq!(
            t.section_label(sentence.section).as_deref(),
            Some("4. Weisungen")
        );
    }

    #[test]
    fn html_blocks_are_read_as_the_markdown_they_wrap() {
        // A documentation site's layout: the whole agreement in `<div>` blocks, headings as
        // Markdown inside them; comments and scripts stay out, tables read as rows.
        let md = "<div class=\"agreement-doc\">\n<br/><br/>\n\n<div class=\"paragraph-big\">\n# DATA PROCESSING AGREEMENT\n</div>\n\n<div class=\"paragraph\">\n#### 1.1<div class=\"paragraph-text\">This DPA applies to the processing of\n    personal data &amp; is part of the Agreement.</div>\n</div>\n\n<!-- draft note -->\n\n<script>var x = 1;</script>\n\n<table><tr><th>Sub-processor</th><th>Location</th></tr>\n<tr><td>Hosting</td><td> </td><td>Sweden</td></tr><tr><td></td></tr></table>\n\n<ul><li>Encryption</li><li>Backups</li></ul>\n\nPlain **Markdown** stays.\n";
        assert_eq!(
            text(md),
            "# DATA PROCESSING AGREEMENT\n\n#### 1.1\n\nThis DPA applies to the processing of personal data & is part of the Agreement.\n\nSub-processor | Location\n\nHosting | Sweden\n\n- Encryption\n- Backups\n\nPlain Markdown stays."
        );
        // Without an HTML block the source is parsed once, as before.
        assert_eq!(unwrap_html_blocks("# AVV\n\nText <b>fett</b>.\n"), None);
        assert_eq!(text("# AVV\n\nText <b>fett</b>.\n"), "# AVV\n\nText fett.");
    }

    #[test]
    fn a_page_kept_in_its_front_matter_is_read_from_it() {
        // A page builder's file: the agreement is the `text` of a component, the body is empty.
        let words =
            "The processor shall process personal data only on documented instructions. ".repeat(8);
        let md = format!(
            "---\ndraft: false\npath: /legal/dpa\ncomponents:\n  - type: Text\n    text: >+\n      # Data Processing Addendum\n\n\n      ### 1. Instructions\n\n      {words}\n\n  - type: Spacer\n---\n"
        );
        let read = text(&md);
        assert!(
            read.starts_with(
                "# Data Processing Addendum\n\n### 1. Instructions\n\nThe processor shall"
            ),
            "{read}"
        );
        assert!(!read.contains("type:"), "{read}");
        // A body with text of its own keeps front matter out, as before.
        let md = format!("---\nsummary: |\n  {words}\n---\n\n# AVV\n\n{words}\n");
        assert!(text(&md).starts_with("# AVV\n\nThe processor"));
        assert_eq!(
            block_scalars("a: 1\nb: |\n  x\n\n  y\nc: 2\n"),
            "x\n\ny\n\n"
        );
    }

    #[test]
    fn a_page_builders_rich_text_nodes_are_read() {
        // Statamic's Bard: paragraphs, headings and list items as YAML nodes in the front matter.
        let sentence = "The Processor shall process Customer Data only on the documented instructions of the Customer. ";
        let md = format!(
            "---\nid: fb72\npage_builder:\n  -\n    article:\n      -\n        type: heading\n        attrs:\n          level: 2\n        content:\n          -\n            type: text\n            text: Definitions\n      -\n        type: bulletList\n        content:\n          -\n            type: listItem\n            content:\n              -\n                type: paragraph\n                content:\n                  -\n                    type: text\n                    text: '\"Affiliates\" means the Processor''s subsidiaries.'\n      -\n        type: paragraph\n        content:\n          -\n            type: text\n            text: '{}'\n          -\n            type: text\n            marks:\n              -\n                type: link\n            text: \"webslice.com/dpa\"\n---\n",
            sentence.repeat(6).trim_end()
        );
        let read = text(&md);
        assert!(read.starts_with("## Definitions\n\n- \"Affiliates\" means the Processor's subsidiaries.\n\nThe Processor shall"), "{read}");
        assert!(read.ends_with("of the Customer.webslice.com/dpa"), "{read}");
        let mut rest = ["  continued here.'"].into_iter();
        assert_eq!(
            yaml_scalar("'It''s long", &mut rest),
            "It's long continued here."
        );
    }

    #[test]
    fn deeply_nested_html_blocks_do_not_overflow_the_stack() {
        let depth = 100_000;
        let md = format!(
            "# AVV\n\n{}Der Auftragnehmer verarbeitet Daten.{}\n",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        assert_eq!(text(&md), "# AVV\n\nDer Auftragnehmer verarbeitet Daten.");
    }
}
