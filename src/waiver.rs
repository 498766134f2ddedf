//! Accepted deviations (waivers): a data-protection officer's decision to accept a finding on
//! purpose, with a reason, who accepted it and an expiry date.
//!
//! A waiver file is TOML (`--waivers FILE`, or `ampel.toml` in a scanned folder):
//!
//! ```toml
//! [[waiver]]
//! rule = "audits.certificates-instead"   # or: requirement = "audits"
//! sha256 = "9f2c…"                       # or: path = "vendors/acme/*.pdf"
//! reason = "certificates accepted for this low-risk service"
//! accepted_by = "DPO"
//! expires = "2027-06-30"
//! ```
//!
//! Waivers are applied after assessment ([`Waivers::apply`]): a finding a valid waiver covers
//! is marked accepted ([`crate::assess::Acceptance`]) and no longer sets the Ampel; one whose
//! waiver has expired counts again and carries the expired waiver, so every report can warn.
//! [`Waivers::notices`] lists the expired waivers that were used and the waivers that matched
//! no finding, so stale entries get cleaned up.
//!
//! A `path` glob is relative to the folder of the waiver file (like `.gitignore`); `*` stays
//! inside one folder, `**` crosses folders. An absolute glob matches absolute paths.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher};
use jiff::civil::Date;
use serde::Deserialize;

use crate::assess::Acceptance;
use crate::batch::DocumentReport;
use crate::rules::{MissingSeverity, Pack};

/// File name of the waiver file picked up in a scanned folder.
pub const FOLDER_FILE: &str = "ampel.toml";

/// A waiver-file error: the file, the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// What a waiver covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One rule id (`audits.certificates-instead`, `audits.missing`).
    Rule(String),
    /// Every finding of one requirement.
    Requirement(String),
}

/// Which documents a waiver covers.
#[derive(Debug, Clone)]
pub enum Documents {
    /// The file with this SHA-256 (lower-case hex).
    Sha256(String),
    /// Files whose path matches a glob.
    Path {
        /// The glob as written.
        pattern: String,
        /// The compiled glob.
        matcher: GlobMatcher,
        /// The folder relative globs are resolved against (absolute, lexically normalised).
        base: PathBuf,
    },
}

/// One accepted deviation.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// The rule or requirement it covers.
    pub target: Target,
    /// The documents it covers.
    pub documents: Documents,
    /// Why the deviation is accepted.
    pub reason: String,
    /// Who accepted it.
    pub accepted_by: String,
    /// The last day it is valid.
    pub expires: Date,
    /// Where it is written: `file:line`.
    pub source: String,
}

/// Why a waiver needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// It matched findings but has expired: they count again.
    Expired,
    /// It matched no finding in any document.
    Unused,
}

/// A waiver that needs attention, for the end of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Expired or unused.
    pub kind: NoticeKind,
    /// Where the waiver is written: `file:line`.
    pub source: String,
    /// `rule X` or `requirement X`.
    pub target: String,
    /// Its expiry date (ISO 8601).
    pub expires: String,
    /// How many findings it matched.
    pub matched: usize,
}

impl Notice {
    /// A one-line English warning for stderr.
    pub fn message(&self) -> String {
        match self.kind {
            NoticeKind::Expired => format!(
                "{}: waiver for {} expired on {}; the {} finding(s) it covered count again: renew or remove it",
                self.source, self.target, self.expires, self.matched
            ),
            NoticeKind::Unused => format!(
                "{}: waiver for {} matched no finding: remove it if the deviation is gone",
                self.source, self.target
            ),
        }
    }
}

