//! The outcome for one document: what happened to it ([`Status`]) and, when it was analysed,
//! its assessment ([`DocumentReport`]). The batch produces these and every report format
//! reads them; neither owns them, so reports never depend on the orchestrator.

use crate::assess::Assessment;
use crate::extract::Format;
use crate::text::Language;

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Analysed; the Ampel is meaningful.
    Ok,
    /// Read, but it is no processor contract.
    NotADpa,
    /// No text to analyse (scanned PDF without text layer, empty file).
    NoText,
    /// Needs a password.
    Encrypted,
    /// Damaged or truncated.
    Corrupt,
    /// A format ampel does not read.
    Unsupported,
    /// Larger than `--max-size`.
    TooLarge,
    /// Took longer than the time limit.
    Timeout,
    /// Anything else: unreadable file, parser panic.
    Error,
}

impl Status {
    /// The stable snake-case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NotADpa => "not_a_dpa",
            Status::NoText => "no_text",
            Status::Encrypted => "encrypted",
            Status::Corrupt => "corrupt",
            Status::Unsupported => "unsupported",
            Status::TooLarge => "too_large",
            Status::Timeout => "timeout",
            Status::Error => "error",
        }
    }
}

/// The outcome for one input.
#[derive(Debug, Clone)]
pub struct DocumentReport {
    /// The path as given (relative stays relative).
    pub path: String,
    /// SHA-256 of the file, when it could be read: ties the report to the exact file reviewed.
    pub sha256: Option<String>,
    /// The format recognised from the content, when the file was read and is one ampel knows.
    pub format: Option<Format>,
    /// Number of pages of the extracted text (0 when nothing was read).
    pub pages: usize,
    /// The main language of the text; it picks the report language unless `--lang` does.
    pub language: Option<Language>,
    /// What happened; only `ok` documents carry an assessment.
    pub status: Status,
    /// Why, when the status is not `ok`.
    pub message: Option<String>,
    /// The extractor whose text was rated (a fallback's name says the primary failed).
    pub extractor: Option<&'static str>,
    /// The assessment (for `ok` documents).
    pub assessment: Option<Assessment>,
}

impl DocumentReport {
    /// A record for an input that could not be analysed: `status` and why.
    pub(crate) fn failed(path: &str, status: Status, message: impl Into<String>) -> DocumentReport {
        DocumentReport {
            path: path.to_string(),
            sha256: None,
            format: None,
            pages: 0,
            language: None,
            status,
            message: Some(message.into()),
            extractor: None,
            assessment: None,
        }
    }
}
