//! Child processes with limits: the one place ampel starts a program it does not trust to
//! finish (the PDF extraction worker, `pdftotext`, and OCR's `pdftoppm` and `tesseract`).
//!
//! [`run_limited`] writes the input on the child's stdin, collects its stdout (capped at
//! [`STDOUT_KEEP`]) and stderr, kills it at the time limit of [`Limits`] and, on Unix, sets the
//! memory limit (`RLIMIT_AS`) in the child before it starts. The caller reads the
//! [`Outcome`] and says in its own words what it means for its file.

use std::fmt;
use std::io::{self, Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::{Error as ExtractError, ErrorKind};
use crate::message::Message;

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

/// Why a child process could not be run to an [`Outcome`].
#[derive(Debug)]
pub enum Error {
    /// The program could not be started (not installed, not executable, no memory for it).
    Start(io::Error),
    /// The program started but could not be waited for.
    Wait(io::Error),
}

/// The underlying I/O error's message (the same words whether starting or waiting failed).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Start(e) | Error::Wait(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Start(e) | Error::Wait(e) => Some(e),
        }
    }
}

/// Most of a child's stderr kept for diagnosis.
pub(crate) const STDERR_KEEP: u64 = 64 * 1024;
/// Most of a child's stdout kept: far more text than any contract, and a bound on what a file
/// built to make an extractor print forever can cost us.
pub const STDOUT_KEEP: u64 = 256 * 1024 * 1024;

/// Runs `command` with `input` on its stdin, collecting stdout and stderr, under `limits`
/// (the memory limit applies on Unix only).
///
/// stdin is written and the outputs are read on their own threads, so a child that writes a lot
/// before it reads all its input cannot deadlock with us; the child is polled with `try_wait`
/// and killed at the time limit.
pub fn run_limited(mut command: Command, input: &[u8], limits: Limits) -> Result<Outcome, Error> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit_child(&mut command, limits.max_memory);
    let mut child = command.spawn().map_err(Error::Start)?;
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
        Ok(match status.map_err(Error::Wait)? {
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

/// The extraction error for a child that was killed at `limit`.
pub(crate) fn timeout_error(limit: Duration) -> ExtractError {
    ExtractError::new(
        ErrorKind::Timeout,
        Message::Timeout {
            seconds: limit.as_secs_f64(),
        },
    )
}

/// The extraction error for a child that wrote more than [`STDOUT_KEEP`] bytes of text.
pub(crate) fn overflow_error() -> ExtractError {
    ExtractError::new(
        ErrorKind::TooLarge,
        Message::TextFlood {
            mib: STDOUT_KEEP / (1024 * 1024),
        },
    )
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

/// Makes `command` start its child with `max_memory` bytes of address space (`RLIMIT_AS`) and
/// without core files, set in the child before it runs the program (Unix only).
#[cfg(unix)]
pub(crate) fn limit_child(command: &mut Command, max_memory: Option<u64>) {
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

/// Without `RLIMIT_AS` there is no portable address-space limit; the time limit still applies.
#[cfg(not(unix))]
pub(crate) fn limit_child(_command: &mut Command, _max_memory: Option<u64>) {
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
    fn a_program_that_does_not_exist_cannot_be_started() {
        let command = Command::new("/nonexistent/ampel-no-such-program");
        let err = run_limited(command, b"", Limits::default()).unwrap_err();
        assert!(matches!(err, Error::Start(_)), "{err:?}");
    }
}
