//! How far a record can be trusted: the warnings about how its text was read, and whether it
//! was read completely.
//!
//! A rating is only as good as the text behind it. [`Reading::of`] looks at what extraction
//! reports — which PDF extractors were tried and what each gave
//! ([`crate::extract::quality::Attempt`]), the chosen text's quality issues, OCR, the file's
//! own bytes (a PDF cut before its `%%EOF`, junk before its header) — and turns it into
//! [`Warning`]s. Some warnings mean content was **not read** ([`Warning::partial`]): pages no
//! extractor could read, pages without a text layer, errors the reader found in the file, a
//! truncated file, an extractor stopped at a size limit. Such a document is *partly read*: it
//! can be red or yellow but never green (the missing part may hold the defect), and it is
//! never judged "not a DPA" (the missing part may be the agreement); see
//! [`crate::document::DocumentReport::rate`].

use serde::{Deserialize, Serialize};

use crate::extract::header_offset;
use crate::extract::quality::{Attempt, Issue, Outcome, Quality};
use crate::extract::{Document, ErrorKind, Format};
use crate::message::{Message, issue_list, page_list};
use crate::text::Language;

/// One thing a reader of the rating should know about how the text was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Warning {
    /// Pages of the page tree that no extractor could read.
    PagesFailed {
        /// Their numbers, where known (empty: only the count is known).
        pages: Vec<u32>,
        /// How many.
        failed: usize,
        /// Pages in the document.
        total: usize,
        /// The extractor whose text was rated.
        extractor: String,
        /// The other extractors tried, which did not read them either.
        tried: Vec<String>,
    },
    /// Pages without any text: no text layer (scanned), undecodable, or blank.
    PagesWithoutText {
        /// Their numbers.
        pages: Vec<u32>,
    },
    /// Pages OCR was asked to read and could not.
    OcrFailed {
        /// Their numbers.
        pages: Vec<u32>,
    },
    /// The reader reported errors in the file's structure: the file is damaged, and text may
    /// be missing even where what was read looks sound.
    Damaged {
        /// The extractor that reported them.
        extractor: String,
        /// How many.
        errors: usize,
    },
    /// The PDF does not end with `%%EOF`: it was cut off (an interrupted download or copy).
    Truncated,
    /// An extractor stopped at a size or memory limit; another one's text was rated.
    SizeLimited {
        /// The extractor that stopped.
        extractor: String,
        /// Which limit.
        limit: Message,
    },
    /// The primary extractor failed or gave unusable text, so a fallback's text was rated.
    Fallback {
        /// The extractor whose text was rated.
        extractor: String,
        /// The primary extractor.
        primary: String,
        /// Why the primary's text was not used: its error ...
        failure: Option<Message>,
        /// ... or its text's issues.
        issues: Vec<Issue>,
    },
    /// Pages read by OCR from page images: quotes from them may contain recognition errors.
    Ocr {
        /// Their numbers.
        pages: Vec<u32>,
    },
    /// The text has signs of low quality that did not stop the rating.
    LowQuality {
        /// What is wrong.
        issues: Vec<Issue>,
    },
    /// Bytes before the `%PDF-` header (tolerated within the first 1,024 bytes).
    JunkBeforeHeader {
        /// How many.
        bytes: usize,
    },
}

