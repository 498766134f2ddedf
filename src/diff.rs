//! Comparing two versions of one vendor's agreement (`ampel diff OLD NEW`).
//!
//! The comparison works on assessments, not on text lines, so it says what matters to a
//! reviewer: per requirement whether it got **better**, **worse** or stayed **unchanged**,
//! which findings were added and removed, the Ampel before and after, and for each changed
//! requirement the clause text that changed.
//!
//! - A finding is the same in both versions when its rule is the same and, for red flags, one
//!   of its quotes is the same clause: equal after folding case, punctuation and whitespace,
//!   or sharing most of its words ([`same_clause`]). Page numbers, sections and offsets are
//!   ignored, so a renumbered or moved clause is no change. A red flag whose rule fires on a
//!   different clause in the new version is one finding removed and one added.
//! - A requirement is **worse** when its worst counting severity rose or a rule that sets the
//!   Ampel fires in the new version and did not in the old; **better** when it is not worse and
//!   its worst severity fell or such a rule no longer fires; else **unchanged**. Findings of
//!   severity `info` and accepted deviations are listed but never make a requirement better or
//!   worse.
//! - The changed clause text of a requirement pairs the quotes of the old and new version
//!   (checklist evidence and findings): a pair that is the same clause reworded is
//!   `changed`; a quote only in the old version `removed`; only in the new `added`.

use std::collections::BTreeSet;

use crate::assess::{Ampel, CheckStatus, Evidence, Finding, FindingKind};
use crate::batch::DocumentReport;
use crate::rules::{Localised, Pack, Severity};

/// Share of common words (Jaccard) from which two quotes count as the same clause.
const SAME_CLAUSE: f64 = 0.6;

/// Whether a requirement improved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Fewer or milder defects.
    Better,
    /// A new or more severe defect.
    Worse,
    /// No difference that sets the Ampel.
    Unchanged,
}

impl Change {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Better => "better",
            Change::Worse => "worse",
            Change::Unchanged => "unchanged",
        }
    }
}

/// A requirement's state in one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// Checklist status.
    pub status: CheckStatus,
    /// Worst severity of its findings that count (not `info`, not accepted), if any.
    pub severity: Option<Severity>,
}

/// One quote that differs between the versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseChange {
    /// The quote in the old version (`None`: the clause is new).
    pub before: Option<Evidence>,
    /// The quote in the new version (`None`: the clause is gone).
    pub after: Option<Evidence>,
}

/// One requirement compared.
#[derive(Debug, Clone)]
pub struct RequirementDiff {
    /// Requirement id.
    pub requirement: String,
    /// Its title.
    pub title: Localised,
    /// Better, worse or unchanged.
    pub change: Change,
    /// State in the old version.
    pub before: State,
    /// State in the new version.
    pub after: State,
    /// The quotes that differ (empty when the requirement's clauses are the same).
    pub clauses: Vec<ClauseChange>,
}

/// One side of the comparison.
#[derive(Debug, Clone)]
pub struct Side {
    /// Path as given.
    pub path: String,
    /// SHA-256 of the file.
    pub sha256: Option<String>,
    /// The Ampel.
    pub ampel: Ampel,
}

/// The comparison of two analysed versions.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The old version.
    pub old: Side,
    /// The new version.
    pub new: Side,
    /// One entry per requirement, in checklist order.
    pub requirements: Vec<RequirementDiff>,
    /// Findings only in the new version, worst first.
    pub added: Vec<Finding>,
    /// Findings only in the old version, worst first.
    pub removed: Vec<Finding>,
    /// Findings in both versions (the new version's), worst first.
    pub unchanged: Vec<Finding>,
}

impl Comparison {
    /// Whether anything got worse: the Ampel, or any requirement.
    pub fn worse(&self) -> bool {
        self.new.ampel > self.old.ampel
            || self.requirements.iter().any(|r| r.change == Change::Worse)
    }
}

/// Why two reports cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The path of the report that was not analysed.
    pub path: String,
    /// Its status and message.
    pub message: String,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for Error {}

