//! The JSON wire format, `schema_version` 1 (see README "JSON output").
//!
//! These types are the contract with other tools and are kept apart from the domain types:
//! adding a field is fine, renaming or removing one needs a new schema version. They
//! deserialise strictly (`deny_unknown_fields`) so tests notice any change, and the published
//! JSON Schema (`ampel schema`) is generated from them, so it cannot drift from what is written.

use schemars::{JsonSchema, Schema, schema_for};
use serde::{Deserialize, Serialize};

use crate::assess::{
    Acceptance, Ampel, Assessment, Evidence, Finding, FindingKind, MissingElement,
};
use crate::document::DocumentReport;
use crate::rules::{Localised, track};
use crate::text::Language;

/// The schema version written by this build.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole `--format json` output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ampel report (schema_version 1)")]
pub struct Output {
    /// The version of this format: always 1 here (see `SCHEMA_VERSION`).
    #[schemars(extend("const" = 1))]
    pub schema_version: u32,
    /// The tool that wrote it.
    pub tool: Tool,
    /// One record per input, in input order.
    pub documents: Vec<DocumentRecord>,
    /// How many documents got each colour, for a one-line verdict without reading them all.
    pub summary: Summary,
    /// Waivers that need attention: expired ones that matched findings and ones that matched
    /// nothing. Absent when there are none (added in 0.1 without a schema change).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiver_notices: Vec<WaiverNoticeRecord>,
}

/// A waiver that needs attention (see `--waivers`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiverNoticeRecord {
    /// `expired` (it matched findings, which count again) or `unused` (it matched nothing).
    #[schemars(extend("enum" = ["expired", "unused"]))]
    pub kind: String,
    /// Where the waiver is written: `file:line`.
    pub source: String,
    /// `rule <id>` or `requirement <id>`.
    pub target: String,
    /// Its expiry date (`YYYY-MM-DD`).
    pub expires: String,
    /// How many findings it matched.
    pub matched: usize,
}

impl WaiverNoticeRecord {
    /// The wire record of a notice.
    pub fn from_notice(n: &crate::waiver::Notice) -> WaiverNoticeRecord {
        WaiverNoticeRecord {
            kind: match n.kind {
                crate::waiver::NoticeKind::Expired => "expired",
                crate::waiver::NoticeKind::Unused => "unused",
            }
            .to_string(),
            source: n.source.clone(),
            target: n.target.clone(),
            expires: n.expires.clone(),
            matched: n.matched,
        }
    }
}

/// Name and version of the writer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// `ampel`.
    pub name: String,
    /// The crate version: which rules and engine produced the output.
    pub version: String,
}

