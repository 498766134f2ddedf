//! OCR of scanned PDF pages with Debian's `tesseract` (German and English) and `pdftoppm`.
//!
//! A page whose text layer has fewer than [`MIN_PAGE_CHARS`] visible characters is rendered
//! with `pdftoppm -r 300` into a temporary folder and recognised with
//! `tesseract -l deu+eng`; its text replaces the empty text layer and the page is marked
//! [`Page::ocr`](super::Page::ocr), so evidence quoted from it is flagged as possibly
//! containing recognition errors. Both programs run as child processes with a time limit
//! ([`run_limited`], as the PDF worker does), one page at a time, with `OMP_THREAD_LIMIT=1`
//! so that tesseract does not compete with the batch's own parallelism.
//!
//! Without the programs, a document that has no text at all is reported as `no_text` with
//! [`INSTALL_HINT`]; a document that has some text is analysed on that text.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{LazyLock, OnceLock};
use std::time::Duration;

use regex::Regex;

use super::process::{self, Limits, Outcome, run_limited};
use super::{Document, Error, ErrorKind};
use crate::message::Message;

/// What to install for `--ocr` (Debian package names).
pub const INSTALL_HINT: &str =
    "install tesseract-ocr, tesseract-ocr-deu, tesseract-ocr-eng and poppler-utils";

/// A page with fewer visible characters than this in its text layer is recognised by OCR.
pub const MIN_PAGE_CHARS: usize = 20;

/// Resolution pages are rendered at: tesseract reads 10–12 pt print best at about 300 dpi.
const DPI: &str = "300";

/// Languages tesseract recognises (both are tried on every page: contracts mix them).
const LANGUAGES: &str = "deu+eng";

/// Longest time one rendering or recognition of one page may take.
const STEP_LIMIT: Duration = Duration::from_secs(120);

/// Whether OCR can run here: `Ok` or what is missing. Checked once per process.
pub fn availability() -> Result<(), String> {
    static CHECK: OnceLock<Result<(), String>> = OnceLock::new();
    CHECK.get_or_init(check_tools).clone()
}

fn check_tools() -> Result<(), String> {
    let output = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{program} cannot be run ({e})"))
    };
    output("pdftoppm", &["-v"])?;
    let langs = output("tesseract", &["--list-langs"])?;
    let listed = String::from_utf8_lossy(&langs.stdout).to_string()
        + &String::from_utf8_lossy(&langs.stderr);
    let missing: Vec<&str> = ["deu", "eng"]
        .into_iter()
        .filter(|l| !listed.lines().any(|line| line.trim() == *l))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "tesseract has no language data for {}",
            missing.join(" and ")
        ))
    }
}

/// Recognises, in place, the pages of `document` (extracted from the PDF `pdf`) that have
/// no usable text layer.
pub(super) fn recognise(document: &mut Document, pdf: &[u8]) -> Result<(), Error> {
    let wanted: Vec<usize> = document
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| visible(&p.text) < MIN_PAGE_CHARS)
        .map(|(i, _)| i)
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let no_text = wanted.len() == document.pages.len();
    if let Err(missing) = availability() {
        if no_text {
            return Err(Error::new(
                ErrorKind::NoText,
                Message::OcrUnavailable { missing },
            ));
        }
        return Ok(());
    }
    let dir = tempfile::Builder::new()
        .prefix("ampel-ocr-")
        .tempdir()
        .map_err(|e| ocr_error(format!("cannot create a temporary folder ({e})")))?;
    let input = dir.path().join("input.pdf");
    std::fs::write(&input, pdf)
        .map_err(|e| ocr_error(format!("cannot write a temporary copy ({e})")))?;
    let mut recognised = 0;
    let mut failure = None;
    for index in wanted {
        let number = document.pages[index].number;
        match page(dir.path(), &input, number) {
            Ok(text) => {
                let page = &mut document.pages[index];
                page.text = text;
                page.ocr = true;
                recognised += 1;
            }
            Err(e) => {
                failure.get_or_insert(format!("page {number}: {e}"));
            }
        }
    }
    if recognised > 0 {
        document.extractor = match document.extractor {
            "pdf-extract" => "pdf-extract+tesseract",
            _ => "tesseract",
        };
    }
    match failure {
        Some(e) if recognised == 0 && no_text => Err(ocr_error(e)),
        _ => Ok(()),
    }
}

