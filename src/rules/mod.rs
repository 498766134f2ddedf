//! Rules: the compiled rule pack and its parts.
//!
//! A pack is `requirements.toml` plus one TOML file per rule (see `patterns/README.md`). The
//! built-in pack is embedded at build time; `--rules DIR` adds rules or replaces rules with the
//! same id. [`load`](self) reads and assembles the files, `compile` turns each into a [`Rule`]
//! or [`Requirement`] (keywords and patterns folded like the text, one aho-corasick automaton
//! over all keywords), [`limits`] bounds what an untrusted pack may cost, and [`Pattern`]
//! compiles each regex on first use. Packs from `--rules` are checked in full when they are
//! loaded; the built-in pack is checked in full by `cargo test` and loads without compiling a
//! single regex, so `ampel rules list` and a scan of one short agreement start in milliseconds.

pub mod catalogue;
mod compile;
pub mod factors;
mod families;
pub mod hircode;
mod incorporation;
pub mod limits;
mod literals;
mod load;
pub mod pattern;
mod spec;
pub mod track;

use std::fmt;
use std::path::PathBuf;

use aho_corasick::AhoCorasick;

pub use compile::Check;
pub use families::{ExpandedKeywords, Families, FamilySpec};
pub use incorporation::IncorporationSpec;
pub use literals::{Literals, Occurrences, PackLiterals};
pub use load::read_dir;
pub use pattern::Pattern;
pub use spec::{
    ElementSpec, Examples, Localised, MissingSeverity, RequirementSpec, RuleKind, RuleSpec, Scope,
    Severity,
};
pub use track::TrackRecord;

use crate::text::Language;
use crate::text::coded::Coded;

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
    pub missing_only_if: Vec<Pattern>,
    /// Headings of sections about this requirement (where a reader would look).
    pub headings: Vec<Pattern>,
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
    /// Loaded unchanged from the built-in pack, so the track record of its "missing" check
    /// ([`track`]) applies.
    pub built_in: bool,
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
    pub patterns: Vec<Pattern>,
    /// Concepts that must occur in the same scope.
    pub also: Vec<Pattern>,
    /// How many of `also` must occur.
    pub at_least: usize,
    /// `also` does not count in another item of the match's own list sentence.
    pub also_in_item: bool,
    /// `also` counts in the headings over the sentence too.
    pub also_in_headings: bool,
    /// Index into the requirement's elements that this presence rule shows (`None`: all).
    pub element: Option<usize>,
    /// Vetoes.
    pub unless: Vec<Pattern>,
    /// Downgrades to info.
    pub review_if: Vec<Pattern>,
    /// Red flags: vetoes every hit when it matches anywhere in the document.
    pub unless_document: Vec<Pattern>,
    /// Red flags: presence rules (indices into [`Pack::rules`], generated from an
    /// incorporation by reference) whose hit anywhere in the document makes this rule's hits
    /// notes, because the incorporated text settles the point (`settles` in
    /// `incorporations.toml`).
    pub noted_by: Vec<usize>,
    /// Negation check on.
    pub negation: bool,
    /// Matches inside definitions too.
    pub definitions: bool,
    /// Deadline threshold in hours.
    pub deadline_over_hours: Option<u32>,
    /// The rule only counts under a heading that matches one of these (empty: anywhere).
    pub headings: Vec<Pattern>,
    /// The rule does not count under a heading that matches one of these.
    pub unless_headings: Vec<Pattern>,
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
    /// Loaded unchanged from the built-in pack, so its track record ([`track`]) applies.
    pub built_in: bool,
    /// The required literals of `patterns`, `unless` then `also`, built on first use.
    literals: std::sync::OnceLock<Literals>,
}

impl Rule {
    /// True when the rest of the agreement settles this red flag: one of its `unless_document`
    /// patterns matches somewhere in the document's flat text (`coded`: its coded form).
    pub fn settled_by(&self, flat: &str, coded: &Coded<'_>) -> bool {
        self.unless_document
            .iter()
            .any(|re| re.is_match_coded(flat, coded))
    }

    /// The required literals of the rule's `patterns` followed by its `unless` and its `also`
    /// patterns: which of them can match a scope at all.
    pub fn literals(&self) -> &Literals {
        self.literals.get_or_init(|| {
            Literals::new(self.patterns.iter().chain(&self.unless).chain(&self.also))
        })
    }
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
    keywords: compile::Keywords,
    /// The required literals of all rules in one automaton, built on first heavy use.
    literals: std::sync::OnceLock<Option<PackLiterals>>,
    /// Bytes of text matched with the pack so far (see [`Pack::heavy_use`]).
    matched: std::sync::Arc<std::sync::atomic::AtomicUsize>,
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
    /// The pack compiled into the binary. Its patterns are compiled when first matched;
    /// `cargo test` checks it in full ([`Pack::from_sources`]).
    pub fn embedded() -> Result<Pack, Errors> {
        load::assemble(
            load::embedded_sources()
                .into_iter()
                .map(|s| (s, Check::Embedded))
                .collect(),
        )
    }

