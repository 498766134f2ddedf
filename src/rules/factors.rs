//! Required literals of a pattern: sets of strings such that every match contains one string
//! of each set. `\binstructions?\b.{0,80}?\b(limited|restricted)\sto` needs one of
//! {"instruction"} and one of {"limited", "restricted"}: a sentence without both cannot match,
//! so the engine does not run the regex there.
//!
//! Strings are lower-case for ASCII letters (they are searched ASCII-case-insensitively, which
//! is how the case-insensitive pattern sees ASCII) and keep every case variant of other letters.
//! Two facts of normalised text make the strings longer and so more telling: white space is
//! a single space, so `\s` stands for `" "` (`no\smore\sthan` requires "no more than"); and
//! the two non-ASCII characters that case-fold to ASCII letters, `ſ` (long s) and `K` (Kelvin
//! sign), never occur, since NFKC makes them `s` and `K`, so they are left out. [`plain`] tells
//! where these facts hold; elsewhere the literals are not used.
//!
//! This module depends on regex-syntax alone: `build.rs` includes it to work out the literals
//! of the built-in pack at build time, so that loading the pack parses no regex.

use regex_syntax::hir::{Class, Hir, HirKind};

/// Most alternatives one set may have before it is of no use.
const MAX_ALTERNATIVES: usize = 16;
/// Most characters a class may hold to count as a set of literals.
const MAX_CLASS: usize = 8;
/// Shortest string worth searching for.
const MIN_LEN: usize = 3;
/// Most sets kept per pattern: the most selective ones.
const MAX_SETS: usize = 2;

/// Characters outside ASCII that case-insensitive matching folds to ASCII letters.
const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// The literals every match of `hir` starts with, as regex-automata's prefilters work them out
/// for leftmost-first matching; `None` when there are none to search for (too many, or the
/// pattern can match the empty string).
pub fn prefixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    if hir.properties().minimum_len().is_none_or(|n| n == 0) {
        return None;
    }
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix);
    let mut seq = extractor.extract(hir);
    seq.optimize_for_prefix_by_preference();
    seq.literals()
        .map(|lits| lits.iter().map(|l| l.as_bytes().to_vec()).collect())
}

/// The literals every match starts with, lower-cased, for a search that ignores ASCII case, or
/// `None` when they cannot be told. `exact` is the pattern parsed **case-sensitively**: on ASCII
/// text the case-insensitive pattern matches a string exactly when the case-sensitive one
/// matches the same string with some ASCII letters in another case, so every match starts with
/// one of these literals in some case. Extracted from the case-insensitive parse, the prefixes
/// of `\b(assist\w*|support\w*|help\w*|…)` are every case variant of every word, too many to
/// keep. A literal with a byte beyond ASCII gives `None`, since coded text (the only haystack
/// these serve) holds none; so does a pattern that can match the empty string.
pub fn caseless_prefixes(exact: &Hir) -> Option<Vec<String>> {
    let mut out = prefixes(exact)?
        .into_iter()
        .map(|bytes| {
            (!bytes.is_empty() && bytes.is_ascii())
                .then(|| String::from_utf8_lossy(&bytes).to_ascii_lowercase())
        })
        .collect::<Option<Vec<String>>>()?;
    out.sort();
    out.dedup();
    (!out.is_empty()).then_some(out)
}

/// True when `text` is plain as normalised text is: its only white space is the space, and it
/// has no character that case-folds to an ASCII letter without being one. Required literals
/// hold for plain text only.
pub fn plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_none()
        && memchr::memchr2(0x0b, 0x0c, bytes).is_none()
        && (text.is_ascii()
            || !text
                .chars()
                .any(|c| !c.is_ascii() && (c.is_whitespace() || FOLDS_TO_ASCII.contains(&c))))
}

/// What an expression contributes: the exact strings it matches (when few), and sets of which
/// every match contains one string.
struct Info {
    exact: Option<Vec<String>>,
    required: Vec<Vec<String>>,
}

impl Info {
    fn nothing() -> Info {
        Info {
            exact: None,
            required: Vec::new(),
        }
    }

    fn exact(strings: Vec<String>) -> Info {
        Info {
            exact: Some(strings),
            required: Vec::new(),
        }
    }

    /// All sets, the exact strings included.
    fn sets(self) -> Vec<Vec<String>> {
        let mut sets = self.required;
        sets.extend(self.exact);
        sets.retain(|s| !s.is_empty() && s.iter().all(|x| !x.is_empty()));
        sets
    }
}

/// The most selective required sets of `hir` (longest shortest string first), at most
/// [`MAX_SETS`]; empty when the pattern has none worth searching for.
pub fn required(hir: &Hir) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = analyse(hir)
        .sets()
        .into_iter()
        .filter(|s| shortest(s) >= MIN_LEN)
        .collect();
    sets.sort_by_key(|s| (std::cmp::Reverse(shortest(s)), s.len()));
    sets.dedup();
    sets.truncate(MAX_SETS);
    sets
}

fn shortest(set: &[String]) -> usize {
    set.iter().map(String::len).min().unwrap_or(0)
}

