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

    /// The strings with the bits of the sets each belongs to.
    pub fn strings(&self) -> impl Iterator<Item = (&str, u64)> {
        self.strings
            .iter()
            .map(String::as_str)
            .zip(self.bits.iter().copied())
    }

    /// True when regex `index` can match a text whose sets are `present`.
    pub fn possible(&self, present: u64, index: usize) -> bool {
        let need = self.needs.get(index).copied().unwrap_or(0);
        present & need == need
    }
}

/// The required literals of all rules of a pack in one automaton, for heavy use: one pass over
/// a whole text finds where each string occurs ([`PackLiterals::occurrences`]), and the sets
/// present in any scope are then looked up, not searched for again rule by rule (a chapter
/// that is the scope of fifty rules is read once, not fifty times).
#[derive(Debug, Clone)]
pub struct PackLiterals {
    /// The strings of all rules, each once.
    automaton: AhoCorasick,
    /// Length of each string.
    lens: Vec<usize>,
    /// For each rule: its strings (by index into the pack's) with their bits.
    rules: Vec<Vec<(usize, u64)>>,
}

/// Where the strings of a [`PackLiterals`] occur in one plain text.
#[derive(Debug)]
pub struct Occurrences<'p> {
    literals: &'p PackLiterals,
    /// For each string: the offsets it starts at, ascending.
    starts: Vec<Vec<u32>>,
}

impl PackLiterals {
    /// The literals of `rules` (each rule's [`Literals`]); `None` should the automaton not
    /// build.
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a Literals>) -> Option<PackLiterals> {
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        let mut strings: Vec<&str> = Vec::new();
        let rules: Vec<Vec<(usize, u64)>> = rules
            .into_iter()
            .map(|literals| {
                literals
                    .strings()
                    .map(|(s, bits)| {
                        let id = *index.entry(s).or_insert_with(|| {
                            strings.push(s);
                            strings.len() - 1
                        });
                        (id, bits)
                    })
                    .collect()
            })
            .collect();
        // A contiguous NFA, not a DFA: over the thousands of strings of the whole pack the DFA
        // took 28.5 MB for every process, the NFA a fraction of it, for the same matches and no
        // measurable loss of speed (README, "Seventh round").
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&strings)
            .ok()?;
        Some(PackLiterals {
            automaton,
            lens: strings.iter().map(|s| s.len()).collect(),
            rules,
        })
    }

    /// Where the strings occur in `text`, which must be [`plain`] (`None` for a text too long
    /// for 32-bit offsets).
    pub fn occurrences(&self, text: &str) -> Option<Occurrences<'_>> {
        u32::try_from(text.len()).ok()?;
        let mut starts = vec![Vec::new(); self.lens.len()];
        for m in self.automaton.find_overlapping_iter(text) {
            // In range: the text is shorter than 4 GiB.
            starts[m.pattern().as_usize()].push(m.start() as u32);
        }
        Some(Occurrences {
            literals: self,
            starts,
        })
    }
}

impl Occurrences<'_> {
    /// The sets of rule `rule` present in `start..end` of the text, as bits for
    /// [`Literals::possible`]: what [`Literals::present_in_plain`] finds in that scope.
    pub fn present(&self, rule: usize, start: usize, end: usize) -> u64 {
        let Some(strings) = self.literals.rules.get(rule) else {
            return u64::MAX;
        };
        strings
            .iter()
            .filter(|&&(id, _)| {
                let starts = &self.starts[id];
                let i = starts.partition_point(|&at| (at as usize) < start);
                starts
                    .get(i)
                    .is_some_and(|&at| at as usize + self.literals.lens[id] <= end)
            })
            .fold(0, |acc, (_, bits)| acc | bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_give_what_each_scope_holds() {
        let rules = [
            [
                r"\binstructions?\b.{0,80}?\b(limited|restricted)\sto",
                r"\bnur\b",
            ],
            [r"\bprocessors?\b", r"without\s(undue\s)?delay"],
        ];
        let patterns: Vec<Vec<Pattern>> = rules
            .iter()
            .map(|r| r.iter().map(|p| Pattern::new(p)).collect())
            .collect();
        for p in patterns.iter().flatten() {
            p.validate(p.as_str()).unwrap();
        }
        let literals: Vec<Literals> = patterns.iter().map(Literals::new).collect();
        let pack = PackLiterals::new(&literals).unwrap();
        let text = "Instructions are LIMITED TO this. The processor acts without undue delay; \
                    nur hier. Restricted to processors.";
        let occurrences = pack.occurrences(text).unwrap();
        let mut seen = [0; 2];
        for start in 0..=text.len() {
            for end in start..=text.len() {
                for (rule, literals) in literals.iter().enumerate() {
                    let want = literals.present(&text[start..end]);
                    assert_eq!(
                        occurrences.present(rule, start, end),
                        want,
                        "{start}..{end}"
                    );
                    seen[rule] |= want;
                }
            }
        }
        assert_eq!(seen, [0b111, 0b11], "every set is found somewhere");
    }
}
