//! Process isolation for PDF engines: long-lived worker processes, with a time and memory
//! limit per file.
//!
//! `catch_unwind` contains panics, but pdf-extract also overflows its stack on self-recursive
//! form XObjects (an abort no unwinding can catch), loops forever on huge XObject fan-outs and
//! can allocate without bound on decompression bombs. So the binary re-executes itself as a
//! hidden worker (`ampel __extract-worker`, [`serve()`]) that reads files on stdin, runs the
//! engine each one names and writes its pages as JSON on stdout (module `wire`). The memory
//! limit (RLIMIT_AS) is set in the child before it starts; the parent waits for each answer
//! until the time limit and kills the worker then. A crash, an out-of-memory abort or a hang
//! costs only the file the worker was reading: the next file gets a fresh worker.
//!
//! Starting a process per file cost more than reading most contracts, so workers are kept and
//! reused (module `pool`): one per thread that extracts at the same time. A worker whose
//! address space grew while reading a file retires after answering, so that every file has
//! the memory limit to itself.
//!
//! The worker sits between the policy (`fallback`, which picks the engines) and the engines
//! (`engine`, which dispatches to the extractors).

mod pool;
mod serve;
mod wire;

use std::path::Path;
use std::process::ExitStatus;

use super::engine::Engine;
use super::pages::Pages;
use crate::extract::process::{Limits, overflow_error, timeout_error};
use crate::extract::{Error, ErrorKind, Page};
use crate::message::{Crash, Message};
use pool::{Asked, Ended};
pub use serve::serve;
use wire::Reply;

/// Name of the hidden subcommand the worker runs under.
pub const WORKER_COMMAND: &str = "__extract-worker";

/// Ends the idle worker processes this process started (they would end by themselves when it
/// exits, but unwaited for). Call it when no more files are coming, e.g. before exiting.
pub fn stop_idle() {
    pool::stop_idle();
}

/// Runs `engine` on `bytes` in a worker process under `limits`.
pub(crate) fn run_isolated(
    exe: &Path,
    limits: Limits,
    engine: Engine,
    bytes: &[u8],
) -> Result<Pages, Error> {
    let mut worker = pool::take(exe, limits.max_memory).map_err(|e| {
        Error::new(
            ErrorKind::Crashed,
            Message::WorkerStart {
                exe: exe.display().to_string(),
                detail: e.to_string(),
            },
        )
    })?;
    let (json, retire) = match worker.ask(engine, bytes, limits.timeout) {
        Asked::Answered { json, retire } => (json, retire),
        Asked::TimedOut => {
            worker.end();
            return Err(timeout_error(limits.timeout));
        }
        Asked::Overflow => {
            worker.end();
            return Err(overflow_error());
        }
        Asked::Died => {
            return Err(crash_error(worker.end(), limits));
        }
    };
    let reply = match serde_json::from_slice::<Reply>(&json) {
        Ok(reply) => reply,
        Err(_) => {
            return Err(crash_error(worker.end(), limits));
        }
    };
    if retire {
        worker.end();
    } else {
        pool::give_back(worker);
    }
    match reply {
        Reply::Pages {
            pages,
            failed,
            shown,
        } => Ok(Pages {
            pages: pages
                .into_iter()
                .enumerate()
                .map(|(i, text)| Page::new(i as u32 + 1, text))
                .collect(),
            failed,
            shown,
            errors: 0,
        }),
        Reply::Failed { kind, message } => Err(Error::new(wire::kind_from_name(&kind), message)),
    }
}

fn crash_error(ended: Ended, limits: Limits) -> Error {
    let stderr = String::from_utf8_lossy(&ended.stderr);
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
        ended.status.map_or(Crash::Abnormal, describe_exit)
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
