//! PDF extraction with pdf-extract, page by page, with panics contained.
//!
//! pdf-extract's own page API stops silently at the first failing page and re-walks the page
//! tree per page, so we drive `output_doc` with our own [`OutputDev`] that records page breaks.
//! If the whole-document pass fails or panics, pages are retried one by one so that a single
//! broken page costs only itself.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::worker::Pages;
use super::{Error, ErrorKind, Page};

pub(super) fn looks_like_pdf(bytes: &[u8]) -> bool {
    // The header may be preceded by junk; readers accept it within the first 1024 bytes.
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

thread_local! {
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent while a thread is inside pdf-extract and
/// defers to the previous hook everywhere else. Caught panics are reported as records, so the
/// default hook's message (and backtrace) would only be noise on stderr.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err(message)` without printing it.
pub(super) fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_quiet_hook();
    QUIET_PANICS.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// Extracts the pages of a PDF with pdf-extract, panics contained.
pub(super) fn extract_pages(bytes: &[u8]) -> Result<Pages, Error> {
    match contain(|| extract_inner(bytes)) {
        Ok(result) => result,
        Err(panic) => Err(Error::new(
            ErrorKind::Panic,
            format!(
                "the PDF parser failed on this file ({panic}); the PDF is probably damaged: re-export or re-save it"
            ),
        )),
    }
}

/// Loads a PDF with lopdf, opening it with the empty password when it is encrypted.
pub(super) fn load(bytes: &[u8]) -> Result<pdf_extract::Document, Error> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| load_error(&e))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(encrypted());
    }
    if doc.get_pages().is_empty() {
        // A page tree that says it is empty is an empty document; one that claims pages we
        // cannot reach is damaged (and another parser may still reach them).
        return Err(if declared_pages(&doc) == Some(0) {
            Error::new(
                ErrorKind::NoText,
                "the PDF has no pages: nothing to analyse; re-export the agreement",
            )
        } else {
            Error::new(
                ErrorKind::Corrupt,
                "damaged PDF: no page of its page tree can be read; re-download or re-export the file",
            )
        });
    }
    Ok(doc)
}

/// The page count the root of the page tree declares (`/Count`).
fn declared_pages(doc: &pdf_extract::Document) -> Option<i64> {
    let pages = doc.catalog().ok()?.get(b"Pages").ok()?;
    let (_, pages) = doc.dereference(pages).ok()?;
    let count = pages.as_dict().ok()?.get(b"Count").ok()?;
    doc.dereference(count).ok()?.1.as_i64().ok()
}

fn encrypted() -> Error {
    Error::new(
        ErrorKind::Encrypted,
        "encrypted PDF that needs a password: ask the vendor for an unprotected copy, or remove the password (qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and scan the copy",
    )
}

fn extract_inner(bytes: &[u8]) -> Result<Pages, Error> {
    let mut doc = load(bytes)?;
    let survey = super::repair::repair_text_operators(&mut doc);
    let shown = Some(survey.shown);
    super::repair::repair_cid_widths(&mut doc);
    let page_ids = doc.get_pages();
    let page_count = page_ids.len();

    let mut sink = PageSink::default();
    let whole = contain(|| pdf_extract::output_doc(&doc, &mut sink));
    if matches!(whole, Ok(Ok(()))) && sink.pages.len() == page_count {
        return Ok(Pages {
            pages: sink.into_pages(),
            failed: survey.unreadable_pages,
            shown,
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
    })
}

fn load_error(e: &pdf_extract::Error) -> Error {
    let text = e.to_string();
    if text.to_ascii_lowercase().contains("decrypt")
        || text.to_ascii_lowercase().contains("password")
    {
        return encrypted();
    }
    Error::new(
        ErrorKind::Corrupt,
        format!("damaged or truncated PDF ({text}): re-download or re-export the file"),
    )
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
    fn panics_are_contained_quietly() {
        let r: Result<(), String> = contain(|| panic!("boom"));
        assert_eq!(r.unwrap_err(), "boom");
    }

    #[test]
    fn garbage_is_corrupt_not_a_panic() {
        let err = extract_pages(b"%PDF-1.4\nthis is not a pdf").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{}", err.message());
    }
}
