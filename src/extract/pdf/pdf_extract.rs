//! PDF extraction with pdf-extract, page by page, with panics contained.
//!
//! pdf-extract's own page API stops silently at the first failing page and re-walks the page
//! tree per page, so we drive `output_doc` with our own [`OutputDev`] that records page breaks.
//! If the whole-document pass fails or panics, pages are retried one by one so that a single
//! broken page costs only itself. Before that, [`repair`] rewrites the content-stream
//! constructs pdf-extract misreads and the indirect font widths it panics on,
//! [`super::tounicode`] reads the placeholder glyphs of the fonts' `/ToUnicode` maps from their
//! glyph names, and [`forms`] cuts the form XObjects that draw themselves, which it would follow
//! until it aborts.

mod forms;
mod repair;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::pages::{Pages, contain, load};
use crate::extract::{Error, ErrorKind, Page};
use crate::message::Message;

/// Extracts the pages of a PDF with pdf-extract, panics contained.
pub(crate) fn extract_pages(bytes: &[u8]) -> Result<Pages, Error> {
    match contain(|| extract_inner(bytes)) {
        Ok(result) => result,
        Err(detail) => Err(Error::new(
            ErrorKind::Panic,
            Message::ParserPanicked { detail },
        )),
    }
}

fn extract_inner(bytes: &[u8]) -> Result<Pages, Error> {
    let mut doc = load(bytes)?;
    super::tounicode::repair_placeholder_maps(&mut doc);
    let survey = repair::repair_text_operators(&mut doc);
    let shown = Some(survey.shown);
    repair::repair_cid_widths(&mut doc);
    repair::repair_width_references(&mut doc);
    forms::cut_self_drawing_forms(&mut doc);
    let page_ids = doc.get_pages();
    let page_count = page_ids.len();

    let mut sink = PageSink::default();
    let whole = contain(|| pdf_extract::output_doc(&doc, &mut sink));
    if matches!(whole, Ok(Ok(()))) && sink.pages.len() == page_count {
        return Ok(Pages {
            pages: sink.into_pages(),
            failed: survey.unreadable_pages,
            shown,
            errors: 0,
        });
    }
    // A failure somewhere: salvage page by page.
    let mut failed = 0;
    let pages = page_ids
        .keys()
        .map(|&number| {
            let mut one = PageSink::default();
            let ok = matches!(
                contain(|| pdf_extract::output_doc_page(&doc, &mut one, number)),
                Ok(Ok(()))
            );
            let text = if ok {
                one.into_pages().into_iter().next().map(|p| p.text)
            } else {
                None
            };
            failed += usize::from(text.is_none());
            Page::new(number, text.unwrap_or_default())
        })
        .collect();
    Ok(Pages {
        pages,
        failed: failed.max(survey.unreadable_pages),
        shown,
        errors: 0,
    })
}

/// Collects characters per page, with the same spacing rules as pdf-extract's plain-text output,
/// save one: in a document set with wide line spacing (1.5 lines or double), where pdf-extract
/// takes every line break for a paragraph break, only a gap clearly wider than the document's
/// usual line pitch stays a blank line (see [`PageSink::into_pages`]).
#[derive(Default)]
struct PageSink {
    pages: Vec<String>,
    page_height: f64,
    last_end: f64,
    last_y: f64,
    first_char: bool,
    /// Every line break written: its vertical step in font sizes, and where the blank line that
    /// a step over [`BLANK_LINE_STEP`] wrote starts (page, byte), if it wrote one.
    breaks: Vec<LineBreak>,
}

/// A line break [`PageSink`] wrote.
struct LineBreak {
    /// The vertical step from the line before, in font sizes.
    step: f64,
    /// Page and byte offset of the extra `\n` that made it a blank line, if any.
    blank: Option<(usize, usize)>,
}

/// A vertical step over this many font sizes starts a paragraph in pdf-extract's plain-text
/// output (and here, in a document of ordinary line spacing).
const BLANK_LINE_STEP: f64 = 1.5;

/// A document is set with wide line spacing when fewer than this share (in per cent) of its line
/// breaks step at most [`BLANK_LINE_STEP`]. Measured on the corpus PDFs: 0 to 9 % in the three
/// set with 1.5 lines or more, 40 % and more in all others (many short paragraphs included).
const ORDINARY_SHARE_PERCENT: usize = 15;

/// In a document set with wide line spacing, a step counts as a paragraph gap only when it is
/// this much wider than the usual one.
const WIDE_GAP_FACTOR: f64 = 1.3;

impl PageSink {
    /// The pages. In a document set with wide line spacing (see [`ORDINARY_SHARE_PERCENT`]),
    /// every line break would otherwise be a blank line, and a sentence running over lines would
    /// read as paragraphs of one line each; there a blank line is kept only where the step is
    /// [`WIDE_GAP_FACTOR`] times the usual one or more.
    fn into_pages(self) -> Vec<Page> {
        let mut pages = self.pages;
        let mut steps: Vec<f64> = self
            .breaks
            .iter()
            .map(|b| b.step)
            .filter(|s| s.is_finite())
            .collect();
        steps.sort_unstable_by(f64::total_cmp);
        // Wide spacing: line breaks of ordinary height are a small minority.
        let ordinary = steps.partition_point(|&s| s <= BLANK_LINE_STEP);
        if !steps.is_empty() && ordinary * 100 < steps.len() * ORDINARY_SHARE_PERCENT {
            // The usual step between the lines of a paragraph: a low quantile of the wide
            // steps, since some texts have more paragraph gaps than line breaks inside them.
            let wide = &steps[ordinary..];
            let usual = wide[wide.len() / 5];
            let mut cut: Vec<(usize, usize)> = self
                .breaks
                .iter()
                .filter(|b| b.step < usual * WIDE_GAP_FACTOR)
                .filter_map(|b| b.blank)
                .collect();
            cut.sort_unstable();
            for run in cut.chunk_by(|a, b| a.0 == b.0) {
                if let Some(text) = pages.get_mut(run[0].0) {
                    *text = without_bytes(text, run.iter().map(|c| c.1));
                }
            }
        }
        pages
            .into_iter()
            .enumerate()
            .map(|(i, text)| Page::new(i as u32 + 1, text))
            .collect()
    }

