//! Every message in both languages: one sample of each variant, rendered in German and English
//! and checked to read as its language.

use super::*;
use crate::text::language_counts;

impl Message {
    /// One message of every kind, with sample details: for the tests that check every message
    /// exists in both languages. A new variant does not compile until it is listed in
    /// `Message::ordinal`, and the test fails until it is listed here.
    pub(crate) fn samples() -> Vec<Message> {
        let (word, odt) = (Format::Docx, Format::Odt);
        let detail = || "xref".to_string();
        vec![
            Message::SymlinkLoop,
            Message::FolderEntry { detail: detail() },
            Message::NotFound,
            Message::PermissionDenied,
            Message::ReadFailed { detail: detail() },
            Message::IsFolder,
            Message::OverMaxSize {
                size: Some(200),
                limit: 100,
            },
            Message::EmptyFile,
            Message::TextTooLarge {
                size: 500 << 20,
                limit: 390 << 20,
            },
            Message::Unsupported {
                extension: Some("rtf".into()),
            },
            Message::NotAPdf,
            Message::WordPassword,
            Message::OdtPassword,
            Message::OdtIsCompoundFile,
            Message::DamagedPackage {
                format: word,
                detail: detail(),
            },
            Message::PackagePartMissing {
                format: odt,
                part: "content.xml".into(),
            },
            Message::PackageEntryDamaged {
                format: word,
                part: "word/document.xml".into(),
                detail: detail(),
            },
            Message::MalformedXml {
                format: odt,
                part: "content.xml".into(),
                detail: detail(),
            },
            Message::PackageEncrypted { format: word },
            Message::ZipTooManyEntries {
                format: word,
                entries: 20_000,
                limit: 10_000,
            },
            Message::ZipTooLarge {
                format: word,
                part: "word/document.xml".into(),
                size: 1 << 30,
                entry_limit: 1 << 26,
                total_limit: 1 << 28,
            },
            Message::ZipRatio {
                format: odt,
                part: "content.xml".into(),
                ratio: 1000,
                limit: 200,
            },
            Message::PdfPassword,
            Message::NoPages,
            Message::NoReadablePage,
            Message::DamagedPdf { detail: detail() },
            Message::ParserPanicked { detail: detail() },
            Message::ParserCrashed {
                cause: Crash::StackOverflow,
            },
            Message::MemoryLimit { mib: 512 },
            Message::TextFlood { mib: 256 },
            Message::Timeout { seconds: 30.0 },
            Message::WorkerStart {
                exe: "/usr/bin/ampel".into(),
                detail: detail(),
            },
            Message::PdftotextFailed { detail: detail() },
            Message::PdftotextMissing,
            Message::PagesUnreadable {
                failed: 2,
                total: 6,
            },
            Message::NoTextLayer,
            Message::OcrFoundNoText,
            Message::OcrUnavailable {
                missing: "tesseract".into(),
            },
            Message::OcrFailed { detail: detail() },
            Message::AlmostNoText,
            Message::UnreliableText {
                garbled: true,
                issues: vec![Issue::Unreadable { per_mille: 900 }],
                extractor: "pdftotext".into(),
            },
            Message::DamagedText {
                unread: Unread::Partial,
            },
            Message::PartlyScanned { pages: vec![3, 4] },
            Message::NotADpa {
                labelled: false,
                addressed: 1,
            },
        ]
    }

    /// A distinct number per variant, for the completeness test of `Message::samples`.
    fn ordinal(&self) -> usize {
        use Message as M;
        match self {
            M::SymlinkLoop => 0,
            M::FolderEntry { .. } => 1,
            M::NotFound => 2,
            M::PermissionDenied => 3,
            M::ReadFailed { .. } => 4,
            M::IsFolder => 5,
            M::OverMaxSize { .. } => 6,
            M::EmptyFile => 7,
            M::Unsupported { .. } => 8,
            M::NotAPdf => 9,
            M::WordPassword => 10,
            M::OdtPassword => 11,
            M::OdtIsCompoundFile => 12,
            M::DamagedPackage { .. } => 13,
            M::PackagePartMissing { .. } => 14,
            M::PackageEntryDamaged { .. } => 15,
            M::MalformedXml { .. } => 16,
            M::PackageEncrypted { .. } => 17,
            M::ZipTooManyEntries { .. } => 18,
            M::ZipTooLarge { .. } => 19,
            M::ZipRatio { .. } => 20,
            M::PdfPassword => 21,
            M::NoPages => 22,
            M::NoReadablePage => 23,
            M::DamagedPdf { .. } => 24,
            M::ParserPanicked { .. } => 25,
            M::ParserCrashed { .. } => 26,
            M::MemoryLimit { .. } => 27,
            M::TextFlood { .. } => 28,
            M::Timeout { .. } => 29,
            M::WorkerStart { .. } => 30,
            M::PdftotextFailed { .. } => 31,
            M::PdftotextMissing => 32,
            M::PagesUnreadable { .. } => 33,
            M::NoTextLayer => 34,
            M::OcrFoundNoText => 35,
            M::OcrUnavailable { .. } => 36,
            M::OcrFailed { .. } => 37,
            M::AlmostNoText => 38,
            M::UnreliableText { .. } => 39,
            M::DamagedText { .. } => 40,
            M::PartlyScanned { .. } => 41,
            M::NotADpa { .. } => 42,
            M::TextTooLarge { .. } => 43,
        }
    }

    /// How many variants there are (one more than the largest `Message::ordinal`).
    const VARIANTS: usize = 44;
}

/// Checks that `de` and `en` are one text in two languages: both there, different, and
/// each read as its language by ampel's own language detection (stop words).
pub(crate) fn check_translated(what: &str, de: &str, en: &str) -> Vec<String> {
    let mut failures = Vec::new();
    if de.trim().is_empty() || en.trim().is_empty() {
        failures.push(format!("{what}: empty in one language: {de:?} / {en:?}"));
    }
    if de == en {
        failures.push(format!("{what}: not translated: {en:?}"));
    }
    let folded = |s: &str| crate::text::Text::from_snippet(s).flat.clone();
    let (de_de, de_en) = language_counts(&folded(de));
    let (en_de, en_en) = language_counts(&folded(en));
    if de_de < de_en || (de_de == 0 && de.split_whitespace().count() > 6) {
        failures.push(format!(
            "{what}: the German text does not read German: {de:?}"
        ));
    }
    if en_en < en_de || (en_en == 0 && en.split_whitespace().count() > 6) {
        failures.push(format!(
            "{what}: the English text does not read English: {en:?}"
        ));
    }
    failures
}

#[test]
fn every_message_exists_in_german_and_english() {
    let samples = Message::samples();
    let mut seen: Vec<usize> = samples.iter().map(Message::ordinal).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(
        seen,
        (0..Message::VARIANTS).collect::<Vec<_>>(),
        "Message::samples lists every variant once"
    );
    let mut failures = Vec::new();
    for m in &samples {
        failures.extend(check_translated(
            &format!("{m:?}"),
            &m.text(Language::De),
            &m.text(Language::En),
        ));
    }
    for cause in [
        Crash::OutOfMemory,
        Crash::StackOverflow,
        Crash::Signal(9),
        Crash::ExitCode(3),
        Crash::Abnormal,
    ] {
        let m = Message::ParserCrashed { cause };
        failures.extend(check_translated(
            &format!("{m:?}"),
            &m.text(Language::De),
            &m.text(Language::En),
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn messages_survive_the_worker_round_trip() {
    for m in Message::samples() {
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), m, "{json}");
    }
}
