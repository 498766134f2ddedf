//! Batch: inputs in, one [`DocumentReport`] per input out, in input order.
//!
//! Folders are walked recursively and sorted; files are analysed in parallel with rayon, taken
//! in input order and never far ahead of the next one due, and handed to the caller in input
//! order as soon as each one's turn comes, so JSON Lines stream and memory stays flat.
//! Every input gives exactly one record: an unreadable, broken or unsupported file is a record
//! with its own status and message, never a crash and never a skip.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::num::NonZeroUsize;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::thread::JoinHandle;

use sha2::{Digest, Sha256};

use crate::assess::assess;
use crate::engine;
use crate::extract::quality::Issue;
use crate::extract::{self, Document, ErrorKind, Format, Quality, Settings};
use crate::message::{Message, Unread};
use crate::rules::Pack;
use crate::text::Text;
use crate::warning::{Reading, Warning};

/// The record of one input, with its status: re-exported because the batch produces it.
pub use crate::document::{DocumentReport, Status};

/// One input file, or a problem found while walking a folder.
#[derive(Debug, Clone)]
pub struct Input {
    /// Path to read.
    pub path: PathBuf,
    /// Path as shown in reports.
    pub shown: String,
    /// A walking error (e.g. a symlink loop) to report instead of reading.
    pub problem: Option<Message>,
}

/// Settings of a batch.
#[derive(Debug, Clone)]
pub struct Options {
    /// Largest file read, in bytes.
    pub max_size: u64,
    /// Worker threads (`None`: one per core). With isolation, each runs at most one extraction
    /// worker process at a time, so this also bounds the number of processes.
    pub jobs: Option<usize>,
    /// How PDFs are extracted: worker process, time and memory limits, fallbacks. The default
    /// extracts in this process; the `ampel` binary sets [`Settings::worker`] to itself.
    pub extraction: Settings,
}

impl Options {
    /// The worker threads a batch runs: [`Options::jobs`], or one per core.
    pub fn workers(&self) -> usize {
        workers(self.jobs)
    }
}

/// `jobs` worker threads, or one per core where it is not given (at least one).
pub fn workers(jobs: Option<usize>) -> usize {
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
        .max(1)
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_size: 100 * 1024 * 1024,
            jobs: None,
            extraction: Settings::default(),
        }
    }
}

/// Extensions picked up when walking a folder. Named files are always read, whatever they are.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "pdf", "txt", "text", "md", "markdown", "docx", "doc", "odt", "rtf", "html", "htm",
];

/// File names (without extension) that are a folder's own documentation, not agreements:
/// skipped when walking a folder, read when named explicitly.
const FOLDER_DOCS: &[&str] = &["readme", "license", "licence", "changelog", "contributing"];

fn is_document(path: &Path) -> bool {
    let ext_ok = path
        .extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| DOCUMENT_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()));
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    ext_ok && !FOLDER_DOCS.contains(&stem.as_str())
}

/// Expands `paths` into inputs: files as given, folders walked recursively in sorted order
/// (documents by extension; hidden entries and README/LICENSE/CHANGELOG files are skipped).
pub fn collect_inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if !path.is_dir() {
            out.push(Input {
                path: path.clone(),
                shown,
                problem: None,
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(path)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let p = e.path();
                    if is_document(p) {
                        out.push(Input {
                            path: p.to_path_buf(),
                            shown: p.display().to_string(),
                            problem: None,
                        });
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    let p = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| path.clone());
                    let problem = if e.loop_ancestor().is_some() {
                        Message::SymlinkLoop
                    } else {
                        Message::FolderEntry {
                            detail: e.to_string(),
                        }
                    };
                    out.push(Input {
                        shown: p.display().to_string(),
                        path: p,
                        problem: Some(problem),
                    });
                }
            }
        }
    }
    out
}

/// Analyses every input in parallel and calls `emit` once per input, in input order.
pub fn scan(
    inputs: &[Input],
    pack: &Pack,
    options: &Options,
    mut emit: impl FnMut(DocumentReport),
) {
    scan_until(inputs, pack, options, None, |report| {
        emit(report);
        ControlFlow::Continue(())
    });
}

