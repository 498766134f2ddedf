//! Assessment: hits become the checklist, findings with evidence, and the Ampel.
//!
//! A requirement is `flagged` when a red flag of severity yellow or red hit it, else `present`
//! when a presence rule hit it, else `missing`. Missing costs what `requirements.toml` says
//! (optionally only when the document mentions what makes it necessary). The Ampel is the worst
//! finding; `info` findings never change it and the number of findings never escalates it.

use std::collections::BTreeSet;

use crate::engine::Hit;
use crate::rules::{Localised, MissingSeverity, Pack, RuleKind, Severity, TrackRecord, track};
use crate::text::Text;
use crate::text::coded::Coded;

/// The traffic light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ampel {
    /// No defect found.
    Green,
    /// Defects a contract change can fix.
    Yellow,
    /// Structural defects that exclude lawful use.
    Red,
}

impl Ampel {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Ampel::Green => "green",
            Ampel::Yellow => "yellow",
            Ampel::Red => "red",
        }
    }
}

/// Status of one requirement in the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckStatus {
    /// A clause meets the requirement and nothing undermines it.
    Present,
    /// No clause found.
    Missing,
    /// Wording undermines the requirement.
    Flagged,
}

impl CheckStatus {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Present => "present",
            CheckStatus::Missing => "missing",
            CheckStatus::Flagged => "flagged",
        }
    }
}

/// Whether a finding comes from a red flag or from a missing clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    /// Wording that undermines a requirement.
    RedFlag,
    /// The clause is missing.
    Missing,
}

/// A quote from the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Page number (1-based).
    pub page: u32,
    /// Section label, when the quote is inside a headed section.
    pub section: Option<String>,
    /// Start of the quoted sentence, in characters of the extracted text.
    pub start: usize,
    /// End of the quoted sentence, in characters of the extracted text.
    pub end: usize,
    /// The sentence as it stands in the document (whitespace folded).
    pub quote: String,
    /// The quote comes from a page read by OCR, so it may contain recognition errors.
    pub ocr: bool,
}

impl Evidence {
    /// The quoted sentence's span in the extracted text: two quotes with the same span quote
    /// the same sentence, whichever rule found it.
    pub fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

/// An accepted deviation (a waiver) that covers a finding; applied after assessment by
/// [`crate::waiver`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    /// Why the deviation was accepted.
    pub reason: String,
    /// Who accepted it.
    pub accepted_by: String,
    /// The last day it is valid, ISO 8601 (`2027-06-30`).
    pub expires: String,
    /// Where the waiver is written: `file:line`.
    pub source: String,
    /// The waiver has expired, so the finding counts again.
    pub expired: bool,
}

/// One reason for the Ampel.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Rule id (`<requirement>.missing` for missing clauses).
    pub rule: String,
    /// Requirement id.
    pub requirement: String,
    /// Red flag or missing.
    pub kind: FindingKind,
    /// What it costs: the rule's severity (`info` when every hit was only for review), or the
    /// requirement's missing severity.
    pub severity: Severity,
    /// The headline reports show: the rule's title, or the requirement's for a missing clause.
    pub title: Localised,
    /// The article concerned, so a reader can check the reason against the law.
    pub legal_basis: String,
    /// Why it matters, when the rule says.
    pub rationale: Option<Localised>,
    /// What to ask the vendor to change.
    pub recommendation: Localised,
    /// Quotes (empty for missing clauses).
    pub evidence: Vec<Evidence>,
    /// For a missing requirement made of elements: the elements that were not found.
    pub missing_elements: Vec<MissingElement>,
    /// For a missing requirement: the sections whose heading is about it, where a reader can
    /// check in seconds that the clause really is not there (empty: no such heading).
    pub looked_in: Vec<String>,
    /// The accepted deviation that covers this finding, if any.
    pub waiver: Option<Acceptance>,
    /// How often readers of published agreements confirmed a defect where this built-in check
    /// reported one ([`track`]); none for review notes and for rules from `--rules`.
    pub track_record: Option<TrackRecord>,
}

/// An element of a requirement that was not found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingElement {
    /// Element id (`flow_down`).
    pub id: String,
    /// What it is.
    pub title: Localised,
}