/// The waivers of a run, the day they are checked against, and what each matched.
#[derive(Debug, Clone)]
pub struct Waivers {
    list: Vec<Waiver>,
    today: Date,
    matched: Vec<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    waiver: Vec<toml::Spanned<WaiverSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverSpec {
    rule: Option<String>,
    requirement: Option<String>,
    sha256: Option<String>,
    path: Option<String>,
    reason: String,
    accepted_by: String,
    expires: toml::Value,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// `path` made absolute against the working directory and cleared of `.` and `..`, without
/// touching the file system (the file may not exist; symlinks are not resolved).
fn lexical_absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Parses `text` (the contents of `file`) into waivers, checking every id against `pack`.
pub fn parse(file: &Path, text: &str, pack: &Pack) -> Result<Vec<Waiver>, Vec<Error>> {
    let shown = file.display().to_string();
    let spec: FileSpec = toml::from_str(text).map_err(|e| {
        vec![Error {
            file: shown.clone(),
            line: e.span().map(|s| line_of(text, s.start)),
            message: e.message().to_string(),
        }]
    })?;
    let base = lexical_absolute(file.parent().unwrap_or(Path::new(".")));
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for entry in spec.waiver {
        let line = line_of(text, entry.span().start);
        let source = format!("{shown}:{line}");
        match waiver(entry.into_inner(), &base, source, pack) {
            Ok(w) => out.push(w),
            Err(message) => errors.push(Error {
                file: shown.clone(),
                line: Some(line),
                message,
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn waiver(spec: WaiverSpec, base: &Path, source: String, pack: &Pack) -> Result<Waiver, String> {
    let target = match (spec.rule, spec.requirement) {
        (Some(rule), None) => {
            let known = pack.rule(&rule).is_some()
                || rule.strip_suffix(".missing").is_some_and(|req| {
                    pack.requirement_index(req).is_some_and(|i| {
                        pack.requirements[i].missing_severity != MissingSeverity::None
                    })
                });
            if !known {
                return Err(format!(
                    "unknown rule `{rule}`: use an id from `ampel rules list` or `<requirement>.missing`"
                ));
            }
            Target::Rule(rule)
        }
        (None, Some(requirement)) => {
            if pack.requirement_index(&requirement).is_none() {
                return Err(format!(
                    "unknown requirement `{requirement}`: use an id from `ampel rules show <rule>` or the README checklist"
                ));
            }
            Target::Requirement(requirement)
        }
        _ => return Err("a waiver names exactly one of `rule` or `requirement`".into()),
    };
    let documents = match (spec.sha256, spec.path) {
        (Some(sha), None) => {
            let sha = sha.trim().to_ascii_lowercase();
            if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(format!(
                    "sha256 `{sha}` is not 64 hex digits: copy the document's sha256 from `ampel scan --format json`"
                ));
            }
            Documents::Sha256(sha)
        }
        (None, Some(pattern)) => {
            let matcher = GlobBuilder::new(&pattern)
                .literal_separator(true)
                .build()
                .map(|g: Glob| g.compile_matcher())
                .map_err(|e| format!("invalid path glob `{pattern}`: {e}"))?;
            Documents::Path {
                pattern,
                matcher,
                base: base.to_path_buf(),
            }
        }
        _ => {
            return Err(
                "a waiver names exactly one of `sha256` (one file) or `path` (a glob)".into(),
            );
        }
    };
    for (field, value) in [("reason", &spec.reason), ("accepted_by", &spec.accepted_by)] {
        if value.trim().is_empty() {
            return Err(format!("`{field}` must not be empty"));
        }
    }
    let expires = match &spec.expires {
        toml::Value::String(s) => s.trim().parse::<Date>().ok(),
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
            d.to_string().parse::<Date>().ok()
        }
        _ => None,
    }
    .ok_or_else(|| {
        format!(
            "expires = {} is no date: write it as \"YYYY-MM-DD\", e.g. \"2027-06-30\"",
            spec.expires
        )
    })?;
    Ok(Waiver {
        target,
        documents,
        reason: spec.reason,
        accepted_by: spec.accepted_by,
        expires,
        source,
    })
}

/// Reads and parses a waiver file.
pub fn load(file: &Path, pack: &Pack) -> Result<Vec<Waiver>, Vec<Error>> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        vec![Error {
            file: file.display().to_string(),
            line: None,
            message: format!("cannot read the waiver file: {e}"),
        }]
    })?;
    parse(file, &text, pack)
}

/// Parses an ISO 8601 date (`2027-06-30`), e.g. for `--today`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| format!("`{text}` is no date: write it as YYYY-MM-DD"))
}

/// Today's date in the local time zone.
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

impl Waiver {
    fn covers_document(&self, report: &DocumentReport) -> bool {
        match &self.documents {
            Documents::Sha256(sha) => report
                .sha256
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(sha)),
            Documents::Path {
                pattern,
                matcher,
                base,
            } => {
                let path = lexical_absolute(Path::new(&report.path));
                if Path::new(pattern).is_absolute() {
                    matcher.is_match(&path)
                } else {
                    path.strip_prefix(base)
                        .is_ok_and(|rel| matcher.is_match(rel))
                }
            }
        }
    }

