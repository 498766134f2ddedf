//! PDF extraction with pdf-extract, page by page, with panics contained.
//!
//! pdf-extract's own page API stops silently at the first failing page and re-walks the page
//! tree per page, so we drive `output_doc` with our own [`OutputDev`] that records page breaks.
//! If the whole-document pass fails or panics, pages are retried one by one so that a single
//! broken page costs only itself. Before that, [`repair`] rewrites the content-stream
//! constructs pdf-extract misreads, and [`forms`] cuts the form XObjects that draw themselves,
//! which it would follow until it aborts.

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
    let survey = repair::repair_text_operators(&mut doc);
    let shown = Some(survey.shown);
    repair::repair_cid_widths(&mut doc);
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

/// Collects characters per page, with the same spacing rules as pdf-extract's plain-text output.
#[derive(Default)]
struct PageSink {
    pages: Vec<String>,
    page_height: f64,
    last_end: f64,
    last_y: f64,
    first_char: bool,
}

impl PageSink {
    fn into_pages(self) -> Vec<Page> {
        self.pages
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
            let out = self.current();
            if (y - last_y).abs() > size * 1.5 {
                out.push('\n');
            }
            if x < last_end && (y - last_y).abs() > size * 0.5 {
                out.push('\n');
            }
            if x > last_end + size * 0.1 {
                out.push(' ');
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_corrupt_not_a_panic() {
        let err = extract_pages(b"%PDF-1.4\nthis is not a pdf").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    }
}
