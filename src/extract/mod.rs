//! Extraction: turns the bytes of one input file into a [`Document`] of pages of text.
//!
//! This is the only module that knows file formats. The format is recognised by content (PDF
//! magic bytes, a zip package holding `word/document.xml` or an OpenDocument text, an HTML
//! doctype) before the extension is considered, so a PDF named `.txt` is read as a PDF and a
//! text file named `.pdf` is reported as such instead of as a broken PDF.
//!
//! Every extractor produces pages whose lines and blank lines follow the document's paragraphs,
//! so that [`crate::text`] finds sections and sentences the same way whatever the format:
//! headings are written as Markdown-style `#` lines (the form the segmenter reads as a section
//! boundary), list items as lines with their numbering ("4.2 …"), table rows as lines with
//! cells separated by ` | `. Word and OpenDocument files have no fixed pages: they are split
//! at explicit page breaks and at the page breaks their producer recorded (Word's last
//! rendered breaks, OpenDocument's soft page breaks), else they are one page; HTML and
//! Markdown are one page. Scanned PDF pages can be recognised with [`ocr`].
//!
//! PDFs go through a pipeline (`pdf`): pdf-extract, optionally in a worker process with
//! time and memory limits ([`worker`]), a check that the text can be trusted ([`quality`]),
//! and fallback extractors when it cannot. Every child process (the worker, `pdftotext`, OCR's
//! programs) runs under the limits of [`process`].

mod docx;
mod html;
mod layout;
mod markdown;
pub mod ocr;
mod odt;
mod package;
mod pdf;
mod plain;
pub mod process;
pub mod quality;
mod xml;

pub use pdf::worker;
pub use pdf::{Engine, Extractor, Settings, extract_pdf_with, header_offset, pdftotext_path};
pub use process::Limits;
pub use quality::Quality;

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::message::Message;
use crate::text::MAX_TEXT_BYTES;

/// The input formats ampel reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Portable Document Format, read with pdf-extract.
    Pdf,
    /// Plain text (UTF-8, or Latin-1 as a fallback).
    Text,
    /// Markdown; `#` headings become section boundaries, inline markup is dropped.
    Markdown,
    /// Word (Office Open XML, `.docx`).
    Docx,
    /// OpenDocument text (`.odt`).
    Odt,
    /// HTML, e.g. a saved web page.
    Html,
}

impl Format {
    /// The stable name used in the JSON output (`"pdf"`, `"text"`, `"markdown"`, `"docx"`,
    /// `"odt"`, `"html"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Html => "html",
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
    /// The text was recognised by OCR from a page image, so it may contain recognition errors.
    pub ocr: bool,
}

impl Page {
    /// A page of text from a text layer or markup (not OCR).
    pub fn new(number: u32, text: String) -> Page {
        Page {
            number,
            text,
            ocr: false,
        }
    }
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
    /// A part of the file unpacks to more than the limits allow (e.g. a zip bomb).
    TooLarge,
    /// There is nothing to read: a PDF without pages, or a scan OCR could not read.
    NoText,
    /// The parser's worker process died (stack overflow, out of memory, killed).
    Crashed,
    /// The parser did not finish within the time limit.
    Timeout,
}

/// An extraction failure with a message a person can act on (in German or English).
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    message: Message,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: Message) -> Error {
        Error { kind, message }
    }

    /// What went wrong, as a category.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The reason, including what to do about it ([`Message::text`] writes it in a language).
    pub fn message(&self) -> &Message {
        &self.message
    }
}

