//! The threads that analyse uploads: a fixed set of `--jobs` threads, started once, that take
//! analyses from one queue in the order they came.
//!
//! Why not tokio's blocking pool: it starts a new thread whenever none is idle and lets threads
//! die after a while, and every new thread that runs the rule engine builds its own matching
//! caches for each of the pack's patterns (the regex crate keeps one per thread that searches
//! at once). Under a burst of uploads that adds up to gigabytes. A fixed set of threads keeps
//! the caches to `--jobs` sets, however many files arrive, so memory is bounded by the
//! configuration instead of by the traffic.

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

/// One analysis waiting for a thread.
type Job = Box<dyn FnOnce() + Send>;

/// The analysis threads and their queue.
pub struct Analysts {
    queue: Mutex<Sender<Job>>,
}

/// An analysis that ended without an answer: it panicked (the panic message went to stderr).
#[derive(Debug)]
pub struct Failed;

impl Analysts {
    /// Starts `count` threads with `stack` bytes of stack each.
    pub fn start(count: usize, stack: usize) -> std::io::Result<Analysts> {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..count.max(1) {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("analyst-{n}"))
                .stack_size(stack)
                .spawn(move || work(&receiver))?;
        }
        Ok(Analysts {
            queue: Mutex::new(sender),
        })
    }

    /// Runs `analysis` on one of the threads once one is free, and waits for its result.
    pub async fn run<T: Send + 'static>(
        &self,
        analysis: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Failed> {
        let (answer, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            // A panic costs this file, not the thread: the next analysis still has it.
            let outcome = panic::catch_unwind(AssertUnwindSafe(analysis));
            let _ = answer.send(outcome.map_err(|_| Failed));
        });
        let sent = match self.queue.lock() {
            Ok(queue) => queue.send(job).is_ok(),
            Err(_) => false,
        };
        if !sent {
            return Err(Failed);
        }
        result.await.unwrap_or(Err(Failed))
    }
}

/// One thread's life: take the next analysis, run it, until the queue is gone.
fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only while waiting for the next job, never while running it.
        let job = match receiver.lock() {
            Ok(r) => r.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
    }

    #[test]
    fn analyses_run_on_the_same_few_threads() {
        let analysts = Arc::new(Analysts::start(2, 256 * 1024).unwrap());
        let names: BTreeSet<String> = runtime().block_on(async {
            let mut names = BTreeSet::new();
            let runs: Vec<_> = (0..20)
                .map(|_| {
                    analysts.run(|| {
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        std::thread::current().name().unwrap_or("").to_string()
                    })
                })
                .collect();
            for run in runs {
                names.insert(run.await.unwrap());
            }
            names
        });
        assert!(!names.is_empty() && names.len() <= 2, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("analyst-")));
    }

    #[test]
    fn a_panic_costs_one_analysis_not_the_thread() {
        let analysts = Analysts::start(1, 256 * 1024).unwrap();
        runtime().block_on(async {
            let failed = analysts.run(|| -> u8 { panic!("on purpose") }).await;
            assert!(failed.is_err());
            assert_eq!(analysts.run(|| 7).await.unwrap(), 7);
        });
    }
}