impl Warning {
    /// The stable snake-case name used in JSON (`pages_failed`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Warning::PagesFailed { .. } => "pages_failed",
            Warning::PagesWithoutText { .. } => "pages_without_text",
            Warning::OcrFailed { .. } => "ocr_failed",
            Warning::Damaged { .. } => "damaged",
            Warning::Truncated => "truncated",
            Warning::SizeLimited { .. } => "size_limited",
            Warning::Fallback { .. } => "fallback",
            Warning::Ocr { .. } => "ocr",
            Warning::LowQuality { .. } => "low_quality",
            Warning::JunkBeforeHeader { .. } => "junk_before_header",
        }
    }

    /// Every kind, in the order of [`Warning::kind`]'s match (for the JSON Schema).
    pub const KINDS: [&'static str; 10] = [
        "pages_failed",
        "pages_without_text",
        "ocr_failed",
        "damaged",
        "truncated",
        "size_limited",
        "fallback",
        "ocr",
        "low_quality",
        "junk_before_header",
    ];

    /// True when this means some content was not read, so the document is partly read.
    pub fn partial(&self) -> bool {
        matches!(
            self,
            Warning::PagesFailed { .. }
                | Warning::PagesWithoutText { .. }
                | Warning::OcrFailed { .. }
                | Warning::Damaged { .. }
                | Warning::Truncated
                | Warning::SizeLimited { .. }
        )
    }

    /// True when this says the file itself is damaged (not merely scanned).
    pub fn damage(&self) -> bool {
        matches!(
            self,
            Warning::PagesFailed { .. } | Warning::Damaged { .. } | Warning::Truncated
        ) || matches!(
            self,
            Warning::Fallback {
                failure: Some(_),
                ..
            }
        )
    }

    /// The pages it concerns (empty when it concerns the whole file).
    pub fn pages(&self) -> &[u32] {
        match self {
            Warning::PagesFailed { pages, .. }
            | Warning::PagesWithoutText { pages }
            | Warning::OcrFailed { pages }
            | Warning::Ocr { pages } => pages,
            _ => &[],
        }
    }

    /// The extractor it concerns, if one.
    pub fn extractor(&self) -> Option<&str> {
        match self {
            Warning::PagesFailed { extractor, .. }
            | Warning::Damaged { extractor, .. }
            | Warning::SizeLimited { extractor, .. }
            | Warning::Fallback { extractor, .. } => Some(extractor),
            _ => None,
        }
    }

    /// The warning in `lang`, with what to do about it.
    pub fn text(&self, lang: Language) -> String {
        let de = lang == Language::De;
        match self {
            Warning::PagesFailed {
                pages,
                failed,
                total,
                extractor,
                tried,
            } => {
                let which = if pages.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", page_list(pages))
                };
                let tried = tried.join(", ");
                match (de, tried.is_empty()) {
                    (true, true) => format!(
                        "{failed} von {total} Seiten{which} konnte {extractor} nicht lesen: ihr Inhalt fehlt in der Bewertung; die Datei neu herunterladen oder exportieren"
                    ),
                    (true, false) => format!(
                        "{failed} von {total} Seiten{which} konnte kein Leser lesen ({extractor}; auch versucht: {tried}): ihr Inhalt fehlt in der Bewertung; die Datei neu herunterladen oder exportieren"
                    ),
                    (false, true) => format!(
                        "{failed} of {total} pages{which} could not be read by {extractor}: their content is missing from the rating; re-download or re-export the file"
                    ),
                    (false, false) => format!(
                        "{failed} of {total} pages{which} could not be read by any extractor ({extractor}; also tried: {tried}): their content is missing from the rating; re-download or re-export the file"
                    ),
                }
            }
            Warning::PagesWithoutText { pages } => {
                let pages = page_list(pages);
                if de {
                    format!(
                        "die Seiten {pages} haben keinen Text (gescannt, unlesbar oder leer): ihr Inhalt fehlt in der Bewertung; mit --ocr prüfen, um gescannte Seiten zu lesen"
                    )
                } else {
                    format!(
                        "pages {pages} have no text (scanned, unreadable or blank): their content is missing from the rating; run with --ocr to read scanned pages"
                    )
                }
            }
            Warning::OcrFailed { pages } => {
                let pages = page_list(pages);
                if de {
                    format!(
                        "die Texterkennung (OCR) konnte die Seiten {pages} nicht lesen: ihr Inhalt fehlt in der Bewertung; den Scan prüfen (mindestens 200 dpi)"
                    )
                } else {
                    format!(
                        "OCR could not read pages {pages}: their content is missing from the rating; check the scan (at least 200 dpi)"
                    )
                }
            }
            Warning::Damaged { extractor, errors } => {
                if de {
                    format!(
                        "beschädigte Datei: {extractor} meldete {errors} Fehler in ihrem Aufbau, es kann Text fehlen; die Datei neu herunterladen oder beim Anbieter neu anfordern"
                    )
                } else {
                    format!(
                        "damaged file: {extractor} reported {errors} errors in its structure, so text may be missing; re-download the file or ask the vendor for it again"
                    )
                }
            }
            Warning::Truncated => {
                if de {
                    "abgeschnittene Datei: das PDF endet nicht mit %%EOF (ein abgebrochener Download oder eine unvollständige Kopie), sein Ende kann fehlen; die Datei neu herunterladen".to_string()
                } else {
                    "truncated file: the PDF does not end with %%EOF (an interrupted download or copy), so its end may be missing; download the file again".to_string()
                }
            }
            Warning::SizeLimited { extractor, limit } => {
                let limit = limit.text(lang);
                if de {
                    format!(
                        "{extractor} stieß an eine Größengrenze ({limit}); bewertet wurde der Text eines anderen Lesers, dem Inhalt fehlen kann"
                    )
                } else {
                    format!(
                        "{extractor} stopped at a size limit ({limit}); the text of another extractor was rated, which may lack content"
                    )
                }
            }
            Warning::Fallback {
                extractor,
                primary,
                failure,
                issues,
            } => {
                let why = match failure {
                    Some(m) => m.text(lang),
                    None => issue_list(issues, lang),
                };
                if de {
                    format!(
                        "bewertet wurde der Text von {extractor}, weil {primary} die Datei nicht sauber las ({why})"
                    )
                } else {
                    format!(
                        "the text of {extractor} was rated because {primary} did not read the file cleanly ({why})"
                    )
                }
            }
            Warning::Ocr { pages } => {
                let pages = page_list(pages);
                if de {
                    format!(
                        "die Seiten {pages} wurden per Texterkennung (OCR) aus dem Bild gelesen: Zitate daraus können Erkennungsfehler enthalten"
                    )
                } else {
                    format!(
                        "pages {pages} were read from their images by OCR: quotes from them may contain recognition errors"
                    )
                }
            }
            Warning::LowQuality { issues } => {
                let issues = issue_list(issues, lang);
                if de {
                    format!(
                        "die Textqualität ist gering ({issues}): Befunde gegen das Original prüfen"
                    )
                } else {
                    format!(
                        "the text is of low quality ({issues}): check findings against the original"
                    )
                }
            }
            Warning::JunkBeforeHeader { bytes } => {
                if de {
                    format!(
                        "vor dem %PDF-Kopf stehen {bytes} fremde Bytes (übersprungen): die Datei wurde wohl beim Download verändert"
                    )
                } else {
                    format!(
                        "{bytes} stray bytes before the %PDF header were skipped: the file was probably altered in transfer"
                    )
                }
            }
        }
    }

    /// One warning of every kind, for the tests that check both languages.
    #[cfg(test)]
    fn samples() -> Vec<Warning> {
        vec![
            Warning::PagesFailed {
                pages: vec![2, 5],
                failed: 2,
                total: 6,
                extractor: "pdf-extract".into(),
                tried: vec!["pdftotext".into(), "lopdf".into()],
            },
            Warning::PagesWithoutText { pages: vec![3] },
            Warning::OcrFailed { pages: vec![1] },
            Warning::Damaged {
                extractor: "pdftotext".into(),
                errors: 12,
            },
            Warning::Truncated,
            Warning::SizeLimited {
                extractor: "pdf-extract".into(),
                limit: Message::MemoryLimit { mib: 512 },
            },
            Warning::Fallback {
                extractor: "pdftotext".into(),
                primary: "pdf-extract".into(),
                failure: None,
                issues: vec![Issue::BrokenWords { percent: 30 }],
            },
            Warning::Ocr { pages: vec![1, 2] },
            Warning::LowQuality {
                issues: vec![Issue::GermanWithoutUmlauts],
            },
            Warning::JunkBeforeHeader { bytes: 300 },
        ]
    }
}

