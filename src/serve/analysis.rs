//! One upload through the library, and the answer the page gets: the document analysed by
//! [`ampel::batch::analyse_bytes_with`] with the extraction settings of `ampel scan` (PDFs in
//! the worker process, with its time and memory limits), then shown in German and English
//! ([`super::view`]) and written as the downloads: the JSON and HTML reports of `ampel scan`
//! and, for a rated document, the letter to the vendor of `ampel letter` as Markdown and DOCX.
//!
//! The bytes stay in memory. The client's file name is only shown: it is cut to its last
//! component and cleaned, and only a known extension from it reaches the library, as a hint
//! for the format, never as a path to open.

use std::path::PathBuf;

use ampel::batch::{self, DocumentReport};
use ampel::extract::Settings;
use ampel::report::letter::Letter;
use ampel::report::{self, Format, Summary, docx};
use ampel::rules::Pack;
use ampel::text::Language;
use base64::Engine as _;
use serde::Serialize;

use super::view::{View, view};

/// Longest file name shown, in characters.
const MAX_NAME: usize = 200;

/// Extensions passed on as a format hint; anything else is left to content detection.
const EXTENSIONS: &[&str] = &[
    "pdf", "docx", "docm", "dotx", "odt", "ott", "html", "htm", "xhtml", "md", "markdown", "txt",
    "text", "doc", "rtf",
];

/// What the server knows of an upload besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The file name as shown in the page and the reports: the client's, cleaned.
    pub name: String,
    /// A path that exists nowhere (`upload.pdf`), whose extension hints at the format.
    pub hint: PathBuf,
}

impl Upload {
    /// The upload named `raw` by the client (or not named).
    pub fn named(raw: Option<&str>) -> Upload {
        let raw = raw.unwrap_or("");
        // Browsers send the bare name, but a client may send a path of either kind.
        let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
        let mut name: String = last
            .chars()
            .filter(|c| !c.is_control() && !matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
            .take(MAX_NAME)
            .collect();
        name = name.trim().to_string();
        if name.is_empty() || name == "." || name == ".." {
            name = "upload".into();
        }
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .filter(|e| EXTENSIONS.contains(&e.as_str()));
        let hint = match extension {
            Some(e) => PathBuf::from(format!("upload.{e}")),
            None => PathBuf::from("upload"),
        };
        Upload { name, hint }
    }
}

/// A pair of one thing in German and in English.
#[derive(Debug, Clone, Serialize)]
pub struct Both<T> {
    /// German.
    pub de: T,
    /// English.
    pub en: T,
}

impl<T> Both<T> {
    fn new(mut make: impl FnMut(Language) -> T) -> Both<T> {
        Both {
            de: make(Language::De),
            en: make(Language::En),
        }
    }
}

/// The files to download for one document in one language.
#[derive(Debug, Clone, Serialize)]
pub struct Downloads {
    /// `ampel scan --format json` of this file.
    pub json: String,
    /// `ampel scan --format html` of this file.
    pub html: String,
    /// `ampel letter` as Markdown; `None` when the document was not rated.
    pub letter_markdown: Option<String>,
    /// `ampel letter --format docx`, in base64; `None` when not rated (or it failed).
    pub letter_docx: Option<String>,
}

/// The answer to one upload.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The file name as shown.
    pub name: String,
    /// The status (`ok`, `corrupt`, …).
    pub status: &'static str,
    /// `red`, `yellow`, `green`, or `unknown`.
    pub ampel: &'static str,
    /// What the page shows.
    pub views: Both<View>,
    /// What the page offers to download.
    pub downloads: Both<Downloads>,
}

/// Analyses `bytes` and builds the answer. Blocking: PDFs run in worker processes.
pub fn answer(upload: &Upload, bytes: &[u8], pack: &Pack, settings: &Settings) -> Answer {
    let report = batch::analyse_bytes_with(&upload.name, &upload.hint, bytes, pack, settings);
    let views = Both::new(|lang| view(&report, lang));
    Answer {
        name: upload.name.clone(),
        status: report.status.as_str(),
        ampel: views.en.light,
        downloads: Both::new(|lang| downloads(&report, pack, lang)),
        views,
    }
}

