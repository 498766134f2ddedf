//! The outcome for one document: what happened to it ([`Status`]), how far its text can be
//! trusted ([`Warning`]s) and, when it was analysed, its assessment ([`DocumentReport`]). The
//! batch produces these and every report format reads them; neither owns them, so reports
//! never depend on the orchestrator.

use crate::assess::{Ampel, Assessment, ampel_of};
use crate::extract::Format;
use crate::message::Message;
use crate::text::Language;
use crate::warning::Warning;

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
    /// Why, when the status is not `ok` (written in the report's language).
    pub message: Option<Message>,
    /// The extractor whose text was rated (a fallback's name says the primary failed).
    pub extractor: Option<&'static str>,
    /// The assessment (for `ok` documents).
    pub assessment: Option<Assessment>,
    /// How the text was read, where a reader of the rating should know it (fallback
    /// extractor, OCR, pages not read, damage, low quality).
    pub warnings: Vec<Warning>,
}

impl DocumentReport {
    /// A record for an input that could not be analysed: `status` and why.
    pub(crate) fn failed(path: &str, status: Status, message: Message) -> DocumentReport {
        DocumentReport {
            path: path.to_string(),
            sha256: None,
            format: None,
            pages: 0,
            language: None,
            status,
            message: Some(message),
            extractor: None,
            assessment: None,
            warnings: Vec::new(),
        }
    }

    /// The message in `lang`, when there is one.
    pub fn message_text(&self, lang: Language) -> Option<String> {
        self.message.as_ref().map(|m| m.text(lang))
    }

    /// Some of the document's content was not read (pages no extractor could read, pages
    /// without text, a damaged or truncated file): its light can be red or yellow, never green.
    pub fn partly_read(&self) -> bool {
        self.warnings.iter().any(Warning::partial)
    }

    /// Sets the Ampel from the findings that count: the worst of them, but yellow instead of
    /// green when the document was only partly read (what was not read may hold a defect).
    /// Call it again whenever findings change (waivers do).
    pub fn rate(&mut self) {
        let partly_read = self.partly_read();
        if let Some(a) = &mut self.assessment {
            a.ampel = ampel_of(&a.findings);
            if partly_read && a.ampel == Ampel::Green {
                a.ampel = Ampel::Yellow;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warning::Warning;

    fn rated(warnings: Vec<Warning>) -> DocumentReport {
        let mut report = DocumentReport::failed("a.pdf", Status::Ok, Message::EmptyFile);
        report.message = None;
        report.assessment = Some(Assessment {
            checklist: Vec::new(),
            findings: Vec::new(),
            ampel: Ampel::Green,
            not_a_dpa: false,
            addressed: 12,
            labelled: true,
        });
        report.warnings = warnings;
        report.rate();
        report
    }

    #[test]
    fn a_partly_read_document_is_never_green() {
        let table = [
            (vec![], Ampel::Green, false),
            (vec![Warning::Ocr { pages: vec![1] }], Ampel::Green, false),
            (vec![Warning::Truncated], Ampel::Yellow, true),
            (
                vec![Warning::PagesWithoutText { pages: vec![2] }],
                Ampel::Yellow,
                true,
            ),
        ];
        for (warnings, ampel, partly) in table {
            let report = rated(warnings.clone());
            assert_eq!(
                report.assessment.as_ref().unwrap().ampel,
                ampel,
                "{warnings:?}"
            );
            assert_eq!(report.partly_read(), partly, "{warnings:?}");
        }
    }
}
