//! `--format sarif`: SARIF 2.1.0 for code-scanning tools, built from the types of the
//! `serde-sarif` crate so the output follows the standard's schema.
//!
//! - `tool.driver.rules`: every red-flag rule of the pack and one `<requirement>.missing` rule per
//!   requirement whose absence costs something, with title, rationale, recommendation and
//!   legal basis as help text, and the default level.
//! - `results`: one per finding. The level follows the severity (red → `error`, yellow →
//!   `warning`, info → `note`). Each quote is a location: the document as artifact, the quoted
//!   sentence as a region (`charOffset`/`charLength` in Unicode characters of the extracted
//!   text, `snippet` = the quote); page and section are in the location's message and
//!   properties, since SARIF has no pages. Missing clauses point at the whole document.
//! - `artifacts`: every document, with its SHA-256 and its status and Ampel as properties.
//! - `invocations[0].toolExecutionNotifications`: one per document that could not be rated
//!   (status not `ok`), so no input is lost, and one warning per waiver that expired or
//!   matched nothing.
//! - A finding covered by an accepted deviation (`--waivers`) carries a suppression
//!   (`kind` external, `status` accepted, the reason as `justification`); once the waiver has
//!   expired the suppression is `rejected`, so the result counts again.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::Path;

use serde_json::{Value, json};
use serde_sarif::sarif::{
    Artifact, ArtifactContent, ArtifactLocation, Invocation, Location, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultKind, ResultLevel,
    Run, Sarif as SarifLog, Suppression, Tool, ToolComponent,
};

use super::accepted;
use super::labels::{Labels, document_language, finding_title, labels};
use super::wire::pick;
use super::{Reporter, Summary};
use crate::assess::{Acceptance, Evidence, Finding, FindingKind};
use crate::document::{DocumentReport, Status};
use crate::rules::{Localised, MissingSeverity, Pack, RuleKind, Severity};
use crate::text::Language;
use crate::waiver::Notice;

/// The `$schema` of the log: the SARIF 2.1.0 schema as published on SchemaStore.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Collects results and writes one SARIF log at the end.
pub struct Sarif<W: Write> {
    out: W,
    lang: Option<Language>,
    rules: Vec<ReportingDescriptor>,
    rule_index: HashMap<String, usize>,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
    notifications: Vec<Notification>,
}

impl<W: Write> Sarif<W> {
    /// A SARIF reporter writing to `out`, with the rule metadata of `pack` in `lang` (default
    /// English) and each result's message in `lang` or its document's language.
    pub fn new(out: W, lang: Option<Language>, pack: &Pack) -> Sarif<W> {
        let rules = descriptors(pack, lang.unwrap_or(Language::En));
        let rule_index = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Sarif {
            out,
            lang,
            rules,
            rule_index,
            artifacts: Vec::new(),
            results: Vec::new(),
            notifications: Vec::new(),
        }
    }
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Red => ResultLevel::Error,
        Severity::Yellow => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Red => "error",
        Severity::Yellow => "warning",
        Severity::Info => "note",
    }
}

fn bag(entries: impl IntoIterator<Item = (&'static str, Value)>) -> PropertyBag {
    PropertyBag::builder()
        .additional_properties(
            entries
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.to_string(), v))
                .collect::<BTreeMap<_, _>>(),
        )
        .build()
}

/// Rule metadata: help text in plain text and Markdown.
fn help(
    rationale: Option<&str>,
    recommendation: &str,
    legal_basis: &str,
    l: &Labels,
) -> MultiformatMessageString {
    let mut text = String::new();
    let mut markdown = String::new();
    if let Some(why) = rationale {
        text.push_str(&format!("{why}\n\n"));
        markdown.push_str(&format!("{why}\n\n"));
    }
    text.push_str(&format!(
        "{}: {recommendation}\n\n{}: {legal_basis}",
        l.recommendation, l.legal_basis
    ));
    markdown.push_str(&format!(
        "**{}:** {recommendation}\n\n**{}:** {legal_basis}",
        l.recommendation, l.legal_basis
    ));
    MultiformatMessageString::builder()
        .text(text)
        .markdown(markdown)
        .build()
}

