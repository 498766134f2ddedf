//! What every PDF extractor shares, and nothing else: the [`Pages`] an extractor returns, the
//! containment of a parser's panics ([`contain`]) and opening a PDF with lopdf ([`load`]).
//!
//! This is the leaf of the PDF modules: the extractors (`pdf_extract`, `lopdf`, `oxide`,
//! `pdftotext`) depend on it and on nothing else of each other's, and it depends on no PDF
//! module at all.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use crate::extract::{Error, ErrorKind, Page};
use crate::message::Message;

/// What an extractor produced: the pages and how many of them could not be read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pages {
    /// The pages in document order (unreadable pages are empty).
    pub pages: Vec<Page>,
    /// Pages of the page tree whose text could not be extracted (they are empty in `pages`).
    pub failed: usize,
    /// Bytes of the strings the content streams show, when the engine counted them.
    pub shown: Option<usize>,
    /// Errors the engine reported about the file while reading it (pdftotext's syntax
    /// errors): the file is damaged even if the text looks sound.
    pub errors: usize,
}

impl Pages {
    /// Reads the pages `numbers` one by one with `read`, each page's panics contained: a page
    /// whose reading fails or panics stays empty and counts as failed.
    pub(crate) fn read_each<E>(
        numbers: impl IntoIterator<Item = u32>,
        mut read: impl FnMut(u32) -> Result<String, E>,
    ) -> Pages {
        let mut failed = 0;
        let pages = numbers
            .into_iter()
            .map(|number| {
                let text = match contain(|| read(number)) {
                    Ok(Ok(text)) => text,
                    _ => {
                        failed += 1;
                        String::new()
                    }
                };
                Page::new(number, text)
            })
            .collect();
        Pages {
            pages,
            failed,
            shown: None,
            errors: 0,
        }
    }
}

thread_local! {
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent while a thread is inside a PDF parser and
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
pub(crate) fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
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

/// Loads a PDF with lopdf, opening it with the empty password when it is encrypted.
pub(crate) fn load(bytes: &[u8]) -> Result<pdf_extract::Document, Error> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| load_error(&e))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(encrypted());
    }
    if doc.get_pages().is_empty() {
        // A page tree that says it is empty is an empty document; one that claims pages we
        // cannot reach is damaged (and another parser may still reach them).
        return Err(if declared_pages(&doc) == Some(0) {
            Error::new(ErrorKind::NoText, Message::NoPages)
        } else {
            Error::new(ErrorKind::Corrupt, Message::NoReadablePage)
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
    Error::new(ErrorKind::Encrypted, Message::PdfPassword)
}

fn load_error(e: &pdf_extract::Error) -> Error {
    let text = e.to_string();
    if text.to_ascii_lowercase().contains("decrypt")
        || text.to_ascii_lowercase().contains("password")
    {
        return encrypted();
    }
    Error::new(ErrorKind::Corrupt, Message::DamagedPdf { detail: text })
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
    fn pages_that_fail_or_panic_stay_empty_and_count_as_failed() {
        let pages = Pages::read_each([1, 2, 3], |n| match n {
            1 => Ok("one".to_string()),
            2 => Err("unreadable"),
            _ => panic!("broken page"),
        });
        let texts: Vec<(u32, &str)> = pages
            .pages
            .iter()
            .map(|p| (p.number, p.text.as_str()))
            .collect();
        assert_eq!(texts, [(1, "one"), (2, ""), (3, "")]);
        assert_eq!(pages.failed, 2);
    }

    #[test]
    fn garbage_is_corrupt() {
        let err = load(b"%PDF-1.4\nthis is not a pdf").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    }
}
