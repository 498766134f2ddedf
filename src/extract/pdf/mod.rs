//! PDFs: recognising them, and the extractors, worker and policy that turn one into pages.
//!
//! The modules form layers, and every arrow points down:
//!
//! ```text
//! fallback      policy: which extractors run, in what order, whose text wins
//!    │
//! worker        child-process isolation of the Rust engines (time and memory limits)
//!    │
//! engine        the Rust engines by name, dispatched in this process
//!    │
//! pdf_extract   lopdf   oxide   pdftotext     one module per extractor
//!    │
//! pages         what every extractor returns (`Pages`), panic containment, opening a PDF
//! tounicode     placeholder glyphs of a font's `/ToUnicode` map read from its glyph names
//! ```
//!
//! `pdftotext` is an external program: the policy runs it directly, not through the worker.
//! Child processes (the worker, pdftotext) are run by [`crate::extract::process`], which OCR
//! shares.

mod engine;
mod fallback;
mod lopdf;
#[cfg(feature = "pdf-oxide")]
mod oxide;
mod pages;
mod pdf_extract;
mod pdftotext;
mod tounicode;
pub mod worker;

pub use engine::Engine;
pub(crate) use fallback::extract_pdf;
pub use fallback::{Extractor, Settings, extract_pdf_with};
pub use pdftotext::path as pdftotext_path;

/// Whether `bytes` start like a PDF (see [`header_offset`]).
pub(crate) fn looks_like_pdf(bytes: &[u8]) -> bool {
    header_offset(bytes).is_some()
}

/// Where the `%PDF-` header starts, if it starts within the first 1,024 bytes: readers accept
/// junk before it (a broken download often prepends an HTTP response or a mail header).
pub fn header_offset(bytes: &[u8]) -> Option<usize> {
    bytes[..bytes.len().min(1024 + 4)]
        .windows(5)
        .position(|w| w == b"%PDF-")
}

/// The PDF from its header on: offsets in the file (xref, `startxref`) count from the header,
/// so the junk before it must go before a parser sees it.
pub(crate) fn from_header(bytes: &[u8]) -> &[u8] {
    &bytes[header_offset(bytes).unwrap_or(0)..]
}
