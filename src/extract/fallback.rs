//! The PDF pipeline: the primary engine, a quality check, and fallback engines when the text
//! cannot be trusted or the primary engine failed.
//!
//! pdf-extract (the primary) reads most producers well but panics or errors on many damaged
//! files and silently loses text on some valid ones. When [`super::quality::judge`] finds the
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
use std::process::Command;
use std::sync::OnceLock;

use super::quality::{self, Issue, Quality};
use super::worker::{self, Engine, Limits, Outcome, Pages};
use super::{Document, Error, ErrorKind, Format, Page};
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
    /// Recognise PDF pages without a text layer with OCR (`--ocr`, see [`super::ocr`]).
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

/// Name of the pdftotext extractor in reports.
const PDFTOTEXT: &str = "pdftotext";

/// The path of `pdftotext` when it is installed (looked up on `PATH` once).
pub fn pdftotext_path() -> Option<&'static Path> {
    static FOUND: OnceLock<Option<PathBuf>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join("pdftotext"))
                .find(|p| p.is_file())
        })
        .as_deref()
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
            Extractor::Pdftotext => PDFTOTEXT,
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
        Extractor::Pdftotext => match pdftotext_path() {
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
            Candidate::Pdftotext(_) => PDFTOTEXT,
        }
    }

    fn run(&self, bytes: &[u8], settings: &Settings) -> Result<Pages, Error> {
        match self {
            Candidate::Engine(engine) => match &settings.worker {
                Some(exe) => worker::run_isolated(exe, settings.limits, *engine, bytes),
                None => worker::run_engine(*engine, bytes),
            },
            Candidate::Pdftotext(exe) => pdftotext(exe, bytes, settings.limits),
        }
    }
}

/// Extracts a PDF: primary engine, quality check, fallbacks. Returns the chosen text and its
/// quality.
pub(super) fn extract_pdf(bytes: &[u8], settings: &Settings) -> Result<(Document, Quality), Error> {
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
        && let Some(exe) = pdftotext_path()
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

/// Runs `pdftotext -q -enc UTF-8 -eol unix - -` on `bytes`; pages are separated by form feeds.
fn pdftotext(exe: &Path, bytes: &[u8], limits: Limits) -> Result<Pages, Error> {
    let mut command = Command::new(exe);
    // Not quiet: its syntax errors on stderr say the file is damaged.
    command.args(["-enc", "UTF-8", "-eol", "unix", "-", "-"]);
    let failed =
        |detail: String| Error::new(ErrorKind::Corrupt, Message::PdftotextFailed { detail });
    match worker::run_limited(command, bytes, limits) {
        Err(e) => Err(failed(format!("cannot start: {e}"))),
        Ok(Outcome::TimedOut) => Err(worker::timeout_error(limits.timeout)),
        Ok(Outcome::Exited { overflow: true, .. }) => Err(worker::overflow_error()),
        Ok(Outcome::Exited {
            status,
            stdout,
            stderr,
            ..
        }) if status.success() => {
            let text = String::from_utf8_lossy(&stdout);
            let mut pages: Vec<Page> = text
                .split('\u{c}')
                .enumerate()
                .map(|(i, t)| Page::new(i as u32 + 1, t.to_string()))
                .collect();
            // Every page ends with a form feed, so the last piece is what follows the last page.
            if pages.len() > 1 && pages.last().is_some_and(|p| p.text.trim().is_empty()) {
                pages.pop();
            }
            Ok(Pages {
                pages,
                failed: 0,
                shown: None,
                errors: syntax_errors(&stderr),
            })
        }
        Ok(Outcome::Exited { status, .. }) => Err(failed(format!("exited with {status}"))),
    }
}

/// The errors poppler reports on stderr (`Syntax Error: …`, `Internal Error: …`): each is a
/// place where the file is damaged, even when the text around it reads well.
fn syntax_errors(stderr: &[u8]) -> usize {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.starts_with("Syntax Error") || l.starts_with("Internal Error"))
        .count()
}

/// lopdf's own text extraction, page by page, each page's panics contained. Used inside the
/// worker like the primary engine.
pub(super) fn lopdf_pages(bytes: &[u8]) -> Result<Pages, Error> {
    let doc = super::pdf::load(bytes)?;
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut failed = 0;
    let pages = numbers
        .iter()
        .map(|&number| {
            let text = match super::pdf::contain(|| doc.extract_text(&[number])) {
                Ok(Ok(text)) => text,
                _ => {
                    failed += 1;
                    String::new()
                }
            };
            Page::new(number, text)
        })
        .collect();
    Ok(Pages {
        pages,
        failed,
        shown: None,
        errors: 0,
    })
}
