//! The fast paths of pattern matching agree with plain `regex` matching: every pattern of the
//! built-in pack, on every rule example and every sentence of the corpus sources (normalised as
//! the engine sees them), finds the same matches whether it reads the text, the text with its
//! symbols coded, or is skipped by its rule's required literals (`patterns` and `unless`;
//! `also` concepts are not filtered by literals).

use std::path::Path;

use ampel::rules::pattern::Haystack;
use ampel::rules::{Pack, Pattern};
use ampel::text::Text;
use ampel::text::coded::Coded;

/// The normalised sentences the patterns are tried on.
fn subjects(pack: &Pack) -> Vec<String> {
    let mut texts: Vec<String> = pack
        .rules
        .iter()
        .flat_map(|r| r.examples.fires.iter().chain(&r.examples.silent))
        .cloned()
        .collect();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/src");
    let mut files: Vec<_> = std::fs::read_dir(corpus)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for file in files.iter().step_by(3) {
        texts.push(std::fs::read_to_string(file).unwrap());
    }
    let mut out = Vec::new();
    for t in texts {
        let text = Text::from_snippet(&t);
        out.extend(
            text.sentences
                .iter()
                .map(|s| text.flat[s.start..s.end].to_string()),
        );
    }
    out
}

fn plain(pattern: &Pattern, subject: &str) -> Vec<(usize, usize)> {
    regex::RegexBuilder::new(pattern.as_str())
        .case_insensitive(true)
        .build()
        .unwrap()
        .find_iter(subject)
        .map(|m| (m.start(), m.end()))
        .collect()
}

#[test]
fn fast_matching_agrees_with_plain_regex_matching() {
    let pack = Pack::embedded().unwrap();
    let subjects = subjects(&pack);
    let coded: Vec<Coded> = subjects.iter().map(|s| Coded::new(s)).collect();
    let mut failures = Vec::new();
    for rule in &pack.rules {
        let literals = rule.literals();
        // `patterns` then `unless` are filtered by their literals; `also` reads coded text too.
        let filtered = rule.patterns.len() + rule.unless.len();
        let all = rule.patterns.iter().chain(&rule.unless).chain(&rule.also);
        for (i, pattern) in all.enumerate() {
            let regex = regex::RegexBuilder::new(pattern.as_str())
                .case_insensitive(true)
                .build()
                .unwrap();
            for (subject, coded) in subjects.iter().zip(&coded) {
                let want: Vec<(usize, usize)> = regex
                    .find_iter(subject)
                    .map(|m| (m.start(), m.end()))
                    .collect();
                let mut text = Vec::new();
                pattern.for_each_match_in(Haystack::Text(subject), false, |m, _| {
                    text.push((m.start, m.end))
                });
                let mut fast = Vec::new();
                pattern.for_each_match(subject, false, |m, _| fast.push((m.start, m.end)));
                // Coded text where the engine reads it: a pattern that tells case apart reads
                // the text (the coded text is lower-cased).
                if let Some(scope) = coded.scope(0, subject.len())
                    && (!scope.symbols || pattern.takes_symbols())
                    && pattern.reads_coded()
                {
                    let mut via_code = Vec::new();
                    pattern.for_each_match_in(Haystack::Coded(scope.bytes), false, |m, _| {
                        via_code.push((coded.to_flat(m.start), coded.to_flat(m.end)))
                    });
                    if via_code != want {
                        failures.push(format!("coded {} on {subject:?}", pattern.as_str()));
                    }
                }
                if text != want || fast != want {
                    failures.push(format!("{} on {subject:?}", pattern.as_str()));
                }
                if i >= filtered {
                    continue;
                }
                let lower = subject.to_ascii_lowercase();
                let plain = ampel::rules::factors::plain(subject);
                let possible = literals.possible(literals.present(subject), i)
                    && literals.possible(literals.present_in_lower(&lower, plain), i);
                if !want.is_empty() && !possible {
                    failures.push(format!("literals of {} miss {subject:?}", pattern.as_str()));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(plain(&Pattern::new("ab"), "xAB"), vec![(1, 3)]);
}
