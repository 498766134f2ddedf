//! Loading a rule pack: its sources (the embedded pack, `--rules` folders), the TOML of each
//! file, and the assembly of requirements and rules into a [`Pack`], with every error naming
//! the file, the rule and the line. Later sources replace earlier rules with the same id.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::compile::{self, Check};
use super::families::{Families, FamiliesFile};
use super::incorporation::{IncorporationSpec, IncorporationsFile};
use super::pattern::Embedded;
use super::spec::{RequirementsFile, RuleKind, RuleSpec};
use super::{Error, Errors, Pack, Requirement, Rule, Source, limits};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The pack compiled into the binary.
pub(super) fn embedded_sources() -> Vec<Source> {
    embedded::EMBEDDED
        .iter()
        .map(|(path, text, _)| Source {
            path: path.to_string(),
            text: text.to_string(),
        })
        .collect()
}

/// The JSON form `build.rs` made of a file of the embedded pack, when `source` is that file as
/// it was embedded (same path, same text).
fn embedded_json(source: &Source) -> Option<&'static str> {
    embedded::EMBEDDED
        .iter()
        .find(|(path, text, _)| *path == source.path && *text == source.text)
        .map(|(_, _, json)| *json)
}

/// A rule file's contents: the embedded pack's files from the JSON form `build.rs` made of them
/// (it deserialises several times faster than TOML, which was a quarter of `rules list`), any
/// other from its TOML, with the line of a syntax or schema error.
fn parse_file<T: DeserializeOwned>(source: &Source) -> Result<T, (Option<usize>, String)> {
    parse_file_built_in(source).map(|(parsed, _)| parsed)
}

/// [`parse_file`], and whether the file is one of the embedded pack's, unchanged (read from its
/// JSON form): only such a file's rules carry the built-in track record (`rules::track`).
fn parse_file_built_in<T: DeserializeOwned>(
    source: &Source,
) -> Result<(T, bool), (Option<usize>, String)> {
    if let Some(json) = embedded_json(source)
        && let Ok(parsed) = serde_json::from_str(json)
    {
        return Ok((parsed, true));
    }
    toml::from_str(&source.text)
        .map(|parsed| (parsed, false))
        .map_err(|e| {
            let line = e.span().map(|s| line_of(&source.text, s.start));
            (line, e.message().to_string())
        })
}

/// The folded form of a pattern of the embedded pack (families expanded), worked out by
/// `build.rs`; `None` for any other pattern.
pub(super) fn embedded_folded(expanded: &str) -> Option<&'static str> {
    let i = embedded::FOLDED
        .binary_search_by(|(p, _)| (*p).cmp(expanded))
        .ok()?;
    Some(embedded::FOLDED[i].1)
}

/// What `build.rs` worked out for a folded pattern of the built-in pack: its required literals,
/// the literals its matches start with (exactly, or up to ASCII case), whether it reads coded
/// text, and its coded form (parsed at build time).
pub(super) fn embedded_literals(folded: &str) -> Option<Embedded> {
    let i = embedded::LITERALS
        .binary_search_by(|(p, ..)| (*p).cmp(folded))
        .ok()?;
    let (_, required, starts, caseless_starts, symbols_alike, letters_alike, coded) =
        embedded::LITERALS[i];
    Some(Embedded {
        required: EmbeddedSets(required.0, required.1),
        starts: starts.map(|(start, end)| EmbeddedLiterals(start, end)),
        caseless_starts: caseless_starts.map(|(start, end)| EmbeddedLiterals(start, end)),
        symbols_alike,
        letters_alike,
        coded: coded.and_then(|(start, end)| embedded::CODED_FORMS.get(start..end)),
    })
}

/// Some literals `build.rs` worked out for a pattern of the built-in pack: a range of its table
/// of literals (numbers into one byte string, so that the table needs no relocation at start-up).
#[derive(Debug, Clone, Copy)]
pub(super) struct EmbeddedLiterals(u32, u32);

impl EmbeddedLiterals {
    /// The literals, as bytes.
    pub(super) fn bytes(self) -> impl Iterator<Item = &'static [u8]> {
        (self.0..self.1).map(|i| {
            let (start, end) = pair(embedded::SPANS, i);
            &embedded::LITERAL_BYTES[start as usize..end as usize]
        })
    }

    /// The literals, as text (taken whole from a pattern's text, so always UTF-8).
    pub(super) fn strs(self) -> impl Iterator<Item = &'static str> {
        self.bytes()
            .map(|bytes| std::str::from_utf8(bytes).expect("build.rs writes whole literals"))
    }
}

