//! Rules: loading, validating and compiling rule packs.
//!
//! A pack is `requirements.toml` plus one TOML file per rule (see `patterns/README.md`). The
//! built-in pack is embedded at build time; `--rules DIR` adds rules or replaces rules with the
//! same id. Compilation folds keywords and patterns like the text (umlauts, ß), builds one
//! aho-corasick automaton over all keywords and the confirming regexes, with size limits so an
//! untrusted pack cannot exhaust memory.

pub mod catalogue;
mod families;
mod incorporation;
mod spec;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder};

pub use families::{ExpandedKeywords, Families, FamilySpec};
pub use incorporation::IncorporationSpec;
pub use spec::{
    ElementSpec, Examples, Localised, MissingSeverity, RequirementSpec, RuleKind, RuleSpec, Scope,
    Severity,
};

use crate::text::{Language, fold_pattern};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// Largest rule file accepted.
const MAX_FILE_BYTES: usize = 256 * 1024;
/// Compiled size limit of one regex.
const REGEX_SIZE_LIMIT: usize = 2 * 1024 * 1024;
/// Largest number of rules in a pack.
const MAX_RULES: usize = 5_000;
/// Longest keyword.
const MAX_KEYWORD: usize = 200;
/// Most keywords of one rule.
const MAX_KEYWORDS_PER_RULE: usize = 100;
/// Most regexes of one rule (patterns, unless and review_if together).
const MAX_REGEXES_PER_RULE: usize = 32;
/// Longest pattern, in characters.
const MAX_PATTERN_CHARS: usize = 2_000;
/// Most requirements in a pack.
const MAX_REQUIREMENTS: usize = 200;
/// Memory all compiled regexes of a pack may take together (as regex-automata measures it).
const PACK_REGEX_BUDGET: usize = 256 * 1024 * 1024;
/// Bytes of all keywords together (the automaton grows with them).
const MAX_KEYWORD_BYTES: usize = 1024 * 1024;

/// A rule-pack error: which file, which rule, which line, and what is wrong.
#[derive(Debug, Clone)]
pub struct Error {
    /// The file the error is in.
    pub file: String,
    /// The rule id, when known.
    pub rule: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(rule) = &self.rule {
            write!(f, ": rule `{rule}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}

/// All errors found while loading a pack (loading goes on after the first, so a rule author
/// sees every problem at once).
#[derive(Debug, Clone)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// A requirement of the checklist, compiled.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// Stable id.
    pub id: String,
    /// Legal basis.
    pub legal_basis: String,
    /// What missing costs.
    pub missing_severity: MissingSeverity,
    /// Missing only costs something when one of these matches the document.
    pub missing_only_if: Vec<Regex>,
    /// Headings of sections about this requirement (where a reader would look).
    pub headings: Vec<Regex>,
    /// The elements that must all be found (empty: the requirement is one element).
    pub elements: Vec<ElementSpec>,
    /// `headings` as written (families not yet expanded).
    heading_patterns: Vec<String>,
    /// Title.
    pub title: Localised,
    /// What the law asks.
    pub explanation: Localised,
    /// What to ask for when it is missing.
    pub recommendation: Localised,
    /// Contract wording that meets the requirement (for `ampel letter`).
    pub suggested_clause: Localised,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id.
    pub id: String,
    /// Index into [`Pack::requirements`].
    pub requirement: usize,
    /// Presence or red flag.
    pub kind: RuleKind,
    /// Severity of a red-flag hit (`Info` for presence rules, where it is unused).
    pub severity: Severity,
    /// Where patterns are tried.
    pub scope: Scope,
    /// Languages the rule covers.
    pub languages: Vec<Language>,
    /// Legal basis.
    pub legal_basis: String,
    /// Folded, lower-case keywords (families expanded).
    pub keywords: Vec<String>,
    /// The keywords as the rule file groups them: one group per own keyword, one per family.
    /// Every group must occur in a `fires` example.
    pub keyword_groups: Vec<Vec<String>>,
    /// Confirming regexes.
    pub patterns: Vec<Regex>,
    /// Concepts that must occur in the same scope.
    pub also: Vec<Regex>,
    /// How many of `also` must occur.
    pub at_least: usize,
    /// Index into the requirement's elements that this presence rule shows (`None`: all).
    pub element: Option<usize>,
    /// Vetoes.
    pub unless: Vec<Regex>,
    /// Downgrades to info.
    pub review_if: Vec<Regex>,
    /// Negation check on.
    pub negation: bool,
    /// Matches inside definitions too.
    pub definitions: bool,
    /// Deadline threshold in hours.
    pub deadline_over_hours: Option<u32>,
    /// The rule only counts under a heading that matches one of these (empty: anywhere).
    pub headings: Vec<Regex>,
    /// Title.
    pub title: Localised,
    /// Rationale.
    pub rationale: Option<Localised>,
    /// Recommendation.
    pub recommendation: Localised,
    /// Contract wording to propose to the vendor (for `ampel letter`).
    pub suggested_clause: Localised,
    /// Examples.
    pub examples: Examples,
    /// The file it came from.
    pub source: String,
}

/// A compiled rule pack: requirements, rules and the keyword automaton.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Requirements in checklist order.
    pub requirements: Vec<Requirement>,
    /// Rules sorted by id.
    pub rules: Vec<Rule>,
    /// Synonym families the rules were expanded with.
    pub families: Families,
    automaton: AhoCorasick,
    /// For each automaton pattern: the rules that use that keyword.
    keyword_rules: Vec<Vec<usize>>,
}

/// One rule-pack file in memory.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as shown in errors.
    pub path: String,
    /// TOML text.
    pub text: String,
}

