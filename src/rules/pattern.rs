//! Rule patterns: regexes folded like the text, parsed and compiled on first use.
//!
//! A pattern has two automata (of regex-automata, the engine under `regex`), each built when a
//! haystack first needs it:
//!
//! - the **coded** one, for haystacks of ASCII with, at most, symbols such as `§`, `•` or `€`
//!   in between — nearly every sentence of a normalised contract, since umlauts, ß, quotes and
//!   dashes are folded. It is the same expression over bytes: classes cut down to ASCII, word
//!   boundaries made ASCII ones, and every non-ASCII symbol (a character that is no word
//!   character, no space and has no case) written as the one byte `0xFF`, which a class holds
//!   when it holds all such symbols. On such a haystack it matches exactly where the Unicode
//!   expression does, but `.{0,80}` and `\w` cost a few states instead of hundreds, so it
//!   compiles in microseconds and its lazy DFA never has to give up on a Unicode word boundary.
//!   A pattern whose classes tell symbols apart (`[§]`) uses it for pure ASCII only. Coded
//!   text is lower-cased, and so is the expression ([`lowered`]: `[Vv][Ee][Rr]` becomes `ver`),
//!   which leaves a third of the tree to rebuild and fewer byte classes for the lazy DFA; a
//!   pattern that tells case apart (`(?-i:Anfragen)`) has no coded automaton and reads the text.
//! - the **Unicode** one, for every other haystack.
//!
//! Loading a pack compiles nothing; a pack that is validated (every pack from `--rules`, the
//! built-in one in `cargo test`) compiles the Unicode automaton at load time to check it and to
//! charge its memory against the pack's budget.

use std::ops::ControlFlow;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use aho_corasick::AhoCorasick;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::meta::{self, Regex};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::captures::Captures;
use regex_automata::util::prefilter::Prefilter;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, Span};
use regex_syntax::hir::{Hir, HirKind};

use super::load::{EmbeddedLiterals, EmbeddedSets};
use super::{factors, hircode, limits};
use crate::text::coded::{
    Coded as CodedText, CodedScope, ascii_form, coded_form, letters_alike, lower_cased, lowered,
    parse_pattern, pattern_hir, symbols_alike,
};
use crate::text::fold_pattern;

/// A haystack for [`Pattern::for_each_match_in`].
#[derive(Debug, Clone, Copy)]
pub enum Haystack<'a> {
    /// Any text.
    Text(&'a str),
    /// ASCII bytes and [`SYMBOL`](crate::text::coded::SYMBOL)s only: a text with its symbols
    /// and letters coded and its ASCII letters lower-cased ([`crate::text::coded`]), for a
    /// pattern that [reads coded text](Pattern::reads_coded).
    Coded(&'a [u8]),
}

/// A compiled rule regex: folded, case-insensitive, matched on normalised text.
#[derive(Debug, Clone)]
pub struct Pattern(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    /// The folded pattern, as matched (what [`Pattern::as_str`] shows).
    folded: String,
    /// What `build.rs` worked out for a pattern of the built-in pack.
    embedded: Option<Embedded>,
    /// See [`Pattern::required`]; worked out on first use.
    required: OnceLock<Vec<Vec<String>>>,
    /// See [`Pattern::takes_symbols`]; worked out on first use.
    symbols_alike: OnceLock<bool>,
    /// See [`Pattern::takes_letters`]; worked out on first use.
    letters_alike: OnceLock<bool>,
    /// Parsed on first use (or at validation).
    parsed: OnceLock<Option<Parsed>>,
    /// See [`Pattern::starts`]; worked out on first use.
    starts: OnceLock<Option<Prefixes>>,
    /// See [`Pattern::coded_starts`]; built on first use.
    coded_starts: OnceLock<Option<Prefixes>>,
    /// See [`Pattern::coded`]; built on first use.
    coded: OnceLock<Option<Coded>>,
}

/// What `build.rs` worked out for a pattern of the built-in pack (see `load::embedded`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Embedded {
    pub(super) required: EmbeddedSets,
    pub(super) starts: Option<EmbeddedLiterals>,
    pub(super) caseless_starts: Option<EmbeddedLiterals>,
    pub(super) symbols_alike: bool,
    pub(super) letters_alike: bool,
    /// The coded form in `rules::hircode`'s byte form, so that it is not parsed again.
    pub(super) coded: Option<&'static [u8]>,
}

#[derive(Debug)]
struct Parsed {
    hir: Hir,
    unicode: OnceLock<Option<Regex>>,
}

/// The coded automaton: a bare forward lazy DFA for anchored searches (all a search from the
/// known starts needs), and a full regex for the rest, built when needed.
struct Coded {
    dfa: DFA,
    /// One cache for all threads: a search holds it for a few microseconds, and one cache per
    /// thread doubled the memory of a batch on two cores (see [`CODED_DFA_CACHE`]).
    cache: Mutex<Cache>,
    /// The folded pattern: the full regex is built from it when needed. Keeping the parsed
    /// pattern instead held a sixth of a batch's peak memory for searches that rarely come.
    folded: Box<str>,
    /// The coded form as `build.rs` wrote it (built-in patterns): rebuilt instead of parsed.
    encoded: Option<&'static [u8]>,
    full: OnceLock<Option<Regex>>,
}

