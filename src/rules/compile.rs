//! Compiling rule files: a parsed [`RuleSpec`] or requirement becomes a [`Rule`] or
//! [`Requirement`] with folded keywords and [`Pattern`]s, checked against the [`limits`], and
//! the keywords of all rules become one aho-corasick automaton.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::families::{ExpandedKeywords, Families};
use super::load::{error, line_containing};
use super::spec::{RequirementSpec, RuleKind, RuleSpec, Severity};
use super::{Error, Pattern, Requirement, Rule, Source, limits};
use crate::text::{Language, fold_pattern};

/// How far a source is checked when it is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Every pattern is parsed, compiled and charged against the pack's memory budget: rule
    /// packs from `--rules`, and the built-in pack in `cargo test`.
    Full,
    /// The built-in pack at run time: `cargo test` has checked it in full, so its patterns are
    /// compiled only when a document first needs them.
    Embedded,
}

/// The patterns of one pack as they are compiled: the pack's regex memory budget, and each
/// distinct pattern once. Rules that use the same pattern — the rules an incorporation generates
/// for each requirement it supplies, a veto repeated in several rules, a family used whole —
/// share one [`Pattern`], so its automata and its lazy-DFA caches are built and held once.
#[derive(Debug, Default)]
pub(super) struct Patterns {
    budget: limits::Budget,
    /// Compiled patterns by their expanded text: checked in full, and not checked.
    full: HashMap<String, Pattern>,
    embedded: HashMap<String, Pattern>,
}

impl Patterns {
    /// The patterns compiled so far that were checked as far as `check` says.
    fn seen(&mut self, check: Check) -> &mut HashMap<String, Pattern> {
        match check {
            Check::Full => &mut self.full,
            Check::Embedded => &mut self.embedded,
        }
    }

    /// An empty set with a budget of `budget` (tests).
    #[cfg(test)]
    fn with_budget(budget: limits::Budget) -> Patterns {
        Patterns {
            budget,
            ..Patterns::default()
        }
    }
}

/// A pattern of a rule file, checked as far as `check` says; the same text checked the same way
/// gives the same (shared) pattern.
fn pattern(written: &str, check: Check, patterns: &mut Patterns) -> Result<Pattern, String> {
    limits::check_pattern_length(written)?;
    if let Some(known) = patterns.seen(check).get(written) {
        return Ok(known.clone());
    }
    let compiled = match check {
        Check::Full => {
            let pattern = Pattern::new(written);
            let used = pattern.validate(written)?;
            patterns.budget.charge(written, used)?;
            pattern
        }
        Check::Embedded => Pattern::embedded(written),
    };
    patterns
        .seen(check)
        .insert(written.to_string(), compiled.clone());
    Ok(compiled)
}