/// Words of a quote, folded: lower case, letters and digits only.
fn words(quote: &str) -> BTreeSet<String> {
    quote
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether two quotes are the same clause: the same words after folding, or most words in
/// common (Jaccard ≥ 0.6). Quotes cut with `…` compare by their words just the same.
pub fn same_clause(a: &str, b: &str) -> bool {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return wa == wb;
    }
    let common = wa.intersection(&wb).count() as f64;
    let all = wa.union(&wb).count() as f64;
    common / all >= SAME_CLAUSE
}

/// A text as its words, lower case, separated by single spaces.
fn folded(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a quote (possibly cut with `…`) still stands in a folded full text.
fn still_there(quote: &str, text: Option<&str>) -> bool {
    text.is_some_and(|text| {
        quote
            .split('…')
            .map(folded)
            .filter(|part| !part.is_empty())
            .all(|part| text.contains(&part))
    })
}

fn identical(a: &str, b: &str) -> bool {
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    fold(a) == fold(b)
}

/// Whether two findings are the same defect: same rule and, for red flags, a shared clause.
fn same_finding(a: &Finding, b: &Finding) -> bool {
    a.rule == b.rule
        && (a.kind == FindingKind::Missing
            || a.evidence
                .iter()
                .any(|x| b.evidence.iter().any(|y| same_clause(&x.quote, &y.quote))))
}

fn sets_ampel(f: &Finding) -> bool {
    f.severity > Severity::Info && f.counts()
}

fn state(report: &DocumentReport, requirement: &str) -> State {
    let Some(a) = &report.assessment else {
        return State {
            status: CheckStatus::Missing,
            severity: None,
        };
    };
    let status = a
        .checklist
        .iter()
        .find(|c| c.requirement == requirement)
        .map_or(CheckStatus::Missing, |c| c.status);
    let severity = a
        .findings
        .iter()
        .filter(|f| f.requirement == requirement && sets_ampel(f))
        .map(|f| f.severity)
        .max();
    State { status, severity }
}

/// Every quote a report has for a requirement: checklist evidence and finding evidence.
fn quotes<'a>(report: &'a DocumentReport, requirement: &str) -> Vec<&'a Evidence> {
    let mut out: Vec<&Evidence> = Vec::new();
    if let Some(a) = &report.assessment {
        let checklist = a
            .checklist
            .iter()
            .filter(|c| c.requirement == requirement)
            .flat_map(|c| &c.evidence);
        let findings = a
            .findings
            .iter()
            .filter(|f| f.requirement == requirement)
            .flat_map(|f| &f.evidence);
        for e in checklist.chain(findings) {
            if !out.iter().any(|o| identical(&o.quote, &e.quote)) {
                out.push(e);
            }
        }
    }
    out
}

/// Pairs the quotes of both versions: identical ones, and ones that still stand in the other
/// version's full text (`texts`, folded), drop out; reworded ones are `changed`.
fn clause_changes(
    old: &[&Evidence],
    new: &[&Evidence],
    texts: (Option<&str>, Option<&str>),
) -> Vec<ClauseChange> {
    let mut new_left: Vec<Option<&Evidence>> = new
        .iter()
        .copied()
        .filter(|n| !old.iter().any(|o| identical(&o.quote, &n.quote)))
        .filter(|n| !still_there(&n.quote, texts.0))
        .map(Some)
        .collect();
    let mut out = Vec::new();
    let gone = old
        .iter()
        .filter(|o| !new.iter().any(|n| identical(&o.quote, &n.quote)))
        .filter(|o| !still_there(&o.quote, texts.1));
    for o in gone {
        let partner = new_left
            .iter_mut()
            .find(|n| n.is_some_and(|n| same_clause(&o.quote, &n.quote)))
            .and_then(Option::take);
        out.push(ClauseChange {
            before: Some((*o).clone()),
            after: partner.cloned(),
        });
    }
    out.extend(new_left.into_iter().flatten().map(|n| ClauseChange {
        before: None,
        after: Some(n.clone()),
    }));
    out
}