    fn covers_finding(&self, rule: &str, requirement: &str) -> bool {
        match &self.target {
            Target::Rule(id) => id == rule,
            Target::Requirement(id) => id == requirement,
        }
    }

    fn target(&self) -> String {
        match &self.target {
            Target::Rule(id) => format!("rule {id}"),
            Target::Requirement(id) => format!("requirement {id}"),
        }
    }
}

impl Waivers {
    /// The waivers `list`, checked against `today`.
    pub fn new(list: Vec<Waiver>, today: Date) -> Waivers {
        let matched = vec![0; list.len()];
        Waivers {
            list,
            today,
            matched,
        }
    }

    /// No waivers at all.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Marks the findings of `report` that a waiver covers and recomputes its Ampel. A valid
    /// waiver is preferred to an expired one; accepted findings move behind those that count.
    pub fn apply(&mut self, report: &mut DocumentReport) {
        if report.assessment.is_none() {
            return;
        }
        let candidates: Vec<usize> = (0..self.list.len())
            .filter(|&i| self.list[i].covers_document(report))
            .collect();
        let Some(assessment) = report.assessment.as_mut() else {
            return;
        };
        if candidates.is_empty() {
            return;
        }
        for finding in &mut assessment.findings {
            let mut matching = candidates
                .iter()
                .copied()
                .filter(|&i| self.list[i].covers_finding(&finding.rule, &finding.requirement));
            let Some(first) = matching.next() else {
                continue;
            };
            let chosen = std::iter::once(first)
                .chain(matching)
                .find(|&i| self.list[i].expires >= self.today)
                .unwrap_or(first);
            self.matched[chosen] += 1;
            let w = &self.list[chosen];
            finding.waiver = Some(Acceptance {
                reason: w.reason.clone(),
                accepted_by: w.accepted_by.clone(),
                expires: w.expires.to_string(),
                source: w.source.clone(),
                expired: w.expires < self.today,
            });
        }
        // Stable: worst first among those that count, then the accepted ones.
        assessment.findings.sort_by_key(|f| !f.counts());
        // The light of what still counts (never green for a partly read document).
        report.rate();
    }

