//! The parent's side: long-lived worker processes, kept idle between files and handed to
//! whichever thread needs one next.
//!
//! A [`Worker`] is one child process with its pipes: the parent writes requests on its stdin,
//! a reader thread turns its stdout into answers on a channel (so the parent can wait for one
//! with a deadline), and another keeps the start of what it writes on stderr for the current
//! file (where an abort says why). Idle workers wait in one pool for the whole process; there
//! are never more of them than threads that extracted at the same time. A worker that died,
//! was killed at the time limit or retired is never handed out again.

use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use super::WORKER_COMMAND;
use super::wire::{self, Answer};
use crate::extract::pdf::engine::Engine;
use crate::extract::process::{STDERR_KEEP, limit_child};

/// Idle workers of this process.
static IDLE: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

/// An idle worker of `exe` with `max_memory`, or a new one.
pub(super) fn take(exe: &Path, max_memory: Option<u64>) -> io::Result<Worker> {
    loop {
        let found = {
            let mut idle = IDLE.lock().unwrap_or_else(PoisonError::into_inner);
            let at = idle
                .iter()
                .position(|w| w.exe == exe && w.max_memory == max_memory);
            at.map(|at| idle.swap_remove(at))
        };
        let Some(mut worker) = found else {
            return Worker::start(exe, max_memory);
        };
        if worker.is_alive() {
            return Ok(worker);
        }
        // One that died while idle (killed from outside) would fail the next file.
        worker.end();
    }
}

/// Returns a worker that answered and may take the next file.
pub(super) fn give_back(worker: Worker) {
    IDLE.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(worker);
}

/// Ends every idle worker: each sees the end of its input and exits, and is waited for, so
/// that none outlives the caller.
pub(super) fn stop_idle() {
    let idle = std::mem::take(&mut *IDLE.lock().unwrap_or_else(PoisonError::into_inner));
    for worker in idle {
        worker.finish();
    }
}

/// One worker process.
pub(super) struct Worker {
    exe: PathBuf,
    max_memory: Option<u64>,
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<io::Result<Answer>>,
    /// The start of what it wrote on stderr since the current file was sent.
    stderr: Arc<Mutex<Vec<u8>>>,
    readers: [JoinHandle<()>; 2],
}

/// How a worker ended, for a crash report.
#[derive(Debug)]
pub(super) struct Ended {
    /// Its exit status (after a kill at the time limit: that signal).
    pub status: io::Result<ExitStatus>,
    /// The start of what it wrote on stderr while reading the last file.
    pub stderr: Vec<u8>,
}

/// How a worker dealt with one file.
#[derive(Debug)]
pub(super) enum Asked {
    /// It answered; with `retire`, it takes no further file.
    Answered { json: Vec<u8>, retire: bool },
    /// It announced an answer larger than the cap.
    Overflow,
    /// It did not answer in time.
    TimedOut,
    /// It ended without answering (an abort, the memory limit, a signal).
    Died,
}

impl Worker {
    fn start(exe: &Path, max_memory: Option<u64>) -> io::Result<Worker> {
        let mut command = Command::new(exe);
        command
            .arg(WORKER_COMMAND)
            // The worker must not inherit a backtrace setting that makes caught panics
            // expensive.
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        limit_child(&mut command, max_memory);
        let mut child = command.spawn()?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            unreachable!("all three pipes were asked for");
        };
        let (sender, answers) = mpsc::channel();
        let answering = thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            loop {
                let answer = wire::read_answer(&mut stdout);
                let more = matches!(answer, Ok(Answer::Reply { retire: false, .. }));
                if sender.send(answer).is_err() || !more {
                    break;
                }
            }
        });
        let kept = Arc::new(Mutex::new(Vec::new()));
        let keeping = Arc::clone(&kept);
        let complaining = thread::spawn(move || keep_start(stderr, &keeping));
        Ok(Worker {
            exe: exe.to_path_buf(),
            max_memory,
            child,
            stdin,
            answers,
            stderr: kept,
            readers: [answering, complaining],
        })
    }

    fn is_alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `pdf` to `engine` and waits at most `timeout` for the answer.
    pub(super) fn ask(&mut self, engine: Engine, pdf: &[u8], timeout: Duration) -> Asked {
        let deadline = Instant::now() + timeout;
        self.stderr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        // It reads the whole request before it works on it, so this cannot block for long;
        // a worker that dies reading it (the memory limit) closes the pipe.
        if wire::write_request(&mut self.stdin, engine.as_str(), pdf).is_err() {
            return Asked::Died;
        }
        match self
            .answers
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(Ok(Answer::Reply { json, retire })) => Asked::Answered { json, retire },
            Ok(Ok(Answer::Overflow)) => Asked::Overflow,
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Asked::Died,
            Err(RecvTimeoutError::Timeout) => Asked::TimedOut,
        }
    }

    /// Lets an idle worker end by itself: closes its input and waits for it.
    fn finish(self) {
        drop(self.stdin);
        let mut child = self.child;
        let _ = child.wait();
        for reader in self.readers {
            let _ = reader.join();
        }
    }

    /// Ends the worker and says how it ended. One that still runs is killed; one that closed
    /// its stdout is already exiting, and killing it then no longer changes how it ended.
    pub(super) fn end(mut self) -> Ended {
        // Kill fails only if it already exited; the wait reaps it either way.
        let _ = self.child.kill();
        let status = self.child.wait();
        drop(self.stdin);
        for reader in self.readers {
            // Both end at the end of the pipes, which came with the exit.
            let _ = reader.join();
        }
        let stderr =
            std::mem::take(&mut *self.stderr.lock().unwrap_or_else(PoisonError::into_inner));
        Ended { status, stderr }
    }
}

/// Keeps the first [`STDERR_KEEP`] bytes written on `stderr` since `kept` was last cleared,
/// and drains the rest so the worker never blocks on a full pipe.
fn keep_start(mut stderr: impl Read, kept: &Mutex<Vec<u8>>) {
    let mut chunk = [0; 8192];
    while let Ok(n) = stderr.read(&mut chunk) {
        if n == 0 {
            break;
        }
        let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
        let room = (STDERR_KEEP as usize).saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..n.min(room)]);
    }
}