impl std::fmt::Debug for Coded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Coded").finish_non_exhaustive()
    }
}

impl Pattern {
    /// A pattern as written in a rule file, folded like the text (`ä` → `ae`). Nothing is
    /// parsed yet; [`Pattern::validate`] checks it.
    pub fn new(pattern: &str) -> Pattern {
        Pattern::with(fold_pattern(pattern), None)
    }

    /// A pattern of the built-in pack: as [`Pattern::new`], but what can be worked out at build
    /// time comes from the table `build.rs` made, so filtering needs no parsing.
    pub(super) fn embedded(pattern: &str) -> Pattern {
        let folded = match super::load::embedded_folded(pattern) {
            Some(folded) => folded.to_owned(),
            None => fold_pattern(pattern),
        };
        let embedded = super::load::embedded_literals(&folded);
        Pattern::with(folded, embedded)
    }

    fn with(folded: String, embedded: Option<Embedded>) -> Pattern {
        Pattern(Arc::new(Inner {
            folded,
            embedded,
            required: OnceLock::new(),
            symbols_alike: OnceLock::new(),
            letters_alike: OnceLock::new(),
            parsed: OnceLock::new(),
            starts: OnceLock::new(),
            coded_starts: OnceLock::new(),
            coded: OnceLock::new(),
        }))
    }

    /// Whether `self` and `other` are one compiled pattern (rules that use the same pattern
    /// text share it; see `compile::Patterns`).
    pub fn shares_with(&self, other: &Pattern) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The folded pattern.
    pub fn as_str(&self) -> &str {
        &self.0.folded
    }

    /// Parses and compiles the pattern (`written` is the pattern as the rule file has it, for
    /// messages) and returns the memory its Unicode automaton takes, or why it is invalid.
    pub fn validate(&self, written: &str) -> Result<usize, String> {
        if let Some(c) = umlaut_in_class(written) {
            return Err(format!(
                "pattern `{written}` has `{c}` inside a character class; umlauts and ß are folded to two letters (ä→ae), so write an alternation like (ae|a) instead"
            ));
        }
        if let Some((c, plain)) = never_in_text(&self.0.folded) {
            return Err(format!(
                "pattern `{written}` has `{c}`, which normalised text never holds (it reads `{plain}` there), so write `{plain}` instead"
            ));
        }
        let hir = parse(&self.0.folded).map_err(|e| format!("invalid pattern `{written}`: {e}"))?;
        let regex = build(&hir, true).map_err(|e| format!("invalid pattern `{written}`: {e}"))?;
        let used = regex.memory_usage();
        let parsed = Parsed::new(hir);
        let _ = parsed.unicode.set(Some(regex));
        // A pattern is validated before it is shared, so the cell is still empty.
        let _ = self.0.parsed.set(Some(parsed));
        Ok(used)
    }