/// Like [`scan`], but stops as soon as `emit` says so (a closed pipe, an interrupted run):
/// inputs not yet begun are skipped and no further record is emitted. The first inputs may
/// have been read `ahead` (see [`ReadAhead`]); the rest are read here.
pub fn scan_until(
    inputs: &[Input],
    pack: &Pack,
    options: &Options,
    ahead: Option<&ReadAhead>,
    mut emit: impl FnMut(DocumentReport) -> ControlFlow<()>,
) {
    let analyse = |i: usize| match ahead.and_then(|a| a.take(i)) {
        Some(read) => rated(read, pack),
        None => analyse_input(&inputs[i], pack, options),
    };
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = options.jobs {
        builder = builder.num_threads(jobs.max(1));
    }
    let pool = match builder.build() {
        Ok(pool) => pool,
        Err(_) => {
            // No threads to be had: work through the inputs one by one.
            for i in 0..inputs.len() {
                if emit(analyse(i)).is_break() {
                    return;
                }
            }
            return;
        }
    };
    let stopped = AtomicBool::new(false);
    let threads = pool.current_num_threads().max(1);
    // Inputs are taken in order, and none more than `window` ahead of the next one to emit:
    // the reports waiting for their turn stay few however many inputs there are.
    let window = threads * 4;
    let taken = AtomicUsize::new(0);
    let emitted = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        let (stopped, taken, emitted, analyse) = (&stopped, &taken, &emitted, &analyse);
        scope.spawn(move || {
            pool.scope(|workers| {
                for _ in 0..threads {
                    let tx = tx.clone();
                    workers.spawn(move |_| {
                        loop {
                            let i = taken.fetch_add(1, Ordering::Relaxed);
                            if i >= inputs.len() {
                                return;
                            }
                            let (lock, turn) = emitted;
                            let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                            while i >= *done + window && !stopped.load(Ordering::Relaxed) {
                                done = turn.wait(done).unwrap_or_else(|e| e.into_inner());
                            }
                            drop(done);
                            if stopped.load(Ordering::Relaxed) {
                                return;
                            }
                            // The receiver only goes away if the caller stopped listening.
                            if tx.send((i, analyse(i))).is_err() {
                                return;
                            }
                        }
                    });
                }
            });
            drop(tx);
        });
        let mut pending = BTreeMap::new();
        let mut next = 0;
        let advance = |next: usize| {
            let (lock, turn) = emitted;
            *lock.lock().unwrap_or_else(|e| e.into_inner()) = next;
            turn.notify_all();
        };
        for (i, report) in rx {
            pending.insert(i, report);
            while let Some(report) = pending.remove(&next) {
                if emit(report).is_break() {
                    stopped.store(true, Ordering::Relaxed);
                    advance(next);
                    return;
                }
                next += 1;
                advance(next);
            }
        }
    });
}

pub(crate) fn analyse_input(input: &Input, pack: &Pack, options: &Options) -> DocumentReport {
    rated(read_input(input, options), pack)
}

/// An input read (or the report of why it has no text to rate), rated.
fn rated(read: TextOrReport, pack: &Pack) -> DocumentReport {
    match read {
        Ok(read) => rate(read, pack),
        Err(report) => *report,
    }
}

/// Reads an input's text, or gives the report of why it has none to rate.
fn read_input(input: &Input, options: &Options) -> TextOrReport {
    if let Some(problem) = &input.problem {
        return Err(Box::new(DocumentReport::failed(
            &input.shown,
            Status::Error,
            problem.clone(),
        )));
    }
    match read_limited(&input.path, options.max_size) {
        // Matching needs only the text: the file's bytes go before it starts (a huge agreement
        // would otherwise hold them through the whole match).
        Ok(bytes) => read_text(&input.shown, &input.path, &bytes, &options.extraction),
        Err((status, message)) => Err(Box::new(DocumentReport::failed(
            &input.shown,
            status,
            message,
        ))),
    }
}

/// The inputs of a short run, each read on a thread of its own while the caller does something
/// else: the `ampel` binary starts them before it loads the rule pack, so that a short scan
/// reads its file and loads the pack at the same time instead of one after the other.
/// [`scan_until`] takes each text from here when its turn comes. Reads not taken (a run
/// stopped early, a pack that failed to load) are not waited for: the process exits without them,
/// and a PDF worker process one of them started ends by itself once its file is done, within
/// the file's time limit.
pub struct ReadAhead {
    reads: Vec<Mutex<Option<JoinHandle<TextOrReport>>>>,
}

/// An input's text, or the report of why it has none to rate.
type TextOrReport = Result<ReadText, Box<DocumentReport>>;

impl ReadAhead {
    /// Starts reading `inputs` if they are no more than the batch's workers; a larger batch is
    /// read as it goes (reading two of its files ahead gains nothing worth the memory: each
    /// reading thread keeps an allocator arena of its own, 2 MB more on 1,000 agreements).
    /// Should a thread not start, that input is read when its turn comes, as it is without
    /// reading ahead.
    pub fn start(inputs: &[Input], options: &Options) -> ReadAhead {
        let count = if inputs.len() <= options.workers() {
            inputs.len()
        } else {
            0
        };
        let reads = inputs
            .iter()
            .take(count)
            .map(|input| {
                let (input, options) = (input.clone(), options.clone());
                let read = std::thread::Builder::new()
                    .name("ampel-read-ahead".into())
                    .spawn(move || read_input(&input, &options))
                    .ok();
                Mutex::new(read)
            })
            .collect();
        ReadAhead { reads }
    }

