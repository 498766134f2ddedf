//! poppler's `pdftotext` as a fallback extractor: the best word recall on our samples and on
//! damaged files, but an external program (Debian: poppler-utils), so it runs only when it is
//! installed, under the same time and memory limits as the worker ([`run_limited`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::pages::Pages;
use crate::extract::process::{Limits, Outcome, overflow_error, run_limited, timeout_error};
use crate::extract::{Error, ErrorKind, Page};
use crate::message::Message;

/// Name of the pdftotext extractor in reports.
pub(crate) const NAME: &str = "pdftotext";

/// The path of `pdftotext` when it is installed (looked up on `PATH` once).
pub fn path() -> Option<&'static Path> {
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

/// Runs `pdftotext -enc UTF-8 -eol unix - -` on `bytes`; pages are separated by form feeds.
pub(crate) fn pages(exe: &Path, bytes: &[u8], limits: Limits) -> Result<Pages, Error> {
    let mut command = Command::new(exe);
    // Not quiet: its syntax errors on stderr say the file is damaged.
    command.args(["-enc", "UTF-8", "-eol", "unix", "-", "-"]);
    let failed =
        |detail: String| Error::new(ErrorKind::Corrupt, Message::PdftotextFailed { detail });
    match run_limited(command, bytes, limits) {
        Err(e) => Err(failed(format!("cannot start: {e}"))),
        Ok(Outcome::TimedOut) => Err(timeout_error(limits.timeout)),
        Ok(Outcome::Exited { overflow: true, .. }) => Err(overflow_error()),
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
