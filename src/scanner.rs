//! The library entry point for programs that embed ampel instead of running the binary: one
//! file (or one file's bytes) in, the same record `ampel scan --format jsonl` writes out.
//!
//! [`scan_path`] and [`scan_bytes`] use the built-in rules and default limits; a [`Scanner`]
//! holds other rules, a report language and extraction settings, and is reused across files
//! (the rule pack is compiled once). Both never fail as a whole: a file that cannot be read is
//! a record with its `status` and `message`, exactly as in the JSON output.

use std::path::Path;
use std::sync::OnceLock;

use crate::batch::{self, Input, Options};
use crate::extract::Settings;
use crate::report::wire::{self, DocumentRecord, SCHEMA_VERSION};
use crate::rules::{self, Pack};
use crate::text::Language;

/// Rates agreements with one rule pack, language and set of limits.
///
/// ```
/// let scanner = ampel::Scanner::new().unwrap().lang(ampel::text::Language::En);
/// let record = scanner.scan_bytes(
///     "notes.txt",
///     b"Minutes of the team meeting: lunch moves to 12:30, the printer is fixed.",
/// );
/// assert_eq!(record.status, "not_a_dpa");
/// assert_eq!(record.ampel, "unknown");
/// assert!(record.message.unwrap().starts_with("not a data-processing agreement"));
/// ```
#[derive(Debug)]
pub struct Scanner {
    pack: Pack,
    lang: Option<Language>,
    options: Options,
}

impl Scanner {
    /// A scanner with the built-in rules, messages in each document's language, and PDF
    /// extraction in this process (panics contained; see [`Scanner::settings`] for worker
    /// processes with time and memory limits).
    pub fn new() -> Result<Scanner, rules::Errors> {
        Ok(Scanner::with_pack(Pack::embedded()?))
    }

    /// A scanner with `pack` (e.g. [`Pack::with_dirs`] for the built-in rules and your own).
    pub fn with_pack(pack: Pack) -> Scanner {
        Scanner {
            pack,
            lang: None,
            options: Options::default(),
        }
    }

    /// Titles, recommendations, messages and warnings in `lang` (like `--lang`).
    pub fn lang(mut self, lang: Language) -> Scanner {
        self.lang = Some(lang);
        self
    }

    /// How PDFs are extracted: worker process, time and memory limits, fallbacks, OCR.
    pub fn settings(mut self, settings: Settings) -> Scanner {
        self.options.extraction = settings;
        self
    }

    /// The largest file [`Scanner::scan_path`] reads, in bytes (like `--max-size`).
    pub fn max_size(mut self, bytes: u64) -> Scanner {
        self.options.max_size = bytes;
        self
    }

    /// Rates the file at `path`; the record's `path` is `path` as given.
    pub fn scan_path(&self, path: impl AsRef<Path>) -> DocumentRecord {
        let path = path.as_ref();
        let input = Input {
            path: path.to_path_buf(),
            shown: path.display().to_string(),
            problem: None,
        };
        self.record(&batch::analyse_input(&input, &self.pack, &self.options))
    }

    /// Rates `bytes`, the content of a file called `name` (its extension helps to recognise
    /// the format; the content decides where it is clear).
    pub fn scan_bytes(&self, name: &str, bytes: &[u8]) -> DocumentRecord {
        let report = batch::analyse_bytes_with(
            name,
            Path::new(name),
            bytes,
            &self.pack,
            &self.options.extraction,
        );
        self.record(&report)
    }

    fn record(&self, report: &crate::document::DocumentReport) -> DocumentRecord {
        let mut record = wire::record(report, self.lang);
        record.schema_version = Some(SCHEMA_VERSION);
        record
    }
}

/// The scanner behind [`scan_path`] and [`scan_bytes`].
fn default_scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| {
        // The built-in pack is compiled into the binary and checked by `cargo test`.
        Scanner::new().expect("the built-in rule pack is valid")
    })
}

/// Rates the file at `path` with the built-in rules: the record `ampel scan PATH --format
/// jsonl` writes, as a value.
///
/// ```no_run
/// let record = ampel::scan_path("vendor-avv.pdf");
/// match record.status.as_str() {
///     "ok" => println!("{}: {}", record.path, record.ampel),
///     status => eprintln!("{}: {status}: {}", record.path, record.message.unwrap_or_default()),
/// }
/// ```
pub fn scan_path(path: impl AsRef<Path>) -> DocumentRecord {
    default_scanner().scan_path(path)
}

/// Rates `bytes`, a file called `name`, with the built-in rules (see [`scan_path`]).
///
/// ```
/// let record = ampel::scan_bytes("empty.pdf", b"");
/// assert_eq!(record.status, "no_text");
/// assert_eq!(record.schema_version, Some(1));
/// let json = serde_json::to_string(&record).unwrap();
/// assert!(json.contains(r#""status":"no_text""#));
/// ```
pub fn scan_bytes(name: &str, bytes: &[u8]) -> DocumentRecord {
    default_scanner().scan_bytes(name, bytes)
}
