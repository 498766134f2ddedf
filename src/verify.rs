//! Verification of a rule pack's examples through the production engine.
//!
//! Vocabulary (after ast-grep): an example is *validated* when the rule behaves as the example
//! says, *missing* when the rule stays silent on a `fires` example, *noisy* when it fires on a
//! `silent` example. Rules also need at least two `fires` and two `silent` examples per
//! language they cover, and every keyword must occur in some `fires` example.

use std::fmt;

use crate::engine;
use crate::rules::{Pack, Rule};
use crate::text::coded::Coded;
use crate::text::{Language, Text, detect_language};

/// Examples a rule needs per language and per kind.
pub const MIN_EXAMPLES: usize = 2;

/// What is wrong with one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Silent on a `fires` example.
    Missing(String),
    /// Fired on a `silent` example.
    Noisy(String),
    /// Too few examples in one language.
    TooFewExamples {
        /// The language.
        language: Language,
        /// `fires` examples in it.
        fires: usize,
        /// `silent` examples in it.
        silent: usize,
    },
    /// A keyword that no `fires` example contains (so it is never proven to be needed).
    UnusedKeyword(String),
}

/// One failure, tied to its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Rule id.
    pub rule: String,
    /// Rule file.
    pub file: String,
    /// What is wrong.
    pub problem: Problem,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: rule `{}`: ", self.file, self.rule)?;
        match &self.problem {
            Problem::Missing(e) => write!(f, "missing (silent on a fires example): {e:?}"),
            Problem::Noisy(e) => write!(f, "noisy (fired on a silent example): {e:?}"),
            Problem::TooFewExamples {
                language,
                fires,
                silent,
            } => write!(
                f,
                "needs at least {MIN_EXAMPLES} fires and {MIN_EXAMPLES} silent examples in `{}`, has {fires} and {silent}",
                language.code()
            ),
            Problem::UnusedKeyword(k) => write!(f, "keyword {k:?} occurs in no fires example"),
        }
    }
}

/// The outcome of verifying a pack.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// Rules checked.
    pub rules: usize,
    /// Examples run.
    pub examples: usize,
    /// Examples that behaved as stated.
    pub validated: usize,
    /// Everything that failed.
    pub failures: Vec<Failure>,
}

/// Runs the examples of every rule of `pack` selected by `select`.
pub fn verify(pack: &Pack, select: impl Fn(&Rule) -> bool) -> Verification {
    let mut v = Verification::default();
    for (index, rule) in pack.rules.iter().enumerate() {
        if !select(rule) {
            continue;
        }
        v.rules += 1;
        let fail = |problem| Failure {
            rule: rule.id.clone(),
            file: rule.source.clone(),
            problem,
        };
        let mut counts: Vec<(Language, usize, usize)> =
            rule.languages.iter().map(|&l| (l, 0, 0)).collect();
        let mut fires_text = String::new();
        for (example, must_fire) in rule
            .examples
            .fires
            .iter()
            .map(|e| (e, true))
            .chain(rule.examples.silent.iter().map(|e| (e, false)))
        {
            v.examples += 1;
            let text = Text::from_snippet(example);
            // An example is a small document: `unless_document` applies to all of it.
            let fired = !rule.settled_by(&text.flat, &Coded::new(&text.flat))
                && engine::run(pack, &text).iter().any(|h| h.rule == index);
            let language = detect_language(&text.flat);
            if let Some(slot) = counts.iter_mut().find(|(l, _, _)| Some(*l) == language) {
                if must_fire {
                    slot.1 += 1;
                } else {
                    slot.2 += 1;
                }
            }
            if must_fire {
                fires_text.push_str(&text.flat.to_lowercase());
                fires_text.push('\n');
            }
            match (must_fire, fired) {
                (true, false) => v.failures.push(fail(Problem::Missing(example.clone()))),
                (false, true) => v.failures.push(fail(Problem::Noisy(example.clone()))),
                _ => v.validated += 1,
            }
        }
        for (language, fires, silent) in counts {
            if fires < MIN_EXAMPLES || silent < MIN_EXAMPLES {
                v.failures.push(fail(Problem::TooFewExamples {
                    language,
                    fires,
                    silent,
                }));
            }
        }
        // A family of keywords is proven by any one of its members.
        for group in &rule.keyword_groups {
            if !group.iter().any(|k| fires_text.contains(k.as_str())) {
                v.failures
                    .push(fail(Problem::UnusedKeyword(group.join(" | "))));
            }
        }
    }
    v
}
