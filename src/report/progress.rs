//! A progress bar on stderr for batches, drawn only when stderr is a terminal: nothing of it
//! ever reaches stdout or a piped or redirected stderr, so reports and logs stay clean.

use std::io::{self, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Reporter, Summary};
use crate::document::DocumentReport;

/// Batches of at most this many inputs get no bar: they finish before it would help.
const MIN_INPUTS: usize = 3;

/// Whether a batch of `inputs` files shows a bar: more than a few inputs, not `--quiet`, and
/// stderr is a terminal.
pub fn wanted(inputs: usize, quiet: bool) -> bool {
    shown(inputs, quiet, io::stderr().is_terminal())
}

fn shown(inputs: usize, quiet: bool, stderr_is_terminal: bool) -> bool {
    !quiet && stderr_is_terminal && inputs > MIN_INPUTS
}

/// A reporter that advances a progress bar on stderr as documents are reported. The bar is
/// cleared while the inner reporter writes, so a report streamed to the same terminal is not
/// torn, and removed when the batch is done.
pub struct WithProgress<'a> {
    inner: Box<dyn Reporter + 'a>,
    bar: ProgressBar,
}

impl<'a> WithProgress<'a> {
    /// Wraps `inner` with a bar for `total` documents.
    pub fn new(inner: Box<dyn Reporter + 'a>, total: usize) -> WithProgress<'a> {
        let style = ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} documents, {elapsed} (eta {eta}) {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
            .with_style(style);
        // Ticks on its own so a slow first file still shows the run is alive.
        bar.enable_steady_tick(Duration::from_millis(120));
        WithProgress { inner, bar }
    }
}

impl Reporter for WithProgress<'_> {
    fn document(&mut self, report: &DocumentReport) -> io::Result<()> {
        let result = self.bar.suspend(|| self.inner.document(report));
        self.bar.inc(1);
        self.bar.set_message(report.path.clone());
        result
    }

    fn waiver_notices(&mut self, notices: &[crate::waiver::Notice]) -> io::Result<()> {
        self.inner.waiver_notices(notices)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.bar.finish_and_clear();
        self.inner.finish(summary)
    }
}

impl Drop for WithProgress<'_> {
    fn drop(&mut self) {
        // A run that stops early (a write error) must not leave a bar behind.
        if !self.bar.is_finished() {
            self.bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_bar_only_for_bigger_batches_on_a_terminal_and_never_when_quiet() {
        // (inputs, quiet, stderr is a terminal) → shown
        let table = [
            ((4, false, true), true),
            ((1000, false, true), true),
            ((3, false, true), false),
            ((1, false, true), false),
            ((4, true, true), false),
            ((4, false, false), false),
            ((1000, false, false), false),
        ];
        for ((inputs, quiet, terminal), expected) in table {
            assert_eq!(
                shown(inputs, quiet, terminal),
                expected,
                "inputs={inputs} quiet={quiet} terminal={terminal}"
            );
        }
    }
}
