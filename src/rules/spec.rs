//! The serde mirror of rule files and `requirements.toml`. Unknown keys are errors, so a typo
//! in a rule pack is reported instead of silently ignored.

use serde::Deserialize;

/// A text in both report languages. Both are required, because the report language follows
/// the document (or `--lang`), not the rule: a German contract gets German findings.
#[derive(Debug, Clone, Deserialize, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Localised {
    /// The text for German reports.
    pub de: String,
    /// The text for English reports.
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
    /// One sentence (the default): most wording that matters stands in one, and an `unless`
    /// veto then reaches no further.
    #[default]
    Sentence,
    /// One line of the text: a table row ("Formspree, Inc. | USA | Kontaktformular") or a list
    /// item, which segmentation joins with its neighbours into one sentence. For what a row
    /// says about its own entry, where a veto must not come from the next row.
    Line,
    /// One paragraph (sentences between blank lines): for wording spread over a list.
    Paragraph,
    /// One numbered clause or headed section: for presence, where the qualifying sentence
    /// often follows the one with the keyword, and for "nothing nearby" vetoes.
    Section,
    /// A titled section with all its numbered clauses ("§ 7 Unterauftragsverhältnisse" with
    /// 7.1 to 7.4): for duties that real agreements spread over several sub-clauses, such as
    /// notice in 7.2 and the objection right in 7.3.
    Chapter,
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
    /// Stable id, `<requirement>.<name>`, equal to the file stem: reports and tools key on it,
    /// and a `--rules` file with the same id replaces the built-in rule.
    pub id: String,
    /// The requirement id the rule belongs to.
    pub requirement: String,
    /// Whether a hit shows the requirement is met or undermines it.
    pub kind: RuleKind,
    /// What a red-flag hit costs. Not allowed on presence rules: what a missing clause costs
    /// is the requirement's, whichever rule would have found it.
    pub severity: Option<Severity>,
    /// Where the patterns are tried (default: the sentence).
    #[serde(default)]
    pub scope: Scope,
    /// Languages the patterns are written for (`de`, `en`); `verify` wants examples in each.
    pub languages: Vec<String>,
    /// The article the rule checks, e.g. "Art. 28(3)(a) GDPR", quoted in every finding.
    pub legal_basis: String,
    /// Prefilter: the patterns run only in scopes that contain one of these, which keeps
    /// matching nearly flat in the number of rules.
    pub keywords: Vec<String>,
    /// Confirming regexes (case-insensitive, folded like the text); a match that passes the
    /// engine's checks (negation, definitions, `unless`) is a hit.
    pub patterns: Vec<String>,
    /// Concepts that must all occur somewhere in the same scope, in any order, besides a
    /// pattern match ("a breach", "the customer", "without undue delay" around "notify").
    /// Order-free co-occurrence reads real clauses better than one long sequential regex.
    #[serde(default)]
    pub also: Vec<String>,
    /// How many of the `also` concepts must occur (default: all of them). "At least three of
    /// encryption, access control, backups, logging, …" tells concrete security measures from
    /// a restatement of Art. 32.
    pub at_least: Option<usize>,
    /// The `also` concepts do not count in another item of the match's own list sentence; the
    /// lead-in, the match's item and the rest of the scope still count. "Podex shall: -
    /// Implement appropriate technical and organisational measures - Assist Customer with data
    /// protection impact assessments" assists with impact assessments, not with security.
    /// Without it the concepts may stand anywhere in the rule's scope.
    #[serde(default)]
    pub also_in_item: bool,
    /// The `also` concepts count in the headings over a sentence too (its label, its section's
    /// title, the enclosing title): under "13. Audits and information rights", "You bear your
    /// own costs and our reasonable costs" is about audits. Only for sentence-scoped rules.
    #[serde(default)]
    pub also_in_headings: bool,
    /// For presence rules of a requirement with elements: the element this rule shows
    /// (without it, the rule shows the whole requirement).
    pub element: Option<String>,
    /// A match in the same scope vetoes the hit.
    #[serde(default)]
    pub unless: Vec<String>,
    /// A match in the same sentence downgrades the hit to `info`.
    #[serde(default)]
    pub review_if: Vec<String>,
    /// Red flags only: a match anywhere in the document vetoes every hit of the rule — for a
    /// flag that the rest of the agreement settles (SCCs "where applicable" are generic wording
    /// unless the agreement names the 2021/914 clauses or a module somewhere).
    #[serde(default)]
    pub unless_document: Vec<String>,
    /// Drop hits negated in their sentence (default: on for red flags, off for presence).
    pub negation: Option<bool>,
    /// Match inside definition sentences and sections too.
    #[serde(default)]
    pub definitions: bool,
    /// Red flag only when the captured deadline `(?P<n>…)(?P<unit>…)` exceeds this many hours.
    pub deadline_over_hours: Option<u32>,
    /// When given, the rule only counts under a section heading that matches one of these
    /// (the clause's own title or the title of the section it belongs to): "a heading about
    /// data breaches plus a duty to inform the controller is breach notification".
    #[serde(default)]
    pub headings: Vec<String>,
    /// The rule does not count under a section heading that matches one of these: "continued
    /// use after notice constitutes consent" under "4. Sub-processors" is consent to a new
    /// sub-processor, not to a changed agreement.
    #[serde(default)]
    pub unless_headings: Vec<String>,
    /// The finding's headline in reports.
    pub title: Localised,
    /// Why the wording matters, for the reader of a report (HTML, SARIF help, `rules show`).
    pub rationale: Option<Localised>,
    /// What to ask the vendor to change: the actionable part of a finding.
    pub recommendation: Localised,
    /// Contract wording to propose to the vendor (`ampel letter`), in German and English.
    pub suggested_clause: Localised,
    /// The rule's own tests, run through the engine by `ampel rules test` and `cargo test`.
    #[serde(default)]
    pub examples: Examples,
}