impl Finding {
    /// Whether the finding sets the Ampel: it is not covered by a waiver that is still valid.
    pub fn counts(&self) -> bool {
        self.waiver.as_ref().is_none_or(|w| w.expired)
    }
}

/// The Ampel of a list of findings: the worst one that counts (see [`Finding::counts`]).
pub fn ampel_of(findings: &[Finding]) -> Ampel {
    findings
        .iter()
        .filter(|f| f.counts())
        .map(|f| match f.severity {
            Severity::Red => Ampel::Red,
            Severity::Yellow => Ampel::Yellow,
            Severity::Info => Ampel::Green,
        })
        .max()
        .unwrap_or(Ampel::Green)
}

/// One line of the checklist.
#[derive(Debug, Clone)]
pub struct CheckItem {
    /// Requirement id.
    pub requirement: String,
    /// The requirement's title, the line's label in reports.
    pub title: Localised,
    /// Whether the clause was found, undermined or not found.
    pub status: CheckStatus,
    /// The presence or red-flag quotes behind the status (for a requirement missing some of
    /// its elements: the quotes of the elements that were found).
    pub evidence: Vec<Evidence>,
    /// The elements that were not found, when the requirement has elements and is missing.
    pub missing_elements: Vec<MissingElement>,
}

/// The assessment of one document.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// One item per requirement, in checklist order.
    pub checklist: Vec<CheckItem>,
    /// Findings, worst first.
    pub findings: Vec<Finding>,
    /// The worst finding's colour; green when there is none.
    pub ampel: Ampel,
    /// The document does not look like a processor contract at all.
    pub not_a_dpa: bool,
    /// How many Art. 28 requirements were found (present or flagged), `dpa_present` aside.
    pub addressed: usize,
    /// The text calls itself (or refers to) a processor contract.
    pub labelled: bool,
}

/// Evidence quotes per checklist item and finding are capped so a report stays readable.
const MAX_EVIDENCE: usize = 5;
/// Longest quote, in characters; longer sentences are cut around the match.
const MAX_QUOTE: usize = 400;
/// Art. 28 clauses (besides `dpa_present`) that must be found before a text counts as a
/// processor contract: a passing mention of "a DPA" in a privacy notice or on an invoice is no
/// contract, and an unlabelled text needs more clauses than a labelled one.
const MIN_ADDRESSED_WITH_LABEL: usize = 2;
/// See [`MIN_ADDRESSED_WITH_LABEL`].
const MIN_ADDRESSED_WITHOUT_LABEL: usize = 4;

