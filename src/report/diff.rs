//! `ampel diff` output: the comparison of two versions of an agreement as text (for people),
//! Markdown (for tickets) or JSON (for tools and CI).
//!
//! The JSON has its own wire types, versioned like the scan output (`schema_version` 1;
//! fields may be added, never renamed or removed) and deserialised strictly; its JSON Schema
//! (`ampel schema --format diff`, committed as `src/report/ampel-diff-v1.schema.json`) is
//! generated from them. Findings use the scan output's `FindingRecord`, quotes its
//! `EvidenceRecord`.

use std::fmt::Write as _;

use schemars::{JsonSchema, Schema, schema_for};
use serde::{Deserialize, Serialize};

use super::labels::{Labels, labels};
use super::markdown::escape;
use super::wire::{EvidenceRecord, FindingRecord, SCHEMA_VERSION, Tool, evidence, finding, pick};
use crate::assess::{Evidence, Finding};
use crate::diff::{Change, ClauseChange, Comparison, RequirementDiff, State};
use crate::text::Language;

/// The whole `ampel diff --format json` output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "ampel diff (schema_version 1)")]
pub struct DiffOutput {
    /// The version of this format: always 1 here.
    #[schemars(extend("const" = 1))]
    pub schema_version: u32,
    /// The tool that wrote it.
    pub tool: Tool,
    /// The old version.
    pub old: SideRecord,
    /// The new version.
    pub new: SideRecord,
    /// True when anything got worse (the Ampel or a requirement): `ampel diff` exits with 1.
    pub worse: bool,
    /// One entry per requirement, in checklist order.
    pub requirements: Vec<RequirementRecord>,
    /// Findings only in the new version, worst first.
    pub added: Vec<FindingRecord>,
    /// Findings only in the old version, worst first.
    pub removed: Vec<FindingRecord>,
    /// Findings in both versions (as in the new version), worst first.
    pub unchanged: Vec<FindingRecord>,
}

/// One version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SideRecord {
    /// Path as given.
    pub path: String,
    /// SHA-256 of the file (hex).
    #[schemars(required, extend("type" = ["string", "null"]))]
    pub sha256: Option<String>,
    /// `red`, `yellow` or `green`.
    #[schemars(extend("enum" = ["red", "yellow", "green"]))]
    pub ampel: String,
}

/// One requirement compared.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequirementRecord {
    /// Requirement id.
    pub requirement: String,
    /// `better`, `worse` or `unchanged`.
    #[schemars(extend("enum" = ["better", "worse", "unchanged"]))]
    pub change: String,
    /// State in the old version.
    pub before: StateRecord,
    /// State in the new version.
    pub after: StateRecord,
    /// The quotes that differ: `before` only = clause gone, `after` only = clause new, both =
    /// the same clause reworded.
    pub clauses: Vec<ClauseRecord>,
}

/// A requirement's state in one version.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StateRecord {
    /// `present`, `missing`, `flagged`.
    #[schemars(extend("enum" = ["present", "missing", "flagged"]))]
    pub status: String,
    /// Worst severity of its findings that set the Ampel (`red`, `yellow`), or null.
    #[schemars(required, extend("type" = ["string", "null"], "enum" = ["red", "yellow", null]))]
    pub severity: Option<String>,
}

/// A quote that differs between the versions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClauseRecord {
    /// The quote in the old version, or null when the clause is new.
    #[schemars(required, extend("type" = ["object", "null"]))]
    pub before: Option<EvidenceRecord>,
    /// The quote in the new version, or null when the clause is gone.
    #[schemars(required, extend("type" = ["object", "null"]))]
    pub after: Option<EvidenceRecord>,
}

/// The JSON Schema (draft 2020-12) of `ampel diff --format json`.
pub fn json_schema() -> Schema {
    schema_for!(DiffOutput)
}

fn state(s: &State) -> StateRecord {
    StateRecord {
        status: s.status.as_str().to_string(),
        severity: s.severity.map(|v| v.as_str().to_string()),
    }
}