struct RuleMeta<'a> {
    id: String,
    requirement: &'a str,
    kind: &'static str,
    severity: Severity,
    legal_basis: &'a str,
    title: &'a Localised,
    rationale: Option<&'a Localised>,
    recommendation: &'a Localised,
}

fn descriptor(meta: RuleMeta<'_>, lang: Language) -> ReportingDescriptor {
    let l = labels(lang);
    let title = pick(meta.title, lang);
    ReportingDescriptor::builder()
        .id(meta.id.clone())
        .name(meta.id)
        .short_description(MultiformatMessageString::builder().text(title).build())
        .full_description(
            MultiformatMessageString::builder()
                .text(meta.rationale.map_or(title, |r| pick(r, lang)))
                .build(),
        )
        .help(help(
            meta.rationale.map(|r| pick(r, lang)),
            pick(meta.recommendation, lang),
            meta.legal_basis,
            l,
        ))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(meta.severity)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec![
                    "gdpr".to_string(),
                    "art-28".to_string(),
                    meta.requirement.to_string(),
                ])
                .additional_properties(BTreeMap::from([
                    ("requirement".to_string(), json!(meta.requirement)),
                    ("kind".to_string(), json!(meta.kind)),
                    ("severity".to_string(), json!(meta.severity.as_str())),
                    ("legal_basis".to_string(), json!(meta.legal_basis)),
                ]))
                .build(),
        )
        .build()
}

/// One descriptor per red-flag rule of the pack, then one per requirement whose absence
/// costs something: everything that can be a result. (Presence rules never are.)
fn descriptors(pack: &Pack, lang: Language) -> Vec<ReportingDescriptor> {
    let rules = pack
        .rules
        .iter()
        .filter(|r| r.kind == RuleKind::RedFlag)
        .map(|r| {
            let meta = RuleMeta {
                id: r.id.clone(),
                requirement: &pack.requirements[r.requirement].id,
                kind: "red_flag",
                severity: r.severity,
                legal_basis: &r.legal_basis,
                title: &r.title,
                rationale: r.rationale.as_ref(),
                recommendation: &r.recommendation,
            };
            descriptor(meta, lang)
        });
    let missing = pack.requirements.iter().filter_map(|q| {
        let severity = match q.missing_severity {
            MissingSeverity::None => return None,
            MissingSeverity::Yellow => Severity::Yellow,
            MissingSeverity::Red => Severity::Red,
        };
        let meta = RuleMeta {
            id: format!("{}.missing", q.id),
            requirement: &q.id,
            kind: "missing",
            severity,
            legal_basis: &q.legal_basis,
            title: &q.title,
            rationale: Some(&q.explanation),
            recommendation: &q.recommendation,
        };
        Some(descriptor(meta, lang))
    });
    rules.chain(missing).collect()
}

/// A path as a URI reference: relative paths stay relative, absolute ones become `file://`
/// URIs; anything but unreserved characters and `/` is percent-encoded.
pub fn uri(path: &str) -> String {
    let slashed = path.replace(std::path::MAIN_SEPARATOR, "/");
    let mut out = String::new();
    if Path::new(path).is_absolute() {
        out.push_str("file://");
        if !slashed.starts_with('/') {
            out.push('/');
        }
    }
    for b in slashed.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn artifact_location(report: &DocumentReport, index: usize) -> ArtifactLocation {
    ArtifactLocation::builder()
        .uri(uri(&report.path))
        .index(index as i64)
        .build()
}

fn evidence_location(report: &DocumentReport, index: usize, e: &Evidence, l: &Labels) -> Location {
    let region = Region::builder()
        .char_offset(e.start as i64)
        .char_length(e.end.saturating_sub(e.start) as i64)
        .snippet(ArtifactContent::builder().text(e.quote.clone()).build())
        .build();
    Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(artifact_location(report, index))
                .region(region)
                .build(),
        )
        .message(
            Message::builder()
                .text(l.place(e.page, e.section.as_deref()))
                .build(),
        )
        .properties(bag([
            ("page", json!(e.page)),
            ("section", json!(e.section)),
        ]))
        .build()
}

