//! Engine: a compiled rule pack applied to one document's text gives hits.
//!
//! One pass of the aho-corasick automaton over the whole text finds every keyword (overlapping)
//! and marks (rule, scope) candidates; only there do the rule's regexes run. A regex match
//! becomes a hit after the checks of LEGAL.md §5: `unless` vetoes, definitions, placeholder
//! sections (presence only), negation with re-opening exceptions, `review_if` qualifiers and
//! deadline thresholds. Matching is linear in the text and nearly flat in the number of rules.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::rules::{Pack, Rule, RuleKind, Scope};
use crate::text::Text;

/// One confirmed match of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into [`Pack::rules`].
    pub rule: usize,
    /// The matched bytes in the normalised text.
    pub start: usize,
    /// End of the match.
    pub end: usize,
    /// The sentence that holds the match start.
    pub sentence: usize,
    /// The hit is only for human review (a `review_if` qualifier matched).
    pub review: bool,
}

const NEGATORS: &[&str] = &[
    "nicht",
    "kein",
    "keine",
    "keinen",
    "keiner",
    "keinem",
    "keines",
    "niemals",
    "nie",
    "weder",
    "keinerlei",
    "keinesfalls",
    "not",
    "never",
    "no",
    "neither",
    "nor",
    "none",
];

/// Words that end the clause a negation can reach back over.
const CLAUSE_BREAKS: &[&str] = &[
    "but", "aber", "jedoch", "sondern", "however", "whereas", "waehrend",
];

static EXCEPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(es sei denn|ausser|ausgenommen|mit ausnahme|unless|except|other than|save (where|as|for))\b")
        .expect("exception regex")
});

/// An exception that only repeats the controller's control ("unless instructed by the
/// Customer", "es sei denn, Unionsrecht verpflichtet") does not re-open a negated flag.
static BENIGN_EXCEPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\W*(\w+\W+){0,6}?(instruct|weisung|anweisung|union|member state|mitgliedstaat|documented|dokumentiert|zustimmung des (kunden|verantwortlichen|auftraggebers)|(customer|controller)'?s? (prior )?(written )?(consent|approval|instruction))")
        .expect("benign exception regex")
});

static UNIT_HOURS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(stunde|hour|std|h\b)").expect("unit"));
static UNIT_WEEKS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(woche|week)").expect("unit"));
static UNIT_DAYS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(tag|day|werktag|arbeitstag|business day)").expect("unit"));

/// Runs every rule of `pack` over `text` and returns the hits, sorted by rule then position.
pub fn run(pack: &Pack, text: &Text) -> Vec<Hit> {
    let candidates = candidates(pack, text);
    let mut hits = Vec::new();
    let mut seen: BTreeSet<(usize, usize)> = BTreeSet::new();
    for (rule_index, (start, end)) in candidates {
        let rule = &pack.rules[rule_index];
        let scope_text = &text.flat[start..end];
        if rule.unless.iter().any(|re| re.is_match(scope_text)) {
            continue;
        }
        for re in &rule.patterns {
            for caps in re.captures_iter(scope_text) {
                let m = caps.get(0).expect("group 0");
                let (ms, me) = (start + m.start(), start + m.end());
                let Some(sentence) = text.sentence_at(ms) else {
                    continue;
                };
                if seen.contains(&(rule_index, sentence)) {
                    continue;
                }
                if !accept(rule, text, sentence, ms, me, &caps) {
                    continue;
                }
                let s = &text.sentences[sentence];
                let sentence_text = &text.flat[s.start..s.end];
                let review = rule.review_if.iter().any(|r| r.is_match(sentence_text));
                seen.insert((rule_index, sentence));
                hits.push(Hit {
                    rule: rule_index,
                    start: ms,
                    end: me,
                    sentence,
                    review,
                });
            }
        }
    }
    hits.sort_by_key(|h| (h.rule, h.start));
    hits
}

