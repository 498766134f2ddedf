//! pdf_oxide (pure Rust, MIT OR Apache-2.0) as a fallback engine, with the `pdf-oxide` cargo
//! feature. On mutated samples it recovers ≥ 90 % of the words of more damaged files than any
//! other candidate (229 of 400, pdftotext 181), at the cost of a large dependency tree and a
//! long build, so it is opt-in. It can overflow its stack on deeply nested objects: like the
//! primary it runs in the extraction worker.

use super::pages::{Pages, contain};
use crate::extract::{Error, ErrorKind};
use crate::message::Message;

/// Text of every page with pdf_oxide; a page whose extraction fails or panics stays empty and
/// counts as failed.
pub(crate) fn pages(bytes: &[u8]) -> Result<Pages, Error> {
    let open = contain(|| pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()));
    let doc = match open {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            return Err(Error::new(
                ErrorKind::Corrupt,
                Message::DamagedPdf {
                    detail: format!("pdf_oxide: {e}"),
                },
            ));
        }
        Err(panic) => {
            return Err(Error::new(
                ErrorKind::Panic,
                Message::ParserPanicked { detail: panic },
            ));
        }
    };
    let count = match contain(|| doc.page_count()) {
        Ok(Ok(n)) => n,
        _ => {
            return Err(Error::new(ErrorKind::Corrupt, Message::NoReadablePage));
        }
    };
    let numbers = (1..=count).map(|n| n as u32);
    Ok(Pages::read_each(numbers, |number| {
        doc.extract_text(number as usize - 1)
    }))
}