/// What the warnings of one extraction add up to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// The warnings, most serious first.
    pub warnings: Vec<Warning>,
}

impl Reading {
    /// The warnings about `document`, extracted from `bytes` with `quality`; `ocr` says
    /// whether OCR was asked for.
    pub fn of(document: &Document, quality: &Quality, bytes: &[u8], ocr: bool) -> Reading {
        let mut warnings = Vec::new();
        let pdf = document.format == Format::Pdf;
        if pdf {
            pages(document, quality, ocr, &mut warnings);
            attempts(document, &quality.attempts, &mut warnings);
            if is_truncated(bytes) {
                warnings.push(Warning::Truncated);
            }
        }
        let ocr_pages: Vec<u32> = document
            .pages
            .iter()
            .filter(|p| p.ocr && !p.text.trim().is_empty())
            .map(|p| p.number)
            .collect();
        if !ocr_pages.is_empty() {
            warnings.push(Warning::Ocr { pages: ocr_pages });
        }
        let low: Vec<Issue> = quality
            .issues
            .iter()
            .filter(|i| {
                !matches!(
                    i,
                    Issue::FailedPages { .. }
                        | Issue::LittleText { .. }
                        | Issue::PagesWithoutText { .. }
                )
            })
            .cloned()
            .collect();
        if !low.is_empty() {
            warnings.push(Warning::LowQuality { issues: low });
        }
        if pdf && let Some(at) = header_offset(bytes).filter(|&at| at > 0) {
            warnings.push(Warning::JunkBeforeHeader { bytes: at });
        }
        warnings.sort_by_key(|w| !w.partial());
        Reading { warnings }
    }