/// (rule, scope byte range) pairs whose scope contains one of the rule's keywords.
fn candidates(pack: &Pack, text: &Text) -> BTreeSet<(usize, (usize, usize))> {
    let mut out = BTreeSet::new();
    for m in pack.automaton().find_overlapping_iter(&text.flat) {
        let at = m.start();
        for &rule_index in pack.rules_for_keyword(m.pattern().as_usize()) {
            let scope = match pack.rules[rule_index].scope {
                Scope::Sentence => text.sentence_at(at).map(|i| {
                    let s = &text.sentences[i];
                    (s.start, s.end)
                }),
                Scope::Paragraph => text.sentence_at(at).map(|i| {
                    let p = &text.paragraphs[text.sentences[i].paragraph];
                    (p.start, p.end)
                }),
                Scope::Section => {
                    let s = &text.sections[text.section_at(at)];
                    Some((s.start, s.end))
                }
            };
            if let Some(scope) = scope {
                out.insert((rule_index, scope));
            }
        }
    }
    out
}

fn accept(
    rule: &Rule,
    text: &Text,
    sentence: usize,
    ms: usize,
    me: usize,
    caps: &regex::Captures<'_>,
) -> bool {
    let s = &text.sentences[sentence];
    let section = &text.sections[s.section];
    if !rule.definitions && (s.definition || section.definitions) {
        return false;
    }
    if rule.kind == RuleKind::Presence && section.placeholder {
        return false;
    }
    if rule.negation && negated(&text.flat[s.start..ms], &text.flat[me..s.end.max(me)]) {
        return false;
    }
    if let Some(limit) = rule.deadline_over_hours {
        return deadline_hours(caps).is_some_and(|h| h > f64::from(limit));
    }
    true
}

fn words(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
}

fn is_negator(word: &str) -> bool {
    let lower = word.to_lowercase();
    NEGATORS.contains(&lower.as_str()) || lower.ends_with("n't")
}

/// True when the match is negated (LEGAL.md §5): a negator within 8 words before it in the
/// same clause, or German "nicht"/"kein…" within 3 words after it, and no exception after it
/// that re-opens the flag.
pub fn negated(before: &str, after: &str) -> bool {
    // Only the clause the match is in: cut at ';' and contrastive conjunctions.
    let before = before.rsplit(';').next().unwrap_or(before);
    let mut window = Vec::new();
    for w in words(before).rev() {
        if CLAUSE_BREAKS.contains(&w.to_lowercase().as_str()) || window.len() == 8 {
            break;
        }
        window.push(w);
    }
    let before_neg = window.iter().any(|w| is_negator(w));
    let clause_after = after.split(';').next().unwrap_or(after);
    let after_neg = words(clause_after).take(3).any(|w| {
        let lower = w.to_lowercase();
        lower == "nicht" || lower.starts_with("kein")
    });
    if !(before_neg || after_neg) {
        return false;
    }
    // "... nicht für eigene Zwecke, es sei denn ..." re-opens the flag.
    match EXCEPTION.find(after) {
        Some(m) => BENIGN_EXCEPTION.is_match(&after[m.end()..]),
        None => true,
    }
}

/// The deadline captured as `n` and `unit`, in hours.
fn deadline_hours(caps: &regex::Captures<'_>) -> Option<f64> {
    let n: f64 = caps.name("n")?.as_str().parse().ok()?;
    let unit = caps.name("unit")?.as_str().trim();
    let factor = if UNIT_HOURS.is_match(unit) {
        1.0
    } else if UNIT_WEEKS.is_match(unit) {
        168.0
    } else if UNIT_DAYS.is_match(unit) {
        24.0
    } else {
        return None;
    };
    Some(n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_window_and_exceptions() {
        assert!(negated(
            "Der Auftragsverarbeiter wird die Daten nicht ",
            " verarbeiten."
        ));
        assert!(negated("We will not use Customer Data to ", "."));
        assert!(!negated("We use Customer Data to ", "."));
        assert!(negated(
            "Der Auftragsverarbeiter wird die Daten ",
            " nicht verarbeiten."
        ));
        assert!(!negated(
            "We will not sell data; we use Customer Data to ",
            "."
        ));
        assert!(!negated(
            "We will not use it ",
            " unless we decide otherwise."
        ));
        assert!(negated(
            "We will not use it ",
            " unless instructed by the Customer."
        ));
        assert!(!negated(
            "There is no doubt about it but we may use Customer Data to ",
            "."
        ));
    }
}