fn ocr_error(detail: String) -> Error {
    Error::new(ErrorKind::NoText, Message::OcrFailed { detail })
}

fn visible(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Renders page `number` of `input` and recognises it.
fn page(dir: &Path, input: &Path, number: u32) -> Result<String, String> {
    let n = number.to_string();
    let image_base = dir.join(format!("page-{number}"));
    let mut render = Command::new("pdftoppm");
    render
        .args([
            "-r",
            DPI,
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &n,
            "-l",
            &n,
        ])
        .arg(input)
        .arg(&image_base);
    run(render, "pdftoppm")?;
    let image = with_extension(&image_base, "png");
    let text_base = dir.join(format!("text-{number}"));
    let mut recognise = Command::new("tesseract");
    recognise
        .arg(&image)
        .arg(&text_base)
        .args(["-l", LANGUAGES, "--psm", "3"])
        .env("OMP_THREAD_LIMIT", "1");
    run(recognise, "tesseract")?;
    let text = std::fs::read_to_string(with_extension(&text_base, "txt"))
        .map_err(|e| format!("tesseract wrote no text ({e})"))?;
    // Best effort: the folder is removed with the document anyway.
    let _ = std::fs::remove_file(&image);
    Ok(repair(&text.replace('\x0c', "")).trim_end().to_string())
}

/// `§` read as `$`: at the start of a line before a clause number and title ("$ 3
/// Vertraulichkeit", "$1 Gegenstand"), or after a German word that cites a paragraph
/// ("gemäß $ 5", "nach $$ 3"). Without the repair such a heading is no section boundary.
static PARAGRAPH_SIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)(?P<lead>^[ \t]*|\b(?:gemäß|gem\.|nach|vgl\.|siehe|des|dem|im|aus|laut)\s)(?P<sign>\$\$?)\s?(?P<num>\d{1,3}[a-z]?\b)",
    )
    .expect("paragraph sign regex")
});

/// Roman annex numbers with `I` read as `l` ("Annex Ill", "Anlage lI").
static ROMAN_ANNEX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?P<word>Annex|Anlage|Anhang|Appendix|Schedule|Exhibit|Teil|Part)\s+(?P<num>[IVl]*l[IVl]*)\b")
        .expect("roman annex regex")
});

/// A line that starts like a clause heading ("§ 3", "4.2 ", "Anlage 1", "Article 5").
static CLAUSE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(§|#|\d{1,2}(\.\d{1,2})*\.?\s|(Anlage|Anhang|Annex|Appendix|Article|Artikel|Clause|Section)\s)")
        .expect("clause start regex")
});

/// Repairs recognition errors that change the structure of a contract: `§` read as `$`
/// (see [`PARAGRAPH_SIGN`]), `I` read as `l` in annex numbers (see [`ROMAN_ANNEX`]) and
/// paragraphs cut in two (see [`rejoin_paragraphs`]). Other errors are left as they are,
/// and the page stays marked as OCR.
fn repair(text: &str) -> String {
    let signs = PARAGRAPH_SIGN.replace_all(text, |c: &regex::Captures<'_>| {
        let sign = if &c["sign"] == "$$" { "§§" } else { "§" };
        format!("{}{sign} {}", &c["lead"], &c["num"])
    });
    let annexes = ROMAN_ANNEX.replace_all(&signs, |c: &regex::Captures<'_>| {
        format!("{} {}", &c["word"], c["num"].replace('l', "I"))
    });
    rejoin_paragraphs(&annexes)
}

/// Tesseract sometimes ends a paragraph block in the middle of a sentence (its last line set
/// apart by a blank line), which would cut the sentence in two. A blank line is dropped when
/// the line before it is left open (no closing punctuation) and either the next line starts
/// in lower case or the open line is a long line of running text (not a heading).
fn rejoin_paragraphs(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        out.push_str(line);
        let mut next = i + 1;
        while next < lines.len() && lines[next].trim().is_empty() {
            next += 1;
        }
        if next >= lines.len() {
            break;
        }
        if next == i + 1 {
            out.push('\n');
        } else {
            let prev = line.trim();
            let open = !prev.is_empty() && !prev.ends_with(['.', ':', ';', '!', '?']);
            let lower_next = lines[next].trim_start().starts_with(char::is_lowercase);
            let running = prev.chars().count() >= 50 && !CLAUSE_START.is_match(prev);
            out.push_str(if open && (lower_next || running) {
                "\n"
            } else {
                "\n\n"
            });
        }
        i = next;
    }
    out
}