    /// The waivers that need attention: expired ones that matched findings, and ones that
    /// matched nothing, in file order.
    pub fn notices(&self) -> Vec<Notice> {
        self.list
            .iter()
            .zip(&self.matched)
            .filter_map(|(w, &matched)| {
                let kind = if matched == 0 {
                    NoticeKind::Unused
                } else if w.expires < self.today {
                    NoticeKind::Expired
                } else {
                    return None;
                };
                Some(Notice {
                    kind,
                    source: w.source.clone(),
                    target: w.target(),
                    expires: w.expires.to_string(),
                    matched,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{Assessment, Finding, FindingKind, ampel_of};
    use crate::batch::Status;
    use crate::rules::{Localised, Severity};

    fn pack() -> Pack {
        Pack::embedded().expect("pack")
    }

    fn finding(rule: &str, requirement: &str, severity: Severity) -> Finding {
        Finding {
            rule: rule.into(),
            requirement: requirement.into(),
            kind: FindingKind::RedFlag,
            severity,
            title: Localised::default(),
            legal_basis: String::new(),
            rationale: None,
            recommendation: Localised::default(),
            evidence: Vec::new(),
            missing_elements: Vec::new(),
            looked_in: Vec::new(),
            waiver: None,
            track_record: None,
        }
    }

    fn report(path: &str, findings: Vec<Finding>) -> DocumentReport {
        DocumentReport {
            path: path.into(),
            sha256: Some("ab".repeat(32)),
            format: None,
            pages: 1,
            language: None,
            status: Status::Ok,
            message: None,
            extractor: None,
            assessment: Some(Assessment {
                checklist: Vec::new(),
                ampel: ampel_of(&findings),
                findings,
                not_a_dpa: false,
                addressed: 12,
                labelled: true,
            }),
            warnings: Vec::new(),
        }
    }

    fn waivers(text: &str, today: &str) -> Waivers {
        let list = parse(Path::new("/srv/contracts/ampel.toml"), text, &pack()).expect("valid");
        Waivers::new(list, parse_date(today).expect("date"))
    }

    const AUDITS_FOR_ACME: &str = r#"
[[waiver]]
requirement = "audits"
path = "acme/*.pdf"
reason = "low risk"
accepted_by = "DPO"
expires = "2027-06-30"
"#;

    #[test]
    fn a_valid_waiver_accepts_matching_findings_and_the_ampel_follows() {
        let mut w = waivers(AUDITS_FOR_ACME, "2027-06-30");
        let mut r = report(
            "/srv/contracts/acme/avv.pdf",
            vec![
                finding("audits.annual-cap", "audits", Severity::Yellow),
                finding("audits.onsite-excluded", "audits", Severity::Yellow),
            ],
        );
        w.apply(&mut r);
        let a = r.assessment.as_ref().expect("assessment");
        assert_eq!(a.ampel, crate::assess::Ampel::Green);
        assert!(a.findings.iter().all(|f| !f.counts()));
        assert_eq!(
            a.findings[0].waiver.as_ref().map(|w| w.source.as_str()),
            Some("/srv/contracts/ampel.toml:2")
        );
        assert!(w.notices().is_empty());
    }

    #[test]
    fn globs_are_relative_to_the_waiver_file_and_stay_in_their_folder() {
        let table = [
            ("/srv/contracts/acme/avv.pdf", true),
            ("/srv/contracts/acme/../acme/avv.pdf", true),
            ("/srv/contracts/acme/2024/avv.pdf", false),
            ("/srv/other/acme/avv.pdf", false),
            ("/srv/contracts/acme/avv.docx", false),
        ];
        for (path, covered) in table {
            let mut w = waivers(AUDITS_FOR_ACME, "2026-01-01");
            let mut r = report(
                path,
                vec![finding("audits.annual-cap", "audits", Severity::Yellow)],
            );
            w.apply(&mut r);
            let waived = r.assessment.expect("a").findings[0].waiver.is_some();
            assert_eq!(waived, covered, "{path}");
        }
    }

    #[test]
    fn an_expired_waiver_counts_again_and_is_noticed_and_an_unused_one_too() {
        let text = format!(
            "{AUDITS_FOR_ACME}\n[[waiver]]\nrule = \"own_purposes.ai-training\"\npath = \"**\"\nreason = \"r\"\naccepted_by = \"a\"\nexpires = 2030-01-01\n"
        );
        let mut w = waivers(&text, "2027-07-01");
        let mut r = report(
            "/srv/contracts/acme/avv.pdf",
            vec![finding("audits.annual-cap", "audits", Severity::Yellow)],
        );
        w.apply(&mut r);
        let a = r.assessment.as_ref().expect("assessment");
        assert_eq!(a.ampel, crate::assess::Ampel::Yellow);
        assert!(a.findings[0].waiver.as_ref().is_some_and(|w| w.expired));
        let kinds: Vec<NoticeKind> = w.notices().iter().map(|n| n.kind).collect();
        assert_eq!(kinds, [NoticeKind::Expired, NoticeKind::Unused]);
    }

    #[test]
    fn a_valid_waiver_wins_over_an_expired_one() {
        let text = format!(
            "{}{AUDITS_FOR_ACME}",
            AUDITS_FOR_ACME.replace("2027", "2020")
        );
        let mut w = waivers(&text, "2026-01-01");
        let mut r = report(
            "/srv/contracts/acme/avv.pdf",
            vec![finding("audits.annual-cap", "audits", Severity::Yellow)],
        );
        w.apply(&mut r);
        assert!(
            r.assessment.expect("a").findings[0]
                .waiver
                .as_ref()
                .is_some_and(|w| !w.expired)
        );
    }
}