    /// The read of input `i`, if it was started ahead and is not yet taken. A read that
    /// panicked is read again by the caller, as it would be without reading ahead.
    fn take(&self, i: usize) -> Option<TextOrReport> {
        let read = self
            .reads
            .get(i)?
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()?;
        read.join().ok()
    }
}

fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, (Status, Message)> {
    let io = |e: std::io::Error| {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => Message::NotFound,
            std::io::ErrorKind::PermissionDenied => Message::PermissionDenied,
            _ => Message::ReadFailed {
                detail: e.to_string(),
            },
        };
        (Status::Error, message)
    };
    let file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err((Status::Error, Message::IsFolder));
    }
    if meta.len() > max {
        return Err((
            Status::TooLarge,
            Message::OverMaxSize {
                size: Some(meta.len()),
                limit: max,
            },
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Read one byte past the limit so a file that grows while we read is still caught.
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err((
            Status::TooLarge,
            Message::OverMaxSize {
                size: None,
                limit: max,
            },
        ));
    }
    Ok(bytes)
}

/// Why the text cannot be rated, if it cannot: pages no extractor could read, no text layer,
/// or text so garbled that rating it would misread the agreement. Garbage from a damaged file
/// is `corrupt`; garbage from an intact file (fonts without a character map) and scans are
/// `no_text`, which OCR can help.
fn untrusted_text(
    document: &Document,
    quality: &Quality,
    ocr: bool,
    damaged: bool,
) -> Option<(Status, Message)> {
    let pdf = document.format == Format::Pdf;
    let failed = quality.issues.iter().find_map(|i| match i {
        Issue::FailedPages { failed, total } => Some((*failed, *total)),
        _ => None,
    });
    let little = quality
        .issues
        .iter()
        .any(|i| matches!(i, Issue::LittleText { .. }));
    if let (Some((failed, total)), true) = (failed, little) {
        // Not a scan: the pages are there, but no extractor could read them.
        return Some((Status::Corrupt, Message::PagesUnreadable { failed, total }));
    }
    if little {
        return Some((
            Status::NoText,
            if pdf && ocr {
                Message::OcrFoundNoText
            } else if pdf {
                Message::NoTextLayer
            } else {
                Message::AlmostNoText
            },
        ));
    }
    if pdf && quality.issues.iter().any(Issue::spoils_rating) {
        let garbled = quality.issues.iter().any(Issue::is_garbage);
        if damaged {
            return Some((
                Status::Corrupt,
                Message::DamagedText {
                    unread: Unread::Garbled,
                },
            ));
        }
        return Some((
            Status::NoText,
            Message::UnreliableText {
                garbled,
                issues: quality.issues.clone(),
                extractor: document.extractor.to_string(),
            },
        ));
    }
    None
}

/// What a text that is no processor contract is reported as: `not_a_dpa` only when it was
/// read completely; a partly read one may hold the agreement in what was not read.
fn not_a_dpa(
    report: &DocumentReport,
    reading: &Reading,
    labelled: bool,
    addressed: usize,
) -> (Status, Message) {
    if !reading.partial() {
        return (
            Status::NotADpa,
            Message::NotADpa {
                labelled,
                addressed,
            },
        );
    }
    // A part over a size or memory limit (a bomb) was not read: say which limit.
    if let Some(limit) = reading.warnings.iter().find_map(|w| match w {
        Warning::SizeLimited { limit, .. } => Some(limit.clone()),
        _ => None,
    }) {
        return (Status::TooLarge, limit);
    }
    if reading.damaged() {
        return (
            Status::Corrupt,
            Message::DamagedText {
                unread: Unread::Partial,
            },
        );
    }
    let pages = report
        .warnings
        .iter()
        .flat_map(Warning::pages)
        .copied()
        .collect();
    (Status::NoText, Message::PartlyScanned { pages })
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Analyses one file's bytes in this process with the default extraction [`Settings`].
pub fn analyse_bytes(shown: &str, path: &Path, bytes: &[u8], pack: &Pack) -> DocumentReport {
    analyse_bytes_with(shown, path, bytes, pack, &Settings::default())
}

/// Analyses one file's bytes: extract (checking the text can be trusted), normalise, match,
/// assess. `shown` is the path as reported; `path` is used only to recognise the format.
pub fn analyse_bytes_with(
    shown: &str,
    path: &Path,
    bytes: &[u8],
    pack: &Pack,
    settings: &Settings,
) -> DocumentReport {
    match read_text(shown, path, bytes, settings) {
        Ok(read) => rate(read, pack),
        Err(report) => *report,
    }
}

/// What reading a file leaves for matching: the report so far, the warnings about the
/// extraction, and the prepared text. The extracted pages are gone by then.
struct ReadText {
    report: DocumentReport,
    reading: Reading,
    text: Text,
}

/// Extracts `bytes` and checks the text can be trusted; the report of a file that cannot be
/// rated otherwise.
fn read_text(shown: &str, path: &Path, bytes: &[u8], settings: &Settings) -> TextOrReport {
    let mut report = DocumentReport::failed(shown, Status::NoText, Message::EmptyFile);
    report.sha256 = Some(sha256_hex(bytes));
    if bytes.is_empty() {
        return Err(Box::new(report));
    }
    report.format = extract::detect(path, bytes);
    let (document, quality) = match extract::extract_checked(path, bytes, settings) {
        Ok(d) => d,
        Err(e) => {
            report.status = match e.kind() {
                ErrorKind::Corrupt => Status::Corrupt,
                ErrorKind::Encrypted => Status::Encrypted,
                ErrorKind::Unsupported => Status::Unsupported,
                ErrorKind::NoText => Status::NoText,
                ErrorKind::TooLarge => Status::TooLarge,
                ErrorKind::Timeout => Status::Timeout,
                ErrorKind::Panic | ErrorKind::Crashed => Status::Error,
            };
            report.message = Some(e.message().clone());
            return Err(Box::new(report));
        }
    };
    report.pages = document.pages.len();
    report.extractor = Some(document.extractor);
    let reading = Reading::of(&document, &quality, bytes, settings.ocr);
    report.warnings.clone_from(&reading.warnings);
    if let Some((status, message)) =
        untrusted_text(&document, &quality, settings.ocr, reading.damaged())
    {
        // The message names the text's issues; a warning repeating them would say it twice.
        report
            .warnings
            .retain(|w| !matches!(w, Warning::LowQuality { .. }));
        report.status = status;
        report.message = Some(message);
        return Err(Box::new(report));
    }
    let mut text = Text::new(document.pages.iter().map(|p| (p.number, p.text.as_str())));
    text.ocr_pages = document
        .pages
        .iter()
        .filter(|p| p.ocr)
        .map(|p| p.number)
        .collect();
    report.language = text.language;
    Ok(ReadText {
        report,
        reading,
        text,
    })
}

/// Matches and assesses a read text: the rated report, or not an agreement.
fn rate(read: ReadText, pack: &Pack) -> DocumentReport {
    let ReadText {
        mut report,
        reading,
        text,
    } = read;
    let hits = engine::run(pack, &text);
    let assessment = assess(pack, &text, &hits);
    if assessment.not_a_dpa {
        let (status, message) =
            not_a_dpa(&report, &reading, assessment.labelled, assessment.addressed);
        report.status = status;
        report.message = Some(message);
        return report;
    }
    report.status = Status::Ok;
    report.message = None;
    report.assessment = Some(assessment);
    report.rate();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::wire::record;

    /// The records of a batch, as JSON, so that two runs compare in full.
    fn records(inputs: &[Input], pack: &Pack, ahead: Option<&ReadAhead>) -> Vec<String> {
        let mut out = Vec::new();
        scan_until(inputs, pack, &Options::default(), ahead, |report| {
            out.push(serde_json::to_string(&record(&report, None)).expect("a record"));
            ControlFlow::Continue(())
        });
        out
    }

    #[test]
    fn inputs_read_ahead_give_the_reports_they_give_when_read_in_turn() {
        let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats");
        let input = |path: PathBuf, problem: Option<Message>| Input {
            shown: path.display().to_string(),
            path,
            problem,
        };
        let inputs = vec![
            input(formats.join("en-dpa-ticketdesk.html"), None),
            input(formats.join("no-such-agreement.txt"), None),
            input(formats.join("de-avv-aktenablage.txt"), None),
            input(formats.join("looped"), Some(Message::SymlinkLoop)),
            input(formats.join("de-avv-aktenablage.md"), None),
        ];
        let pack = Pack::embedded().expect("the built-in pack");
        let in_turn = records(&inputs, &pack, None);
        assert_eq!(in_turn.len(), inputs.len());
        // A batch of more inputs than workers reads none ahead; one of no more reads all.
        let few = Options {
            jobs: Some(inputs.len() - 1),
            ..Options::default()
        };
        assert!(ReadAhead::start(&inputs, &few).reads.is_empty());
        let enough = Options {
            jobs: Some(inputs.len()),
            ..Options::default()
        };
        let ahead = ReadAhead::start(&inputs, &enough);
        assert_eq!(ahead.reads.len(), inputs.len());
        assert_eq!(records(&inputs, &pack, Some(&ahead)), in_turn);
        assert!(
            (0..inputs.len()).all(|i| ahead.take(i).is_none()),
            "every read made ahead was used"
        );
    }
}