    /// Names of the capture groups.
    pub fn capture_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(parsed) = self.parsed() {
            collect_names(&parsed.hir, &mut names);
        }
        names
    }

    /// Sets of literals of which every match contains one string each (see [`factors`]).
    pub fn required(&self) -> &[Vec<String>] {
        self.0.required.get_or_init(|| {
            if let Some(embedded) = self.0.embedded {
                return embedded
                    .required
                    .iter()
                    .map(|set| set.strs().map(str::to_string).collect())
                    .collect();
            }
            self.parsed()
                .map(|p| factors::required(&p.hir))
                .unwrap_or_default()
        })
    }

    /// True when a coded haystack with symbols in it can be searched with this pattern (see
    /// the module docs); a coded haystack of pure ASCII always can.
    pub fn takes_symbols(&self) -> bool {
        *self.0.symbols_alike.get_or_init(|| match self.0.embedded {
            Some(embedded) => embedded.symbols_alike,
            None => self.parsed().is_some_and(|p| symbols_alike(&p.hir)),
        })
    }

    /// True when a coded haystack with letters beyond ASCII in it can be searched with this
    /// pattern (see [`crate::text::coded`]); one without letters always can.
    pub fn takes_letters(&self) -> bool {
        *self.0.letters_alike.get_or_init(|| match self.0.embedded {
            Some(embedded) => embedded.letters_alike,
            None => self.parsed().is_some_and(|p| letters_alike(&p.hir)),
        })
    }

    /// True when the pattern matches somewhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.is_match_coded(haystack, &CodedText::new(haystack))
    }

    /// True when the pattern can search coded text (lower-cased, see [`crate::text::coded`]):
    /// it does not tell ASCII case apart (as `(?-i:Anfragen)` does) and it compiles. Any
    /// other pattern reads the text itself, with its Unicode automaton.
    pub fn reads_coded(&self) -> bool {
        self.coded().is_some()
    }

    /// True when the pattern reads the coded stretch `scope` instead of its text: it reads coded
    /// text, and `scope` holds no symbol or letter beyond ASCII that it tells apart.
    pub fn reads_coded_scope(&self, scope: &CodedScope<'_>) -> bool {
        (!scope.symbols || self.takes_symbols())
            && (!scope.letters || self.takes_letters())
            && self.reads_coded()
    }

    /// [`Pattern::is_match`] on `haystack` with its coded form `coded` (`Coded::new(haystack)`),
    /// made once for the many patterns tried on one text. A heading with a "§", a sentence with
    /// "é": read coded as the engine reads a scope, so that the pattern needs no Unicode
    /// automaton where it cannot tell the difference.
    pub fn is_match_coded(&self, haystack: &str, coded: &CodedText<'_>) -> bool {
        match coded.scope(0, haystack.len()) {
            Some(c) if self.reads_coded_scope(&c) => self.is_match_in(Haystack::Coded(c.bytes)),
            _ => self.is_match_in(Haystack::Text(haystack)),
        }
    }

    /// True when the pattern matches somewhere in `haystack`.
    pub fn is_match_in(&self, haystack: Haystack<'_>) -> bool {
        // Without known starts the coded lazy DFA, run unanchored, tells on its own.
        if let Haystack::Coded(bytes) = haystack
            && self.starts().is_none()
            && (self.0.embedded.is_some() || self.parsed().is_some())
            && let Some(found) = self.coded().and_then(|coded| coded.any_match(bytes))
        {
            return found;
        }
        let mut found = false;
        self.search(haystack, false, |_, _| {
            found = true;
            ControlFlow::Break(())
        });
        found
    }

    /// Calls `f` with every match in `haystack`, leftmost first, exactly as `regex`'s
    /// `find_iter` (or `captures_iter`, when `captures` is set) reports them.
    pub fn for_each_match(
        &self,
        haystack: &str,
        captures: bool,
        f: impl FnMut(Span, Option<&Captures>),
    ) {
        if haystack.is_ascii() && self.reads_coded() {
            let lower = lower_cased(haystack.as_bytes());
            self.for_each_match_in(Haystack::Coded(&lower), captures, f);
        } else {
            self.for_each_match_in(Haystack::Text(haystack), captures, f);
        }
    }

    /// [`Pattern::for_each_match`] on a haystack that may be coded. Spans are byte offsets in
    /// the haystack as given.
    pub fn for_each_match_in(
        &self,
        haystack: Haystack<'_>,
        captures: bool,
        mut f: impl FnMut(Span, Option<&Captures>),
    ) {
        self.search(haystack, captures, |m, c| {
            f(m, c);
            ControlFlow::Continue(())
        });
    }

    /// The matches of [`Pattern::for_each_match_in`], until `f` breaks.
    ///
    /// Where the pattern's prefix literals are known, the automaton runs anchored at each place
    /// they occur instead of once over the whole haystack: the leftmost match starts at the
    /// first such place where an anchored match exists, so the matches are the same. It keeps
    /// the lazy DFA small: an unanchored search for `processors?.{0,200}?object` in a clause
    /// that names processors every few words has to follow every open gap at once, and the
    /// sets of gaps grow without bound.
    fn search(
        &self,
        haystack: Haystack<'_>,
        captures: bool,
        mut f: impl FnMut(Span, Option<&Captures>) -> ControlFlow<()>,
    ) {
        // A pattern of the built-in pack parses (`build.rs` checked it); any other is parsed
        // here, and one that does not parse matches nothing. The coded automaton of an ASCII
        // pattern needs no Unicode parse at all.
        if self.0.embedded.is_none() && self.parsed().is_none() {
            return;
        }
        let (bytes, coded) = match haystack {
            Haystack::Text(text) => (text.as_bytes(), None),
            Haystack::Coded(bytes) => (bytes, self.coded()),
        };
        // The full regex (captures, searches without known starts, and where the lazy DFA
        // gives up), built only when one of these needs it.
        let full = || match coded {
            Some(coded) => coded.full(),
            None => self.parsed().and_then(Parsed::unicode),
        };
        // On coded text the starts are lower-cased, and a pattern without exact starts may
        // still have them up to ASCII case.
        let starts = match haystack {
            Haystack::Coded(_) => self.coded_starts().or_else(|| self.starts()),
            Haystack::Text(_) => self.starts(),
        };
        let Some(starts) = starts else {
            // No known starts: one search over the haystack, as `regex` does it — unless the
            // coded lazy DFA, run unanchored, finds that there is no match at all.
            if coded.is_some_and(|coded| coded.any_match(bytes) == Some(false)) {
                return;
            }
            let Some(full) = full() else {
                return;
            };
            let input = Input::new(bytes);
            if captures {
                for c in full.captures_iter(input) {
                    if let Some(m) = c.get_match()
                        && f(m.span(), Some(&c)).is_break()
                    {
                        return;
                    }
                }
            } else {
                for m in full.find_iter(input) {
                    if f(m.span(), None).is_break() {
                        return;
                    }
                }
            }
            return;
        };
        // Captures come from the full regex, built when the first match is found.
        let mut caps: Option<(&Regex, Captures)> = None;
        let mut at = 0;
        while at <= bytes.len() {
            let Some(candidate) = starts.find(bytes, Span::from(at..bytes.len())) else {
                break;
            };
            let input = Input::new(bytes)
                .span(candidate.start..bytes.len())
                .anchored(Anchored::Yes);
            let end = match coded {
                Some(coded) => coded.anchored_end(&input),
                None => match full() {
                    Some(full) => full.search(&input).map(|m| m.end()),
                    None => return,
                },
            };
            // The captures of the same anchored match (leftmost-first, so the same end).
            let end = match end {
                Some(_) if captures => {
                    let (full, c) = match &mut caps {
                        Some(caps) => caps,
                        None => {
                            let Some(full) = full() else {
                                return;
                            };
                            caps.insert((full, full.create_captures()))
                        }
                    };
                    full.search_captures(&input, c);
                    c.get_match().map(|m| m.end())
                }
                end => end,
            };
            match end {
                // Matches are never empty here, so the next search starts at the end.
                Some(end) => {
                    if f(
                        Span::from(candidate.start..end),
                        caps.as_ref().map(|c| &c.1),
                    )
                    .is_break()
                    {
                        return;
                    }
                    at = end;
                }
                None => at = candidate.start + 1,
            }
        }
    }

    /// Finds where a match can start (every match starts with one of the pattern's prefix
    /// literals), when the pattern has such literals and cannot match the empty string.
    fn starts(&self) -> Option<&Prefixes> {
        self.0
            .starts
            .get_or_init(|| {
                if let Some(embedded) = self.0.embedded {
                    let starts: Vec<&[u8]> = embedded.starts?.bytes().collect();
                    return Prefixes::new(&starts);
                }
                let hir = &self.parsed()?.hir;
                match hir.properties().minimum_len() {
                    Some(0) | None => None,
                    Some(_) => {
                        Prefilter::from_hir_prefix(MatchKind::LeftmostFirst, hir).map(Prefixes::Few)
                    }
                }
            })
            .as_ref()
    }

    /// Where a match can start on coded text, which is lower-cased: for a pattern of the
    /// built-in pack its exact starts lower-cased (so `Verarbeit`, `verarbeit` and `VERARBEIT`
    /// are searched as one literal), failing those its prefixes up to ASCII case
    /// ([`factors::caseless_prefixes`], lower-cased already); for any other pattern the latter
    /// where its exact starts are unknown (`None`: search from [`Pattern::starts`]).
    fn coded_starts(&self) -> Option<&Prefixes> {
        self.0
            .coded_starts
            .get_or_init(|| {
                let mut prefixes: Vec<Vec<u8>> = match self.0.embedded {
                    Some(embedded) => match embedded.starts {
                        Some(exact) => exact.bytes().map(<[u8]>::to_ascii_lowercase).collect(),
                        None => embedded
                            .caseless_starts?
                            .bytes()
                            .map(<[u8]>::to_vec)
                            .collect(),
                    },
                    None => {
                        if self.starts().is_some() {
                            return None;
                        }
                        let exact = regex_syntax::ParserBuilder::new()
                            .nest_limit(limits::NEST_LIMIT)
                            .utf8(true)
                            .build()
                            .parse(&self.0.folded)
                            .ok()?;
                        factors::caseless_prefixes(&exact)?
                            .into_iter()
                            .map(String::into_bytes)
                            .collect()
                    }
                };
                // Only where a match starts counts, so the order of the literals does not.
                prefixes.sort_unstable();
                prefixes.dedup();
                Prefixes::new(&prefixes.iter().map(Vec::as_slice).collect::<Vec<_>>())
            })
            .as_ref()
    }

    /// The coded automaton; `None` only for a pattern that does not parse or is too large to
    /// compile, which validation rules out. An ASCII pattern is parsed for it in ASCII mode
    /// (see [`coded_ascii`]): the same automaton as the Unicode one cut down, at a fraction of
    /// the cost.
    fn coded(&self) -> Option<&Coded> {
        self.0
            .coded
            .get_or_init(|| {
                let encoded = self.0.embedded.and_then(|embedded| embedded.coded);
                let hir = match self.0.embedded {
                    // A pattern of the built-in pack is rebuilt from the form `build.rs`
                    // parsed it into, for this alone (and let go); it has none where it tells
                    // ASCII case apart.
                    Some(_) => hircode::decode(encoded?)?,
                    None => lowered(&match ascii_form(&self.0.folded, limits::NEST_LIMIT) {
                        Some(hir) => hir,
                        None => coded_form(&self.parsed()?.hir),
                    })?,
                };
                Coded::new(&hir, &self.0.folded, encoded)
            })
            .as_ref()
    }

    fn parsed(&self) -> Option<&Parsed> {
        self.0
            .parsed
            .get_or_init(|| parse(&self.0.folded).ok().map(Parsed::new))
            .as_ref()
    }
}

