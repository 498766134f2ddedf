//! Clauses incorporated by reference (`patterns/incorporations.toml`).
//!
//! Many agreements do not spell out every Art. 28 duty but incorporate a standard text that
//! does: the Commission's Art. 28(7) clauses (Implementing Decision (EU) 2021/915) or modules
//! two and three of the transfer clauses (2021/914), which also meet Art. 28(3) and (4). An
//! incorporation names the wording that incorporates such a text and the requirements the text
//! covers; it becomes one presence rule per requirement (`<requirement>.via-<name>`), so the
//! evidence for each requirement is the incorporating sentence and the rest of the engine needs
//! no special case. A red flag elsewhere still flags the requirement, unless it is one the
//! incorporated text settles (`settles`): its hits are then notes.

use serde::Deserialize;

use super::spec::{Examples, Localised, RuleKind, RuleSpec, Scope};

/// One incorporation as written in `incorporations.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncorporationSpec {
    /// Short name, used in the generated rule ids (`<requirement>.via-<name>`).
    pub name: String,
    /// The requirements the incorporated text covers.
    pub requirements: Vec<String>,
    /// Where the incorporating wording must stand.
    #[serde(default)]
    pub scope: Scope,
    /// Languages the patterns are written for.
    pub languages: Vec<String>,
    /// The incorporated text and its source, e.g. "Clauses 7–9 of Decision (EU) 2021/915".
    pub legal_basis: String,
    /// Prefilter keywords.
    pub keywords: Vec<String>,
    /// The incorporating wording.
    pub patterns: Vec<String>,
    /// Wording that shows the text is not incorporated here (a mere mention, a future option).
    #[serde(default)]
    pub unless: Vec<String>,
    /// Red-flag rules (by id) whose point the incorporated text itself governs, so that it
    /// prevails over the agreement's own weaker wording (clause 5 of the 2021/914 clauses): in
    /// an agreement where the incorporation is found, their hits are notes (`info`), not
    /// defects. Only points the incorporated clauses settle belong here — a yearly audit cap
    /// (clause 8.9 allows audits on indications of non-compliance), not audit fees, on which
    /// the clauses say nothing.
    #[serde(default)]
    pub settles: Vec<String>,
    /// Short title of the generated rules.
    pub title: Localised,
    /// Why the incorporation meets the requirements.
    pub rationale: Localised,
    /// What to ask the vendor for (the incorporated text attached, annexes filled in).
    pub recommendation: Localised,
    /// Contract wording to propose: the incorporated clauses attached in full.
    pub suggested_clause: Localised,
    /// Examples shared by the generated rules.
    #[serde(default)]
    pub examples: Examples,
}

/// The whole `incorporations.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncorporationsFile {
    /// The incorporations.
    #[serde(default)]
    pub incorporation: Vec<IncorporationSpec>,
}

impl IncorporationSpec {
    /// The presence rules this incorporation stands for, one per requirement.
    pub fn rules(&self) -> Vec<RuleSpec> {
        self.requirements
            .iter()
            .map(|requirement| RuleSpec {
                id: format!("{requirement}.via-{}", self.name),
                requirement: requirement.clone(),
                kind: RuleKind::Presence,
                severity: None,
                scope: self.scope,
                languages: self.languages.clone(),
                legal_basis: self.legal_basis.clone(),
                keywords: self.keywords.clone(),
                patterns: self.patterns.clone(),
                also: Vec::new(),
                at_least: None,
                also_in_item: false,
                also_in_headings: false,
                element: None,
                unless: self.unless.clone(),
                review_if: Vec::new(),
                unless_document: Vec::new(),
                negation: Some(true),
                definitions: false,
                deadline_over_hours: None,
                headings: Vec::new(),
                unless_headings: Vec::new(),
                title: self.title.clone(),
                rationale: Some(self.rationale.clone()),
                recommendation: self.recommendation.clone(),
                suggested_clause: self.suggested_clause.clone(),
                examples: self.examples.clone(),
            })
            .collect()
    }
}