    /// Some content was not read.
    pub fn partial(&self) -> bool {
        self.warnings.iter().any(Warning::partial)
    }

    /// The file is damaged (rather than scanned).
    pub fn damaged(&self) -> bool {
        self.warnings.iter().any(Warning::damage)
    }
}

/// Pages lost: failed with every extractor, without text, or not read by OCR.
fn pages(document: &Document, quality: &Quality, ocr: bool, warnings: &mut Vec<Warning>) {
    let visible = |t: &str| t.chars().any(|c| !c.is_whitespace());
    let empty: Vec<u32> = document
        .pages
        .iter()
        .filter(|p| !visible(&p.text) && !p.ocr)
        .map(|p| p.number)
        .collect();
    if empty.len() == document.pages.len() {
        // Nothing was read at all: that is a status (no_text), not a warning.
        return;
    }
    let failed = quality.issues.iter().find_map(|i| match i {
        Issue::FailedPages { failed, total } => Some((*failed, *total)),
        _ => None,
    });
    if let Some((failed, total)) = failed {
        let tried = quality
            .attempts
            .iter()
            .map(|a| a.extractor)
            .filter(|&e| e != document.extractor)
            .map(str::to_string)
            .collect();
        warnings.push(Warning::PagesFailed {
            // The lost pages are the empty ones, if the count says so.
            pages: if empty.len() == failed {
                empty.clone()
            } else {
                Vec::new()
            },
            failed,
            total,
            extractor: document.extractor.to_string(),
            tried,
        });
        if empty.len() == failed {
            return;
        }
    }
    if empty.is_empty() {
        return;
    }
    warnings.push(if ocr {
        Warning::OcrFailed { pages: empty }
    } else {
        Warning::PagesWithoutText { pages: empty }
    });
}

/// What the extractors' attempts say: a fallback, damage, a size limit.
fn attempts(document: &Document, attempts: &[Attempt], warnings: &mut Vec<Warning>) {
    for a in attempts {
        match &a.outcome {
            Outcome::Text { errors, .. } if *errors > 0 => warnings.push(Warning::Damaged {
                extractor: a.extractor.to_string(),
                errors: *errors,
            }),
            Outcome::Failed {
                kind: ErrorKind::TooLarge,
                message,
            } => warnings.push(Warning::SizeLimited {
                extractor: a.extractor.to_string(),
                limit: message.clone(),
            }),
            _ => {}
        }
    }
    let rated = document.extractor.split('+').next().unwrap_or_default();
    if let Some(primary) = attempts.first()
        && primary.extractor != rated
    {
        let (failure, issues) = match &primary.outcome {
            Outcome::Failed { message, .. } => (Some(message.clone()), Vec::new()),
            Outcome::Text { issues, .. } => (None, issues.clone()),
        };
        warnings.push(Warning::Fallback {
            extractor: rated.to_string(),
            primary: primary.extractor.to_string(),
            failure,
            issues,
        });
    }
}