/// Every concatenation of a string of `a` with one of `b`, or `None` when there are too many.
fn cross(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len() * b.len() > MAX_ALTERNATIVES {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let s = format!("{x}{y}");
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    Some(out)
}

fn union(sets: impl IntoIterator<Item = Vec<String>>) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for set in sets {
        for s in set {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        if out.len() > MAX_ALTERNATIVES {
            return None;
        }
    }
    Some(out)
}

/// A character as searched for: ASCII lower-cased, `None` for the characters of
/// [`FOLDS_TO_ASCII`].
fn searched(c: char) -> Option<char> {
    if FOLDS_TO_ASCII.contains(&c) {
        None
    } else {
        Some(c.to_ascii_lowercase())
    }
}

fn analyse(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info::exact(vec![String::new()]),
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(s) => Info::exact(vec![s.to_ascii_lowercase()]),
            Err(_) => Info::nothing(),
        },
        // `\s` (any white space that includes the space) is the space in plain text.
        HirKind::Class(Class::Unicode(class))
            if class.iter().any(|r| r.start() <= ' ' && ' ' <= r.end())
                && class
                    .iter()
                    .all(|r| (r.start()..=r.end()).all(char::is_whitespace)) =>
        {
            Info::exact(vec![" ".to_string()])
        }
        HirKind::Class(Class::Unicode(class)) => {
            let size: usize = class
                .iter()
                .map(|r| r.end() as usize - r.start() as usize + 1)
                .sum();
            if size > MAX_CLASS {
                return Info::nothing();
            }
            let mut chars: Vec<String> = Vec::new();
            for range in class.iter() {
                for c in range.start()..=range.end() {
                    if let Some(c) = searched(c) {
                        let s = c.to_string();
                        if !chars.contains(&s) {
                            chars.push(s);
                        }
                    }
                }
            }
            if chars.is_empty() {
                Info::nothing()
            } else {
                Info::exact(chars)
            }
        }
        HirKind::Class(Class::Bytes(_)) => Info::nothing(),
        HirKind::Capture(capture) => analyse(&capture.sub),
        HirKind::Repetition(rep) => repetition(rep),
        HirKind::Concat(subs) => concat(subs),
        HirKind::Alternation(subs) => alternation(subs),
    }
}

fn repetition(rep: &regex_syntax::hir::Repetition) -> Info {
    let sub = analyse(&rep.sub);
    // A short bounded repetition of a few strings ("s?", "(ae|a){1,2}") stays exact.
    if let (Some(strings), Some(max)) = (&sub.exact, rep.max)
        && max <= 3
    {
        let mut all: Vec<String> = Vec::new();
        let mut current = vec![String::new()];
        let mut ok = true;
        for count in 0..=max {
            if count >= rep.min {
                match union([all.clone(), current.clone()]) {
                    Some(u) => all = u,
                    None => ok = false,
                }
            }
            if count < max {
                match cross(&current, strings) {
                    Some(next) => current = next,
                    None => ok = false,
                }
            }
            if !ok {
                break;
            }
        }
        if ok {
            return Info::exact(all);
        }
    }
    if rep.min == 0 {
        return Info::nothing();
    }
    // At least one repetition: what the sub-expression requires, every match requires.
    Info {
        exact: None,
        required: sub.sets(),
    }
}

fn concat(subs: &[Hir]) -> Info {
    let mut current = vec![String::new()];
    let mut required = Vec::new();
    let mut exact = true;
    for sub in subs {
        let info = analyse(sub);
        match info.exact.as_ref().and_then(|e| cross(&current, e)) {
            Some(next) => current = next,
            None => {
                // The run of literals ends here; what it holds is required.
                exact = false;
                required.push(std::mem::replace(&mut current, vec![String::new()]));
                required.extend(info.sets());
            }
        }
    }
    if exact {
        return Info::exact(current);
    }
    required.push(current);
    Info {
        exact: None,
        required,
    }
}

fn alternation(subs: &[Hir]) -> Info {
    let infos: Vec<Info> = subs.iter().map(analyse).collect();
    if infos.iter().all(|i| i.exact.is_some())
        && let Some(all) = union(infos.iter().filter_map(|i| i.exact.clone()))
    {
        return Info::exact(all);
    }
    // A match takes one branch: one required set from every branch, together, is required.
    let mut picks = Vec::new();
    for info in infos {
        let mut sets = info.sets();
        sets.sort_by_key(|s| (std::cmp::Reverse(shortest(s)), s.len()));
        match sets.into_iter().next() {
            Some(best) => picks.push(best),
            None => return Info::nothing(),
        }
    }
    match union(picks) {
        Some(set) => Info {
            exact: None,
            required: vec![set],
        },
        None => Info::nothing(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(pattern: &str) -> Vec<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(pattern)
            .unwrap();
        required(&hir)
    }

    #[test]
    fn words_around_gaps_are_required() {
        assert_eq!(
            req(r"\binstructions?\b.{0,80}?\b(limited|restricted)\sto"),
            vec![
                vec!["instruction".to_string(), "instructions".to_string()],
                vec!["limited to".to_string(), "restricted to".to_string()]
            ]
        );
        assert_eq!(req(r"\bkontroll\w*"), vec![vec!["kontroll".to_string()]]);
        // Optional parts require nothing.
        assert!(req(r"(audit)?\s\d+").is_empty());
        // A branch without literals makes the alternation require nothing.
        assert!(req(r"(audit|\w+)\s").is_empty());
    }

    #[test]
    fn case_variants_outside_ascii_are_kept_and_long_s_is_not() {
        let sets = req("société");
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0].len(), 4, "{sets:?}");
        assert!(
            sets[0].contains(&"société".to_string()) && sets[0].contains(&"sociÉtÉ".to_string())
        );
        assert_eq!(req("kiss"), vec![vec!["kiss".to_string()]]);
        assert!(!plain("ki\u{17F}s"));
        assert!(plain("kiss §"));
        assert!(!plain("kiss\u{a0}me") && !plain("a\tb"));
        assert_eq!(
            req(r"\bno\smore\sthan\b"),
            vec![vec!["no more than".to_string()]]
        );
    }
}