impl Pack {
    /// The pack compiled into the binary.
    pub fn embedded() -> Result<Pack, Errors> {
        Pack::from_sources(embedded_sources())
    }

    /// The embedded pack plus the rule files under each of `dirs` (same id replaces).
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<Pack, Errors> {
        let mut sources = embedded_sources();
        for dir in dirs {
            sources.extend(read_dir(dir)?);
        }
        Pack::from_sources(sources)
    }

    /// Compiles a pack from sources. A file named `requirements.toml` holds requirements;
    /// every other file one rule. Later sources replace earlier ones with the same id.
    pub fn from_sources(sources: Vec<Source>) -> Result<Pack, Errors> {
        let mut errors = Vec::new();
        let mut requirements: Vec<Requirement> = Vec::new();
        let mut specs: Vec<(Source, RuleSpec)> = Vec::new();
        let mut families = Families::default();
        let mut incorporations: Vec<(Source, IncorporationSpec)> = Vec::new();
        let mut budget = PACK_REGEX_BUDGET;
        for source in sources {
            if source.text.len() > MAX_FILE_BYTES {
                errors.push(error(
                    &source.path,
                    None,
                    None,
                    format!("file is larger than {MAX_FILE_BYTES} bytes"),
                ));
                continue;
            }
            if Path::new(&source.path)
                .file_name()
                .is_some_and(|n| n == "requirements.toml")
            {
                match parse_requirements(&source, &mut budget) {
                    Ok(list) => {
                        for r in list {
                            match requirements.iter_mut().find(|x| x.id == r.id) {
                                Some(slot) => *slot = r,
                                None => requirements.push(r),
                            }
                        }
                    }
                    Err(mut e) => errors.append(&mut e),
                }
                continue;
            }
            let name = Path::new(&source.path).file_name();
            if name.is_some_and(|n| n == "families.toml") {
                if let Err(mut e) = parse_families(&source, &mut families) {
                    errors.append(&mut e);
                }
                continue;
            }
            if name.is_some_and(|n| n == "incorporations.toml") {
                match toml::from_str::<incorporation::IncorporationsFile>(&source.text) {
                    Ok(file) => {
                        for inc in file.incorporation {
                            incorporations.retain(|(_, i)| i.name != inc.name);
                            incorporations.push((source.clone(), inc));
                        }
                    }
                    Err(e) => {
                        let line = e.span().map(|s| line_of(&source.text, s.start));
                        errors.push(error(&source.path, None, line, e.message().to_string()));
                    }
                }
                continue;
            }
            match toml::from_str::<RuleSpec>(&source.text) {
                Ok(spec) => {
                    specs.retain(|(_, s)| s.id != spec.id);
                    specs.push((source, spec));
                }
                Err(e) => {
                    let line = e.span().map(|s| line_of(&source.text, s.start));
                    let rule = guess_id(&source.text);
                    errors.push(error(&source.path, rule, line, e.message().to_string()));
                }
            }
        }
        if requirements.is_empty() {
            errors.push(error(
                "requirements.toml",
                None,
                None,
                "no requirements defined".into(),
            ));
        }
        if requirements.len() > MAX_REQUIREMENTS {
            errors.push(error(
                "requirements.toml",
                None,
                None,
                format!("more than {MAX_REQUIREMENTS} requirements"),
            ));
        }
        if specs.len() > MAX_RULES {
            errors.push(error(
                "(pack)",
                None,
                None,
                format!("more than {MAX_RULES} rules"),
            ));
        }
        for (source, inc) in incorporations {
            for spec in inc.rules() {
                specs.retain(|(_, s)| s.id != spec.id);
                // The generated rule is shown as coming from the incorporation's file; its id
                // is not the file stem, so the stem check is skipped for it below.
                specs.push((source.clone(), spec));
            }
        }
        for requirement in &mut requirements {
            let mut compiled = Vec::new();
            for h in &requirement.heading_patterns {
                match families
                    .expand_pattern(h)
                    .and_then(|p| compile_budgeted(&p, &mut budget))
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
        }
        let mut rules = Vec::new();
        for (source, spec) in specs {
            match compile_rule(&source, spec, &requirements, &families, &mut budget) {
                Ok(rule) => rules.push(rule),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let (automaton, keyword_rules) =
            build_automaton(&rules).map_err(|m| Errors(vec![error("(pack)", None, None, m)]))?;
        Ok(Pack {
            requirements,
            rules,
            families,
            automaton,
            keyword_rules,
        })
    }

    /// The keyword automaton (case-insensitive, overlapping).
    pub fn automaton(&self) -> &AhoCorasick {
        &self.automaton
    }

    /// The rules that use automaton pattern `pattern`.
    pub fn rules_for_keyword(&self, pattern: usize) -> &[usize] {
        &self.keyword_rules[pattern]
    }

    /// Looks a rule up by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Looks a requirement up by id.
    pub fn requirement_index(&self, id: &str) -> Option<usize> {
        self.requirements.iter().position(|r| r.id == id)
    }
}

fn embedded_sources() -> Vec<Source> {
    embedded::EMBEDDED
        .iter()
        .map(|(path, text)| Source {
            path: path.to_string(),
            text: text.to_string(),
        })
        .collect()
}

/// Reads every `*.toml` under `dir` (sorted, recursive).
pub fn read_dir(dir: &Path) -> Result<Vec<Source>, Errors> {
    let shown = dir.display().to_string();
    if !dir.is_dir() {
        return Err(Errors(vec![error(
            &shown,
            None,
            None,
            "not a directory of rule files".into(),
        )]));
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(error(&shown, None, None, e.to_string()));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let shown = path.display().to_string();
        match std::fs::metadata(path) {
            Ok(m) if m.len() as usize > MAX_FILE_BYTES => {
                errors.push(error(
                    &shown,
                    None,
                    None,
                    format!("file is larger than {MAX_FILE_BYTES} bytes"),
                ));
                continue;
            }
            Err(e) => {
                errors.push(error(&shown, None, None, e.to_string()));
                continue;
            }
            _ => {}
        }
        match std::fs::read_to_string(path) {
            Ok(text) => out.push(Source { path: shown, text }),
            Err(e) => errors.push(error(&shown, None, None, format!("cannot read: {e}"))),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Errors(errors))
    }
}

fn error(file: &str, rule: Option<String>, line: Option<usize>, message: String) -> Error {
    Error {
        file: file.to_string(),
        rule,
        line,
        message,
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line on which `needle` first occurs in `text`, for error messages.
fn line_containing(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|at| line_of(text, at))
}

fn guess_id(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("id").map(str::trim))
        .and_then(|l| l.strip_prefix('='))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
}

fn parse_requirements(source: &Source, budget: &mut usize) -> Result<Vec<Requirement>, Vec<Error>> {
    let file: spec::RequirementsFile = toml::from_str(&source.text).map_err(|e| {
        let line = e.span().map(|s| line_of(&source.text, s.start));
        vec![error(&source.path, None, line, e.message().to_string())]
    })?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for r in file.requirement {
        let mut only_if = Vec::new();
        if r.missing_only_if.len() > MAX_REGEXES_PER_RULE {
            errors.push(error(
                &source.path,
                None,
                line_containing(&source.text, &r.id),
                format!(
                    "requirement `{}`: more than {MAX_REGEXES_PER_RULE} missing_only_if patterns",
                    r.id
                ),
            ));
            continue;
        }
        if let Some(lang) = r.suggested_clause.blank_language() {
            errors.push(error(
                &source.path,
                None,
                line_containing(&source.text, &r.id),
                format!("requirement `{}`: suggested_clause.{lang} is empty", r.id),
            ));
        }
        for p in &r.missing_only_if {
            match compile_budgeted(p, budget) {
                Ok(re) => only_if.push(re),
                Err(m) => errors.push(error(
                    &source.path,
                    None,
                    line_containing(&source.text, p),
                    format!("requirement `{}`: {m}", r.id),
                )),
            }
        }
        out.push(Requirement {
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
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn parse_families(source: &Source, families: &mut Families) -> Result<(), Vec<Error>> {
    let file: families::FamiliesFile = toml::from_str(&source.text).map_err(|e| {
        let line = e.span().map(|s| line_of(&source.text, s.start));
        vec![error(&source.path, None, line, e.message().to_string())]
    })?;
    let mut errors = Vec::new();
    for family in file.family {
        let line = line_containing(&source.text, &format!("\"{}\"", family.name));
        if let Err(m) = compile_regex(&family.pattern) {
            errors.push(error(
                &source.path,
                None,
                line,
                format!("family `{}`: {m}", family.name),
            ));
            continue;
        }
        if let Err(m) = families.insert(family) {
            errors.push(error(&source.path, None, line, m));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Compiles one rule regex: folded like the text, case-insensitive, size-limited.
pub fn compile_regex(pattern: &str) -> Result<Regex, String> {
    if let Some(c) = umlaut_in_class(pattern) {
        return Err(format!(
            "pattern `{pattern}` has `{c}` inside a character class; umlauts and ß are folded to two letters (ä→ae), so write an alternation like (ae|a) instead"
        ));
    }
    RegexBuilder::new(&fold_pattern(pattern))
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(64)
        .build()
        .map_err(|e| format!("invalid pattern `{pattern}`: {e}"))
}

/// [`compile_regex`] within the pack's memory budget: patterns that are too long, or that
/// would take the pack's compiled regexes over [`PACK_REGEX_BUDGET`], are refused.
fn compile_budgeted(pattern: &str, budget: &mut usize) -> Result<Regex, String> {
    let chars = pattern.chars().count();
    if chars > MAX_PATTERN_CHARS {
        return Err(format!(
            "pattern of {chars} characters is longer than {MAX_PATTERN_CHARS}; split the rule"
        ));
    }
    let regex = compile_regex(pattern)?;
    let used = regex_memory(&fold_pattern(pattern));
    if used > *budget {
        return Err(format!(
            "pattern `{pattern}` takes the pack's compiled patterns over {} MiB; simplify the patterns (large counted repetitions and Unicode classes are expensive)",
            PACK_REGEX_BUDGET / (1024 * 1024)
        ));
    }
    *budget -= used;
    Ok(regex)
}

/// Heap memory of `folded` compiled, as regex-automata (the engine under `regex`) reports it.
fn regex_memory(folded: &str) -> usize {
    use regex_automata::{meta, util::syntax};
    meta::Regex::builder()
        .syntax(syntax::Config::new().case_insensitive(true).nest_limit(64))
        .configure(meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)))
        .build(folded)
        .map(|r| r.memory_usage())
        .unwrap_or(REGEX_SIZE_LIMIT)
}

fn umlaut_in_class(pattern: &str) -> Option<char> {
    let mut depth = 0usize;
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü' | 'ß' | 'ẞ' if depth > 0 => return Some(c),
            _ => {}
        }
    }
    None
}

fn compile_rule(
    source: &Source,
    spec: RuleSpec,
    requirements: &[Requirement],
    families: &Families,
    budget: &mut usize,
) -> Result<Rule, Vec<Error>> {
    let mut errors = Vec::new();
    let id = spec.id.clone();
    let mut fail = |line: Option<usize>, message: String| {
        errors.push(error(&source.path, Some(id.clone()), line, message));
    };
    let stem = Path::new(&source.path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let generated = spec.id.contains(".via-");
    if stem != spec.id && !generated {
        fail(
            line_containing(&source.text, "id"),
            format!(
                "file name `{stem}.toml` does not match the id; name the file `{}.toml`",
                spec.id
            ),
        );
    }
    let requirement = requirements.iter().position(|r| r.id == spec.requirement);
    if requirement.is_none() {
        fail(
            line_containing(&source.text, "requirement"),
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
                line_containing(&source.text, "severity"),
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
                line_containing(&source.text, "languages"),
                format!("unknown language `{code}` (use de or en)"),
            ),
        }
    }
    if languages.is_empty() {
        fail(
            line_containing(&source.text, "languages"),
            "`languages` must name de and/or en".into(),
        );
    }
    if spec.keywords.len() > MAX_KEYWORDS_PER_RULE {
        fail(
            line_containing(&source.text, "keywords"),
            format!(
                "{} keywords; at most {MAX_KEYWORDS_PER_RULE} per rule",
                spec.keywords.len()
            ),
        );
    }
    let regexes = spec.patterns.len()
        + spec.also.len()
        + spec.unless.len()
        + spec.review_if.len()
        + spec.headings.len();
    let too_many_regexes = regexes > MAX_REGEXES_PER_RULE;
    if too_many_regexes {
        fail(
            line_containing(&source.text, "patterns"),
            format!(
                "{regexes} patterns (patterns, unless, review_if); at most {MAX_REGEXES_PER_RULE} per rule"
            ),
        );
    }
    let expanded = match families.expand_keywords(&spec.keywords) {
        Ok(k) => k,
        Err(m) => {
            fail(line_containing(&source.text, "keywords"), m);
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
    for k in expanded.all.iter().take(MAX_KEYWORDS_PER_RULE) {
        let folded = fold_keyword(k);
        if folded.trim().is_empty() || folded.len() > MAX_KEYWORD {
            fail(
                line_containing(&source.text, k),
                format!("keyword `{k}` must be 1 to {MAX_KEYWORD} characters"),
            );
        } else if !keywords.contains(&folded) {
            keywords.push(folded);
        }
    }
    if keywords.is_empty() {
        fail(
            line_containing(&source.text, "keywords"),
            "at least one keyword is needed (the prefilter)".into(),
        );
    }
    if let Some(lang) = spec.suggested_clause.blank_language() {
        fail(
            line_containing(&source.text, "suggested_clause"),
            format!("suggested_clause.{lang} is empty; write the contract wording to propose"),
        );
    }
    if spec.patterns.is_empty() {
        fail(
            line_containing(&source.text, "patterns"),
            "at least one pattern is needed".into(),
        );
    }
    let mut compile_all = |list: &[String]| -> Vec<Regex> {
        if too_many_regexes {
            return Vec::new();
        }
        list.iter()
            .filter_map(|p| {
                match families
                    .expand_pattern(p)
                    .and_then(|expanded| compile_budgeted(&expanded, budget))
                {
                    Ok(re) => Some(re),
                    Err(m) => {
                        fail(line_containing(&source.text, p), m);
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
    let headings = compile_all(&spec.headings);
    if let Some(hours) = spec.deadline_over_hours {
        if spec.kind != RuleKind::RedFlag || hours == 0 {
            fail(
                line_containing(&source.text, "deadline_over_hours"),
                "deadline_over_hours needs a red_flag rule and a positive number".into(),
            );
        }
        for re in &patterns {
            let names: Vec<_> = re.capture_names().flatten().collect();
            if !names.contains(&"n") || !names.contains(&"unit") {
                fail(
                    line_containing(&source.text, "deadline_over_hours"),
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
            line_containing(&source.text, "at_least"),
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
                    line_containing(&source.text, "element"),
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
                    line_containing(&source.text, "element"),
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
        element,
        unless,
        review_if,
        definitions: spec.definitions,
        deadline_over_hours: spec.deadline_over_hours,
        headings,
        title: spec.title,
        rationale: spec.rationale,
        recommendation: spec.recommendation,
        suggested_clause: spec.suggested_clause,
        examples: spec.examples,
        source: source.path.clone(),
    })
}

fn build_automaton(rules: &[Rule]) -> Result<(AhoCorasick, Vec<Vec<usize>>), String> {
    let bytes: usize = rules
        .iter()
        .flat_map(|r| &r.keywords)
        .map(String::len)
        .sum();
    if bytes > MAX_KEYWORD_BYTES {
        return Err(format!(
            "the pack's keywords take {bytes} bytes, over the limit of {MAX_KEYWORD_BYTES}; use fewer, shorter keywords"
        ));
    }
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
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(&keywords)
        .map_err(|e| format!("cannot build the keyword automaton: {e}"))?;
    Ok((automaton, keyword_rules))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQ: &str = r#"
[[requirement]]
id = "audits"
legal_basis = "Art. 28(3)(h)"
missing_severity = "yellow"
title = { de = "A", en = "A" }
explanation = { de = "A", en = "A" }
recommendation = { de = "A", en = "A" }
suggested_clause = { de = "A", en = "A" }
"#;

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    fn rule(id: &str, extra: &str) -> String {
        format!(
            r#"id = "{id}"
requirement = "audits"
kind = "red_flag"
severity = "yellow"
languages = ["en"]
legal_basis = "x"
keywords = ["audit"]
patterns = ['audit']
title = {{ de = "t", en = "t" }}
recommendation = {{ de = "r", en = "r" }}
suggested_clause = {{ de = "c", en = "c" }}
{extra}"#
        )
    }

    #[test]
    fn errors_name_file_rule_and_line() {
        let err = Pack::from_sources(vec![
            source("p/requirements.toml", REQ),
            source("p/a.b.toml", &rule("a.b", "colour = 3")),
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("p/a.b.toml:12: rule `a.b`:"), "{text}");
        assert!(text.contains("colour"), "{text}");
    }

    #[test]
    fn rejects_umlaut_in_class_and_bad_regex_and_wrong_stem() {
        let bad = rule("x.y", "").replace("patterns = ['audit']", "patterns = ['[äa]udit', '(']");
        let err = Pack::from_sources(vec![
            source("p/requirements.toml", REQ),
            source("p/x.z.toml", &bad),
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("character class"), "{text}");
        assert!(text.contains("invalid pattern"), "{text}");
        assert!(text.contains("does not match the id"), "{text}");
    }

    #[test]
    fn huge_regex_is_refused_not_compiled() {
        let bad = rule("x.y", "").replace(
            "patterns = ['audit']",
            r"patterns = ['\w{1000}\w{1000}\w{1000}']",
        );
        let err = Pack::from_sources(vec![
            source("p/requirements.toml", REQ),
            source("p/x.y.toml", &bad),
        ])
        .unwrap_err();
        // The pattern is valid syntax: it is the compiled-size limit that refuses it.
        let text = err.to_string();
        assert!(text.starts_with("p/x.y.toml:"), "{text}");
        assert!(
            text.contains(r"invalid pattern `\w{1000}\w{1000}\w{1000}`"),
            "{text}"
        );
        assert!(text.contains("exceeds size limit"), "{text}");
        assert!(regex_automata::util::syntax::parse(r"\w{1000}\w{1000}\w{1000}").is_ok());
    }

    #[test]
    fn limits_name_the_rule_and_the_limit() {
        let keywords: Vec<String> = (0..101).map(|i| format!("'k{i}'")).collect();
        let many = rule("x.y", "").replace(
            "keywords = [\"audit\"]",
            &format!("keywords = [{}]", keywords.join(", ")),
        );
        let regexes: Vec<String> = (0..33).map(|i| format!("'a{i}'")).collect();
        let many = many.replace(
            "patterns = ['audit']",
            &format!("patterns = [{}]", regexes.join(", ")),
        );
        let err = Pack::from_sources(vec![
            source("p/requirements.toml", REQ),
            source("p/x.y.toml", &many),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("p/x.y.toml"), "{err}");
        assert!(err.contains("rule `x.y`"), "{err}");
        assert!(err.contains("at most 100 per rule"), "{err}");
        assert!(err.contains("at most 32 per rule"), "{err}");
        let long = "a".repeat(MAX_PATTERN_CHARS + 1);
        assert!(
            compile_budgeted(&long, &mut usize::MAX.clone())
                .unwrap_err()
                .contains("longer than")
        );
    }

    #[test]
    fn the_pack_budget_is_shared_by_all_patterns() {
        let mut budget = PACK_REGEX_BUDGET;
        compile_budgeted("audit", &mut budget).unwrap();
        assert!(budget < PACK_REGEX_BUDGET, "memory is counted");
        let mut small = 1_000;
        let err = compile_budgeted("[a-z]{50}", &mut small).unwrap_err();
        assert!(err.contains("over 256 MiB"), "{err}");
    }

    #[test]
    fn a_suggested_clause_is_required_in_both_languages() {
        let without =
            rule("a.b", "").replace("suggested_clause = { de = \"c\", en = \"c\" }\n", "");
        let err = Pack::from_sources(vec![
            source("p/requirements.toml", REQ),
            source("p/a.b.toml", &without),
        ])
        .unwrap_err()
        .to_string();
        assert!(err.contains("suggested_clause"), "{err}");
        let blank = rule("a.b", "").replace("de = \"c\"", "de = \" \"");
        let err = Pack::from_sources(vec![
            source("p/requirements.toml", REQ),
            source("p/a.b.toml", &blank),
        ])
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("p/a.b.toml:11: rule `a.b`: suggested_clause.de is empty"),
            "{err}"
        );
        let requirement = REQ.replace(
            "suggested_clause = { de = \"A\", en = \"A\" }",
            "suggested_clause = { de = \"A\", en = \"\" }",
        );
        let err = Pack::from_sources(vec![source("p/requirements.toml", &requirement)])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("requirement `audits`: suggested_clause.en is empty"),
            "{err}"
        );
    }

    #[test]
    fn embedded_pack_compiles() {
        let pack = Pack::embedded().expect("embedded pack is valid");
        assert_eq!(pack.requirements.len(), 18);
    }
}
