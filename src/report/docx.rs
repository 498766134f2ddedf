//! `ampel letter --format docx`: the change request as a Word document (Office Open XML),
//! written with the `docx-rs` crate so the package follows the standard and opens in Word and
//! LibreOffice.
//!
//! The content is the same as [`Letter::markdown`]: title, subject, salutation, one section
//! per requested change (heading, quotes, defect, legal basis, proposed wording), closing.
//! Headings use the styles "Heading 1"/"Heading 2" (outline levels 0/1) so readers and word
//! processors see the structure; quotes and proposed wording are indented.
//! The package carries no timestamps (creation date 1970-01-01), so the same input gives the
//! same bytes.

use std::io::Cursor;

use docx_rs::{Docx, LineSpacing, Paragraph, Run, RunFonts, Style, StyleType};

use super::labels::labels;
use super::letter::{Letter, words};
use super::wire::pick;
use crate::assess::FindingKind;

/// Indent of quotes and proposed wording, in twentieths of a point (1 cm ≈ 567).
const INDENT: i32 = 567;
/// Space after a paragraph (6 pt) and before a heading (12 pt), in twentieths of a point.
const AFTER: u32 = 120;
const BEFORE_HEADING: u32 = 240;

fn paragraph() -> Paragraph {
    Paragraph::new().line_spacing(LineSpacing::new().after(AFTER))
}

fn text(body: &str) -> Paragraph {
    paragraph().add_run(Run::new().add_text(body))
}

fn labelled(label: &str, body: &str) -> Paragraph {
    paragraph()
        .add_run(Run::new().add_text(format!("{label}: ")).bold())
        .add_run(Run::new().add_text(body))
}

fn heading(level: usize, body: &str) -> Paragraph {
    Paragraph::new()
        .line_spacing(LineSpacing::new().before(BEFORE_HEADING).after(AFTER))
        .style(&format!("Heading{level}"))
        .keep_next(true)
        .add_run(Run::new().add_text(body))
}

fn indented(body: &str, italic: bool) -> Paragraph {
    let run = Run::new().add_text(body);
    let run = if italic { run.italic() } else { run };
    paragraph()
        .indent(Some(INDENT), None, None, None)
        .add_run(run)
}

/// The letter as the bytes of a `.docx` file.
pub fn docx(letter: &Letter<'_>) -> Result<Vec<u8>, String> {
    let w = words(letter.lang);
    let l = labels(letter.lang);
    let mut doc = Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii("Liberation Sans")
                .hi_ansi("Liberation Sans"),
        )
        .default_size(22)
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .outline_lvl(0)
                .bold()
                .size(32),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .outline_lvl(1)
                .bold()
                .size(26),
        )
        .add_paragraph(heading(1, w.title))
        .add_paragraph(text(w.date))
        .add_paragraph(labelled(
            w.subject,
            &format!(
                "{} {} – {}",
                w.document,
                letter.quoted(letter.document_name()),
                w.subject_text
            ),
        ))
        .add_paragraph(labelled(
            w.document,
            &format!(
                "{} (SHA-256 {})",
                letter.report.path,
                letter.report.sha256.as_deref().unwrap_or("–")
            ),
        ))
        .add_paragraph(labelled(w.result, &letter.result()))
        .add_paragraph(text(w.salutation));
    if letter.items.is_empty() {
        doc = doc.add_paragraph(text(w.nothing));
    } else {
        doc = doc
            .add_paragraph(text(w.intro))
            .add_paragraph(text(w.terms));
    }
    for (i, item) in letter.items.iter().enumerate() {
        let f = item.finding;
        doc = doc.add_paragraph(heading(2, &letter.item_heading(i + 1, item)));
        let evidence = item.evidence();
        if evidence.is_empty() {
            doc = doc.add_paragraph(labelled(w.clause, w.no_clause));
        } else {
            doc = doc.add_paragraph(labelled(w.clause, ""));
            for e in evidence {
                doc = doc.add_paragraph(indented(
                    &format!("{} ({})", letter.quoted(&e.quote), letter.place(e)),
                    true,
                ));
            }
        }
        doc = doc
            .add_paragraph(labelled(w.defect, &letter.defect(item)))
            .add_paragraph(labelled(l.legal_basis, &letter.legal_basis(item)));
        let label = if f.kind == FindingKind::Missing {
            w.add
        } else {
            w.replace
        };
        doc = doc.add_paragraph(labelled(label, ""));
        for clause in item.clauses() {
            doc = doc.add_paragraph(indented(pick(clause, letter.lang), false));
        }
    }
    if !letter.items.is_empty() {
        doc = doc.add_paragraph(text(w.closing));
    }
    doc = doc
        .add_paragraph(text(w.regards))
        .add_paragraph(text(w.sender));
    let mut bytes = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| format!("cannot build the DOCX package: {e}"))?;
    Ok(bytes.into_inner())
}
