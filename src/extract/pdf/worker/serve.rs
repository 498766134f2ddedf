//! The worker process's side: read a file, run the engine it names, answer; then the next file.
//!
//! Each file runs on a fresh thread with a large stack, so legitimately deep documents parse;
//! a runaway recursion still ends in an abort, which the parent reports for that file. The
//! memory limit (`RLIMIT_AS`) the parent set holds for the whole process, so a worker whose
//! address space has grown after a file (memory the allocator keeps) would leave the next file
//! less than the limit: it retires after answering, and the parent starts a fresh one.

use std::io::{self, BufWriter};
use std::sync::Arc;
use std::thread;

use super::WORKER_COMMAND;
use super::wire::{Reply, read_request, write_reply};
use crate::extract::pdf::engine::{Engine, run_engine};
use crate::message::Message;

/// The worker's main: answers requests on stdin (see the module `wire`) until stdin ends.
/// Returns the process exit code: 0 at the end of input or on retiring, 2 when the request
/// could not be read or the reply not written.
pub fn serve() -> i32 {
    let mut input = io::stdin().lock();
    let mut output = BufWriter::new(io::stdout().lock());
    let fresh = address_space();
    loop {
        let (name, pdf) = match read_request(&mut input) {
            Ok(Some(request)) => request,
            Ok(None) => return 0,
            Err(e) => {
                eprintln!("ampel {WORKER_COMMAND}: cannot read the request: {e}");
                return 2;
            }
        };
        let Some(engine) = Engine::from_name(&name) else {
            eprintln!("ampel {WORKER_COMMAND}: unknown engine `{name}`");
            return 2;
        };
        let reply = answer_on_large_stack(engine, pdf);
        let retire = grown(fresh, address_space());
        if write_reply(&mut output, &reply, retire).is_err() {
            return 2;
        }
        if retire {
            return 0;
        }
    }
}

/// Runs `engine` on `pdf` on a thread with [`stack_size`] bytes of stack.
fn answer_on_large_stack(engine: Engine, pdf: Vec<u8>) -> Reply {
    let pdf = Arc::new(pdf);
    let shared = Arc::clone(&pdf);
    match thread::Builder::new()
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
        Err(_) => answer(engine, &pdf),
    }
}

fn answer(engine: Engine, bytes: &[u8]) -> Reply {
    match run_engine(engine, bytes) {
        Ok(p) => Reply::Pages {
            pages: p.pages.into_iter().map(|p| p.text).collect(),
            failed: p.failed,
            shown: p.shown,
        },
        Err(e) => Reply::failed(&e),
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

/// How much more address space than a fresh worker's an idle worker may hold before it
/// retires: the arena the engine threads allocate from (64 MiB reserved by glibc, which a
/// worker that starts a process per file had too) and a little memory the allocator keeps;
/// more would come off the next file's memory limit. Measured on the corpus and the hostile
/// files: 16 MiB fresh, 83 MiB after the first file, and no growth after that.
const SPARE_ADDRESS_SPACE: u64 = 96 * 1024 * 1024;

/// Whether the address space grew from `fresh` to `now` by more than the spare.
fn grown(fresh: Option<u64>, now: Option<u64>) -> bool {
    match (fresh, now) {
        (Some(fresh), Some(now)) => now > fresh + SPARE_ADDRESS_SPACE,
        _ => false,
    }
}

/// This process's address space in bytes (what `RLIMIT_AS` limits), where the system says.
fn address_space() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        // The first field of statm is the total program size in pages.
        let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
        let pages: u64 = statm.split_whitespace().next()?.parse().ok()?;
        // SAFETY: sysconf only reads a system constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        Some(pages * u64::try_from(page).ok()?)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_retires_only_when_its_address_space_grew_past_the_spare() {
        let fresh = Some(100 * 1024 * 1024);
        assert!(!grown(fresh, fresh));
        assert!(!grown(fresh, Some(100 * 1024 * 1024 + SPARE_ADDRESS_SPACE)));
        assert!(grown(fresh, Some(101 * 1024 * 1024 + SPARE_ADDRESS_SPACE)));
        assert!(!grown(None, Some(u64::MAX)), "unknown: keep the worker");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_address_space_is_known_on_linux() {
        assert!(address_space().is_some_and(|bytes| bytes > 0));
    }
}