impl Tool {
    /// This build.
    pub fn current() -> Tool {
        Tool {
            name: "ampel".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// One input's record (one JSON Lines line with `--format jsonl`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ampel document record (schema_version 1)")]
pub struct DocumentRecord {
    /// `schema_version`, repeated on each JSON Lines record so every line stands alone; absent
    /// inside the `--format json` object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("const" = 1))]
    pub schema_version: Option<u32>,
    /// Path as given.
    pub path: String,
    /// SHA-256 of the file (hex), when it could be read.
    #[schemars(required, extend("type" = ["string", "null"]))]
    pub sha256: Option<String>,
    /// `pdf`, `text`, `markdown`, `docx`, `odt`, `html`, when recognised.
    #[schemars(required, extend("type" = ["string", "null"]))]
    pub format: Option<String>,
    /// Page count of the extracted text (0 when nothing was read).
    pub pages: usize,
    /// `de` or `en`, when there was text to tell.
    #[schemars(required, extend("type" = ["string", "null"], "enum" = ["de", "en", null]))]
    pub language: Option<String>,
    /// `ok`, `not_a_dpa`, `no_text`, `encrypted`, `corrupt`, `unsupported`, `too_large`,
    /// `timeout`, `error`.
    #[schemars(extend("enum" = ["ok", "not_a_dpa", "no_text", "encrypted", "corrupt", "unsupported", "too_large", "timeout", "error"]))]
    pub status: String,
    /// Why, when the status is not `ok`.
    #[schemars(required, extend("type" = ["string", "null"]))]
    pub message: Option<String>,
    /// `red`, `yellow`, `green`, or `unknown` when the status is not `ok`.
    #[schemars(extend("enum" = ["red", "yellow", "green", "unknown"]))]
    pub ampel: String,
    /// The extractor that produced the text (`pdf-extract`, `pdf-extract+tesseract` when
    /// scanned pages were read by OCR, `docx`, `odt`, `html`, `markdown`, `plain`).
    #[schemars(required, extend("type" = ["string", "null"]))]
    pub extractor: Option<String>,
    /// One entry per requirement (empty when not analysed).
    pub checklist: Vec<CheckRecord>,
    /// Findings, worst first.
    pub findings: Vec<FindingRecord>,
    /// How the text was read, where it matters for trusting the record: pages that failed
    /// and with which extractor, a fallback extractor, OCR, low text quality, a damaged,
    /// truncated or size-limited file. Empty when there is nothing to say. Added in 0.1
    /// without a schema change (absent in older output).
    #[serde(default)]
    pub warnings: Vec<WarningRecord>,
    /// Some content was not read (see the `partial` warnings): the Ampel is then never
    /// `green`, and the status never `not_a_dpa`. Added in 0.1 without a schema change.
    #[serde(default)]
    pub partly_read: bool,
}

/// One warning about how a document was read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningRecord {
    /// What kind of warning (stable; tools key on it).
    #[schemars(extend("enum" = ["pages_failed", "pages_without_text", "ocr_failed", "damaged", "truncated", "size_limited", "fallback", "ocr", "low_quality", "junk_before_header"]))]
    pub kind: String,
    /// It means content was not read (the document is partly read).
    pub partial: bool,
    /// What it means and what to do, in the report language.
    pub message: String,
    /// The pages it concerns, when it concerns pages (absent otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<u32>,
    /// The extractor it concerns, when one (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extractor: Option<String>,
}

/// The wire record of a warning, in `lang`.
pub fn warning(w: &crate::warning::Warning, lang: Language) -> WarningRecord {
    WarningRecord {
        kind: w.kind().to_string(),
        partial: w.partial(),
        message: w.text(lang),
        pages: w.pages().to_vec(),
        extractor: w.extractor().map(str::to_string),
    }
}

/// One checklist entry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRecord {
    /// Requirement id.
    pub requirement: String,
    /// `present`, `missing`, `flagged`.
    #[schemars(extend("enum" = ["present", "missing", "flagged"]))]
    pub status: String,
    /// Quotes behind the status.
    pub evidence: Vec<EvidenceRecord>,
    /// For `missing` requirements made of several elements of which some were found: the
    /// elements that were not. Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_elements: Vec<ElementRecord>,
}

/// One finding.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    /// Rule id (`<requirement>.missing` for missing clauses).
    pub rule: String,
    /// Requirement id.
    pub requirement: String,
    /// `red_flag` or `missing`.
    #[schemars(extend("enum" = ["red_flag", "missing"]))]
    pub kind: String,
    /// `red`, `yellow`, `info`.
    #[schemars(extend("enum" = ["red", "yellow", "info"]))]
    pub severity: String,
    /// Title in the report language.
    pub title: String,
    /// Legal basis.
    pub legal_basis: String,
    /// What to ask the vendor to change, in the report language.
    pub recommendation: String,
    /// Quotes (empty for `missing`).
    pub evidence: Vec<EvidenceRecord>,
    /// For a `missing` finding of a requirement made of several elements (e.g. sub-processors:
    /// authorisation, objection right, flow-down) where only some were found: the elements
    /// that were not. Absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_elements: Vec<ElementRecord>,
    /// For a `missing` finding: the section headings ampel found about the requirement, where
    /// a reader can check in seconds that the clause is not there. Absent when empty (no
    /// section heading is about it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub looked_in: Vec<String>,
    /// The accepted deviation (waiver) that covers this finding; absent when none does. An
    /// `accepted` finding does not set the Ampel; an `expired` one counts again. Added in 0.1
    /// without a schema change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverRecord>,
    /// How often two readers of published agreements confirmed a defect in this requirement
    /// where this built-in check reported one (measured on the agreements the rules were
    /// tuned on, so an upper bound). Absent for `info` findings, for checks that never fired
    /// there, and for rules loaded with `--rules`. Added in 0.1 without a schema change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub track_record: Option<TrackRecordRecord>,
}