/// Builds the checklist, findings and Ampel of `text` from its `hits`.
pub fn assess(pack: &Pack, text: &Text, hits: &[Hit]) -> Assessment {
    let mut checklist = Vec::new();
    let mut findings = Vec::new();
    // Whole-text patterns read the text coded, coded once.
    let coded = Coded::new(&text.flat);
    // Rules with a hit: an incorporation found makes the red flags it settles notes.
    let hit_rules: BTreeSet<usize> = hits.iter().map(|h| h.rule).collect();
    // Red flags the rest of the agreement settles (`unless_document`), each rule tried once.
    let settled: BTreeSet<usize> = hit_rules
        .iter()
        .copied()
        .filter(|&r| pack.rules[r].settled_by(&text.flat, &coded))
        .collect();
    for (ri, requirement) in pack.requirements.iter().enumerate() {
        let mine = |kind: RuleKind| {
            hits.iter().filter(move |h| {
                pack.rules[h.rule].kind == kind && pack.rules[h.rule].requirement == ri
            })
        };
        let presence: Vec<&Hit> = mine(RuleKind::Presence).collect();
        let flags: Vec<&Hit> = mine(RuleKind::RedFlag)
            .filter(|h| !settled.contains(&h.rule))
            .collect();

        // One finding per red-flag rule, with all its evidence.
        let mut flagged = false;
        let mut flag_evidence = Vec::new();
        let mut rule_ids: Vec<usize> = flags.iter().map(|h| h.rule).collect();
        rule_ids.dedup();
        for rule_index in rule_ids {
            let rule = &pack.rules[rule_index];
            let rule_hits: Vec<&&Hit> = flags.iter().filter(|h| h.rule == rule_index).collect();
            let noted = rule.noted_by.iter().any(|p| hit_rules.contains(p));
            let severity = if noted || rule_hits.iter().all(|h| h.review) {
                Severity::Info
            } else {
                rule.severity
            };
            let evidence = quotes(text, rule_hits.iter().map(|h| **h));
            if severity > Severity::Info {
                flagged = true;
                flag_evidence.extend(evidence.iter().cloned());
            }
            findings.push(Finding {
                rule: rule.id.clone(),
                requirement: requirement.id.clone(),
                kind: FindingKind::RedFlag,
                severity,
                title: rule.title.clone(),
                legal_basis: rule.legal_basis.clone(),
                rationale: rule.rationale.clone(),
                recommendation: rule.recommendation.clone(),
                evidence,
                missing_elements: Vec::new(),
                looked_in: Vec::new(),
                waiver: None,
                track_record: (severity > Severity::Info && rule.built_in)
                    .then(|| track::of(&rule.id))
                    .flatten(),
            });
        }

        let missing_elements = missing_elements(pack, ri, &presence, hits);
        let status = if flagged {
            CheckStatus::Flagged
        } else if !presence.is_empty() && missing_elements.is_empty() {
            CheckStatus::Present
        } else {
            CheckStatus::Missing
        };
        let missing_elements = if status == CheckStatus::Missing && !presence.is_empty() {
            missing_elements
        } else {
            Vec::new()
        };
        let evidence = if flagged {
            // Two flags of one requirement may quote the same sentence: the checklist quotes
            // it once.
            let mut quoted = BTreeSet::new();
            flag_evidence.retain(|e| quoted.insert(e.span()));
            flag_evidence.truncate(MAX_EVIDENCE);
            flag_evidence
        } else {
            quotes(text, presence.iter().copied())
        };
        if status == CheckStatus::Missing {
            let needed = requirement.missing_only_if.is_empty()
                || requirement
                    .missing_only_if
                    .iter()
                    .any(|re| re.is_match_coded(&text.flat, &coded));
            let severity = match requirement.missing_severity {
                MissingSeverity::None => None,
                MissingSeverity::Yellow => Some(Severity::Yellow),
                MissingSeverity::Red => Some(Severity::Red),
            };
            if let (Some(severity), true) = (severity, needed) {
                let rule = format!("{}.missing", requirement.id);
                let track_record = requirement.built_in.then(|| track::of(&rule)).flatten();
                findings.push(Finding {
                    rule,
                    requirement: requirement.id.clone(),
                    kind: FindingKind::Missing,
                    severity,
                    title: requirement.title.clone(),
                    legal_basis: requirement.legal_basis.clone(),
                    rationale: Some(requirement.explanation.clone()),
                    recommendation: requirement.recommendation.clone(),
                    evidence: Vec::new(),
                    missing_elements: missing_elements.clone(),
                    looked_in: looked_in(text, &requirement.headings),
                    waiver: None,
                    track_record,
                });
            }
        }
        checklist.push(CheckItem {
            requirement: requirement.id.clone(),
            title: requirement.title.clone(),
            status,
            evidence,
            missing_elements,
        });
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let ampel = ampel_of(&findings);
    let labelled = checklist
        .iter()
        .any(|c| c.requirement == "dpa_present" && c.status != CheckStatus::Missing);
    let addressed = checklist
        .iter()
        // A requirement counts as addressed when any of it was found, even if an element is
        // missing (a clause on sub-processors without flow-down is still a clause).
        .filter(|c| {
            c.requirement != "dpa_present"
                && (c.status != CheckStatus::Missing || !c.evidence.is_empty())
        })
        // Only the clauses whose absence always costs count: a privacy notice that says where
        // data goes ("no transfer outside the EU") states no Art. 28 clause, so a requirement
        // whose absence costs only where something is stated (`missing_only_if`) does not count.
        .filter(|c| {
            pack.requirement_index(&c.requirement).is_some_and(|i| {
                let requirement = &pack.requirements[i];
                requirement.missing_severity != MissingSeverity::None
                    && requirement.missing_only_if.is_empty()
            })
        })
        .count();
    Assessment {
        not_a_dpa: addressed
            < if labelled {
                MIN_ADDRESSED_WITH_LABEL
            } else {
                MIN_ADDRESSED_WITHOUT_LABEL
            },
        checklist,
        findings,
        ampel,
        addressed,
        labelled,
    }
}

/// The elements of requirement `ri` that no presence hit shows (a rule without an element
/// shows them all), nor a presence hit of a requirement the element is `shown_by`. Empty for a
/// requirement without elements.
fn missing_elements(
    pack: &Pack,
    ri: usize,
    presence: &[&Hit],
    hits: &[Hit],
) -> Vec<MissingElement> {
    pack.requirements[ri]
        .elements
        .iter()
        .enumerate()
        .filter(|(ei, e)| {
            let own = presence.iter().any(|h| {
                let element = pack.rules[h.rule].element;
                element.is_none() || element == Some(*ei)
            });
            let elsewhere = || {
                let shown_by: Vec<usize> = e
                    .shown_by
                    .iter()
                    .filter_map(|id| pack.requirement_index(id))
                    .collect();
                !shown_by.is_empty()
                    && hits.iter().any(|h| {
                        let rule = &pack.rules[h.rule];
                        rule.kind == RuleKind::Presence && shown_by.contains(&rule.requirement)
                    })
            };
            !own && !elsewhere()
        })
        .map(|(_, e)| MissingElement {
            id: e.id.clone(),
            title: e.title.clone(),
        })
        .collect()
}

/// Most section labels a "missing" finding lists.
const MAX_LOOKED_IN: usize = 5;

/// The labels of the sections whose title heading matches one of `headings`, and the label
/// lines inside sections that match ("Categories of Data Subjects" over its paragraph).
fn looked_in(text: &Text, headings: &[crate::rules::Pattern]) -> Vec<String> {
    if headings.is_empty() {
        return Vec::new();
    }
    let matches = |range: (usize, usize)| {
        let heading = &text.flat[range.0..range.1];
        headings.iter().any(|re| re.is_match(heading))
    };
    let mut out: Vec<String> = Vec::new();
    for (i, section) in text.sections.iter().enumerate() {
        let own = (section.title && matches(section.heading))
            .then(|| text.section_label(i))
            .flatten();
        let labels = section
            .labels
            .iter()
            .filter(|&&range| matches(range))
            .map(|&range| text.label_text(range));
        for label in own.into_iter().chain(labels) {
            if out.len() < MAX_LOOKED_IN && !out.contains(&label) {
                out.push(label);
            }
        }
        if out.len() == MAX_LOOKED_IN {
            break;
        }
    }
    out
}

/// The evidence for `hits`: the sentences they are in, each quoted once (several patterns
/// often match one sentence), at most [`MAX_EVIDENCE`] of them.
fn quotes<'h>(text: &Text, hits: impl Iterator<Item = &'h Hit>) -> Vec<Evidence> {
    let mut sentences = BTreeSet::new();
    hits.filter(|h| sentences.insert(h.sentence))
        .take(MAX_EVIDENCE)
        .map(|h| evidence(text, h))
        .collect()
}