fn rules_setting_ampel<'a>(report: &'a DocumentReport, requirement: &str) -> BTreeSet<&'a str> {
    report
        .assessment
        .iter()
        .flat_map(|a| &a.findings)
        .filter(|f| f.requirement == requirement && sets_ampel(f))
        .map(|f| f.rule.as_str())
        .collect()
}

fn side(report: &DocumentReport) -> Result<Side, Error> {
    match &report.assessment {
        Some(a) => Ok(Side {
            path: report.path.clone(),
            sha256: report.sha256.clone(),
            ampel: a.ampel,
        }),
        None => Err(Error {
            path: report.path.clone(),
            message: format!(
                "{}: {}",
                report.status.as_str(),
                report.message.as_deref().unwrap_or("not analysed")
            ),
        }),
    }
}

/// Compares the old and the new version of an agreement. Both must have been analysed
/// (status `ok`); waivers, if any, must already be applied to both. `texts` are the full texts
/// of the old and new version when known (e.g. [`crate::text::Text::content`]): a quote that
/// still stands in the other version is then no changed clause text, even when the other
/// version quotes a different sentence for that requirement.
pub fn compare(
    old: &DocumentReport,
    new: &DocumentReport,
    pack: &Pack,
    texts: Option<(&str, &str)>,
) -> Result<Comparison, Error> {
    let (old_side, new_side) = (side(old)?, side(new)?);
    let folded_texts = texts.map(|(o, n)| (folded(o), folded(n)));
    let texts = folded_texts
        .as_ref()
        .map_or((None, None), |(o, n)| (Some(o.as_str()), Some(n.as_str())));
    let old_findings: &[Finding] = old.assessment.as_ref().map_or(&[], |a| &a.findings);
    let new_findings: &[Finding] = new.assessment.as_ref().map_or(&[], |a| &a.findings);
    let mut added = Vec::new();
    let mut unchanged = Vec::new();
    for f in new_findings {
        if old_findings.iter().any(|o| same_finding(o, f)) {
            unchanged.push(f.clone());
        } else {
            added.push(f.clone());
        }
    }
    let removed: Vec<Finding> = old_findings
        .iter()
        .filter(|o| !new_findings.iter().any(|f| same_finding(o, f)))
        .cloned()
        .collect();
    let requirements = pack
        .requirements
        .iter()
        .map(|q| {
            let (before, after) = (state(old, &q.id), state(new, &q.id));
            let (rules_before, rules_after) = (
                rules_setting_ampel(old, &q.id),
                rules_setting_ampel(new, &q.id),
            );
            let change = if after.severity > before.severity
                || rules_after.difference(&rules_before).next().is_some()
            {
                Change::Worse
            } else if after.severity < before.severity
                || rules_before.difference(&rules_after).next().is_some()
            {
                Change::Better
            } else {
                Change::Unchanged
            };
            let findings_changed = added.iter().chain(&removed).any(|f| f.requirement == q.id);
            let clauses = if change != Change::Unchanged || findings_changed || before != after {
                clause_changes(&quotes(old, &q.id), &quotes(new, &q.id), texts)
            } else {
                Vec::new()
            };
            RequirementDiff {
                requirement: q.id.clone(),
                title: q.title.clone(),
                change,
                before,
                after,
                clauses,
            }
        })
        .collect();
    Ok(Comparison {
        old: old_side,
        new: new_side,
        requirements,
        added,
        removed,
        unchanged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_match_by_words_not_by_layout() {
        let table = [
            (
                "Audits are limited to once a year.",
                "Audits are limited to  once a year",
                true,
            ),
            (
                "Der Auftragnehmer kann Weisungen nach eigenem Ermessen ablehnen.",
                "Der Auftragnehmer kann Weisungen nach billigem Ermessen ablehnen.",
                true,
            ),
            (
                "Audits are limited to once a year.",
                "The provider deletes all data within 30 days.",
                false,
            ),
            ("", "", true),
        ];
        for (a, b, same) in table {
            assert_eq!(same_clause(a, b), same, "{a} / {b}");
        }
    }
}