/// A searcher for the literals a pattern's matches start with (exactly, or lower-cased for
/// coded text).
#[derive(Debug)]
enum Prefixes {
    /// regex-automata's prefilter (memchr, memmem, Teddy and the like).
    Few(Prefilter),
    /// More literals than [`MANY_PREFIXES`]: an aho-corasick automaton kept as a contiguous NFA
    /// (with its own prefilter). The prefilter's DFAs for them held 11 MB of a batch's
    /// peak. Both report the leftmost place any literal starts.
    Many(AhoCorasick),
}

/// Up to this many literals the prefilter may search with `memchr2`, `memchr3` or `memmem`,
/// faster than any automaton; for more it builds Teddy, which keeps an aho-corasick DFA next
/// to it for short haystacks.
const MANY_PREFIXES: usize = 3;

impl Prefixes {
    fn new(literals: &[&[u8]]) -> Option<Prefixes> {
        if literals.len() <= MANY_PREFIXES {
            return Prefilter::new(MatchKind::LeftmostFirst, literals).map(Prefixes::Few);
        }
        AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(literals)
            .ok()
            .map(Prefixes::Many)
    }

    /// The first place in `span` where one of the prefixes starts.
    fn find(&self, bytes: &[u8], span: Span) -> Option<Span> {
        match self {
            Prefixes::Few(prefilter) => prefilter.find(bytes, span),
            Prefixes::Many(searcher) => searcher
                .find(aho_corasick::Input::new(bytes).span(span.start..span.end))
                .map(|m| Span::from(m.start()..m.end())),
        }
    }
}

