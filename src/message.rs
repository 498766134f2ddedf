//! What ampel tells a person about one input, in German and English: why a file could not be
//! rated and what to do about it (the record's `message`), for every status.
//!
//! Messages are data ([`Message`]) until a report writes them in its language (`--lang`, else
//! the document's, else English), so one record reads the same in every format and no
//! message exists in one language only: each variant is written out in both, and a test
//! renders every variant in both and checks that each reads as its language. Details that
//! come from elsewhere — a parser's own error text, a file name — are quoted as they are.
//! The warnings of a record that was rated are [`crate::warning::Warning`]s, written the same
//! way.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::extract::Format;
use crate::extract::quality::Issue;
use crate::text::Language;

/// One status message, with what it needs to be written out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "id", rename_all = "snake_case")]
pub enum Message {
    // Reading the file.
    /// A symlink that points back into a folder above it.
    SymlinkLoop,
    /// A folder entry that cannot be read.
    FolderEntry {
        /// The system's error.
        detail: String,
    },
    /// No such file.
    NotFound,
    /// The file may not be read.
    PermissionDenied,
    /// Another read error.
    ReadFailed {
        /// The system's error.
        detail: String,
    },
    /// A folder where a file was expected.
    IsFolder,
    /// Over `--max-size`.
    OverMaxSize {
        /// The file's size, when known.
        size: Option<u64>,
        /// The limit in bytes.
        limit: u64,
    },
    /// Zero bytes.
    EmptyFile,
    /// The extracted text is longer than ampel can hold (positions in a text are 32-bit).
    TextTooLarge {
        /// The text's length in bytes.
        size: u64,
        /// The limit in bytes ([`crate::text::MAX_TEXT_BYTES`]).
        limit: u64,
    },

    // Formats.
    /// Not a format ampel reads.
    Unsupported {
        /// The file's extension, when it has one.
        extension: Option<String>,
    },
    /// Named `.pdf`, but neither a PDF nor text.
    NotAPdf,
    /// A password-protected Word file.
    WordPassword,
    /// A password-protected OpenDocument file.
    OdtPassword,
    /// An Office compound file named `.odt`.
    OdtIsCompoundFile,

    // Zip packages (Word, OpenDocument).
    /// The zip container cannot be read.
    DamagedPackage {
        /// Word or OpenDocument.
        format: Format,
        /// The zip reader's error.
        detail: String,
    },
    /// A part the format requires is missing.
    PackagePartMissing {
        /// Word or OpenDocument.
        format: Format,
        /// The part's name.
        part: String,
    },
    /// A part cannot be unpacked.
    PackageEntryDamaged {
        /// Word or OpenDocument.
        format: Format,
        /// The part's name.
        part: String,
        /// The zip reader's error.
        detail: String,
    },
    /// A part is not well-formed XML.
    MalformedXml {
        /// Word or OpenDocument.
        format: Format,
        /// The part's name.
        part: String,
        /// The XML parser's error.
        detail: String,
    },
    /// The parts are encrypted.
    PackageEncrypted {
        /// Word or OpenDocument.
        format: Format,
    },
    /// More zip entries than the limit.
    ZipTooManyEntries {
        /// Word or OpenDocument.
        format: Format,
        /// Entries in the file.
        entries: usize,
        /// The limit.
        limit: usize,
    },
    /// A part unpacks to more than the limit for one part, or than what is left of the limit
    /// for the whole file.
    ZipTooLarge {
        /// Word or OpenDocument.
        format: Format,
        /// The part's name.
        part: String,
        /// What it unpacks to (at least), in bytes.
        size: u64,
        /// The limit for one part, in bytes.
        entry_limit: u64,
        /// The limit for the whole file, in bytes.
        total_limit: u64,
    },
    /// A part compressed more than a document ever is.
    ZipRatio {
        /// Word or OpenDocument.
        format: Format,
        /// The part's name.
        part: String,
        /// Its compression ratio (`ratio`:1).
        ratio: u64,
        /// The limit.
        limit: u64,
    },

