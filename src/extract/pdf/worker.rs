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
//! The worker sits between the policy (`fallback`, which picks the engines) and the engines
//! (`engine`, which dispatches to the extractors); the child process itself is run by
//! [`run_limited`], the same machinery as for external programs (pdftotext, OCR).

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus};
use std::thread;

use serde::{Deserialize, Serialize};

use super::engine::{Engine, run_engine};
use super::pages::Pages;
use crate::extract::process::{Limits, Outcome, overflow_error, run_limited, timeout_error};
use crate::extract::{Error, ErrorKind, Page};
use crate::message::{Crash, Message};

/// Name of the hidden subcommand the worker runs under.
pub const WORKER_COMMAND: &str = "__extract-worker";

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