    /// The embedded pack plus the rule files under each of `dirs` (same id replaces); the
    /// files from `dirs` are checked in full.
    pub fn with_dirs(dirs: &[PathBuf]) -> Result<Pack, Errors> {
        let mut sources: Vec<(Source, Check)> = load::embedded_sources()
            .into_iter()
            .map(|s| (s, Check::Embedded))
            .collect();
        for dir in dirs {
            sources.extend(read_dir(dir)?.into_iter().map(|s| (s, Check::Full)));
        }
        load::assemble(sources)
    }

    /// [`Pack::with_dirs`] with the built-in files checked in full too, as `cargo test` checks
    /// them: what a rule author runs (`ampel rules test`), so a built-in pattern over the size
    /// limit is reported there, not only by the library's tests.
    pub fn checked_with_dirs(dirs: &[PathBuf]) -> Result<Pack, Errors> {
        let mut sources = load::embedded_sources();
        for dir in dirs {
            sources.extend(read_dir(dir)?);
        }
        Pack::from_sources(sources)
    }

    /// Compiles a pack from sources, checking every file in full (limits, every pattern
    /// compiled and charged against the memory budget). A file named `requirements.toml`
    /// holds requirements; every other file one rule. Later sources replace earlier ones
    /// with the same id.
    pub fn from_sources(sources: Vec<Source>) -> Result<Pack, Errors> {
        load::assemble(sources.into_iter().map(|s| (s, Check::Full)).collect())
    }

    /// The sources of the built-in pack (what [`Pack::embedded`] loads).
    pub fn embedded_sources() -> Vec<Source> {
        load::embedded_sources()
    }

    /// The keyword automaton (case-insensitive, overlapping): the fastest there is, built on
    /// first use.
    pub fn automaton(&self) -> &AhoCorasick {
        self.keywords.dfa()
    }

    /// The keyword automaton for heavy use ([`Pack::automaton`]) or light use: one that is
    /// quick to build and slower to run. Both number their patterns alike.
    pub fn keyword_automaton(&self, heavy: bool) -> &AhoCorasick {
        if heavy {
            self.keywords.dfa()
        } else {
            self.keywords.nfa()
        }
    }

    /// Counts `bytes` of text matched and says whether the pack is in heavy use: the text or
    /// all text matched so far is long enough that automata which are slow to build but fast
    /// to run pay off.
    pub fn heavy_use(&self, bytes: usize) -> bool {
        /// A text this long is heavy use on its own.
        const HEAVY_TEXT: usize = 32 * 1024;
        /// So is this much text over the pack's life (a batch).
        const HEAVY_TOTAL: usize = 256 * 1024;
        let before = self
            .matched
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
        bytes >= HEAVY_TEXT || before + bytes >= HEAVY_TOTAL
    }

    /// Where the required literals of every rule occur in `text`, for heavy use (see
    /// [`PackLiterals`]); `None` where they do not hold (a text that is not
    /// [`plain`](factors::plain)) or cannot be indexed.
    pub fn literal_occurrences(&self, text: &str) -> Option<Occurrences<'_>> {
        if !factors::plain(text) {
            return None;
        }
        self.literals
            .get_or_init(|| PackLiterals::new(self.rules.iter().map(Rule::literals)))
            .as_ref()?
            .occurrences(text)
    }

    /// The rules that use automaton pattern `pattern`.
    pub fn rules_for_keyword(&self, pattern: usize) -> &[usize] {
        &self.keywords.rules[pattern]
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
        let bad = rule("x.y", "").replace(
            "patterns = ['audit']",
            "patterns = ['[äa]udit', '(', 'audit(or\\x27s|or’s)']",
        );
        let err = Pack::from_sources(vec![
            source("p/requirements.toml", REQ),
            source("p/x.z.toml", &bad),
        ])
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("character class"), "{text}");
        assert!(text.contains("invalid pattern"), "{text}");
        assert!(text.contains("normalised text never holds"), "{text}");
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

    /// The built-in pack loads without compiling its patterns, so this is where every one of
    /// them is compiled and held to the limits of an untrusted pack.
    #[test]
    fn embedded_pack_passes_the_full_check() {
        let checked = Pack::from_sources(Pack::embedded_sources())
            .unwrap_or_else(|e| panic!("the built-in pack is invalid:\n{e}"));
        let pack = Pack::embedded().expect("embedded pack loads");
        assert_eq!(pack.requirements.len(), 18);
        assert_eq!(pack.rules.len(), checked.rules.len());
    }
}