    fn current(&mut self) -> &mut String {
        if self.pages.is_empty() {
            self.pages.push(String::new());
        }
        self.pages.last_mut().expect("a page exists")
    }
}

impl OutputDev for PageSink {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(String::new());
        self.page_height = media_box.ury - media_box.lly;
        self.last_end = 100_000.0;
        self.last_y = 0.0;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        // Position in a top-down coordinate system (flip the y axis at the page height).
        let x = trm.m31;
        let y = self.page_height - trm.m32;
        let sx = font_size * trm.m11 + font_size * trm.m21;
        let sy = font_size * trm.m12 + font_size * trm.m22;
        let size = (sx * sy).abs().sqrt();
        if self.first_char {
            let (last_y, last_end) = (self.last_y, self.last_end);
            let page = self.pages.len().saturating_sub(1);
            let out = self.current();
            let step = (y - last_y).abs();
            let mut blank = None;
            let mut broke = false;
            if step > size * BLANK_LINE_STEP {
                blank = Some((page, out.len()));
                out.push('\n');
                broke = true;
            }
            if x < last_end && step > size * 0.5 {
                out.push('\n');
                broke = true;
            }
            if x > last_end + size * 0.1 {
                out.push(' ');
            }
            if broke {
                self.breaks.push(LineBreak {
                    step: step / size,
                    blank,
                });
            }
        }
        self.current().push_str(char);
        self.first_char = false;
        self.last_y = y;
        self.last_end = x + width * size;
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        self.first_char = true;
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// `text` without the single bytes at `offsets` (ascending).
fn without_bytes(text: &str, offsets: impl Iterator<Item = usize>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for at in offsets {
        out.push_str(&text[from..at]);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text a [`PageSink`] makes of lines of words at the given heights (font size 10,
    /// one page of height 800).
    fn laid_out(lines: &[(f64, &str)]) -> String {
        let mut sink = PageSink::default();
        let media = MediaBox {
            llx: 0.0,
            lly: 0.0,
            urx: 600.0,
            ury: 800.0,
        };
        sink.begin_page(1, &media, None).unwrap();
        for &(y, line) in lines {
            let mut x = 50.0;
            for word in line.split(' ') {
                sink.begin_word().unwrap();
                for c in word.chars() {
                    let at = Transform::row_major(1.0, 0.0, 0.0, 1.0, x, 800.0 - y);
                    sink.output_character(&at, 0.5, 0.0, 10.0, &c.to_string())
                        .unwrap();
                    x += 5.0;
                }
                x += 3.0;
            }
        }
        sink.into_pages().remove(0).text.trim().to_string()
    }

    /// Lines `step` apart, with a paragraph gap of `gap` before every line in `starts`.
    fn paragraphs(
        step: f64,
        gap: f64,
        lines: &[&'static str],
        starts: &[usize],
    ) -> Vec<(f64, &'static str)> {
        let mut y = 100.0;
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                if i > 0 {
                    y += if starts.contains(&i) { gap } else { step };
                }
                (y, *line)
            })
            .collect()
    }

    const LINES: [&str; 6] = [
        "Der Auftragsverarbeiter gewährleistet, dass sich die zur",
        "Verarbeitung befugten Personen zur",
        "Vertraulichkeit verpflichtet haben.",
        "Der Auftragsverarbeiter informiert den",
        "Verantwortlichen unverzüglich.",
        "Ende.",
    ];

    #[test]
    fn wide_line_spacing_keeps_sentences_together() {
        // 1.7 lines apart, paragraphs 3 lines apart: only the paragraph gaps are blank lines.
        let text = laid_out(&paragraphs(17.0, 30.0, &LINES, &[3, 5]));
        assert_eq!(
            text,
            "Der Auftragsverarbeiter gewährleistet, dass sich die zur\nVerarbeitung befugten \
             Personen zur\nVertraulichkeit verpflichtet haben.\n\nDer Auftragsverarbeiter \
             informiert den\nVerantwortlichen unverzüglich.\n\nEnde."
        );
    }

    #[test]
    fn ordinary_spacing_reads_as_pdf_extract_reads_it() {
        // Single-spaced lines; and short paragraphs whose gaps outnumber the line breaks.
        let text = laid_out(&paragraphs(12.0, 25.0, &LINES, &[3, 5]));
        assert_eq!(text.matches("\n\n").count(), 2, "{text}");
        assert_eq!(text.matches('\n').count(), 7, "{text}");
        let text = laid_out(&paragraphs(12.0, 25.0, &LINES, &[1, 2, 3, 5]));
        assert_eq!(text.matches("\n\n").count(), 4, "{text}");
    }

    #[test]
    fn garbage_is_corrupt_not_a_panic() {
        let err = extract_pages(b"%PDF-1.4\nthis is not a pdf").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    }
}