/// One entry of `requirements.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementSpec {
    /// Stable requirement id: the JSON checklist, golden tests and tools key on it, so it is
    /// never renamed.
    pub id: String,
    /// The article that asks for the clause, quoted in `missing` findings.
    pub legal_basis: String,
    /// What it costs when no presence rule finds the clause.
    pub missing_severity: MissingSeverity,
    /// If given, missing costs something only when one of these matches the document (a
    /// transfer tool is needed only where transfers are mentioned).
    #[serde(default)]
    pub missing_only_if: Vec<String>,
    /// The parts the requirement is made of (authorisation, objection right, flow-down for
    /// sub-processors): the requirement is present only when every element is found, and a
    /// "missing" finding names the elements that were not.
    #[serde(default, rename = "element")]
    pub elements: Vec<ElementSpec>,
    /// Section headings about this requirement: a "missing" finding lists the sections with
    /// such a heading, so a reader sees at once where ampel looked.
    #[serde(default)]
    pub headings: Vec<String>,
    /// The checklist line's label in reports.
    pub title: Localised,
    /// What the law asks, shown as the rationale of a `missing` finding.
    pub explanation: Localised,
    /// What to ask the vendor for when the clause is missing.
    pub recommendation: Localised,
    /// Contract wording that meets the requirement, proposed when it is missing.
    pub suggested_clause: Localised,
}

/// One element of a requirement.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ElementSpec {
    /// Stable id within the requirement (`flow_down`).
    pub id: String,
    /// What the element is, as a "missing" finding names it.
    pub title: Localised,
    /// Requirements whose clause also shows this element: a breach-notice duty is the help with
    /// breach notification that `controller_assistance` asks for, once its impact-assessment
    /// part was found (the element's own rules still show it too).
    #[serde(default)]
    pub shown_by: Vec<String>,
}

/// The whole `requirements.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementsFile {
    /// The requirements in checklist order.
    pub requirement: Vec<RequirementSpec>,
}
