//! Extraction: turns the bytes of one input file into a [`Document`] of pages of text.
//!
//! This is the only module that knows file formats. The format is recognised by content (PDF
//! magic bytes) before the extension is considered, so a PDF named `.txt` is read as a PDF and a
//! text file named `.pdf` is reported as such instead of as a broken PDF.
//!
//! PDFs go through a pipeline (`fallback`): pdf-extract, optionally in a worker process with
//! time and memory limits ([`worker`]), a check that the text can be trusted ([`quality`]),
//! and fallback extractors when it cannot.

mod fallback;
#[cfg(feature = "pdf-oxide")]
mod oxide;
mod pdf;
mod plain;
pub mod quality;
mod repair;
pub mod worker;

pub use fallback::{Extractor, Settings, extract_pdf_with, pdftotext_path};
pub use quality::Quality;
pub use worker::{Engine, Limits};

use std::fmt;
use std::path::Path;

/// The input formats ampel reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Portable Document Format, read with pdf-extract.
    Pdf,
    /// Plain text (UTF-8, or Latin-1 as a fallback).
    Text,
    /// Markdown, read as text; `#` headings become section boundaries.
    Markdown,
}

impl Format {
    /// The stable name used in the JSON output (`"pdf"`, `"text"`, `"markdown"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Text => "text",
            Format::Markdown => "markdown",
        }
    }
}

/// One page of extracted text. Plain-text inputs are a single page.
#[derive(Debug, Clone)]
pub struct Page {
    /// 1-based page number.
    pub number: u32,
    /// The page's text as the extractor produced it (not yet normalised).
    pub text: String,
}

/// The text of one input file, page by page.
#[derive(Debug, Clone)]
pub struct Document {
    /// The format the content was recognised as.
    pub format: Format,
    /// Pages in document order.
    pub pages: Vec<Page>,
    /// Name of the extractor that produced the text (e.g. `pdf-extract`).
    pub extractor: &'static str,
}

impl Document {
    /// Number of non-whitespace characters over all pages.
    pub fn visible_chars(&self) -> usize {
        self.pages
            .iter()
            .map(|p| p.text.chars().filter(|c| !c.is_whitespace()).count())
            .sum()
    }
}

/// Why a file could not be turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The PDF is damaged or truncated.
    Corrupt,
    /// The PDF needs a password to open.
    Encrypted,
    /// The format is not one ampel reads.
    Unsupported,
    /// The parser panicked; the panic was contained.
    Panic,
    /// There is nothing to read (a PDF without pages).
    NoText,
    /// The parser's worker process died (stack overflow, out of memory, killed).
    Crashed,
    /// The parser did not finish within the time limit.
    Timeout,
}

/// An extraction failure with a message a person can act on.
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// What went wrong, as a category.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The human-readable reason, including what to do about it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Recognises the format of `bytes`, using `path`'s extension only when the content is not
/// decisive. Returns `None` for formats ampel does not read.
pub fn detect(path: &Path, bytes: &[u8]) -> Option<Format> {
    if pdf::looks_like_pdf(bytes) {
        return Some(Format::Pdf);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("md" | "markdown") => Some(Format::Markdown),
        // A file named .pdf without the PDF header is not a PDF; if it is text, read it as such.
        Some("txt" | "text" | "pdf") | None => {
            plain::looks_like_text(bytes).then_some(Format::Text)
        }
        _ if plain::looks_like_text(bytes) && !is_known_binary_extension(ext.as_deref()) => {
            Some(Format::Text)
        }
        _ => None,
    }
}

fn is_known_binary_extension(ext: Option<&str>) -> bool {
    matches!(
        ext,
        Some(
            "docx"
                | "doc"
                | "odt"
                | "rtf"
                | "xlsx"
                | "xls"
                | "pptx"
                | "png"
                | "jpg"
                | "jpeg"
                | "gif"
                | "tif"
                | "tiff"
                | "zip"
        )
    )
}

/// Extracts the text of `bytes` (already read from `path`) in this process, with the default
/// [`Settings`].
pub fn extract(path: &Path, bytes: &[u8]) -> Result<Document, Error> {
    extract_checked(path, bytes, &Settings::default()).map(|(document, _)| document)
}

/// Extracts the text of `bytes` (already read from `path`) and judges whether it can be
/// trusted; PDFs whose text looks garbled or lossy are re-read with a fallback extractor.
pub fn extract_checked(
    path: &Path,
    bytes: &[u8],
    settings: &Settings,
) -> Result<(Document, Quality), Error> {
    match detect(path, bytes) {
        Some(Format::Pdf) => fallback::extract_pdf(bytes, settings),
        Some(format) => {
            let document = plain::extract(bytes, format);
            let quality = quality::judge(&document.pages, 0, None);
            Ok((document, quality))
        }
        None => {
            let what = path
                .extension()
                .and_then(|e| e.to_str())
                .map(|e| format!(".{e} files are"))
                .unwrap_or_else(|| "this file type is".to_string());
            let mislabelled = if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                "not a PDF (no %PDF header) and not text: the file is mislabelled or damaged; check what it is and fetch the agreement again"
                    .to_string()
            } else {
                format!(
                    "unsupported format: {what} not read by ampel; convert the agreement to PDF or text"
                )
            };
            Err(Error::new(ErrorKind::Unsupported, mislabelled))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content_before_extension() {
        let pdf = b"%PDF-1.7\n...";
        assert_eq!(detect(Path::new("x.txt"), pdf), Some(Format::Pdf));
        assert_eq!(
            detect(Path::new("x.pdf"), b"plain words"),
            Some(Format::Text)
        );
        assert_eq!(
            detect(Path::new("x.md"), b"# Title"),
            Some(Format::Markdown)
        );
        assert_eq!(detect(Path::new("x.docx"), b"PK\x03\x04\0\0\x01"), None);
        assert_eq!(detect(Path::new("x.pdf"), b"\x00\x01\x02\xff\xfe"), None);
    }
}
