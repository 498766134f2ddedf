//! Arbitrary bytes through extraction, normalisation, matching and assessment, in-process.
//!
//! Panics inside pdf-extract are caught by ampel; what this finds are panics in ampel's own
//! code, and aborts, hangs or memory blow-ups inside the PDF parser (which the binary survives
//! through its extraction worker; see `tests/hostile.rs`).

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static PACK: OnceLock<ampel::rules::Pack> = OnceLock::new();

/// In-process, without external programs: pdf-extract, the quality checks and the lopdf
/// fallback are all our address space, so the fuzzer sees everything they do.
fn settings() -> ampel::extract::Settings {
    ampel::extract::Settings {
        worker: None,
        pdftotext: false,
        ..Default::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let pack = PACK.get_or_init(|| ampel::rules::Pack::embedded().expect("embedded pack"));
    // The first byte picks the file name, so text, Markdown and unknown formats are reached too.
    let name = match data.first().map(|b| b % 4) {
        Some(1) => "fuzz.md",
        Some(2) => "fuzz.txt",
        Some(3) => "fuzz.bin",
        _ => "fuzz.pdf",
    };
    let report = ampel::batch::analyse_bytes_with(name, Path::new(name), data, pack, &settings());
    // Every record says what happened; anything but ok carries a message.
    assert!(report.status == ampel::document::Status::Ok || report.message.is_some());
});