impl Parsed {
    fn new(hir: Hir) -> Parsed {
        Parsed {
            hir,
            unicode: OnceLock::new(),
        }
    }

    fn unicode(&self) -> Option<&Regex> {
        self.unicode
            .get_or_init(|| build(&self.hir, true).ok())
            .as_ref()
    }
}

impl Coded {
    fn new(hir: &Hir, folded: &str, encoded: Option<&'static [u8]>) -> Option<Coded> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(false)
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(limits::REGEX_SIZE_LIMIT)),
            )
            .build_from_hir(hir)
            .ok()?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .cache_capacity(CODED_DFA_CACHE)
                    .skip_cache_capacity_check(true),
            )
            .build_from_nfa(nfa)
            .ok()?;
        let cache = Mutex::new(dfa.create_cache());
        Some(Coded {
            dfa,
            cache,
            folded: folded.into(),
            encoded,
            full: OnceLock::new(),
        })
    }

    fn full(&self) -> Option<&Regex> {
        self.full
            .get_or_init(|| build(&coded_hir(&self.folded, self.encoded)?, false).ok())
            .as_ref()
    }

    /// The lazy DFA's cache, for one search. Should a search have panicked while holding it,
    /// the cache may be half updated, so it is replaced by a fresh one.
    fn cache(&self) -> MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|poisoned| {
            let mut cache = poisoned.into_inner();
            *cache = self.dfa.create_cache();
            self.cache.clear_poison();
            cache
        })
    }

    /// Whether `haystack` holds a match, by the lazy DFA run unanchored (`None`: it gave up).
    fn any_match(&self, haystack: &[u8]) -> Option<bool> {
        let mut cache = self.cache();
        let input = Input::new(haystack).earliest(true);
        self.dfa
            .try_search_fwd(&mut cache, &input)
            .ok()
            .map(|m| m.is_some())
    }

    /// The end of the anchored match at the start of `input`, by the lazy DFA (or the full
    /// regex, should the DFA give up).
    fn anchored_end(&self, input: &Input<'_>) -> Option<usize> {
        let mut cache = self.cache();
        match self.dfa.try_search_fwd(&mut cache, input) {
            Ok(found) => found.map(|m| m.offset()),
            Err(_) => self.full()?.search(input).map(|m| m.end()),
        }
    }
}

/// The cache of every Unicode full regex's lazy DFA (coded lazy DFAs use [`CODED_DFA_CACHE`],
/// the full regexes of coded patterns [`CODED_FULL_CACHE`]):
/// every pattern in use keeps its cache for the life of the pack (a coded one shared by all
/// threads, a full regex one per thread), so this bounds a batch's memory. A cache too small
/// only costs time (it is cleared and refilled, or the search falls back to the PikeVM), never
/// a different match. For Unicode regexes 256 KiB instead of 2 MiB took a batch of 1,000
/// agreements from 726 to 579 MB peak RSS and was no slower; 192 and 160 KiB for the coded
/// ones took it from 147 to 141 and 137 MB, but cost 6 and 11 % more CPU.
const LAZY_DFA_CACHE: usize = 256 * 1024;

