//! Rule packs given with `--rules` are untrusted input: any TOML gives errors that name the
//! file, never a panic. Mutations of a valid rule (fixed seed) go through `Pack::from_sources`,
//! and so do the rule-pack inputs of the fuzz target's regression folder
//! (`tests/regressions/fuzz/rule-pack-*`), each pinned to how it loads.

mod fuzz_regressions;

use ampel::rules::{Pack, Source};

const REQUIREMENTS: &str = include_str!("../patterns/requirements.toml");

const RULE: &str = r#"id = "audits.fuzz"
requirement = "audits"
kind = "red_flag"
severity = "yellow"
scope = "sentence"
languages = ["en", "de"]
legal_basis = "Art. 28(3)(h) GDPR"
keywords = ["audit", "prüfung"]
patterns = ['(?i)\baudits?\b.{0,40}\b(only|solely)\b', '(?P<n>\d+)\s*(?P<unit>hours?)']
unless = ['\bnot\b']
deadline_over_hours = 48
[title]
de = "Prüfung"
en = "Audit"
[recommendation]
de = "r"
en = "r"
[suggested_clause]
de = "k"
en = "c"
[examples]
fires = ["Audits only by certificate."]
silent = ["Audits on site."]
"#;

/// Loads `text` as a rule file (or as requirements.toml) next to the real requirements; an
/// invalid pack gives errors that each name the file and say what is wrong, returned as text.
fn load(text: &str, as_requirements: bool) -> Result<(), String> {
    let path = if as_requirements {
        "fuzz/requirements.toml"
    } else {
        "fuzz/audits.fuzz.toml"
    };
    let sources = vec![
        Source {
            path: "patterns/requirements.toml".into(),
            text: REQUIREMENTS.into(),
        },
        Source {
            path: path.into(),
            text: text.into(),
        },
    ];
    let errors = match Pack::from_sources(sources) {
        Ok(_) => return Ok(()),
        Err(errors) => errors,
    };
    for e in &errors.0 {
        assert!(!e.file.is_empty() && !e.message.is_empty(), "{e}");
    }
    Err(errors.to_string())
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "\"\"\"",
    "=",
    "\n",
    "(",
    ")",
    "\\",
    "ä",
    "ß",
    "*",
    "{999}",
    "(?P<n>",
    "[[requirement]]",
    "[examples]",
    "-1",
    "1e999",
    "\u{0}",
    "🦀",
    ".",
    ",",
    "#",
];

#[test]
fn mutated_rules_never_panic() {
    let mut rng = Rng(0x5eed);
    let chars: Vec<char> = RULE.chars().collect();
    for round in 0..1_000 {
        let mut text = chars.clone();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(text.len() + 1);
            match rng.below(3) {
                0 if at < text.len() => {
                    let end = (at + 1 + rng.below(30)).min(text.len());
                    text.drain(at..end);
                }
                1 => {
                    let piece: Vec<char> = PIECES[rng.below(PIECES.len())].chars().collect();
                    text.splice(at..at, piece);
                }
                _ => {
                    let from = rng.below(text.len());
                    let end = (from + rng.below(40)).min(text.len());
                    let copy: Vec<char> = text[from..end].to_vec();
                    text.splice(at..at, copy);
                }
            }
        }
        let text: String = text.into_iter().collect();
        let _ = load(&text, round % 5 == 0);
    }
}

/// `tests/regressions/fuzz/expected-rule-pack.toml`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    input: Vec<Expected>,
}

/// How one input loads: `error` is a part of its error text; without it the pack must load.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    name: String,
    #[allow(dead_code)]
    why: String,
    error: Option<String>,
}

/// The rule-pack inputs of `tests/regressions/fuzz/` (seeds from ampel's history and inputs
/// found by `cargo fuzz`), loaded as the fuzz target loads them: each loads or fails as
/// pinned, and every input in the folder is pinned.
#[test]
fn fuzz_regressions_load_as_pinned() {
    let table: Table =
        fuzz_regressions::table("expected-rule-pack.toml", "rule-pack-", |t: &Table| {
            t.input.iter().map(|i| i.name.clone()).collect()
        });
    let dir = fuzz_regressions::dir();
    let mut failures = Vec::new();
    for input in &table.input {
        let bytes = std::fs::read(dir.join(&input.name)).unwrap();
        // The fuzz target's convention: an odd first byte means requirements.toml.
        let as_requirements = bytes.first().is_some_and(|b| b % 2 == 1);
        let got = load(&String::from_utf8_lossy(&bytes), as_requirements);
        match (&input.error, got) {
            (None, Ok(())) => {}
            (Some(part), Err(message)) if message.contains(part.as_str()) => {}
            (want, got) => failures.push(format!("{}: expected {want:?}, got {got:?}", input.name)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
