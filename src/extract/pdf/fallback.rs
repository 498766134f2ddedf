//! The policy of the PDF pipeline: the primary engine, a quality check, and fallback engines
//! when the text cannot be trusted or the primary engine failed.
//!
//! pdf-extract (the primary) reads most producers well but panics or errors on many damaged
//! files and silently loses text on some valid ones. When [`quality::judge`] finds the
//! text garbled or lossy, or the primary failed, the fallbacks are tried in order until one
//! gives sound text, and the best-scoring extraction wins:
//!
//! 1. `pdftotext` (poppler-utils), when installed: the best word recall on our samples and on
//!    damaged files; an external program, run with the same time and memory limits.
//! 2. pdf_oxide, when built with the `pdf-oxide` feature: pure Rust, the best on damaged files,
//!    but a large dependency tree and a long build.
//! 3. lopdf's `extract_text` (pure Rust, already linked through pdf-extract): weaker, but always
//!    there.
//!
//! `examples/extractors.rs` measures the candidates (word recall on the sample PDFs, outcomes on
//! mutated copies); run it after changing an engine or a threshold.

use std::path::{Path, PathBuf};

use super::engine::{Engine, run_engine};
use super::pages::Pages;
use super::pdftotext;
use super::worker;
use crate::extract::process::Limits;
use crate::extract::quality::{self, Issue, Quality};
use crate::extract::{Document, Error, ErrorKind, Format};
use crate::message::Message;

/// How PDFs are extracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Run the Rust PDF engines in worker processes of this executable (see [`worker`]);
    /// `None` runs them in this process, where a panic is contained but a stack overflow
    /// or an endless loop inside the parser is not.
    pub worker: Option<PathBuf>,
    /// Time and memory limit of each worker and external program.
    pub limits: Limits,
    /// Try `pdftotext` as a fallback when it is installed.
    pub pdftotext: bool,
    /// Recognise PDF pages without a text layer with OCR (`--ocr`, see [`crate::extract::ocr`]).
    pub ocr: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            worker: None,
            limits: Limits::default(),
            pdftotext: true,
            ocr: false,
        }
    }
}

/// One PDF extractor, for running a single one (see `examples/extractors.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extractor {
    /// pdf-extract (the primary).
    PdfExtract,
    /// lopdf's `extract_text`.
    Lopdf,
    /// poppler's `pdftotext`, when installed.
    Pdftotext,
}

impl Extractor {
    /// Every extractor, primary first.
    pub const ALL: [Extractor; 3] = [
        Extractor::PdfExtract,
        Extractor::Pdftotext,
        Extractor::Lopdf,
    ];

    /// Its name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Extractor::PdfExtract => Engine::PdfExtract.as_str(),
            Extractor::Lopdf => Engine::Lopdf.as_str(),
            Extractor::Pdftotext => pdftotext::NAME,
        }
    }
}

/// Runs one extractor on a PDF under `settings` (worker and limits), without fallbacks, and
/// judges its text. `pdftotext` that is not installed is an `Unsupported` error.
pub fn extract_pdf_with(
    extractor: Extractor,
    bytes: &[u8],
    settings: &Settings,
) -> Result<(Document, Quality), Error> {
    let candidate = match extractor {
        Extractor::PdfExtract => Candidate::Engine(Engine::PdfExtract),
        Extractor::Lopdf => Candidate::Engine(Engine::Lopdf),
        Extractor::Pdftotext => match pdftotext::path() {
            Some(exe) => Candidate::Pdftotext(exe),
            None => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    Message::PdftotextMissing,
                ));
            }
        },
    };
    candidate
        .run(bytes, settings)
        .map(|pages| judged(candidate.name(), pages))
}

/// One extractor's attempt.
enum Candidate {
    Engine(Engine),
    Pdftotext(&'static Path),
}

impl Candidate {
    fn name(&self) -> &'static str {
        match self {
            Candidate::Engine(e) => e.as_str(),
            Candidate::Pdftotext(_) => pdftotext::NAME,
        }
    }

    fn run(&self, bytes: &[u8], settings: &Settings) -> Result<Pages, Error> {
        match self {
            Candidate::Engine(engine) => match &settings.worker {
                Some(exe) => worker::run_isolated(exe, settings.limits, *engine, bytes),
                None => run_engine(*engine, bytes),
            },
            Candidate::Pdftotext(exe) => pdftotext::pages(exe, bytes, settings.limits),
        }
    }
}

/// Extracts a PDF: primary engine, quality check, fallbacks. Returns the chosen text and its
/// quality.
pub(crate) fn extract_pdf(bytes: &[u8], settings: &Settings) -> Result<(Document, Quality), Error> {
    let primary = Candidate::Engine(Engine::PdfExtract);
    let mut best: Option<(Document, Quality)> = None;
    let mut attempts = Vec::new();
    let first_error = match primary.run(bytes, settings) {
        Ok(pages) => {
            let (document, mut q) = judged(primary.name(), pages);
            attempts.push(quality::attempt(primary.name(), Ok(0)));
            quality::judged_attempt(attempts.last_mut(), &q);
            if q.is_sound() {
                q.attempts = attempts;
                return Ok((document, q));
            }
            best = Some((document, q));
            None
        }
        // Nothing another engine could do better: a password, or a document without pages.
        Err(e) if matches!(e.kind(), ErrorKind::Encrypted | ErrorKind::NoText) => return Err(e),
        Err(e) => {
            attempts.push(quality::attempt(primary.name(), Err(&e)));
            Some(e)
        }
    };
    let mut fallbacks = Vec::new();
    if settings.pdftotext
        && let Some(exe) = pdftotext::path()
    {
        fallbacks.push(Candidate::Pdftotext(exe));
    }
    #[cfg(feature = "pdf-oxide")]
    fallbacks.push(Candidate::Engine(Engine::PdfOxide));
    fallbacks.push(Candidate::Engine(Engine::Lopdf));
    let mut timeouts = usize::from(
        first_error
            .as_ref()
            .is_some_and(|e| e.kind() == ErrorKind::Timeout),
    );
    for candidate in fallbacks {
        let outcome = candidate.run(bytes, settings);
        attempts.push(quality::attempt(
            candidate.name(),
            outcome.as_ref().map(|p| p.errors),
        ));
        match outcome {
            Ok(pages) => {
                let (document, q) = judged(candidate.name(), pages);
                quality::judged_attempt(attempts.last_mut(), &q);
                // After a failure, only text that is really there replaces the error.
                let acceptable = first_error.is_none()
                    || !q
                        .issues
                        .iter()
                        .any(|i| i.is_garbage() || matches!(i, Issue::LittleText { .. }));
                let better = best.as_ref().is_none_or(|(_, b)| q.score() > b.score());
                let sound = q.is_sound();
                if acceptable && better {
                    best = Some((document, q));
                }
                if sound {
                    break;
                }
            }
            Err(e) if e.kind() == ErrorKind::Timeout => {
                timeouts += 1;
                // A file that hangs two parsers is built to hang them all: stop here.
                if timeouts >= 2 {
                    break;
                }
            }
            Err(_) => {}
        }
    }
    match (best, first_error) {
        (Some((document, mut q)), _) => {
            q.attempts = attempts;
            Ok((document, q))
        }
        (None, Some(e)) => Err(e),
        (None, None) => unreachable!("the primary either gave pages or an error"),
    }
}

fn judged(extractor: &'static str, pages: Pages) -> (Document, Quality) {
    let q = quality::judge(&pages.pages, pages.failed, pages.shown);
    let document = Document {
        format: Format::Pdf,
        pages: pages.pages,
        extractor,
    };
    (document, q)
}
