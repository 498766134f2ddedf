//! The required literals (see [`factors`](super::factors)) of all regexes of one rule: which of
//! the rule's regexes can match a scope at all, so most never run. Where a pack matches much
//! text, one aho-corasick DFA over all the rule's strings answers in a single pass; building it
//! costs more than a scan of one short agreement saves, so until then each string is looked up
//! in a lower-cased copy of the scope.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::Pattern;
use super::factors::plain;

/// The required literals of a rule's regexes.
#[derive(Debug, Clone)]
pub struct Literals {
    /// The strings, ASCII letters lower-cased.
    strings: Vec<String>,
    /// All strings in one automaton, built on first use.
    automaton: OnceLock<Option<AhoCorasick>>,
    /// For each string: the bits of the sets it belongs to.
    bits: Vec<u64>,
    /// For each regex, in the order given to [`Literals::new`]: the bits of its sets.
    needs: Vec<u64>,
}

impl Literals {
    /// The literals of `regexes` (at most 32, as a rule has; sets beyond 64 are not used).
    pub fn new<'a>(regexes: impl IntoIterator<Item = &'a Pattern>) -> Literals {
        let mut strings: Vec<String> = Vec::new();
        let mut bits: Vec<u64> = Vec::new();
        let mut needs = Vec::new();
        let mut next = 0u32;
        for regex in regexes {
            let mut need = 0u64;
            for set in regex.required() {
                if next == 64 {
                    break;
                }
                let bit = 1u64 << next;
                next += 1;
                need |= bit;
                for s in set {
                    match strings.iter().position(|x| x == s) {
                        Some(i) => bits[i] |= bit,
                        None => {
                            strings.push(s.clone());
                            bits.push(bit);
                        }
                    }
                }
            }
            needs.push(need);
        }
        Literals {
            strings,
            automaton: OnceLock::new(),
            bits,
            needs,
        }
    }

    /// The sets present in `text`, as bits for [`Literals::possible`], by the automaton.
    pub fn present(&self, text: &str) -> u64 {
        self.present_in_plain(text, plain(text))
    }

    /// [`Literals::present`] where the caller knows whether `text` is
    /// [`plain`](super::factors::plain) (the engine checks a document once).
    pub fn present_in_plain(&self, text: &str, plain: bool) -> u64 {
        if self.strings.is_empty() || !plain {
            return u64::MAX;
        }
        let automaton = self.automaton.get_or_init(|| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&self.strings)
                .ok()
        });
        match automaton {
            Some(automaton) => automaton
                .find_overlapping_iter(text)
                .fold(0, |acc, m| acc | self.bits[m.pattern().as_usize()]),
            // It cannot fail for strings this short; if it did, only the filter is lost.
            None => u64::MAX,
        }
    }

    /// [`Literals::present_in_plain`] without the automaton: `lower` is the text with its
    /// ASCII letters lower-cased.
    pub fn present_in_lower(&self, lower: &str, plain: bool) -> u64 {
        if !plain {
            return u64::MAX;
        }
        self.strings
            .iter()
            .zip(&self.bits)
            .filter(|(s, _)| lower.contains(s.as_str()))
            .fold(0, |acc, (_, bits)| acc | bits)
    }

    /// True when regex `index` can match a text whose sets are `present`.
    pub fn possible(&self, present: u64, index: usize) -> bool {
        let need = self.needs.get(index).copied().unwrap_or(0);
        present & need == need
    }
}