/// The wire form of a comparison, with texts in `lang`.
pub fn output(c: &Comparison, lang: Language) -> DiffOutput {
    let findings = |list: &[Finding]| list.iter().map(|f| finding(f, lang)).collect();
    DiffOutput {
        schema_version: SCHEMA_VERSION,
        tool: Tool::current(),
        old: SideRecord {
            path: c.old.path.clone(),
            sha256: c.old.sha256.clone(),
            ampel: c.old.ampel.as_str().to_string(),
        },
        new: SideRecord {
            path: c.new.path.clone(),
            sha256: c.new.sha256.clone(),
            ampel: c.new.ampel.as_str().to_string(),
        },
        worse: c.worse(),
        requirements: c
            .requirements
            .iter()
            .map(|r| RequirementRecord {
                requirement: r.requirement.clone(),
                change: r.change.as_str().to_string(),
                before: state(&r.before),
                after: state(&r.after),
                clauses: r
                    .clauses
                    .iter()
                    .map(|k| ClauseRecord {
                        before: k.before.as_ref().map(evidence),
                        after: k.after.as_ref().map(evidence),
                    })
                    .collect(),
            })
            .collect(),
        added: findings(&c.added),
        removed: findings(&c.removed),
        unchanged: findings(&c.unchanged),
    }
}

/// The words of the diff reports that the scan reports do not have.
struct Words {
    title: &'static str,
    better: &'static str,
    worse: &'static str,
    unchanged: &'static str,
    requirements: &'static str,
    added: &'static str,
    removed: &'static str,
    kept: &'static str,
    verdict_worse: &'static str,
    verdict_ok: &'static str,
    before: &'static str,
    after: &'static str,
}

const DE: Words = Words {
    title: "Vergleich zweier Fassungen",
    better: "besser",
    worse: "schlechter",
    unchanged: "unverändert",
    requirements: "Anforderungen",
    added: "Neue Befunde",
    removed: "Behobene Befunde",
    kept: "Unveränderte Befunde",
    verdict_worse: "Die neue Fassung ist in mindestens einem Punkt schlechter.",
    verdict_ok: "Die neue Fassung ist in keinem Punkt schlechter.",
    before: "vorher",
    after: "nachher",
};

const EN: Words = Words {
    title: "Comparison of two versions",
    better: "better",
    worse: "worse",
    unchanged: "unchanged",
    requirements: "Requirements",
    added: "Added findings",
    removed: "Removed findings",
    kept: "Unchanged findings",
    verdict_worse: "The new version is worse in at least one respect.",
    verdict_ok: "The new version is worse in no respect.",
    before: "before",
    after: "after",
};

fn words(lang: Language) -> &'static Words {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

fn change_word(change: Change, w: &Words) -> &'static str {
    match change {
        Change::Better => w.better,
        Change::Worse => w.worse,
        Change::Unchanged => w.unchanged,
    }
}

fn change_symbol(change: Change) -> &'static str {
    match change {
        Change::Better => "▲",
        Change::Worse => "▼",
        Change::Unchanged => "=",
    }
}

/// "flagged (yellow)", "present".
fn state_text(s: &State, l: &Labels) -> String {
    let status = match s.status {
        crate::assess::CheckStatus::Present => l.present,
        crate::assess::CheckStatus::Missing => l.missing,
        crate::assess::CheckStatus::Flagged => l.flagged,
    };
    match s.severity {
        Some(sev) => format!("{status} ({})", l.severity(sev).to_lowercase()),
        None => status.to_string(),
    }
}

/// The requirements worth showing: changed ones and those whose clauses changed.
fn shown(c: &Comparison) -> impl Iterator<Item = &RequirementDiff> {
    c.requirements
        .iter()
        .filter(|r| r.change != Change::Unchanged || !r.clauses.is_empty())
}

fn quote_line(e: &Evidence, l: &Labels) -> String {
    format!("{}: \"{}\"", l.place(e.page, e.section.as_deref()), e.quote)
}

fn counts(c: &Comparison, w: &Words) -> String {
    let n = |change| c.requirements.iter().filter(|r| r.change == change).count();
    format!(
        "{} {}, {} {}, {} {}; {}: {}, {}: {}, {}: {}",
        n(Change::Better),
        w.better,
        n(Change::Worse),
        w.worse,
        n(Change::Unchanged),
        w.unchanged,
        w.added,
        c.added.len(),
        w.removed,
        c.removed.len(),
        w.kept,
        c.unchanged.len()
    )
}