/// The sets of literals of which a pattern of the built-in pack requires one each: a range of
/// the table of sets `build.rs` made.
#[derive(Debug, Clone, Copy)]
pub(super) struct EmbeddedSets(u32, u32);

impl EmbeddedSets {
    /// Each set.
    pub(super) fn iter(self) -> impl Iterator<Item = EmbeddedLiterals> {
        (self.0..self.1).map(|i| {
            let (start, end) = pair(embedded::SETS, i);
            EmbeddedLiterals(start, end)
        })
    }
}

/// Entry `i` of a table of (start, end) pairs of little-endian `u32`s.
fn pair(table: &[u8], i: u32) -> (u32, u32) {
    let at = i as usize * 8;
    let number = |at: usize| {
        let bytes: [u8; 4] = table[at..at + 4].try_into().expect("four bytes");
        u32::from_le_bytes(bytes)
    };
    (number(at), number(at + 4))
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
            Ok(m) if m.len() as usize > limits::MAX_FILE_BYTES => {
                errors.push(error(&shown, None, None, limits::file_too_large()));
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

/// Assembles a pack from sources, each with how far it is checked. A file named
/// `requirements.toml` holds requirements, every other file one rule.
pub(super) fn assemble(sources: Vec<(Source, Check)>) -> Result<Pack, Errors> {
    let mut errors = Vec::new();
    let mut requirements: Vec<Requirement> = Vec::new();
    // How far each requirement's source is checked (its headings are compiled later).
    let mut requirement_checks: Vec<Check> = Vec::new();
    // Each rule's source, spec, check, and whether its file is the embedded pack's unchanged.
    let mut specs: Vec<(Source, RuleSpec, Check, bool)> = Vec::new();
    let mut families = Families::default();
    let mut incorporations: Vec<(Source, IncorporationSpec, Check, bool)> = Vec::new();
    let mut patterns = compile::Patterns::default();
    // The keyword automaton is checked at load as soon as one file is checked in full.
    let keyword_check = if sources.iter().any(|(_, check)| *check == Check::Full) {
        Check::Full
    } else {
        Check::Embedded
    };
    for (source, check) in sources {
        if source.text.len() > limits::MAX_FILE_BYTES {
            errors.push(error(&source.path, None, None, limits::file_too_large()));
            continue;
        }
        if Path::new(&source.path)
            .file_name()
            .is_some_and(|n| n == "requirements.toml")
        {
            match parse_requirements(&source, check, &mut patterns) {
                Ok(list) => {
                    for r in list {
                        match requirements.iter().position(|x| x.id == r.id) {
                            Some(i) => {
                                requirements[i] = r;
                                requirement_checks[i] = check;
                            }
                            None => {
                                requirements.push(r);
                                requirement_checks.push(check);
                            }
                        }
                    }
                }
                Err(mut e) => errors.append(&mut e),
            }
            continue;
        }
        let name = Path::new(&source.path).file_name();
        if name.is_some_and(|n| n == "families.toml") {
            if let Err(mut e) = parse_families(&source, check, &mut families) {
                errors.append(&mut e);
            }
            continue;
        }
        if name.is_some_and(|n| n == "incorporations.toml") {
            match parse_file_built_in::<IncorporationsFile>(&source) {
                Ok((file, built_in)) => {
                    for inc in file.incorporation {
                        incorporations.retain(|(_, i, ..)| i.name != inc.name);
                        incorporations.push((source.clone(), inc, check, built_in));
                    }
                }
                Err((line, message)) => errors.push(error(&source.path, None, line, message)),
            }
            continue;
        }
        match parse_file_built_in::<RuleSpec>(&source) {
            Ok((spec, built_in)) => {
                specs.retain(|(_, s, ..)| s.id != spec.id);
                specs.push((source, spec, check, built_in));
            }
            Err((line, message)) => {
                let rule = guess_id(&source.text);
                errors.push(error(&source.path, rule, line, message));
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
    for r in &requirements {
        for e in &r.elements {
            for other in &e.shown_by {
                if other == &r.id || !requirements.iter().any(|x| &x.id == other) {
                    errors.push(error(
                        "requirements.toml",
                        None,
                        None,
                        format!(
                            "element `{}` of `{}`: shown_by names `{other}`, which is not another requirement",
                            e.id, r.id
                        ),
                    ));
                }
            }
        }
    }
    if requirements.len() > limits::MAX_REQUIREMENTS {
        errors.push(error(
            "requirements.toml",
            None,
            None,
            format!("more than {} requirements", limits::MAX_REQUIREMENTS),
        ));
    }
    if specs.len() > limits::MAX_RULES {
        errors.push(error(
            "(pack)",
            None,
            None,
            format!("more than {} rules", limits::MAX_RULES),
        ));
    }
    // What each incorporation settles, resolved to rule indices once the rules are sorted.
    let mut settles: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for (source, inc, check, built_in) in incorporations {
        let generated = inc.rules();
        settles.push((
            source.path.clone(),
            generated.iter().map(|r| r.id.clone()).collect(),
            inc.settles.clone(),
        ));
        for spec in generated {
            specs.retain(|(_, s, ..)| s.id != spec.id);
            // The generated rule is shown as coming from the incorporation's file; its id is
            // not the file stem, so the stem check is skipped for it.
            specs.push((source.clone(), spec, check, built_in));
        }
    }
    for (requirement, &check) in requirements.iter_mut().zip(&requirement_checks) {
        if let Err(mut e) =
            compile::requirement_headings(requirement, &families, check, &mut patterns)
        {
            errors.append(&mut e);
        }
    }
    let mut rules = Vec::new();
    for (source, spec, check, built_in) in specs {
        match compile::rule(
            &source,
            spec,
            &requirements,
            &families,
            check,
            &mut patterns,
        ) {
            Ok(mut rule) => {
                rule.built_in = built_in;
                rules.push(rule);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(Errors(errors));
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    link_settled_flags(&mut rules, &settles)?;
    let keywords = compile::Keywords::new(&rules, keyword_check)
        .map_err(|m| Errors(vec![error("(pack)", None, None, m)]))?;
    Ok(Pack {
        requirements,
        rules,
        families,
        keywords,
        literals: Default::default(),
        matched: Default::default(),
    })
}

/// Points every red flag an incorporation settles at the incorporation's presence rules
/// (`Rule::noted_by`); `settles` holds (file, generated rule ids, settled rule ids) for each
/// incorporation, and `rules` is sorted by id. A settled id that is no red flag of the pack is
/// an error.
fn link_settled_flags(
    rules: &mut [Rule],
    settles: &[(String, Vec<String>, Vec<String>)],
) -> Result<(), Errors> {
    let index = |rules: &[Rule], id: &str| rules.binary_search_by(|r| r.id.as_str().cmp(id)).ok();
    let mut errors = Vec::new();
    for (path, generated, settled) in settles {
        let presence: Vec<usize> = generated.iter().filter_map(|id| index(rules, id)).collect();
        for id in settled {
            match index(rules, id) {
                Some(i) if rules[i].kind == RuleKind::RedFlag => {
                    rules[i].noted_by.extend(&presence);
                }
                _ => errors.push(error(
                    path,
                    None,
                    None,
                    format!("settles `{id}`, which is no red-flag rule of the pack"),
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Errors(errors))
    }
}

fn parse_requirements(
    source: &Source,
    check: Check,
    patterns: &mut compile::Patterns,
) -> Result<Vec<Requirement>, Vec<Error>> {
    let (file, built_in): (RequirementsFile, bool) = parse_file_built_in(source)
        .map_err(|(line, message)| vec![error(&source.path, None, line, message)])?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for r in file.requirement {
        match compile::requirement(source, r, check, patterns) {
            Ok(mut requirement) => {
                requirement.built_in = built_in;
                out.push(requirement);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn parse_families(
    source: &Source,
    check: Check,
    families: &mut Families,
) -> Result<(), Vec<Error>> {
    let file: FamiliesFile = parse_file(source)
        .map_err(|(line, message)| vec![error(&source.path, None, line, message)])?;
    let mut errors = Vec::new();
    for family in file.family {
        let line = line_containing(&source.text, &format!("\"{}\"", family.name));
        // A family is checked where it is used, too; here a broken one is named on its own.
        if check == Check::Full
            && let Err(m) = super::Pattern::new(&family.pattern).validate(&family.pattern)
        {
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

pub(super) fn error(
    file: &str,
    rule: Option<String>,
    line: Option<usize>,
    message: String,
) -> Error {
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
pub(super) fn line_containing(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|at| line_of(text, at))
}

fn guess_id(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.trim().strip_prefix("id").map(str::trim))
        .and_then(|l| l.strip_prefix('='))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{hircode, limits};
    use crate::text::coded::{lowered, pattern_hir};

    /// The JSON form of every embedded file deserialises into exactly what its TOML does.
    #[test]
    fn embedded_json_reads_as_the_toml() {
        fn same<T: DeserializeOwned + std::fmt::Debug>(toml: &str, json: &str) -> bool {
            let from_toml: T = toml::from_str(toml).expect("toml");
            let from_json: T = serde_json::from_str(json).expect("json");
            format!("{from_toml:?}") == format!("{from_json:?}")
        }
        assert!(embedded::EMBEDDED.len() > 100);
        for &(path, toml, json) in embedded::EMBEDDED {
            let same = match path.rsplit('/').next() {
                Some("requirements.toml") => same::<RequirementsFile>(toml, json),
                Some("families.toml") => same::<FamiliesFile>(toml, json),
                Some("incorporations.toml") => same::<IncorporationsFile>(toml, json),
                _ => same::<RuleSpec>(toml, json),
            };
            assert!(same, "{path}");
            let source = Source {
                path: path.into(),
                text: toml.into(),
            };
            assert_eq!(embedded_json(&source), Some(json));
        }
        // A file changed on disk is read from its TOML.
        let changed = Source {
            path: embedded::EMBEDDED[0].0.into(),
            text: format!("{}\n", embedded::EMBEDDED[0].1),
        };
        assert_eq!(embedded_json(&changed), None);
    }

    /// The coded forms `build.rs` wrote rebuild into exactly the lowered `Hir` that parsing the
    /// pattern gives, for every pattern of the built-in pack; only a pattern that tells ASCII
    /// case apart has none.
    #[test]
    fn built_in_coded_forms_rebuild_the_parsed_patterns() {
        assert!(!embedded::LITERALS.is_empty());
        let mut case_told = Vec::new();
        for &(folded, ..) in embedded::LITERALS {
            let form = embedded_literals(folded).and_then(|e| e.coded);
            let parsed = pattern_hir(folded, limits::NEST_LIMIT).expect("parses");
            match lowered(&parsed) {
                Some(lowered) => {
                    assert_eq!(form.and_then(hircode::decode), Some(lowered), "{folded}")
                }
                None => {
                    assert!(form.is_none(), "{folded}");
                    case_told.push(folded);
                }
            }
        }
        // `(?-i:Anfragen)` in processing_details.data-subjects-under-heading.
        assert_eq!(case_told.len(), 1, "{case_told:?}");
    }

    /// The literal tables `build.rs` wrote read back as exactly what parsing each pattern of the
    /// built-in pack gives: its required literals, its starts and its caseless starts.
    #[test]
    fn built_in_literal_tables_read_back_as_the_parsed_patterns() {
        let mut with_starts = 0;
        let mut with_caseless = 0;
        for &(folded, ..) in embedded::LITERALS {
            let embedded = embedded_literals(folded).expect("listed");
            let hir =
                crate::text::coded::parse_pattern(folded, limits::NEST_LIMIT).expect("parses");
            let required: Vec<Vec<String>> = embedded
                .required
                .iter()
                .map(|set| set.strs().map(str::to_string).collect())
                .collect();
            assert_eq!(required, crate::rules::factors::required(&hir), "{folded}");
            let starts = embedded
                .starts
                .map(|starts| starts.bytes().map(<[u8]>::to_vec).collect::<Vec<_>>());
            assert_eq!(starts, crate::rules::factors::prefixes(&hir), "{folded}");
            with_starts += usize::from(starts.is_some());
            let caseless = embedded
                .caseless_starts
                .map(|caseless| caseless.strs().map(str::to_string).collect::<Vec<_>>());
            if starts.is_some() {
                assert_eq!(caseless, None, "{folded}");
            } else {
                let exact = regex_syntax::ParserBuilder::new()
                    .nest_limit(limits::NEST_LIMIT)
                    .utf8(true)
                    .build()
                    .parse(folded)
                    .expect("parses");
                let expected = crate::rules::factors::caseless_prefixes(&exact);
                assert_eq!(caseless, expected, "{folded}");
            }
            with_caseless += usize::from(caseless.is_some());
        }
        // Both kinds occur, so the comparisons above compared something.
        assert!(
            with_starts > 100 && with_caseless > 10,
            "{with_starts} {with_caseless}"
        );
    }
}