/// A PDF whose last 1,024 bytes hold no `%%EOF` was cut off (readers look for it there).
fn is_truncated(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    !tail.windows(5).any(|w| w == b"%%EOF")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Page;
    use crate::message::tests::check_translated;

    #[test]
    fn every_warning_exists_in_german_and_english() {
        let samples = Warning::samples();
        let kinds: Vec<&str> = samples.iter().map(Warning::kind).collect();
        assert_eq!(kinds, Warning::KINDS, "one sample of every kind, in order");
        let mut failures = Vec::new();
        for w in &samples {
            failures.extend(check_translated(
                w.kind(),
                &w.text(Language::De),
                &w.text(Language::En),
            ));
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    fn pdf(pages: &[&str]) -> Document {
        Document {
            format: Format::Pdf,
            pages: pages
                .iter()
                .enumerate()
                .map(|(i, t)| Page::new(i as u32 + 1, t.to_string()))
                .collect(),
            extractor: "pdf-extract",
        }
    }

    const WHOLE: &[u8] = b"%PDF-1.7\n...\n%%EOF\n";

    #[test]
    fn a_sound_pdf_read_by_the_primary_has_no_warnings() {
        let doc = pdf(&["Vertrag über die Auftragsverarbeitung", "Seite zwei"]);
        let reading = Reading::of(&doc, &Quality::default(), WHOLE, false);
        assert_eq!(reading, Reading::default());
        assert!(!reading.partial());
    }

    #[test]
    fn empty_pages_among_text_pages_make_it_partly_read_and_ocr_is_the_advice() {
        let doc = pdf(&["Vertrag", "  \n", "Anlage"]);
        let reading = Reading::of(&doc, &Quality::default(), WHOLE, false);
        assert_eq!(
            reading.warnings,
            vec![Warning::PagesWithoutText { pages: vec![2] }]
        );
        assert!(reading.partial() && !reading.damaged());
        let with_ocr = Reading::of(&doc, &Quality::default(), WHOLE, true);
        assert_eq!(
            with_ocr.warnings,
            vec![Warning::OcrFailed { pages: vec![2] }]
        );
    }

    #[test]
    fn failed_pages_name_the_extractors_tried() {
        let doc = pdf(&["Vertrag", "", "Anlage"]);
        let quality = Quality {
            issues: vec![Issue::FailedPages {
                failed: 1,
                total: 3,
            }],
            attempts: vec![
                crate::extract::quality::attempt("pdf-extract", Ok(0)),
                crate::extract::quality::attempt("lopdf", Ok(0)),
            ],
            ..Quality::default()
        };
        let reading = Reading::of(&doc, &quality, WHOLE, false);
        assert_eq!(
            reading.warnings[0],
            Warning::PagesFailed {
                pages: vec![2],
                failed: 1,
                total: 3,
                extractor: "pdf-extract".into(),
                tried: vec!["lopdf".into()],
            }
        );
        assert!(reading.partial() && reading.damaged());
        assert!(
            reading.warnings[0]
                .text(Language::En)
                .contains("1 of 3 pages (2) could not be read by any extractor")
        );
    }

    #[test]
    fn a_cut_off_pdf_is_truncated_and_junk_before_the_header_is_noted() {
        let doc = pdf(&["Vertrag"]);
        let cut = b"%PDF-1.7\n1 0 obj << >> endobj\nxref";
        let reading = Reading::of(&doc, &Quality::default(), cut, false);
        assert_eq!(reading.warnings, vec![Warning::Truncated]);
        let junk = [b"GET /x HTTP/1.1\r\n\r\n".as_slice(), WHOLE].concat();
        let reading = Reading::of(&doc, &Quality::default(), &junk, false);
        assert_eq!(
            reading.warnings,
            vec![Warning::JunkBeforeHeader { bytes: 19 }]
        );
        assert!(!reading.partial());
    }
}