/// The message in English.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message.fmt(f)
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
    let named = match ext.as_deref() {
        Some("docx" | "docm" | "dotx") => Some(Format::Docx),
        Some("odt" | "ott") => Some(Format::Odt),
        _ => None,
    };
    if package::looks_like_zip(bytes) {
        // A damaged package named .docx/.odt is still read as one, to say it is damaged.
        return package::kind(bytes).or(named);
    }
    if package::looks_like_compound_file(bytes) {
        // Password-protected Office files are compound files; extraction says so.
        return named;
    }
    let text = plain::looks_like_text(bytes);
    match ext.as_deref() {
        _ if text && html::looks_like_html(bytes) => Some(Format::Html),
        Some("html" | "htm" | "xhtml") => text.then_some(Format::Html),
        Some("md" | "markdown") => Some(Format::Markdown),
        // A file named .pdf without the PDF header is not a PDF; if it is text, read it as such.
        Some("txt" | "text" | "pdf") | None => text.then_some(Format::Text),
        _ if text && !is_known_binary_extension(ext.as_deref()) => Some(Format::Text),
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
/// trusted; PDFs whose text looks garbled or lossy are re-read with a fallback extractor, and
/// with [`Settings::ocr`] pages without a text layer are recognised by OCR.
pub fn extract_checked(
    path: &Path,
    bytes: &[u8],
    settings: &Settings,
) -> Result<(Document, Quality), Error> {
    let (document, quality) = extract_any(path, bytes, settings)?;
    within_text_limit(&document, MAX_TEXT_BYTES)?;
    Ok((document, quality))
}

/// Refuses a document whose pages hold more than `limit` bytes of text (with the blank line
/// that joins each page to the next), so that every position of its text fits in 32 bits.
fn within_text_limit(document: &Document, limit: usize) -> Result<(), Error> {
    let size: usize = document.pages.iter().map(|p| p.text.len() + 2).sum();
    if size <= limit {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::TooLarge,
        Message::TextTooLarge {
            size: size as u64,
            limit: limit as u64,
        },
    ))
}

/// Extracts a file of any format ampel reads, without the limit on the text's length.
fn extract_any(
    path: &Path,
    bytes: &[u8],
    settings: &Settings,
) -> Result<(Document, Quality), Error> {
    let document = match detect(path, bytes) {
        Some(Format::Pdf) => {
            let bytes = pdf::from_header(bytes);
            let (mut document, quality) = pdf::extract_pdf(bytes, settings)?;
            if !settings.ocr {
                return Ok((document, quality));
            }
            ocr::recognise(&mut document, bytes)?;
            document
        }
        Some(Format::Docx) if package::looks_like_compound_file(bytes) => {
            return Err(Error::new(ErrorKind::Encrypted, Message::WordPassword));
        }
        Some(Format::Odt) if package::looks_like_compound_file(bytes) => {
            return Err(Error::new(ErrorKind::Corrupt, Message::OdtIsCompoundFile));
        }
        Some(Format::Docx) => docx::extract(bytes)?,
        Some(Format::Odt) => odt::extract(bytes)?,
        Some(Format::Html) => html::extract(bytes),
        Some(Format::Markdown) => markdown::extract(bytes),
        Some(Format::Text) => plain::extract(bytes, Format::Text),
        None => {
            let extension = path.extension().map(|e| e.to_string_lossy().into_owned());
            let message = match extension {
                Some(e) if e.eq_ignore_ascii_case("pdf") => Message::NotAPdf,
                extension => Message::Unsupported { extension },
            };
            return Err(Error::new(ErrorKind::Unsupported, message));
        }
    };
    let quality = quality::judge(&document.pages, 0, None);
    Ok((document, quality))
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
        assert_eq!(
            detect(Path::new("x.docx"), b"PK\x03\x04\0\0\x01"),
            Some(Format::Docx),
            "a damaged package named .docx is read as Word to report it damaged"
        );
        assert_eq!(detect(Path::new("x.zip"), b"PK\x03\x04\0\0\x01"), None);
        assert_eq!(
            detect(Path::new("page.txt"), b"\n<!DOCTYPE html><html><p>x</p>"),
            Some(Format::Html)
        );
        assert_eq!(
            detect(Path::new("page.htm"), b"<p>Vertrag</p>"),
            Some(Format::Html)
        );
        assert_eq!(detect(Path::new("x.pdf"), b"\x00\x01\x02\xff\xfe"), None);
    }

    #[test]
    fn a_text_over_the_limit_is_too_large() {
        let (document, _) = extract_any(
            Path::new("a.txt"),
            "Vertrag\n".repeat(10).as_bytes(),
            &Settings::default(),
        )
        .unwrap();
        // Ten lines of eight bytes on one page, plus the blank line joining it to the next.
        assert!(within_text_limit(&document, 82).is_ok());
        let err = within_text_limit(&document, 81).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert_eq!(
            err.message(),
            &Message::TextTooLarge {
                size: 82,
                limit: 81
            }
        );
    }
}