fn with_extension(base: &Path, ext: &str) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// Runs `command` to completion within [`STEP_LIMIT`], killing it after that.
fn run(command: Command, name: &str) -> Result<(), String> {
    let limits = Limits {
        timeout: STEP_LIMIT,
        max_memory: None,
    };
    match run_limited(command, b"", limits) {
        Ok(Outcome::Exited { status, .. }) if status.success() => Ok(()),
        Ok(Outcome::Exited { status, .. }) => Err(format!("{name} failed ({status})")),
        Ok(Outcome::TimedOut) => Err(format!(
            "{name} took longer than {} s",
            STEP_LIMIT.as_secs()
        )),
        Err(process::Error::Start(e)) => Err(format!("{name} cannot be run ({e})")),
        Err(process::Error::Wait(e)) => Err(format!("{name} could not be waited for ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, Page};
    use super::*;

    fn scanned(pages: u32) -> Document {
        Document {
            format: Format::Pdf,
            pages: (1..=pages).map(|n| Page::new(n, String::new())).collect(),
            extractor: "pdf-extract",
        }
    }

    #[test]
    fn paragraph_signs_read_as_dollars_are_repaired() {
        assert_eq!(
            repair(
                "$ 3 Vertraulichkeit\n$1 Gegenstand\nDie Pflichten gemäß $ 5 und nach $$ 3 ff.\nThe fee is $ 3 million."
            ),
            "§ 3 Vertraulichkeit\n§ 1 Gegenstand\nDie Pflichten gemäß § 5 und nach §§ 3 ff.\nThe fee is $ 3 million."
        );
        assert_eq!(
            repair("Annex Ill – Sub-processors\nAnlage lI\nAnlage 1\nAnnex I\nPart less"),
            "Annex III – Sub-processors\nAnlage II\nAnlage 1\nAnnex I\nPart less"
        );
    }

    #[test]
    fn paragraphs_cut_by_recognition_are_rejoined() {
        let page = "2.2 The Processor shall inform the Controller if, in its opinion, an instruction\n\ninfringes the GDPR.\n\n§ 3 Vertraulichkeit\n\nDer Auftragnehmer gewährleistet, dass sich die zur Verarbeitung befugten\n\nPersonen zur Vertraulichkeit verpflichtet haben.\n\nNext paragraph.";
        assert_eq!(
            repair(page),
            "2.2 The Processor shall inform the Controller if, in its opinion, an instruction\ninfringes the GDPR.\n\n§ 3 Vertraulichkeit\n\nDer Auftragnehmer gewährleistet, dass sich die zur Verarbeitung befugten\nPersonen zur Vertraulichkeit verpflichtet haben.\n\nNext paragraph."
        );
    }

    #[test]
    fn pages_with_a_text_layer_are_left_alone() {
        let mut doc = scanned(1);
        doc.pages[0].text = "Auftragsverarbeitungsvertrag nach Art. 28 DSGVO".into();
        recognise(&mut doc, b"%PDF-1.4 never read").unwrap();
        assert!(!doc.pages[0].ocr);
        assert_eq!(doc.extractor, "pdf-extract");
    }

    #[test]
    fn unrenderable_scan_is_no_text_with_a_reason() {
        // Whether or not the tools are installed, a scan that cannot be rendered gives
        // `no_text` with a message that says why, never an empty success.
        let mut doc = scanned(2);
        let err = recognise(&mut doc, b"%PDF-1.4 not really a pdf").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NoText);
        let message = err.to_string();
        match availability() {
            Ok(()) => assert!(message.contains("OCR failed"), "{message}"),
            Err(_) => assert!(message.contains(INSTALL_HINT), "{message}"),
        }
        assert!(doc.pages.iter().all(|p| !p.ocr));
    }
}