/// A check's track record on published agreements.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackRecordRecord {
    /// Agreements in which the check reported a defect.
    pub agreements: u32,
    /// Of those, the agreements in which both readings, once settled, have a defect in the
    /// same requirement.
    pub confirmed: u32,
    /// The day it was measured (`YYYY-MM-DD`).
    pub measured: String,
}

/// An element of a requirement.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElementRecord {
    /// Stable element id within the requirement (e.g. `flow_down`).
    pub id: String,
    /// What it is, in the report language.
    pub title: String,
}

/// The accepted deviation that covers a finding.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiverRecord {
    /// `accepted` (the finding does not set the Ampel) or `expired` (it counts again).
    #[schemars(extend("enum" = ["accepted", "expired"]))]
    pub status: String,
    /// Why the deviation was accepted.
    pub reason: String,
    /// Who accepted it.
    pub accepted_by: String,
    /// The last day it is valid (`YYYY-MM-DD`).
    pub expires: String,
    /// Where the waiver is written: `file:line`.
    pub source: String,
}

fn waiver(a: &Acceptance) -> WaiverRecord {
    WaiverRecord {
        status: if a.expired { "expired" } else { "accepted" }.to_string(),
        reason: a.reason.clone(),
        accepted_by: a.accepted_by.clone(),
        expires: a.expires.clone(),
        source: a.source.clone(),
    }
}

/// A quote with its place in the document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRecord {
    /// Page (1-based).
    #[schemars(range(min = 1))]
    pub page: u32,
    /// Section heading, when the quote is inside a headed section.
    #[schemars(required, extend("type" = ["string", "null"]))]
    pub section: Option<String>,
    /// Start, in Unicode characters of the extracted text (pages joined by a blank line).
    pub start: usize,
    /// End, in Unicode characters.
    pub end: usize,
    /// The sentence as in the document.
    pub quote: String,
    /// The quote was recognised by OCR from a scanned page and may contain recognition
    /// errors. Added in 0.1 without a schema change; absent in older output means `false`.
    #[serde(default)]
    pub ocr: bool,
}

/// Counts over the batch.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Records written, one per input.
    pub documents: usize,
    /// Documents rated red.
    pub red: usize,
    /// Documents rated yellow.
    pub yellow: usize,
    /// Documents rated green.
    pub green: usize,
    /// Not rated (status not `ok`).
    pub unknown: usize,
}

impl Summary {
    /// Counts one document.
    pub fn add(&mut self, report: &DocumentReport) {
        self.documents += 1;
        match report.assessment.as_ref().map(|a| a.ampel) {
            Some(Ampel::Red) => self.red += 1,
            Some(Ampel::Yellow) => self.yellow += 1,
            Some(Ampel::Green) => self.green += 1,
            None => self.unknown += 1,
        }
    }
}

/// The JSON Schema (draft 2020-12) of the `--format json` output. Each `--format jsonl` line
/// is a `DocumentRecord` (see `$defs`), with `schema_version` set.
pub fn json_schema() -> Schema {
    schema_for!(Output)
}

/// The JSON Schema of one `--format jsonl` line.
pub fn jsonl_schema() -> Schema {
    schema_for!(DocumentRecord)
}

/// Picks the report language: the forced one, else the document's, else English.
pub fn pick(text: &Localised, lang: Language) -> &str {
    match lang {
        Language::De => &text.de,
        Language::En => &text.en,
    }
}

/// The wire record of a quote.
pub fn evidence(e: &Evidence) -> EvidenceRecord {
    EvidenceRecord {
        page: e.page,
        section: e.section.clone(),
        start: e.start,
        end: e.end,
        quote: e.quote.clone(),
        ocr: e.ocr,
    }
}