    // PDF.
    /// The PDF needs a password.
    PdfPassword,
    /// The PDF's page tree is empty.
    NoPages,
    /// No page of the page tree can be read.
    NoReadablePage,
    /// The parser cannot read the PDF.
    DamagedPdf {
        /// The parser's error.
        detail: String,
    },
    /// The parser panicked (contained).
    ParserPanicked {
        /// The panic's message.
        detail: String,
    },
    /// The parser's worker process died.
    ParserCrashed {
        /// How it died.
        cause: Crash,
    },
    /// The parser needed more memory than `--max-memory` allows.
    MemoryLimit {
        /// The limit in MiB.
        mib: u64,
    },
    /// The parser made more text than any contract has.
    TextFlood {
        /// The limit in MiB.
        mib: u64,
    },
    /// The parser did not finish in time.
    Timeout {
        /// The limit in seconds.
        seconds: f64,
    },
    /// The worker process could not be started.
    WorkerStart {
        /// The worker's path.
        exe: String,
        /// The system's error.
        detail: String,
    },
    /// pdftotext failed.
    PdftotextFailed {
        /// Its exit status or why it did not start.
        detail: String,
    },
    /// pdftotext is not installed (only when it is asked for by name).
    PdftotextMissing,

    // The text.
    /// Some pages no extractor could read, and too little text on the rest.
    PagesUnreadable {
        /// Pages lost.
        failed: usize,
        /// Pages in the document.
        total: usize,
    },
    /// No text layer (a scan).
    NoTextLayer,
    /// No text layer, and OCR found no text either.
    OcrFoundNoText,
    /// No text layer, and OCR is not installed.
    OcrUnavailable {
        /// What is missing.
        missing: String,
    },
    /// No text layer, and OCR failed.
    OcrFailed {
        /// What failed.
        detail: String,
    },
    /// A non-PDF file with almost no text.
    AlmostNoText,
    /// Text that is garbled or lossy with every extractor, in a file that is not damaged.
    UnreliableText {
        /// Garbled (else: incomplete).
        garbled: bool,
        /// What is wrong.
        issues: Vec<Issue>,
        /// The best extractor's name.
        extractor: String,
    },
    /// A damaged file whose readable text is garbled, or too little or too damaged to tell
    /// whether it is a processor contract.
    DamagedText {
        /// What was not read: the record's warnings say it in full.
        unread: Unread,
    },
    /// Pages without a text layer in a file whose other pages do not make an agreement.
    PartlyScanned {
        /// The pages without text.
        pages: Vec<u32>,
    },
    /// Read completely, but no processor contract.
    NotADpa {
        /// The text calls itself a processor contract.
        labelled: bool,
        /// Art. 28(3) clauses found.
        addressed: usize,
    },
}

/// How a parser's worker process died.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Crash {
    /// It ran out of memory with no limit set.
    OutOfMemory,
    /// Endless recursion.
    StackOverflow,
    /// Killed by a signal.
    Signal(i32),
    /// Exited with a code and no answer.
    ExitCode(i32),
    /// Ended otherwise.
    Abnormal,
}

/// Why a damaged file's text cannot be rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unread {
    /// The text that could be read is garbled.
    Garbled,
    /// The text that could be read does not look like a processor contract, but the part that
    /// could not be read may.
    Partial,
}

/// `de` or `en` text of one message: `tr!(lang, "deutsch {x}", "english {x}")`.
macro_rules! tr {
    ($lang:expr, $de:literal, $en:literal $(,)?) => {
        match $lang {
            Language::De => format!($de),
            Language::En => format!($en),
        }
    };
}

/// The name of a package format in running text.
fn format_name(format: Format, lang: Language) -> &'static str {
    match (format, lang) {
        (Format::Odt, Language::De) => "OpenDocument-Datei",
        (Format::Odt, Language::En) => "OpenDocument file",
        (_, Language::De) => "Word-Datei",
        (_, Language::En) => "Word file",
    }
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes / (1024 * 1024))
}

