//! Process isolation for PDF engines: a child process per file, with a time and memory limit.
//!
//! `catch_unwind` contains panics, but pdf-extract also overflows its stack on self-recursive
//! form XObjects (an abort no unwinding can catch), loops forever on huge XObject fan-outs and
//! can allocate without bound on decompression bombs. So the binary re-executes itself as a
//! hidden worker (`ampel __extract-worker ENGINE`) that reads the file's bytes on stdin, runs
//! one engine and writes the pages as JSON on stdout. The parent kills it after the time limit;
//! the memory limit is set in the child (RLIMIT_AS) before it starts. A crash, an out-of-memory
//! abort or a hang then costs only that one file.
//!
//! [`run_limited`] is the same machinery for external programs (pdftotext).

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Error, ErrorKind, Page};
use crate::message::{Crash, Message};

/// Name of the hidden subcommand the worker runs under.
pub const WORKER_COMMAND: &str = "__extract-worker";

/// Limits for one child process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time after which the child is killed.
    pub timeout: Duration,
    /// Address-space limit of the child in bytes (`None`: unlimited). Unix only.
    pub max_memory: Option<u64>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            timeout: Duration::from_secs(30),
            max_memory: Some(2 * 1024 * 1024 * 1024),
        }
    }
}

/// A PDF engine that runs inside the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// pdf-extract with our page sink and content-stream repairs (the primary engine).
    PdfExtract,
    /// lopdf's own `extract_text`, page by page (a pure-Rust fallback).
    Lopdf,
    /// pdf_oxide (with the `pdf-oxide` feature).
    #[cfg(feature = "pdf-oxide")]
    PdfOxide,
}

impl Engine {
    /// The name used on the worker's command line and in the `extractor` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::PdfExtract => "pdf-extract",
            Engine::Lopdf => "lopdf",
            #[cfg(feature = "pdf-oxide")]
            Engine::PdfOxide => "pdf_oxide",
        }
    }

    /// Parses [`Engine::as_str`].
    pub fn from_name(name: &str) -> Option<Engine> {
        [
            Engine::PdfExtract,
            Engine::Lopdf,
            #[cfg(feature = "pdf-oxide")]
            Engine::PdfOxide,
        ]
        .into_iter()
        .find(|e| e.as_str() == name)
    }
}

/// What an engine produced: the pages and how many of them could not be read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Pages {
    pub pages: Vec<Page>,
    /// Pages of the page tree whose text could not be extracted (they are empty in `pages`).
    pub failed: usize,
    /// Bytes of the strings the content streams show, when the engine counted them.
    pub shown: Option<usize>,
    /// Errors the engine reported about the file while reading it (pdftotext's syntax
    /// errors): the file is damaged even if the text looks sound.
    pub errors: usize,
}

/// The worker's answer on stdout.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Reply {
    Pages {
        pages: Vec<String>,
        failed: usize,
        shown: Option<usize>,
    },
    Failed {
        kind: String,
        message: Message,
    },
}

fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Corrupt => "corrupt",
        ErrorKind::Encrypted => "encrypted",
        ErrorKind::Unsupported => "unsupported",
        ErrorKind::Panic => "panic",
        ErrorKind::NoText => "no_text",
        ErrorKind::Crashed => "crashed",
        ErrorKind::Timeout => "timeout",
        ErrorKind::TooLarge => "too_large",
    }
}

fn kind_from_name(name: &str) -> ErrorKind {
    match name {
        "corrupt" => ErrorKind::Corrupt,
        "encrypted" => ErrorKind::Encrypted,
        "unsupported" => ErrorKind::Unsupported,
        "no_text" => ErrorKind::NoText,
        "timeout" => ErrorKind::Timeout,
        "crashed" => ErrorKind::Crashed,
        "too_large" => ErrorKind::TooLarge,
        _ => ErrorKind::Panic,
    }
}

/// Runs `engine` in-process, panics contained.
pub(crate) fn run_engine(engine: Engine, bytes: &[u8]) -> Result<Pages, Error> {
    match engine {
        Engine::PdfExtract => super::pdf::extract_pages(bytes),
        Engine::Lopdf => super::fallback::lopdf_pages(bytes),
        #[cfg(feature = "pdf-oxide")]
        Engine::PdfOxide => super::oxide::pages(bytes),
    }
}