fn result(
    report: &DocumentReport,
    index: usize,
    f: &Finding,
    rule_index: Option<usize>,
    lang: Language,
) -> SarifResult {
    let l = labels(lang);
    let title = finding_title(f, lang, l);
    let text = match f.evidence.first() {
        Some(e) => format!(
            "{title} ({}): “{}”",
            l.place(e.page, e.section.as_deref()),
            e.quote
        ),
        None => format!("{title}. {}", pick(&f.recommendation, lang)),
    };
    let locations: Vec<Location> = if f.evidence.is_empty() {
        vec![
            Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(artifact_location(report, index))
                        .build(),
                )
                .build(),
        ]
    } else {
        f.evidence
            .iter()
            .map(|e| evidence_location(report, index, e, l))
            .collect()
    };
    let pages: Vec<u32> = f.evidence.iter().map(|e| e.page).collect();
    let mut result = SarifResult::builder()
        .rule_id(f.rule.clone())
        .level(level(f.severity))
        .kind(ResultKind::Fail)
        .message(Message::builder().text(text).build())
        .locations(locations)
        .properties(bag([
            ("requirement", json!(f.requirement)),
            (
                "kind",
                json!(match f.kind {
                    FindingKind::RedFlag => "red_flag",
                    FindingKind::Missing => "missing",
                }),
            ),
            ("severity", json!(f.severity.as_str())),
            ("legal_basis", json!(f.legal_basis)),
            ("recommendation", json!(pick(&f.recommendation, lang))),
            ("pages", json!(pages)),
        ]))
        .build();
    result.rule_index = rule_index.map(|i| i as i64);
    result.suppressions = f.waiver.as_ref().map(|w| vec![suppression(w, lang)]);
    result
}

/// An accepted deviation as a SARIF suppression: `accepted` while the waiver is valid (the
/// result is suppressed), `rejected` once it has expired (the result counts again).
fn suppression(w: &Acceptance, lang: Language) -> Suppression {
    Suppression::builder()
        .kind(json!("external"))
        .status(json!(if w.expired { "rejected" } else { "accepted" }))
        .justification(accepted::note(w, lang))
        .properties(bag([
            ("reason", json!(w.reason)),
            ("accepted_by", json!(w.accepted_by)),
            ("expires", json!(w.expires)),
            ("source", json!(w.source)),
        ]))
        .build()
}

fn waiver_notification(n: &Notice) -> Notification {
    Notification::builder()
        .level(json!("warning"))
        .message(Message::builder().text(n.message()).build())
        .properties(bag([
            ("waiver", json!(n.source)),
            ("target", json!(n.target)),
            ("expires", json!(n.expires)),
        ]))
        .build()
}

fn notification(report: &DocumentReport, index: usize) -> Notification {
    let level = if report.status == Status::NotADpa {
        "warning"
    } else {
        "error"
    };
    let text = format!(
        "{}: {}: {}",
        report.path,
        report.status.as_str(),
        report.message.as_deref().unwrap_or("")
    );
    Notification::builder()
        .level(json!(level))
        .message(Message::builder().text(text).build())
        .locations(vec![
            Location::builder()
                .physical_location(
                    PhysicalLocation::builder()
                        .artifact_location(artifact_location(report, index))
                        .build(),
                )
                .build(),
        ])
        .properties(bag([("status", json!(report.status.as_str()))]))
        .build()
}