fn downloads(report: &DocumentReport, pack: &Pack, lang: Language) -> Downloads {
    let letter = Letter::new(report, pack, lang);
    Downloads {
        json: scan_report(report, Format::Json, lang, pack),
        html: scan_report(report, Format::Html, lang, pack),
        letter_markdown: letter.as_ref().map(Letter::markdown),
        letter_docx: letter
            .as_ref()
            .and_then(|l| docx::docx(l).ok())
            .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes)),
    }
}

/// The report `ampel scan --format FORMAT --lang LANG` writes for this one document.
fn scan_report(report: &DocumentReport, format: Format, lang: Language, pack: &Pack) -> String {
    let mut out = Vec::new();
    let mut summary = Summary::default();
    summary.add(report);
    let written = {
        let mut reporter = report::reporter(format, &mut out, Some(lang), pack);
        reporter
            .document(report)
            .and_then(|()| reporter.finish(&summary))
    };
    match written {
        // The reporters write UTF-8.
        Ok(()) => String::from_utf8_lossy(&out).into_owned(),
        Err(e) => format!("ampel could not write this report: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_name_is_shown_never_used_as_a_path() {
        let table = [
            // (client's name, shown, hint)
            (Some("Vertrag ACME.pdf"), "Vertrag ACME.pdf", "upload.pdf"),
            (Some("../../etc/passwd"), "passwd", "upload"),
            (Some("C:\\Users\\x\\avv.DOCX"), "avv.DOCX", "upload.docx"),
            (Some("/tmp/a.odt/"), "upload", "upload"),
            (Some(".."), "upload", "upload"),
            (Some("evil\u{202e}fdp.exe"), "evilfdp.exe", "upload"),
            (Some("line\nbreak.md"), "linebreak.md", "upload.md"),
            (
                Some("<img src=x onerror=alert(1)>.html"),
                "<img src=x onerror=alert(1)>.html",
                "upload.html",
            ),
            (Some("noextension"), "noextension", "upload"),
            (None, "upload", "upload"),
        ];
        for (raw, shown, hint) in table {
            let upload = Upload::named(raw);
            assert_eq!(upload.name, shown, "{raw:?}");
            assert_eq!(upload.hint, PathBuf::from(hint), "{raw:?}");
        }
        let long = "a".repeat(1000) + ".pdf";
        assert_eq!(Upload::named(Some(&long)).name.chars().count(), MAX_NAME);
    }

    #[test]
    fn the_answer_carries_both_languages_and_every_download() {
        let pack = Pack::embedded().unwrap();
        let text = include_str!("../../corpus/src/de-red-kitaapp.md");
        let upload = Upload::named(Some("avv.md"));
        let a = answer(&upload, text.as_bytes(), &pack, &Settings::default());
        assert_eq!((a.status, a.ampel), ("ok", "red"));
        for d in [&a.downloads.de, &a.downloads.en] {
            let json: serde_json::Value = serde_json::from_str(&d.json).unwrap();
            assert_eq!(json["documents"][0]["path"], "avv.md");
            assert!(d.html.starts_with("<!DOCTYPE html>"));
            assert!(
                d.letter_markdown
                    .as_deref()
                    .is_some_and(|m| m.starts_with("# "))
            );
            let docx = base64::engine::general_purpose::STANDARD
                .decode(d.letter_docx.as_deref().unwrap())
                .unwrap();
            assert!(docx.starts_with(b"PK"));
        }
        assert!(a.downloads.de.html.contains(r#"<html lang="de">"#));
        assert!(a.downloads.en.html.contains(r#"<html lang="en">"#));
    }

    #[test]
    fn a_damaged_file_has_no_letter() {
        let pack = Pack::embedded().unwrap();
        let upload = Upload::named(Some("broken.pdf"));
        let a = answer(&upload, b"%PDF-1.4\n%%EOF", &pack, &Settings::default());
        assert_eq!(a.ampel, "unknown");
        assert_ne!(a.status, "ok");
        assert!(a.downloads.en.letter_markdown.is_none());
        assert!(a.downloads.en.letter_docx.is_none());
        assert!(a.downloads.en.json.contains(a.status));
    }
}