/// The worker's main: reads a PDF on stdin, runs `engine_name`, writes a JSON reply on
/// stdout. Returns the process exit code (0 whenever a reply was written).
///
/// The engine runs on a thread with a large stack, so legitimately deep documents parse; a
/// runaway recursion still ends in an abort, which the parent reports.
pub fn serve(engine_name: &str) -> i32 {
    let Some(engine) = Engine::from_name(engine_name) else {
        eprintln!("ampel {WORKER_COMMAND}: unknown engine `{engine_name}`");
        return 2;
    };
    let mut bytes = Vec::new();
    if let Err(e) = io::stdin().lock().read_to_end(&mut bytes) {
        eprintln!("ampel {WORKER_COMMAND}: cannot read stdin: {e}");
        return 2;
    }
    let bytes = std::sync::Arc::new(bytes);
    let shared = std::sync::Arc::clone(&bytes);
    let reply = match thread::Builder::new()
        .name("extract".into())
        .stack_size(stack_size())
        .spawn(move || answer(engine, &shared))
    {
        Ok(handle) => handle.join().unwrap_or_else(|_| Reply::Failed {
            kind: "panic".into(),
            message: Message::ParserPanicked {
                detail: "the engine thread panicked".into(),
            },
        }),
        // Under a tight memory limit the large stack may not fit: use the main thread's.
        Err(_) => answer(engine, &bytes),
    };
    let mut out = io::stdout().lock();
    let written = serde_json::to_writer(&mut out, &reply)
        .map_err(io::Error::from)
        .and_then(|()| out.flush());
    match written {
        Ok(()) => 0,
        Err(_) => 2,
    }
}

fn answer(engine: Engine, bytes: &[u8]) -> Reply {
    match run_engine(engine, bytes) {
        Ok(p) => Reply::Pages {
            pages: p.pages.into_iter().map(|p| p.text).collect(),
            failed: p.failed,
            shown: p.shown,
        },
        Err(e) => Reply::Failed {
            kind: kind_name(e.kind()).to_string(),
            message: e.message().clone(),
        },
    }
}

/// The engine thread's stack: [`WORKER_STACK`], but at most a quarter of the address-space
/// limit, so the heap keeps most of it.
fn stack_size() -> usize {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the struct we pass and has no other effect.
        let ok = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) } == 0;
        if ok && limit.rlim_cur != libc::RLIM_INFINITY {
            let quarter = usize::try_from(limit.rlim_cur / 4).unwrap_or(WORKER_STACK);
            return quarter.clamp(8 * 1024 * 1024, WORKER_STACK);
        }
    }
    WORKER_STACK
}

/// Stack of the worker's engine thread.
const WORKER_STACK: usize = 256 * 1024 * 1024;

/// Runs `engine` on `bytes` in a worker process under `limits`.
pub(crate) fn run_isolated(
    exe: &Path,
    limits: Limits,
    engine: Engine,
    bytes: &[u8],
) -> Result<Pages, Error> {
    let mut command = Command::new(exe);
    command.arg(WORKER_COMMAND).arg(engine.as_str());
    // The worker must not inherit a backtrace setting that makes caught panics expensive.
    command
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    let outcome = run_limited(command, bytes, limits).map_err(|e| {
        Error::new(
            ErrorKind::Crashed,
            Message::WorkerStart {
                exe: exe.display().to_string(),
                detail: e.to_string(),
            },
        )
    })?;
    match outcome {
        Outcome::TimedOut => Err(timeout_error(limits.timeout)),
        Outcome::Exited { overflow: true, .. } => Err(overflow_error()),
        Outcome::Exited {
            status,
            stdout,
            stderr,
            ..
        } => match serde_json::from_slice::<Reply>(&stdout) {
            Ok(Reply::Pages {
                pages,
                failed,
                shown,
            }) => Ok(Pages {
                pages: pages
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| Page::new(i as u32 + 1, text))
                    .collect(),
                failed,
                shown,
                errors: 0,
            }),
            Ok(Reply::Failed { kind, message }) => Err(Error::new(kind_from_name(&kind), message)),
            Err(_) => Err(crash_error(status, &stderr, limits)),
        },
    }
}

pub(crate) fn overflow_error() -> Error {
    Error::new(
        ErrorKind::TooLarge,
        Message::TextFlood {
            mib: STDOUT_KEEP / (1024 * 1024),
        },
    )
}

pub(crate) fn timeout_error(limit: Duration) -> Error {
    Error::new(
        ErrorKind::Timeout,
        Message::Timeout {
            seconds: limit.as_secs_f64(),
        },
    )
}

fn crash_error(status: ExitStatus, stderr: &[u8], limits: Limits) -> Error {
    let stderr = String::from_utf8_lossy(stderr);
    let cause = if stderr.contains("memory allocation") || stderr.contains("out of memory") {
        match limits.max_memory {
            // A limit that was hit is a size limit, like a zip bomb's: too_large, naming it.
            Some(m) => {
                return Error::new(
                    ErrorKind::TooLarge,
                    Message::MemoryLimit {
                        mib: m / (1024 * 1024),
                    },
                );
            }
            None => Crash::OutOfMemory,
        }
    } else if stderr.contains("overflowed its stack") {
        Crash::StackOverflow
    } else {
        describe_exit(status)
    };
    Error::new(ErrorKind::Crashed, Message::ParserCrashed { cause })
}

fn describe_exit(status: ExitStatus) -> Crash {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Crash::Signal(signal);
        }
    }
    match status.code() {
        Some(code) => Crash::ExitCode(code),
        None => Crash::Abnormal,
    }
}