/// Compiles one entry of `requirements.toml`.
pub(super) fn requirement(
    source: &Source,
    r: RequirementSpec,
    check: Check,
    patterns: &mut Patterns,
) -> Result<Requirement, Vec<Error>> {
    let fail = |line: Option<usize>, message: String| {
        error(
            &source.path,
            None,
            line,
            format!("requirement `{}`: {message}", r.id),
        )
    };
    if r.missing_only_if.len() > limits::MAX_REGEXES_PER_RULE {
        return Err(vec![fail(
            line_containing(&source.text, &r.id),
            format!(
                "more than {} missing_only_if patterns",
                limits::MAX_REGEXES_PER_RULE
            ),
        )]);
    }
    let mut errors = Vec::new();
    if let Some(lang) = r.suggested_clause.blank_language() {
        errors.push(fail(
            line_containing(&source.text, &r.id),
            format!("suggested_clause.{lang} is empty"),
        ));
    }
    let mut only_if = Vec::new();
    for p in &r.missing_only_if {
        match pattern(p, check, patterns) {
            Ok(re) => only_if.push(re),
            Err(m) => errors.push(fail(line_containing(&source.text, p), m)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Requirement {
        id: r.id,
        legal_basis: r.legal_basis,
        missing_severity: r.missing_severity,
        missing_only_if: only_if,
        headings: Vec::new(),
        heading_patterns: r.headings,
        elements: r.elements,
        title: r.title,
        explanation: r.explanation,
        recommendation: r.recommendation,
        suggested_clause: r.suggested_clause,
        built_in: false,
    })
}

/// Compiles a requirement's headings once the pack's families are known.
pub(super) fn requirement_headings(
    requirement: &mut Requirement,
    families: &Families,
    check: Check,
    patterns: &mut Patterns,
) -> Result<(), Vec<Error>> {
    let mut errors = Vec::new();
    let mut compiled = Vec::new();
    for h in &requirement.heading_patterns {
        match families
            .expand_pattern(h)
            .and_then(|p| pattern(&p, check, patterns))
        {
            Ok(re) => compiled.push(re),
            Err(m) => errors.push(error(
                "requirements.toml",
                None,
                None,
                format!("requirement `{}`: headings: {m}", requirement.id),
            )),
        }
    }
    requirement.headings = compiled;
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Compiles one rule file. Every problem is reported, not only the first.
pub(super) fn rule(
    source: &Source,
    spec: RuleSpec,
    requirements: &[Requirement],
    families: &Families,
    check: Check,
    patterns: &mut Patterns,
) -> Result<Rule, Vec<Error>> {
    let mut errors = Vec::new();
    let id = spec.id.clone();
    let mut fail = |line: Option<usize>, message: String| {
        errors.push(error(&source.path, Some(id.clone()), line, message));
    };
    let line = |needle: &str| line_containing(&source.text, needle);
    let stem = Path::new(&source.path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    // Rules generated from an incorporation by reference carry `.via-` and their
    // incorporation's file.
    let generated = spec.id.contains(".via-");
    if stem != spec.id && !generated {
        fail(
            line("id"),
            format!(
                "file name `{stem}.toml` does not match the id; name the file `{}.toml`",
                spec.id
            ),
        );
    }
    let requirement = requirements.iter().position(|r| r.id == spec.requirement);
    if requirement.is_none() {
        fail(
            line("requirement"),
            format!(
                "unknown requirement `{}`; known: {}",
                spec.requirement,
                requirements
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let severity = match (spec.kind, spec.severity) {
        (RuleKind::Presence, None) => Severity::Info,
        (RuleKind::Presence, Some(_)) => {
            fail(
                line("severity"),
                "presence rules have no severity (what missing costs is set on the requirement)"
                    .into(),
            );
            Severity::Info
        }
        (RuleKind::RedFlag, Some(s)) => s,
        (RuleKind::RedFlag, None) => {
            fail(
                None,
                "red_flag rules need `severity = \"red\" | \"yellow\" | \"info\"`".into(),
            );
            Severity::Info
        }
    };
    let mut languages = Vec::new();
    for code in &spec.languages {
        match Language::from_code(code) {
            Some(l) if !languages.contains(&l) => languages.push(l),
            Some(_) => {}
            None => fail(
                line("languages"),
                format!("unknown language `{code}` (use de or en)"),
            ),
        }
    }
    if languages.is_empty() {
        fail(
            line("languages"),
            "`languages` must name de and/or en".into(),
        );
    }
    if spec.keywords.len() > limits::MAX_KEYWORDS_PER_RULE {
        fail(
            line("keywords"),
            format!(
                "{} keywords; at most {} per rule",
                spec.keywords.len(),
                limits::MAX_KEYWORDS_PER_RULE
            ),
        );
    }
    let regexes = spec.patterns.len()
        + spec.also.len()
        + spec.unless.len()
        + spec.review_if.len()
        + spec.unless_document.len()
        + spec.headings.len()
        + spec.unless_headings.len();
    let too_many_regexes = regexes > limits::MAX_REGEXES_PER_RULE;
    if too_many_regexes {
        fail(
            line("patterns"),
            format!(
                "{regexes} patterns (patterns, also, unless, review_if, unless_document, headings, unless_headings); at most {} per rule",
                limits::MAX_REGEXES_PER_RULE
            ),
        );
    }
    let expanded = match families.expand_keywords(&spec.keywords) {
        Ok(k) => k,
        Err(m) => {
            fail(line("keywords"), m);
            ExpandedKeywords::default()
        }
    };
    let fold_keyword = |k: &str| fold_pattern(k).to_lowercase();
    let keyword_groups: Vec<Vec<String>> = expanded
        .groups
        .iter()
        .map(|g| g.iter().map(|k| fold_keyword(k)).collect())
        .collect();
    let mut keywords = Vec::new();
    for k in expanded.all.iter().take(limits::MAX_KEYWORDS_PER_RULE) {
        let folded = fold_keyword(k);
        if folded.trim().is_empty() || folded.len() > limits::MAX_KEYWORD {
            fail(
                line(k),
                format!(
                    "keyword `{k}` must be 1 to {} characters",
                    limits::MAX_KEYWORD
                ),
            );
        } else if !keywords.contains(&folded) {
            keywords.push(folded);
        }
    }
    if keywords.is_empty() {
        fail(
            line("keywords"),
            "at least one keyword is needed (the prefilter)".into(),
        );
    }
    if let Some(lang) = spec.suggested_clause.blank_language() {
        fail(
            line("suggested_clause"),
            format!("suggested_clause.{lang} is empty; write the contract wording to propose"),
        );
    }
    if spec.patterns.is_empty() {
        fail(line("patterns"), "at least one pattern is needed".into());
    }
    let mut compile_all = |list: &[String]| -> Vec<Pattern> {
        if too_many_regexes {
            return Vec::new();
        }
        list.iter()
            .filter_map(|p| {
                match families
                    .expand_pattern(p)
                    .and_then(|expanded| pattern(&expanded, check, patterns))
                {
                    Ok(re) => Some(re),
                    Err(m) => {
                        fail(line(p), m);
                        None
                    }
                }
            })
            .collect()
    };
    let patterns = compile_all(&spec.patterns);
    let also = compile_all(&spec.also);
    let unless = compile_all(&spec.unless);
    let review_if = compile_all(&spec.review_if);
    let unless_document = compile_all(&spec.unless_document);
    let headings = compile_all(&spec.headings);
    let unless_headings = compile_all(&spec.unless_headings);
    if !spec.unless_document.is_empty() && spec.kind != RuleKind::RedFlag {
        fail(
            line("unless_document"),
            "unless_document is for red flags only".to_string(),
        );
    }
    if let Some(hours) = spec.deadline_over_hours {
        if spec.kind != RuleKind::RedFlag || hours == 0 {
            fail(
                line("deadline_over_hours"),
                "deadline_over_hours needs a red_flag rule and a positive number".into(),
            );
        }
        // Group names are known once a pattern is parsed, which only a full check does.
        for re in patterns.iter().filter(|_| check == Check::Full) {
            let names = re.capture_names();
            if !names.iter().any(|n| n == "n") || !names.iter().any(|n| n == "unit") {
                fail(
                    line("deadline_over_hours"),
                    format!(
                        "pattern `{}` needs named groups (?P<n>…) and (?P<unit>…) for deadline_over_hours",
                        re.as_str()
                    ),
                );
            }
        }
    }
    let at_least = spec.at_least.unwrap_or(also.len());
    if spec.at_least.is_some() && (at_least == 0 || at_least > also.len()) {
        fail(
            line("at_least"),
            format!(
                "at_least = {at_least} needs between 1 and {} `also` patterns",
                also.len()
            ),
        );
    }
    let element = match (&spec.element, requirement) {
        (Some(name), Some(ri)) => {
            let elements = &requirements[ri].elements;
            let found = elements.iter().position(|e| &e.id == name);
            if found.is_none() {
                fail(
                    line("element"),
                    format!(
                        "unknown element `{name}` of requirement `{}`; known: {}",
                        spec.requirement,
                        elements
                            .iter()
                            .map(|e| e.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            if spec.kind != RuleKind::Presence {
                fail(
                    line("element"),
                    "only presence rules show an element".into(),
                );
            }
            found
        }
        _ => None,
    };
    let Some(requirement) = requirement else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        negation: spec.negation.unwrap_or(spec.kind == RuleKind::RedFlag),
        id: spec.id,
        requirement,
        kind: spec.kind,
        severity,
        scope: spec.scope,
        languages,
        legal_basis: spec.legal_basis,
        keywords,
        keyword_groups,
        patterns,
        also,
        at_least,
        also_in_item: spec.also_in_item,
        also_in_headings: spec.also_in_headings,
        element,
        unless,
        review_if,
        unless_document,
        noted_by: Vec::new(),
        definitions: spec.definitions,
        deadline_over_hours: spec.deadline_over_hours,
        headings,
        unless_headings,
        title: spec.title,
        rationale: spec.rationale,
        recommendation: spec.recommendation,
        suggested_clause: spec.suggested_clause,
        examples: spec.examples,
        source: source.path.clone(),
        built_in: false,
        literals: Default::default(),
    })
}

/// The keywords of all rules in one automaton (case-insensitive, overlapping, so nested
/// keywords are all seen), with the rules that use each. The automaton is a contiguous NFA,
/// quick to build; a DFA, several times faster on long texts but slower to build than a scan
/// of one short agreement takes, is built when first asked for.
///
/// The NFA of a pack checked in full is built with the pack, so that a pack whose keywords do
/// not build is refused at load. The built-in pack's (which `cargo test` builds) is built when
/// a text is first matched: `rules list`, `schema` and the like never need it. (Building it on
/// a helper thread while the first document is read made a short scan slower, not faster.)
#[derive(Debug, Clone)]
pub(super) struct Keywords {
    /// The folded keywords, in automaton order.
    strings: Vec<String>,
    nfa: OnceLock<AhoCorasick>,
    dfa: OnceLock<AhoCorasick>,
    /// For each automaton pattern: the rules that use that keyword.
    pub(super) rules: Vec<Vec<usize>>,
}

impl Keywords {
    pub(super) fn new(rules: &[Rule], check: Check) -> Result<Keywords, String> {
        let bytes: usize = rules
            .iter()
            .flat_map(|r| &r.keywords)
            .map(String::len)
            .sum();
        limits::check_keyword_bytes(bytes)?;
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut keywords: Vec<&str> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            for k in &rule.keywords {
                let slot = *index.entry(k.as_str()).or_insert_with(|| {
                    keywords.push(k.as_str());
                    keyword_rules.push(Vec::new());
                    keywords.len() - 1
                });
                keyword_rules[slot].push(ri);
            }
        }
        let nfa = OnceLock::new();
        if check == Check::Full {
            let _ = nfa.set(automaton(&keywords, AhoCorasickKind::ContiguousNFA)?);
        }
        Ok(Keywords {
            strings: keywords.into_iter().map(str::to_string).collect(),
            nfa,
            dfa: OnceLock::new(),
            rules: keyword_rules,
        })
    }

    /// The contiguous NFA over the keywords.
    pub(super) fn nfa(&self) -> &AhoCorasick {
        self.nfa.get_or_init(|| {
            automaton(&self.strings, AhoCorasickKind::ContiguousNFA)
                .expect("the keyword automaton of a pack loaded without the full check builds (cargo test builds the built-in one)")
        })
    }

    /// The DFA over the same keywords (same pattern numbers); the NFA should it not build.
    pub(super) fn dfa(&self) -> &AhoCorasick {
        self.dfa.get_or_init(|| {
            automaton(&self.strings, AhoCorasickKind::DFA).unwrap_or_else(|_| self.nfa().clone())
        })
    }
}

fn automaton<S: AsRef<[u8]>>(keywords: &[S], kind: AhoCorasickKind) -> Result<AhoCorasick, String> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(keywords)
        .map_err(|e| format!("cannot build the keyword automaton: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_held_to_length_and_the_shared_budget() {
        let long = "a".repeat(limits::MAX_PATTERN_CHARS + 1);
        let mut patterns = Patterns::default();
        let err = pattern(&long, Check::Full, &mut patterns).unwrap_err();
        assert!(err.contains("longer than"), "{err}");
        pattern("audit", Check::Full, &mut patterns).unwrap();
        let left = patterns.budget.left();
        assert!(left < limits::PACK_REGEX_BUDGET, "memory is counted");
        let mut small = Patterns::with_budget(limits::Budget::of(1_000));
        let err = pattern("[a-z]{50}", Check::Full, &mut small).unwrap_err();
        assert!(err.contains("over 480 MiB"), "{err}");
        // The built-in pack is not compiled when it loads.
        let mut untouched = Patterns::with_budget(limits::Budget::of(0));
        pattern("[a-z]{50}", Check::Embedded, &mut untouched).unwrap();
    }

    #[test]
    fn a_pattern_used_twice_is_compiled_and_charged_once() {
        let mut patterns = Patterns::default();
        let first = pattern(r"sub-?processors?", Check::Full, &mut patterns).unwrap();
        let left = patterns.budget.left();
        let again = pattern(r"sub-?processors?", Check::Full, &mut patterns).unwrap();
        assert_eq!(patterns.budget.left(), left, "charged once");
        assert!(first.shares_with(&again));
        let other = pattern(r"sub-?processors", Check::Full, &mut patterns).unwrap();
        assert!(!first.shares_with(&other));
        // A pattern first seen unchecked is checked in full when a checked source uses it.
        let unchecked = pattern(r"audits?", Check::Embedded, &mut patterns).unwrap();
        let checked = pattern(r"audits?", Check::Full, &mut patterns).unwrap();
        assert!(!unchecked.shares_with(&checked));
        assert!(patterns.budget.left() < left);
    }
}