/// The evidence for a hit: its sentence, cut from the original text.
fn evidence(text: &Text, hit: &Hit) -> Evidence {
    let sentence = &text.sentences[hit.sentence_index()];
    let (os, oe) = text.original_range(sentence.start, sentence.end);
    let range = hit.range();
    let (ms, me) = text.original_range(range.start, range.end);
    let quote = quote(&text.content[os..oe], ms - os, me - os);
    let page = text.page_of(ms);
    Evidence {
        page,
        ocr: text.is_ocr_page(page),
        section: text.section_label(sentence.section),
        start: text.original_char_offset(os),
        end: text.original_char_offset(oe),
        quote,
    }
}

/// The sentence with whitespace folded, cut to about [`MAX_QUOTE`] characters around the match.
fn quote(sentence: &str, match_start: usize, match_end: usize) -> String {
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let whole = fold(sentence);
    if whole.chars().count() <= MAX_QUOTE {
        return whole;
    }
    let floor = |mut i: usize| {
        while !sentence.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let half = MAX_QUOTE / 2;
    let start = floor(match_start.saturating_sub(half));
    let end = floor((match_end + half).min(sentence.len()));
    let mut out = String::new();
    if start > 0 {
        out.push_str("… ");
    }
    out.push_str(&fold(&sentence[start..end]));
    if end < sentence.len() {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests;
