//! The serde mirror of rule files and `requirements.toml`. Unknown keys are errors, so a typo
//! in a rule pack is reported instead of silently ignored.

use serde::Deserialize;

/// German and English versions of a text.
#[derive(Debug, Clone, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Localised {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

/// `kind` of a rule.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The rule shows that the requirement is met.
    Presence,
    /// The rule flags wording that undermines the requirement.
    RedFlag,
}

/// Severity of a finding, ordered from harmless to worst.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// For a human to review; never changes the Ampel.
    Info,
    /// A defect a contract change can fix.
    Yellow,
    /// A structural defect that excludes lawful use.
    Red,
}

impl Localised {
    /// The language (`de` or `en`) whose text is empty or only whitespace, if any: texts that
    /// are shown to people (a suggested clause) must exist in both languages.
    pub fn blank_language(&self) -> Option<&'static str> {
        if self.de.trim().is_empty() {
            Some("de")
        } else if self.en.trim().is_empty() {
            Some("en")
        } else {
            None
        }
    }
}

impl Severity {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Yellow => "yellow",
            Severity::Red => "red",
        }
    }
}

/// What a missing requirement costs.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MissingSeverity {
    /// Missing is not a defect by itself (red flags only).
    None,
    /// Missing makes the document yellow.
    Yellow,
    /// Missing makes the document red.
    Red,
}

/// Where a rule's patterns are tried.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// One sentence.
    #[default]
    Sentence,
    /// One paragraph (sentences between blank lines).
    Paragraph,
    /// One numbered clause or headed section.
    Section,
}

/// A rule's examples, run through the real engine by `ampel rules test` and `cargo test`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Texts on which the rule must fire.
    #[serde(default)]
    pub fires: Vec<String>,
    /// Texts on which the rule must stay silent.
    #[serde(default)]
    pub silent: Vec<String>,
}

/// One rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable id, equal to the file stem.
    pub id: String,
    /// The requirement id the rule belongs to.
    pub requirement: String,
    /// Presence or red flag.
    pub kind: RuleKind,
    /// Severity of a red flag (not allowed on presence rules).
    pub severity: Option<Severity>,
    /// Where patterns are tried.
    #[serde(default)]
    pub scope: Scope,
    /// Languages the rule's patterns are written for (`de`, `en`).
    pub languages: Vec<String>,
    /// Legal basis, e.g. "Art. 28(3)(a) GDPR".
    pub legal_basis: String,
    /// Prefilter keywords: a scope is tried only if it contains one of them.
    pub keywords: Vec<String>,
    /// Confirming regexes (case-insensitive).
    pub patterns: Vec<String>,
    /// A match in the same scope vetoes the hit.
    #[serde(default)]
    pub unless: Vec<String>,
    /// A match in the same sentence downgrades the hit to `info`.
    #[serde(default)]
    pub review_if: Vec<String>,
    /// Drop hits negated in their sentence (default: on for red flags, off for presence).
    pub negation: Option<bool>,
    /// Match inside definition sentences and sections too.
    #[serde(default)]
    pub definitions: bool,
    /// Red flag only when the captured deadline `(?P<n>…)(?P<unit>…)` exceeds this many hours.
    pub deadline_over_hours: Option<u32>,
    /// Short title.
    pub title: Localised,
    /// Why it matters.
    pub rationale: Option<Localised>,
    /// What to ask the vendor for.
    pub recommendation: Localised,
    /// Contract wording to propose to the vendor (`ampel letter`), in German and English.
    pub suggested_clause: Localised,
    /// Examples that must fire and must stay silent.
    #[serde(default)]
    pub examples: Examples,
}

/// One entry of `requirements.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementSpec {
    /// Stable requirement id.
    pub id: String,
    /// Legal basis.
    pub legal_basis: String,
    /// What it costs when no presence rule finds the clause.
    pub missing_severity: MissingSeverity,
    /// If given, missing costs something only when one of these matches the document.
    #[serde(default)]
    pub missing_only_if: Vec<String>,
    /// Short title.
    pub title: Localised,
    /// What the law asks.
    pub explanation: Localised,
    /// What to ask the vendor for when it is missing.
    pub recommendation: Localised,
    /// Contract wording that meets the requirement, proposed when it is missing.
    pub suggested_clause: Localised,
}

/// The whole `requirements.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementsFile {
    /// The requirements in checklist order.
    pub requirement: Vec<RequirementSpec>,
}
