//! The JSON of `ampel rules list --format json`, `schema_version` 1: the rules of a pack, for
//! tools that show or select them.
//!
//! Like the scan output's types ([`super::wire`]) these are the contract with other tools and
//! are kept apart from the domain types: adding a field is fine, renaming or removing one needs
//! a new schema version. They deserialise strictly (`deny_unknown_fields`) so tests notice any
//! change.

use serde::{Deserialize, Serialize};

use super::wire::Tool;
use crate::rules::{Pack, Rule, RuleKind};

/// The schema version of the rule list written by this build.
pub const SCHEMA_VERSION: u32 = 1;

/// The whole `rules list --format json` output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleList {
    /// The version of this format: always 1 here (see [`SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// The tool that wrote it.
    pub tool: Tool,
    /// Every rule of the pack, sorted by id.
    pub rules: Vec<RuleRecord>,
}

/// One rule.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleRecord {
    /// Rule id, `<requirement>.<name>`; stable, and the `rule` of scan findings.
    pub id: String,
    /// The requirement id it belongs to.
    pub requirement: String,
    /// `presence` (shows the requirement is met) or `red_flag` (wording that undermines it).
    pub kind: String,
    /// `red`, `yellow` or `info` for red flags; `null` for presence rules, which cost nothing
    /// themselves (what a missing clause costs is set on the requirement).
    pub severity: Option<String>,
    /// Languages the patterns are written for (`de`, `en`).
    pub languages: Vec<String>,
    /// The article the rule checks, as quoted in findings.
    pub legal_basis: String,
    /// The title in both languages, as findings show it.
    pub title: Titles,
}

/// A text in both report languages.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Titles {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

/// The stable name of a rule kind, as the rule files and this list spell it.
pub fn kind_name(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Presence => "presence",
        RuleKind::RedFlag => "red_flag",
    }
}

fn record(pack: &Pack, rule: &Rule) -> RuleRecord {
    RuleRecord {
        id: rule.id.clone(),
        requirement: pack.requirements[rule.requirement].id.clone(),
        kind: kind_name(rule.kind).to_string(),
        severity: (rule.kind == RuleKind::RedFlag).then(|| rule.severity.as_str().to_string()),
        languages: rule
            .languages
            .iter()
            .map(|l| l.code().to_string())
            .collect(),
        legal_basis: rule.legal_basis.clone(),
        title: Titles {
            de: rule.title.de.clone(),
            en: rule.title.en.clone(),
        },
    }
}

/// The rule list of `pack`.
///
/// ```
/// let pack = ampel::rules::Pack::embedded().unwrap();
/// let list = ampel::report::rule_list::rule_list(&pack);
/// assert_eq!(list.schema_version, 1);
/// assert_eq!(list.rules.len(), pack.rules.len());
/// ```
pub fn rule_list(pack: &Pack) -> RuleList {
    RuleList {
        schema_version: SCHEMA_VERSION,
        tool: Tool::current(),
        rules: pack.rules.iter().map(|r| record(pack, r)).collect(),
    }
}