/// The comparison for people, as plain text.
pub fn text(c: &Comparison, lang: Language) -> String {
    let (w, l) = (words(lang), labels(lang));
    let mut s = String::new();
    let _ = writeln!(s, "{}: {} → {}", w.title, c.old.path, c.new.path);
    let _ = writeln!(
        s,
        "  Ampel: {} → {}",
        l.ampel[c.old.ampel as usize], l.ampel[c.new.ampel as usize]
    );
    let _ = writeln!(s, "  {}", w.requirements);
    for r in shown(c) {
        let _ = writeln!(
            s,
            "    {} {:<11} {:<28} {} → {}",
            change_symbol(r.change),
            change_word(r.change, w),
            r.requirement,
            state_text(&r.before, l),
            state_text(&r.after, l)
        );
        for k in &r.clauses {
            clause_lines(&mut s, k, l, "      ");
        }
    }
    for (title, list, sign) in [(w.added, &c.added, "+"), (w.removed, &c.removed, "-")] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "  {title}");
        for f in list {
            let _ = writeln!(
                s,
                "    {sign} [{}] {}  {}",
                l.severity(f.severity),
                pick(&f.title, lang),
                f.rule
            );
            for e in &f.evidence {
                let _ = writeln!(s, "        {}", quote_line(e, l));
            }
        }
    }
    let _ = writeln!(s, "\n{}", counts(c, w));
    let _ = writeln!(
        s,
        "{}",
        if c.worse() {
            w.verdict_worse
        } else {
            w.verdict_ok
        }
    );
    s
}

fn clause_lines(s: &mut String, k: &ClauseChange, l: &Labels, indent: &str) {
    if let Some(e) = &k.before {
        let _ = writeln!(s, "{indent}- {}", quote_line(e, l));
    }
    if let Some(e) = &k.after {
        let _ = writeln!(s, "{indent}+ {}", quote_line(e, l));
    }
}

fn light(ampel: crate::assess::Ampel) -> &'static str {
    match ampel {
        crate::assess::Ampel::Red => "🔴",
        crate::assess::Ampel::Yellow => "🟡",
        crate::assess::Ampel::Green => "🟢",
    }
}

/// The comparison as Markdown, for tickets and wikis; text from documents is escaped.
pub fn markdown(c: &Comparison, lang: Language) -> String {
    let (w, l) = (words(lang), labels(lang));
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", w.title);
    let _ = writeln!(
        s,
        "**{}:** {} · **{}:** {}\n",
        w.before,
        escape(&c.old.path),
        w.after,
        escape(&c.new.path)
    );
    let _ = writeln!(
        s,
        "**Ampel:** {} {} → {} {}\n",
        light(c.old.ampel),
        l.ampel[c.old.ampel as usize],
        light(c.new.ampel),
        l.ampel[c.new.ampel as usize]
    );
    let _ = writeln!(
        s,
        "**{}** {}\n",
        if c.worse() {
            w.verdict_worse
        } else {
            w.verdict_ok
        },
        escape(&counts(c, w))
    );
    let _ = writeln!(s, "## {}\n", w.requirements);
    let _ = writeln!(
        s,
        "| | {} | {} | {} |\n|---|---|---|---|",
        l.requirement, w.before, w.after
    );
    for r in &c.requirements {
        let _ = writeln!(
            s,
            "| {} {} | {} (`{}`) | {} | {} |",
            change_symbol(r.change),
            change_word(r.change, w),
            escape(pick(&r.title, lang)),
            r.requirement,
            state_text(&r.before, l),
            state_text(&r.after, l)
        );
    }
    for r in shown(c).filter(|r| !r.clauses.is_empty()) {
        let _ = writeln!(
            s,
            "\n### {} (`{}`): {}\n",
            escape(pick(&r.title, lang)),
            r.requirement,
            change_word(r.change, w)
        );
        let _ = writeln!(s, "```diff");
        let mut block = String::new();
        for k in &r.clauses {
            clause_lines(&mut block, k, l, "");
        }
        // A fenced block shows text verbatim; only a fence inside a quote could end it.
        let _ = write!(s, "{}", block.replace("```", "'''"));
        let _ = writeln!(s, "```");
    }
    for (title, list) in [(w.added, &c.added), (w.removed, &c.removed)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n## {title}\n");
        for f in list {
            let _ = writeln!(
                s,
                "- **{}:** {} (`{}`, {})",
                l.severity(f.severity),
                escape(pick(&f.title, lang)),
                f.rule,
                escape(&f.legal_basis)
            );
            for e in &f.evidence {
                let _ = writeln!(s, "  > {}", escape(&quote_line(e, l)));
            }
        }
    }
    s
}