/// Pages as "3, 4, 7" (at most ten, then "…").
pub(crate) fn page_list(pages: &[u32]) -> String {
    let mut list: Vec<String> = pages.iter().take(10).map(u32::to_string).collect();
    if pages.len() > 10 {
        list.push("…".into());
    }
    list.join(", ")
}

/// The issues of a text, as one line.
pub(crate) fn issue_list(issues: &[Issue], lang: Language) -> String {
    issues
        .iter()
        .map(|i| i.describe(lang))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Message {
    /// The message in `lang`, with what to do next.
    pub fn text(&self, lang: Language) -> String {
        use Message as M;
        let l = lang;
        match self {
            M::SymlinkLoop => tr!(
                l,
                "Symlink-Schleife: dieser Link zeigt zurück in einen übergeordneten Ordner und wurde nicht verfolgt; sein Ziel direkt prüfen, falls es Verträge enthält",
                "symlink loop: this link points back into a folder above it, so it was not followed; scan its target directly if it holds agreements"
            ),
            M::FolderEntry { detail } => tr!(
                l,
                "dieser Ordnereintrag ist nicht lesbar ({detail}); Rechte und Datenträger prüfen",
                "cannot read this folder entry ({detail}); check its permissions and the disk"
            ),
            M::NotFound => tr!(
                l,
                "Datei nicht gefunden: den Pfad prüfen",
                "no such file: check the path"
            ),
            M::PermissionDenied => tr!(
                l,
                "Zugriff verweigert: ampel darf diese Datei nicht lesen; die Dateirechte prüfen",
                "permission denied: ampel cannot read this file; check its permissions"
            ),
            M::ReadFailed { detail } => tr!(
                l,
                "die Datei ist nicht lesbar ({detail}); Datenträger und Rechte prüfen",
                "cannot read the file ({detail}); check the disk and its permissions"
            ),
            M::IsFolder => tr!(l, "ist ein Ordner, keine Datei", "is a folder, not a file"),
            M::OverMaxSize { size, limit } => match size {
                Some(size) => tr!(
                    l,
                    "die Datei hat {size} Bytes, mehr als die Grenze von {limit} Bytes: zum Lesen --max-size erhöhen",
                    "file is {size} bytes, over the limit of {limit} bytes: raise --max-size to read it"
                ),
                None => tr!(
                    l,
                    "die Datei ist größer als die Grenze von {limit} Bytes: zum Lesen --max-size erhöhen",
                    "file is over the limit of {limit} bytes: raise --max-size to read it"
                ),
            },
            M::TextTooLarge { size, limit } => tr!(
                l,
                "der ausgelesene Text hat {size} Bytes, mehr als ampel in einem Dokument prüft ({limit} Bytes): das Dokument in Teile aufteilen und diese einzeln prüfen",
                "the extracted text is {size} bytes, more than ampel checks in one document ({limit} bytes): split the document and check its parts one by one"
            ),
            M::EmptyFile => tr!(
                l,
                "leere Datei (0 Bytes): nichts zu prüfen; Download oder Export ist wohl fehlgeschlagen, die Datei neu beschaffen",
                "empty file (0 bytes): nothing to analyse; the download or export probably failed, fetch the file again"
            ),
            M::Unsupported { extension } => match extension {
                Some(ext) => tr!(
                    l,
                    "nicht unterstütztes Format: .{ext}-Dateien liest ampel nicht; den Vertrag als PDF, Word (.docx), OpenDocument (.odt), HTML, Markdown oder Text speichern",
                    "unsupported format: .{ext} files are not read by ampel; convert the agreement to PDF, Word (.docx), OpenDocument (.odt), HTML, Markdown or text"
                ),
                None => tr!(
                    l,
                    "nicht unterstütztes Format: diesen Dateityp liest ampel nicht; den Vertrag als PDF, Word (.docx), OpenDocument (.odt), HTML, Markdown oder Text speichern",
                    "unsupported format: this file type is not read by ampel; convert the agreement to PDF, Word (.docx), OpenDocument (.odt), HTML, Markdown or text"
                ),
            },
            M::NotAPdf => tr!(
                l,
                "kein PDF (kein %PDF-Kopf in den ersten 1.024 Bytes) und kein Text: die Datei ist falsch benannt oder beschädigt; prüfen, was sie ist, und den Vertrag neu beschaffen",
                "not a PDF (no %PDF header in its first 1,024 bytes) and not text: the file is mislabelled or damaged; check what it is and fetch the agreement again"
            ),
            M::WordPassword => tr!(
                l,
                "passwortgeschützte Word-Datei: beim Anbieter eine ungeschützte Fassung anfordern oder die Datei öffnen und ohne Passwort speichern",
                "password-protected Word file: ask the vendor for an unprotected copy, or open it and save it without a password"
            ),
            M::OdtPassword => tr!(
                l,
                "passwortgeschützte OpenDocument-Datei: beim Anbieter eine ungeschützte Fassung anfordern oder die Datei öffnen und ohne Passwort speichern",
                "password-protected OpenDocument file: ask the vendor for an unprotected copy, or open it and save it without a password"
            ),
            M::OdtIsCompoundFile => tr!(
                l,
                "keine OpenDocument-Datei (eine Office-Verbunddatei mit der Endung .odt): die Datei ist falsch benannt; öffnen und neu speichern",
                "not an OpenDocument file (an Office compound file named .odt): the file is mislabelled; open and re-save it"
            ),
            M::DamagedPackage { format, detail } => {
                let f = format_name(*format, l);
                tr!(
                    l,
                    "beschädigte {f} ({detail}): der Zip-Container ist nicht lesbar; die Datei neu speichern oder exportieren",
                    "damaged {f} ({detail}): the zip container cannot be read; re-save or re-export the file"
                )
            }
            M::PackagePartMissing { format, part } => {
                let f = format_name(*format, l);
                tr!(
                    l,
                    "beschädigte {f}: der Teil {part} fehlt; die Datei neu speichern oder exportieren",
                    "damaged {f}: the part {part} is missing; re-save or re-export the file"
                )
            }
            M::PackageEntryDamaged {
                format,
                part,
                detail,
            } => {
                let f = format_name(*format, l);
                tr!(
                    l,
                    "beschädigte {f}: {part} lässt sich nicht entpacken ({detail}); die Datei neu speichern oder exportieren",
                    "damaged {f}: cannot unpack {part} ({detail}); re-save or re-export the file"
                )
            }
            M::MalformedXml {
                format,
                part,
                detail,
            } => {
                let f = format_name(*format, l);
                tr!(
                    l,
                    "beschädigte {f}: {part} ist kein wohlgeformtes XML ({detail}); die Datei neu speichern oder exportieren",
                    "damaged {f}: {part} is not well-formed XML ({detail}); re-save or re-export the file"
                )
            }
            M::PackageEncrypted { format } => {
                let f = format_name(*format, l);
                tr!(
                    l,
                    "verschlüsselte {f}: ihre Teile brauchen ein Passwort; beim Anbieter eine ungeschützte Fassung anfordern oder ohne Passwort speichern",
                    "encrypted {f}: its parts need a password; ask the vendor for an unprotected copy or save it without a password"
                )
            }
            M::ZipTooManyEntries {
                format,
                entries,
                limit,
            } => {
                let f = format_name(*format, l);
                tr!(
                    l,
                    "{f} mit {entries} Zip-Einträgen, mehr als die Grenze von {limit}: nicht gelesen (mögliche Zip-Bombe)",
                    "{f} with {entries} zip entries, over the limit of {limit}: not read (possible zip bomb)"
                )
            }
            M::ZipTooLarge {
                format,
                part,
                size,
                entry_limit,
                total_limit,
            } => {
                let f = format_name(*format, l);
                let (size, entry, total) = (mib(*size), mib(*entry_limit), mib(*total_limit));
                tr!(
                    l,
                    "{f}: {part} entpackt zu mehr als {size}, über der Grenze von {entry} je Teil bzw. {total} je Datei: nicht gelesen (mögliche Zip-Bombe)",
                    "{f}: {part} unpacks to more than {size}, over the limit of {entry} per part or {total} per file: not read (possible zip bomb)"
                )
            }
            M::ZipRatio {
                format,
                part,
                ratio,
                limit,
            } => {
                let f = format_name(*format, l);
                tr!(
                    l,
                    "{f}: {part} ist {ratio}:1 komprimiert, stärker als die Grenze von {limit}:1: nicht gelesen (mögliche Zip-Bombe)",
                    "{f}: {part} is compressed {ratio}:1, over the limit of {limit}:1: not read (possible zip bomb)"
                )
            }
            M::PdfPassword => tr!(
                l,
                "verschlüsseltes PDF, das ein Passwort braucht: beim Anbieter eine ungeschützte Fassung anfordern oder das Passwort entfernen (qpdf --decrypt --password=PASSWORT ein.pdf aus.pdf) und die Kopie prüfen",
                "encrypted PDF that needs a password: ask the vendor for an unprotected copy, or remove the password (qpdf --decrypt --password=PASSWORD in.pdf out.pdf) and scan the copy"
            ),
            M::NoPages => tr!(
                l,
                "das PDF hat keine Seiten: nichts zu prüfen; den Vertrag neu exportieren",
                "the PDF has no pages: nothing to analyse; re-export the agreement"
            ),
            M::NoReadablePage => tr!(
                l,
                "beschädigtes PDF: keine Seite seines Seitenbaums ist lesbar; die Datei neu herunterladen oder exportieren",
                "damaged PDF: no page of its page tree can be read; re-download or re-export the file"
            ),
            M::DamagedPdf { detail } => tr!(
                l,
                "beschädigtes oder abgeschnittenes PDF ({detail}): die Datei neu herunterladen oder exportieren",
                "damaged or truncated PDF ({detail}): re-download or re-export the file"
            ),
            M::ParserPanicked { detail } => tr!(
                l,
                "der PDF-Leser ist an dieser Datei gescheitert ({detail}); das PDF ist wohl beschädigt: neu exportieren oder speichern",
                "the PDF parser failed on this file ({detail}); the PDF is probably damaged: re-export or re-save it"
            ),
            M::ParserCrashed { cause } => {
                let cause = cause.text(l);
                tr!(
                    l,
                    "der PDF-Leser ist an dieser Datei abgestürzt: {cause}; das PDF ist beschädigt oder gebaut, um Leser zu Fall zu bringen: neu exportieren oder beim Anbieter eine saubere Fassung anfordern",
                    "the PDF parser crashed on this file: {cause}; the PDF is damaged or built to break parsers: re-export it or ask the vendor for a clean copy"
                )
            }
            M::MemoryLimit { mib } => tr!(
                l,
                "zum Lesen bräuchte der PDF-Leser mehr als die Speichergrenze von {mib} MiB (--max-memory): eine Dekompressionsbombe oder eine übergroße Seite; nur wenn die Datei echt ist, --max-memory erhöhen",
                "reading it needs more than the memory limit of {mib} MiB (--max-memory): a decompression bomb or an oversized page; raise --max-memory only if the file is genuine"
            ),
            M::TextFlood { mib } => tr!(
                l,
                "aus dem PDF entstünden mehr als {mib} MiB Text, weit mehr als in jedem Vertrag (Grenze der Textmenge): die Datei ist beschädigt oder gebaut, um Leser zu überfluten; neu exportieren",
                "the PDF makes the extractor produce more than {mib} MiB of text, far more than any contract (the limit on extracted text): the file is damaged or built to flood parsers; re-export it"
            ),
            M::Timeout { seconds } => tr!(
                l,
                "der PDF-Leser war nach {seconds} s nicht fertig und wurde gestoppt: die Datei ist womöglich gebaut, um Leser aufzuhalten; ist sie echt und sehr groß, --timeout erhöhen",
                "the PDF parser did not finish within {seconds} s and was stopped: the file may be built to hang parsers; if it is genuine and very large, raise --timeout"
            ),
            M::WorkerStart { exe, detail } => tr!(
                l,
                "der Auslese-Prozess {exe} lässt sich nicht starten ({detail}); die Installation von ampel prüfen",
                "cannot start the extraction worker {exe} ({detail}); check the ampel installation"
            ),
            M::PdftotextFailed { detail } => tr!(
                l,
                "pdftotext ist gescheitert ({detail})",
                "pdftotext failed ({detail})"
            ),
            M::PdftotextMissing => tr!(
                l,
                "pdftotext ist nicht installiert (Debian: apt-get install poppler-utils)",
                "pdftotext is not installed (Debian: apt-get install poppler-utils)"
            ),
            M::PagesUnreadable { failed, total } => tr!(
                l,
                "beschädigtes PDF: {failed} von {total} Seiten konnte kein Leser lesen (defekter oder übergroßer Seiteninhalt); die Datei neu herunterladen oder exportieren",
                "damaged PDF: {failed} of {total} pages could not be read by any extractor (broken or oversized page content); re-download or re-export the file"
            ),
            M::NoTextLayer => tr!(
                l,
                "keine Textebene: gescanntes oder reines Bild-PDF; mit --ocr prüfen (braucht tesseract) oder die Datei vorher per OCR erkennen lassen",
                "no text layer: scanned or image-only PDF; run with --ocr (needs tesseract) or OCR the file first"
            ),
            M::OcrFoundNoText => tr!(
                l,
                "keine Textebene, und die Texterkennung (OCR) fand auf den Seiten keinen Text: prüfen, ob der Scan lesbar ist (mindestens 200 dpi)",
                "no text layer, and OCR recognised no text on its pages: check that the scan is legible (at least 200 dpi)"
            ),
            M::OcrUnavailable { missing } => {
                let hint = crate::extract::ocr::INSTALL_HINT;
                tr!(
                    l,
                    "keine Textebene: gescanntes oder reines Bild-PDF, und OCR ist hier nicht verfügbar ({missing}): {hint} installieren",
                    "no text layer: scanned or image-only PDF, and OCR is not available here ({missing}): {hint}"
                )
            }
            M::OcrFailed { detail } => tr!(
                l,
                "keine Textebene: gescanntes oder reines Bild-PDF, und die Texterkennung ist gescheitert ({detail})",
                "no text layer: scanned or image-only PDF, and OCR failed ({detail})"
            ),
            M::AlmostNoText => tr!(
                l,
                "fast kein Text in dieser Datei: nichts zu prüfen",
                "almost no text in this file: nothing to analyse"
            ),
            M::UnreliableText {
                garbled,
                issues,
                extractor,
            } => {
                let issues = issue_list(issues, l);
                match garbled {
                    true => tr!(
                        l,
                        "die Textebene ist mit jedem Leser von ampel unlesbar ({issues}; am besten: {extractor}), eine Bewertung würde den Vertrag falsch lesen: die Schriften haben keine brauchbare Zeichenzuordnung; die Datei zuerst per OCR erkennen lassen (z. B. ocrmypdf --force-ocr) und das Ergebnis prüfen",
                        "the text layer is garbled ({issues}) with every extractor ampel has (best: {extractor}), so a rating would misread the agreement: the fonts carry no usable character mapping; run OCR first (e.g. ocrmypdf --force-ocr) and scan the result"
                    ),
                    false => tr!(
                        l,
                        "die Textebene ist mit jedem Leser von ampel unvollständig ({issues}; am besten: {extractor}), eine Bewertung würde den Vertrag falsch lesen: die Schriften haben keine brauchbare Zeichenzuordnung; die Datei zuerst per OCR erkennen lassen (z. B. ocrmypdf --force-ocr) und das Ergebnis prüfen",
                        "the text layer is incomplete ({issues}) with every extractor ampel has (best: {extractor}), so a rating would misread the agreement: the fonts carry no usable character mapping; run OCR first (e.g. ocrmypdf --force-ocr) and scan the result"
                    ),
                }
            }
            M::DamagedText { unread } => match unread {
                Unread::Garbled => tr!(
                    l,
                    "beschädigte Datei: was sich lesen ließ, ist mit jedem Leser unlesbar, also wird nicht bewertet (siehe Warnungen); die Datei neu herunterladen oder beim Anbieter neu anfordern",
                    "damaged file: what could be read is garbled with every extractor, so it is not rated (see the warnings); re-download the file or ask the vendor for it again"
                ),
                Unread::Partial => tr!(
                    l,
                    "beschädigte Datei, nur teilweise gelesen (siehe Warnungen): der gelesene Teil sieht nicht nach einem Auftragsverarbeitungsvertrag aus, der Rest kann es aber sein, also wird nicht bewertet; die Datei neu herunterladen oder beim Anbieter neu anfordern",
                    "damaged file, only partly read (see the warnings): the part that was read does not look like a data-processing agreement, but the rest may, so it is not rated; re-download the file or ask the vendor for it again"
                ),
            },
            M::PartlyScanned { pages } => {
                let pages = page_list(pages);
                tr!(
                    l,
                    "die Seiten {pages} haben keine Textebene (gescannt oder leer), und der übrige Text allein ist kein Auftragsverarbeitungsvertrag: mit --ocr prüfen (braucht tesseract), um die gescannten Seiten zu lesen",
                    "pages {pages} have no text layer (scanned or blank), and the other pages alone are no data-processing agreement: run with --ocr (needs tesseract) to read the scanned pages"
                )
            }
            M::NotADpa {
                labelled,
                addressed,
            } => match labelled {
                true => tr!(
                    l,
                    "kein Auftragsverarbeitungsvertrag: der Text nennt einen Vertrag zur Auftragsverarbeitung, aber nur {addressed} der Klauseln nach Art. 28 Abs. 3 DSGVO wurden gefunden; prüfen, ob dies der AVV des Anbieters selbst ist",
                    "not a data-processing agreement: it mentions a processor contract but only {addressed} of the Art. 28(3) clauses were found; check that this is the vendor's DPA/AVV itself"
                ),
                false => tr!(
                    l,
                    "kein Auftragsverarbeitungsvertrag: keine Sprache eines Vertrags zwischen Verantwortlichem und Auftragsverarbeiter, und nur {addressed} der Klauseln nach Art. 28 Abs. 3 DSGVO wurden gefunden; prüfen, ob dies der AVV des Anbieters selbst ist",
                    "not a data-processing agreement: no controller–processor contract language, and only {addressed} of the Art. 28(3) clauses were found; check that this is the vendor's DPA/AVV itself"
                ),
            },
        }
    }
}

impl Crash {
    fn text(self, lang: Language) -> String {
        let l = lang;
        match self {
            Crash::OutOfMemory => tr!(l, "ihm ging der Speicher aus", "it ran out of memory"),
            Crash::StackOverflow => tr!(
                l,
                "er geriet in eine endlose Rekursion (Stapelüberlauf), wie bei Seiteninhalt, der sich selbst zeichnet",
                "it recursed without end (stack overflow), as on self-referencing page content"
            ),
            Crash::Signal(signal) => tr!(
                l,
                "der Prozess wurde durch Signal {signal} beendet",
                "the worker was killed by signal {signal}"
            ),
            Crash::ExitCode(code) => tr!(
                l,
                "der Prozess endete mit Code {code}",
                "the worker exited with code {code}"
            ),
            Crash::Abnormal => tr!(
                l,
                "der Prozess endete unnormal",
                "the worker ended abnormally"
            ),
        }
    }
}

/// English, for logs and `Display` (reports choose their language).
impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Language::En))
    }
}

#[cfg(test)]
pub(crate) mod tests;