/// Converts a domain report into its wire record, with texts in `forced` language or the
/// document's own.
pub fn record(report: &DocumentReport, forced: Option<Language>) -> DocumentRecord {
    let lang = forced.or(report.language).unwrap_or(Language::En);
    let (checklist, findings, ampel) = match &report.assessment {
        Some(a) => assessment(a, lang),
        None => (Vec::new(), Vec::new(), "unknown".to_string()),
    };
    DocumentRecord {
        schema_version: None,
        path: report.path.clone(),
        sha256: report.sha256.clone(),
        format: report.format.map(|f| f.as_str().to_string()),
        pages: report.pages,
        language: report.language.map(|l| l.code().to_string()),
        status: report.status.as_str().to_string(),
        message: report.message_text(lang),
        ampel,
        extractor: report.extractor.map(str::to_string),
        checklist,
        findings,
        warnings: report.warnings.iter().map(|w| warning(w, lang)).collect(),
        partly_read: report.partly_read(),
    }
}

fn assessment(a: &Assessment, lang: Language) -> (Vec<CheckRecord>, Vec<FindingRecord>, String) {
    let checklist = a
        .checklist
        .iter()
        .map(|c| CheckRecord {
            requirement: c.requirement.clone(),
            status: c.status.as_str().to_string(),
            evidence: c.evidence.iter().map(evidence).collect(),
            missing_elements: elements(&c.missing_elements, lang),
        })
        .collect();
    let findings = a.findings.iter().map(|f| finding(f, lang)).collect();
    (checklist, findings, a.ampel.as_str().to_string())
}

/// The wire record of a finding, with texts in `lang`.
pub fn finding(f: &Finding, lang: Language) -> FindingRecord {
    FindingRecord {
        rule: f.rule.clone(),
        requirement: f.requirement.clone(),
        kind: match f.kind {
            FindingKind::RedFlag => "red_flag",
            FindingKind::Missing => "missing",
        }
        .to_string(),
        severity: f.severity.as_str().to_string(),
        title: pick(&f.title, lang).to_string(),
        legal_basis: f.legal_basis.clone(),
        recommendation: pick(&f.recommendation, lang).to_string(),
        evidence: f.evidence.iter().map(evidence).collect(),
        missing_elements: elements(&f.missing_elements, lang),
        looked_in: f.looked_in.clone(),
        waiver: f.waiver.as_ref().map(waiver),
        track_record: f.track_record.map(|t| TrackRecordRecord {
            agreements: t.agreements,
            confirmed: t.confirmed,
            measured: track::measured().to_string(),
        }),
    }
}

fn elements(list: &[MissingElement], lang: Language) -> Vec<ElementRecord> {
    list.iter()
        .map(|e| ElementRecord {
            id: e.id.clone(),
            title: pick(&e.title, lang).to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Status;

    /// The values the schema allows for a string field of `DocumentRecord`.
    fn allowed(field: &str) -> Vec<String> {
        let schema = serde_json::to_value(jsonl_schema()).unwrap();
        schema["properties"][field]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{field} has an enum"))
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }

    #[test]
    fn the_schema_allows_every_status_and_ampel_the_code_writes() {
        // An exhaustive match: a new status does not compile until it is listed here.
        let statuses = [
            Status::Ok,
            Status::NotADpa,
            Status::NoText,
            Status::Encrypted,
            Status::Corrupt,
            Status::Unsupported,
            Status::TooLarge,
            Status::Timeout,
            Status::Error,
        ];
        for s in statuses {
            match s {
                Status::Ok
                | Status::NotADpa
                | Status::NoText
                | Status::Encrypted
                | Status::Corrupt
                | Status::Unsupported
                | Status::TooLarge
                | Status::Timeout
                | Status::Error => {}
            }
        }
        let written: Vec<String> = statuses.iter().map(|s| s.as_str().to_string()).collect();
        assert_eq!(allowed("status"), written);
        let mut ampels: Vec<String> = [Ampel::Red, Ampel::Yellow, Ampel::Green]
            .iter()
            .map(|a| a.as_str().to_string())
            .collect();
        ampels.push("unknown".into());
        assert_eq!(allowed("ampel"), ampels);
        let schema = serde_json::to_value(jsonl_schema()).unwrap();
        let kinds: Vec<&str> = schema["$defs"]["WarningRecord"]["properties"]["kind"]["enum"]
            .as_array()
            .expect("the warning kinds are listed")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(kinds, crate::warning::Warning::KINDS);
    }
}