impl<W: Write> Reporter for Sarif<W> {
    fn document(&mut self, report: &DocumentReport) -> io::Result<()> {
        let index = self.artifacts.len();
        let lang = document_language(self.lang, report);
        let ampel = report
            .assessment
            .as_ref()
            .map_or("unknown", |a| a.ampel.as_str());
        let mut artifact = Artifact::builder()
            .location(ArtifactLocation::builder().uri(uri(&report.path)).build())
            .properties(bag([
                ("status", json!(report.status.as_str())),
                ("ampel", json!(ampel)),
                ("format", json!(report.format.map(|f| f.as_str()))),
                ("pages", json!(report.pages)),
                ("language", json!(report.language.map(|l| l.code()))),
            ]))
            .build();
        if let Some(sha) = &report.sha256 {
            artifact.hashes = Some(BTreeMap::from([("sha-256".to_string(), sha.clone())]));
        }
        self.artifacts.push(artifact);
        match &report.assessment {
            Some(a) => {
                for f in &a.findings {
                    let rule_index = self.rule_index.get(&f.rule).copied();
                    self.results
                        .push(result(report, index, f, rule_index, lang));
                }
            }
            None => self.notifications.push(notification(report, index)),
        }
        Ok(())
    }

    fn waiver_notices(&mut self, notices: &[Notice]) -> io::Result<()> {
        self.notifications
            .extend(notices.iter().map(waiver_notification));
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        let driver = ToolComponent::builder()
            .name("ampel")
            .version(env!("CARGO_PKG_VERSION"))
            .semantic_version(env!("CARGO_PKG_VERSION"))
            .language(self.lang.unwrap_or(Language::En).code())
            .rules(std::mem::take(&mut self.rules))
            .build();
        let invocation = Invocation::builder()
            .execution_successful(true)
            .tool_execution_notifications(std::mem::take(&mut self.notifications))
            .build();
        let run = Run::builder()
            .tool(Tool::builder().driver(driver).build())
            .column_kind(json!("unicodeCodePoints"))
            .artifacts(std::mem::take(&mut self.artifacts))
            .invocations(vec![invocation])
            .results(std::mem::take(&mut self.results))
            .build();
        let log = SarifLog::builder()
            .schema(SCHEMA)
            .version(json!("2.1.0"))
            .runs(vec![run])
            .build();
        serde_json::to_writer_pretty(&mut self.out, &log)?;
        writeln!(self.out)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        let table = [
            ("contracts/vendor avv.pdf", "contracts/vendor%20avv.pdf"),
            ("a#b?.pdf", "a%23b%3F.pdf"),
            ("Verträge/x.pdf", "Vertr%C3%A4ge/x.pdf"),
            ("c:x.pdf", "c%3Ax.pdf"),
        ];
        for (path, expected) in table {
            assert_eq!(uri(path), expected);
        }
        #[cfg(unix)]
        assert_eq!(uri("/srv/avv.pdf"), "file:///srv/avv.pdf");
    }

    #[test]
    fn every_missable_requirement_and_every_red_flag_has_a_descriptor() {
        let fixtures =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report-rules");
        let pack = Pack::with_dirs(&[fixtures]).unwrap();
        let rules = descriptors(&pack, Language::De);
        assert!(rules.iter().any(|d| d.id == "fixture.own-purposes"));
        for r in &pack.rules {
            let described = rules.iter().any(|d| d.id == r.id);
            assert_eq!(described, r.kind == RuleKind::RedFlag, "{}", r.id);
        }
        let missing = rules.iter().filter(|d| d.id.ends_with(".missing")).count();
        let missable = pack
            .requirements
            .iter()
            .filter(|q| q.missing_severity != MissingSeverity::None)
            .count();
        assert_eq!(missing, missable);
        let audits = rules.iter().find(|d| d.id == "audits.missing").unwrap();
        let help = &audits.help.as_ref().unwrap().text;
        assert!(help.contains("Rechtsgrundlage: Art. 28"), "{help}");
    }
}