/// The cache of a coded lazy DFA, the one every built-in pattern searches with (see [`Coded`]).
/// Nine sixteenths of [`LAZY_DFA_CACHE`]. Each rule whose keywords are common adds 0.2-0.4 MiB of
/// states to a batch, and the cache was cut four times to give that back, each time in interleaved
/// pairs with byte-identical reports: 256 to 224 KiB on 5 December 2026 (a batch of 1,000
/// agreements 147.9-148.6 to 145.6-146.3 MiB, about 2 % more CPU), and 224 to 192 KiB on 6
/// December 2026 after the twenty-seventh accuracy round's rules (147.9-148.2 to 145.4-145.5
/// MiB; median user time with `-j1` on the real texts 5.55 against 5.59 s in five pairs, where an
/// earlier measurement under load had put 192 KiB at 6 % more CPU, see [`LAZY_DFA_CACHE`]), and
/// 192 to 160 KiB on 6 December 2026 after the thirty-first round's rules had brought the batch
/// back to 146,172-147,392 KiB (142,648-143,100 KiB after; user time 17.1 against 17.7 s, mean of
/// four interleaved pairs, +3.5 %; the real texts with `-j1` 8.80 against 8.92 s; reports
/// byte-identical in both), and 160 to 144 KiB on 6 December 2026 after the thirty-sixth round's
/// rules, on a new and slower machine where the batch peaked at 146,844-146,940 KiB, over the
/// 150 MB target (143,012-143,416 KiB after; user time 22.1 against 22.9 s, mean of three
/// interleaved pairs, +3.3 %; 150 dev texts with `-j1` 2.44 against 2.59 s in four pairs; JSON
/// Lines of `corpus/` and of the dev texts byte-identical).
const CODED_DFA_CACHE: usize = 144 * 1024;

/// The lazy-DFA caches of a coded pattern's full regex (one set per thread; see [`Coded`]),
/// which serves what the coded lazy DFA cannot do alone: the matches of a pattern without known
/// starts once that DFA has found there is one, and capture groups. Half of [`LAZY_DFA_CACHE`]
/// serves them at the same CPU time: with it a batch of 1,000 agreements peaked at 145.4 instead
/// of 146.9 MiB (with the allocator's mapping threshold set in `main`), with the same reports;
/// a quarter (64 KiB) saved 2.5 MiB more but cost about 15 % more CPU, and no lazy DFA at all
/// (the PikeVM alone) about 60 %.
const CODED_FULL_CACHE: usize = 128 * 1024;

/// Parses a folded pattern the way `regex::RegexBuilder` does with `case_insensitive(true)`.
fn parse(folded: &str) -> Result<Hir, String> {
    parse_pattern(folded, limits::NEST_LIMIT)
}

/// Compiles with the settings of `regex::RegexBuilder` (leftmost-first, the size limits), with
/// its error messages; `utf8` for text haystacks. The coded regex (not `utf8`) only serves the
/// few searches the coded lazy DFA cannot do alone, so it skips the costly full DFA. Neither
/// builds a one-pass DFA: it serves only anchored searches for capture groups, which the
/// bounded backtracker and the PikeVM answer alike, and for a pattern with a Unicode `\w*` it
/// was nine tenths of the compiled size (757 KB of 820 KB for `\bnicht\spersonenbezogen\w*`).
/// Nor does either keep a bounded backtracker: the PikeVM finds the same capture groups, and
/// the backtracker's per-thread caches held a few MB of a batch's peak. Only a pattern with
/// named groups (a deadline's `n` and `unit`) keeps its capture groups: the engine reads no
/// other group, and every group costs the PikeVM's cache two slots per NFA state.
fn build(hir: &Hir, utf8: bool) -> Result<Regex, String> {
    let mut names = Vec::new();
    collect_names(hir, &mut names);
    let captures = if names.is_empty() {
        WhichCaptures::Implicit
    } else {
        WhichCaptures::All
    };
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .match_kind(MatchKind::LeftmostFirst)
                .which_captures(captures)
                .utf8_empty(utf8)
                .dfa(utf8)
                .onepass(false)
                .backtrack(false)
                .nfa_size_limit(Some(limits::REGEX_SIZE_LIMIT))
                .hybrid_cache_capacity(if utf8 {
                    LAZY_DFA_CACHE
                } else {
                    CODED_FULL_CACHE
                }),
        )
        .syntax(syntax::Config::new().utf8(utf8))
        .build_from_hir(hir)
        .map_err(|e| match e.size_limit() {
            Some(limit) => format!("Compiled regex exceeds size limit of {limit} bytes."),
            None => e.to_string(),
        })
}

/// The lowered coded form of a folded pattern: rebuilt from its byte form (`encoded`, made by
/// `build.rs` for the built-in pack), else parsed (see [`pattern_hir`] and [`lowered`]).
fn coded_hir(folded: &str, encoded: Option<&[u8]>) -> Option<Hir> {
    match encoded {
        Some(encoded) => hircode::decode(encoded),
        None => lowered(&pattern_hir(folded, limits::NEST_LIMIT)?),
    }
}

fn collect_names(hir: &Hir, out: &mut Vec<String>) {
    match hir.kind() {
        HirKind::Capture(cap) => {
            if let Some(name) = &cap.name {
                out.push(name.to_string());
            }
            collect_names(&cap.sub, out);
        }
        HirKind::Repetition(rep) => collect_names(&rep.sub, out),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().for_each(|s| collect_names(s, out))
        }
        _ => {}
    }
}