/// How a limited child process ended.
#[derive(Debug)]
pub enum Outcome {
    /// It exited (normally or by a signal) within the time limit.
    Exited {
        /// Exit status.
        status: ExitStatus,
        /// What it wrote on stdout, up to [`STDOUT_KEEP`] bytes.
        stdout: Vec<u8>,
        /// True when it wrote more than [`STDOUT_KEEP`] bytes (the rest was discarded).
        overflow: bool,
        /// The first 64 KiB of what it wrote on stderr.
        stderr: Vec<u8>,
    },
    /// It was killed at the time limit.
    TimedOut,
}

/// Most of a child's stderr kept for diagnosis.
const STDERR_KEEP: u64 = 64 * 1024;
/// Most of a child's stdout kept: far more text than any contract, and a bound on what a file
/// built to make an extractor print forever can cost us.
pub const STDOUT_KEEP: u64 = 256 * 1024 * 1024;

/// Runs `command` with `input` on its stdin, collecting stdout and stderr, under `limits`
/// (the memory limit applies on Unix only).
///
/// stdin is written and the outputs are read on their own threads, so a child that writes a lot
/// before it reads all its input cannot deadlock with us; the child is polled with `try_wait`
/// and killed at the time limit.
pub fn run_limited(mut command: Command, input: &[u8], limits: Limits) -> io::Result<Outcome> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    set_child_limits(&mut command, limits.max_memory);
    let mut child = command.spawn()?;
    let started = Instant::now();
    thread::scope(|scope| {
        let mut stdin = child.stdin.take();
        scope.spawn(move || {
            if let Some(stdin) = stdin.as_mut() {
                // A child that exits early closes the pipe: that is its answer, not our error.
                let _ = stdin.write_all(input);
            }
            drop(stdin);
        });
        let stdout = child.stdout.take();
        let out = scope.spawn(move || read_all(stdout, STDOUT_KEEP + 1));
        let stderr = child.stderr.take();
        let err = scope.spawn(move || read_all(stderr, STDERR_KEEP));
        let status = wait_with_deadline(&mut child, started + limits.timeout);
        let mut stdout = out.join().unwrap_or_default();
        let stderr = err.join().unwrap_or_default();
        let overflow = stdout.len() as u64 > STDOUT_KEEP;
        stdout.truncate(STDOUT_KEEP as usize);
        Ok(match status? {
            Some(status) => Outcome::Exited {
                status,
                stdout,
                overflow,
                stderr,
            },
            None => Outcome::TimedOut,
        })
    })
}

fn read_all(pipe: Option<impl Read>, keep: u64) -> Vec<u8> {
    let mut buf = Vec::new();
    if let Some(mut pipe) = pipe {
        let _ = pipe.by_ref().take(keep).read_to_end(&mut buf);
        // Drain the rest so the child never blocks on a full pipe.
        let _ = io::copy(&mut pipe, &mut io::sink());
    }
    buf
}

/// Waits for `child` until `deadline`; kills it then. `Ok(None)` means it was killed.
fn wait_with_deadline(child: &mut Child, deadline: Instant) -> io::Result<Option<ExitStatus>> {
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let now = Instant::now();
        if now >= deadline {
            // Kill fails only if it already exited; the wait below reaps it either way.
            let _ = child.kill();
            child.wait()?;
            return Ok(None);
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(25));
    }
}

#[cfg(unix)]
fn set_child_limits(command: &mut Command, max_memory: Option<u64>) {
    use std::os::unix::process::CommandExt;
    // SAFETY: the closure runs in the forked child before exec and only calls setrlimit, which
    // is async-signal-safe; it allocates nothing and touches no locks.
    unsafe {
        command.pre_exec(move || {
            let no_core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // A crashing parser should not leave core files behind; failure here is harmless.
            libc::setrlimit(libc::RLIMIT_CORE, &no_core);
            if let Some(bytes) = max_memory {
                let limit = libc::rlimit {
                    rlim_cur: bytes as libc::rlim_t,
                    rlim_max: bytes as libc::rlim_t,
                };
                if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
}

#[cfg(not(unix))]
fn set_child_limits(_command: &mut Command, _max_memory: Option<u64>) {
    // No portable address-space limit; the time limit still applies.
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_child_that_hangs_is_killed_at_the_limit() {
        let mut command = Command::new("sleep");
        command.arg("30");
        let limits = Limits {
            timeout: Duration::from_millis(200),
            max_memory: None,
        };
        let outcome = run_limited(command, b"", limits).expect("sleep starts");
        assert!(matches!(outcome, Outcome::TimedOut), "{outcome:?}");
    }

    #[test]
    fn stdin_reaches_the_child_and_stdout_comes_back() {
        let outcome = run_limited(Command::new("cat"), b"hello", Limits::default()).unwrap();
        match outcome {
            Outcome::Exited {
                status,
                stdout,
                overflow,
                ..
            } => {
                assert!(status.success());
                assert!(!overflow);
                assert_eq!(stdout, b"hello");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn engine_names_round_trip() {
        for e in [Engine::PdfExtract, Engine::Lopdf] {
            assert_eq!(Engine::from_name(e.as_str()), Some(e));
        }
        assert_eq!(Engine::from_name("mupdf"), None);
    }
}
