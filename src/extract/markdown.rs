//! Markdown: parsed with `pulldown-cmark` (CommonMark with tables, footnotes and YAML front
//! matter) and written as structured text without markup.
//!
//! `#` headings stay `#` heading lines (section boundaries), list items become lines with their
//! number ("4.", "-"), pipe-table rows lines with cells separated by ` | `. Inline markup is
//! dropped, so `**4. Weisungen**` reads "4. Weisungen" in section labels and quotes and
//! `**nicht**` no longer stands between a rule's words; link targets, images, raw HTML, front
//! matter and footnote definitions are left out. Soft line breaks inside a paragraph are
//! spaces, as they are when the Markdown is rendered. The one thing kept from YAML front matter
//! is its `title`, as the `#` heading a documentation site renders from it, when the body has
//! no `#` heading of its own ("Data Processing Agreement" of a Mintlify or Docusaurus page).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::layout::Layout;
use super::{Document, Format, plain};

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

fn render(source: &str) -> Layout {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_HEADING_ATTRIBUTES;
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
}