/// The first character beyond ASCII of a folded pattern that normalised text never holds (a
/// typographic quote or dash, a ligature), with what the text has instead. It could never
/// match, and it makes the pattern tell symbols apart, so that every scope with a "§" needs
/// the pattern's Unicode automaton (milliseconds each at start-up).
fn never_in_text(folded: &str) -> Option<(char, String)> {
    folded.chars().filter(|c| !c.is_ascii()).find_map(|c| {
        let alone = c.to_string();
        let plain = crate::text::normalise(&alone).text;
        (plain != alone).then_some((c, plain))
    })
}

/// The first umlaut or ß inside a character class of `pattern`: folding turns it into two
/// letters, which a class cannot hold.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::coded::SYMBOL;

    fn matches(p: &Pattern, hay: Haystack<'_>) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        p.for_each_match_in(hay, false, |m, _| out.push((m.start, m.end)));
        out
    }

    /// `text` with its symbols coded, and for each byte of the code the offset in `text`.
    fn code(text: &str) -> (Vec<u8>, Vec<usize>) {
        let (mut bytes, mut offsets) = (Vec::new(), Vec::new());
        for (i, c) in text.char_indices() {
            if crate::text::coded::is_symbol(c) {
                bytes.push(SYMBOL);
            } else if crate::text::coded::is_letter(c) {
                bytes.push(crate::text::coded::LETTER);
            } else {
                bytes.extend(c.to_ascii_lowercase().to_string().bytes());
            }
            offsets.resize(bytes.len(), i);
        }
        offsets.push(text.len());
        (bytes, offsets)
    }

    #[test]
    fn many_prefixes_start_where_the_prefilter_starts() {
        let literals: Vec<&[u8]> =
            vec![b"auftrags", b"auftrag", b"weisung", b"subprocessor", b"sub"];
        let Some(Prefixes::Many(searcher)) = Prefixes::new(&literals) else {
            panic!("more than {MANY_PREFIXES} literals get the contiguous NFA");
        };
        let prefilter = Prefilter::new(MatchKind::LeftmostFirst, &literals).unwrap();
        let haystack = b"Der Auftragsverarbeiter folgt der weisung; subprocessors and sub-processors, auftrag.";
        for at in 0..=haystack.len() {
            let span = Span::from(at..haystack.len());
            let many = Prefixes::Many(searcher.clone()).find(haystack, span);
            assert_eq!(
                many.map(|s| s.start),
                prefilter.find(haystack, span).map(|s| s.start),
                "from {at}"
            );
        }
        assert!(matches!(
            Prefixes::new(&literals[..3]),
            Some(Prefixes::Few(_))
        ));
    }

    #[test]
    fn prefixes_up_to_case_find_what_a_full_search_finds() {
        let written = r"\b(assist\w*|support\w*|help\w*|cooperat\w*|mitwirk\w*|unterstuetz\w*|aid|beistand)\s(\w+\s){0,3}(with|bei|in|for)\b";
        let pattern = Pattern::new(written);
        // Case-insensitive extraction gives up on this family; the case-sensitive one does not.
        assert!(pattern.starts().is_none());
        assert!(pattern.coded_starts().is_some());
        let regex = regex::RegexBuilder::new(&fold_pattern(written))
            .case_insensitive(true)
            .build()
            .unwrap();
        for text in [
            "The Processor will ASSIST the Controller with requests; Support in audits, AID for x.",
            "Der Auftragnehmer wird den Auftraggeber bei Anfragen UNTERSTUETZEN bei allen Fragen.",
            "helpwith Help with helping you with",
            "no match here at all",
        ] {
            let expected: Vec<(usize, usize)> = regex
                .find_iter(text)
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(
                matches(
                    &pattern,
                    Haystack::Coded(&text.as_bytes().to_ascii_lowercase())
                ),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn coded_and_unicode_automata_agree() {
        let patterns = [
            r"\binstructions?\b.{0,80}?\b(limited|restricted)\sto\b",
            r"\b(kontroll\w*|pruefung\w*)\b.{0,20}?\bnur\b",
            r"[^a-z]{2}\s\d+",
            r"\bsicher\B",
            r"\W\s\d",
            r"gem\w+\s§\s?\d",
            r"\bda\w{2}\b",
            r"\bsoci\w*\s[^x]{0,8}?\bg",
            r"data_\w+",
            r"[a-z]+\b",
        ];
        let texts = [
            "Customer's INSTRUCTIONS • are limited to the settings.",
            "Kontrollen § finden nur statt; Pruefungen nur 2 x",
            "ab 12 CD 34 -- 56 €€ 7",
            "sicherheit und sicher.",
            "gemaess § 5 und gemaess 6",
            "daté data_ø dat société Générale, Łódź § 3",
            "data_subject dataé Ørsted société générale",
        ];
        for p in patterns {
            let pattern = Pattern::new(p);
            pattern.validate(p).unwrap();
            let unicode = pattern.parsed().unwrap().unicode().unwrap();
            for t in texts {
                let expected: Vec<_> = unicode.find_iter(t).map(|m| (m.start(), m.end())).collect();
                assert_eq!(matches(&pattern, Haystack::Text(t)), expected, "{p} on {t}");
                let letters = t.chars().any(crate::text::coded::is_letter);
                let symbols = t.chars().any(crate::text::coded::is_symbol);
                if (!symbols || pattern.takes_symbols()) && (!letters || pattern.takes_letters()) {
                    let (bytes, offsets) = code(t);
                    let coded: Vec<_> = matches(&pattern, Haystack::Coded(&bytes))
                        .into_iter()
                        .map(|(s, e)| (offsets[s], offsets[e]))
                        .collect();
                    assert_eq!(coded, expected, "coded {p} on {t}");
                }
            }
        }
        assert!(!Pattern::new(r"gem\w+\s§").takes_symbols());
        assert!(!Pattern::new(r"[§a]").takes_symbols());
        assert!(Pattern::new(r"[^a].\W").takes_symbols());
        assert!(Pattern::new(r"\bda\w{2}\b").takes_letters());
        assert!(!Pattern::new(r"data_\w+").takes_letters());
        assert!(!Pattern::new(r"soci[ée]t[ée]").takes_letters());
    }

    #[test]
    fn a_pattern_that_tells_case_apart_reads_the_text_itself() {
        let p = Pattern::new(r"\b(requests?|(?-i:Anfragen))\b");
        assert!(!p.reads_coded());
        assert!(p.is_match("Die Anfragen der Betroffenen"));
        assert!(!p.is_match("wird anfragen"));
        assert!(p.is_match("wird REQUESTS"));
        let mut found = Vec::new();
        p.for_each_match("anfragen, Anfragen, Requests", false, |m, _| {
            found.push((m.start, m.end))
        });
        assert_eq!(found, vec![(10, 18), (20, 28)]);
        assert!(Pattern::new(r"\brequests?\b").reads_coded());
    }

    #[test]
    fn text_haystacks_with_letters_beyond_ascii_use_the_unicode_automaton() {
        let p = Pattern::new(r"\bda\w{2}\b");
        let mut found = Vec::new();
        p.for_each_match("daté data", false, |m, _| found.push((m.start, m.end)));
        assert_eq!(found, vec![(0, 5), (6, 10)]);
    }

    #[test]
    fn folds_like_the_text_and_keeps_group_names() {
        let p = Pattern::new(r"Löschung (?P<n>\d+)");
        assert_eq!(p.as_str(), r"Loeschung (?P<n>\d+)");
        assert_eq!(p.capture_names(), vec!["n".to_string()]);
        assert!(p.is_match("die LOESCHUNG 30"));
    }

    #[test]
    fn ascii_parse_only_where_it_agrees_with_the_unicode_one() {
        let ascii = |p: &str| ascii_form(&fold_pattern(p), limits::NEST_LIMIT).is_some();
        assert!(ascii(r"\bda\w{2}\b.{0,20}?[^a-z]\s\d\W\S"));
        assert!(ascii(r"(?P<n>\d+)\s(?P<unit>hours?)"));
        // Bytes beyond ASCII, Unicode classes and words, letters beyond ASCII: not so.
        assert!(!ascii(r"a\xE9"));
        assert!(!ascii(r"[\x80-\xFE]"));
        assert!(!ascii(r"\pL+"));
        assert!(!ascii(r"(?u:\w)"));
        assert!(!ascii("soci\u{e9}t\u{e9}"));
        assert!(!ascii(r"gem\w+\s§"));
        // The ASCII parse and the Unicode one cut down find the same on coded text.
        for p in [
            r"\bkontroll\w*\b.{0,20}?\bnur\b",
            r"[^a-z]{2}\s\d+",
            r"\W\s\d",
        ] {
            let ascii = Coded::new(&ascii_form(p, limits::NEST_LIMIT).unwrap(), p, None).unwrap();
            let unicode = Coded::new(&coded_form(&parse(p).unwrap()), p, None).unwrap();
            for bytes in [
                &b"Kontrollen \xFF finden nur statt"[..],
                b"ab 12 CD 34 -- 56 \xFF\xFF 7",
            ] {
                for at in 0..bytes.len() {
                    let input = Input::new(bytes)
                        .span(at..bytes.len())
                        .anchored(Anchored::Yes);
                    assert_eq!(
                        ascii.anchored_end(&input),
                        unicode.anchored_end(&input),
                        "{p} {at}"
                    );
                }
                assert_eq!(ascii.any_match(bytes), unicode.any_match(bytes), "{p}");
            }
        }
    }

    #[test]
    fn invalid_patterns_say_why() {
        assert!(
            Pattern::new("(")
                .validate("(")
                .unwrap_err()
                .contains("invalid pattern")
        );
        let err = Pattern::new("[äa]").validate("[äa]").unwrap_err();
        assert!(err.contains("character class"), "{err}");
    }
}
