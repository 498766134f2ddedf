//! Ctrl-C (and SIGTERM, SIGHUP): a run stopped from outside leaves no half-written `-o` file.
//!
//! The report is written to a temporary file that is renamed into place only when complete
//! ([`ampel::report::destination::AtomicFile`]); it is removed when dropped, but a signal ends
//! the process without running destructors. The handler (the `ctrlc` crate: one portable,
//! well-kept way to catch SIGINT and SIGTERM on every platform) removes it and exits with
//! 130, the shell's code for a run ended by Ctrl-C.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary report file to remove when the run is interrupted.
static PARTIAL: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Removes `temporary` if the run is interrupted before it is renamed into place (removing it
/// after the rename fails harmlessly: the report is then complete).
pub fn remove_on_interrupt(temporary: &Path) {
    if let Ok(mut partial) = PARTIAL.lock() {
        *partial = Some(temporary.to_path_buf());
    }
    // Only fails if a handler is set already: then it is this one.
    let _ = ctrlc::set_handler(|| {
        if let Some(path) = PARTIAL.lock().ok().and_then(|mut p| p.take()) {
            let _ = std::fs::remove_file(path);
        }
        std::process::exit(130);
    });
}
