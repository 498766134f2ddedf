//! The flat text with its symbols coded, for the fast automata of rule patterns.
//!
//! After normalisation nearly all of a contract is ASCII; what is left is symbols (`§`, `•`,
//! `€`, `°`) and, in names and addresses, letters of other alphabets (`é`, `ø`, `ł`). A *symbol*
//! here is a character outside ASCII that is no word character and no white space in the sense
//! of Unicode regexes (`\w`, `\s`); a *letter* is a word character outside ASCII other than
//! digits and the two that case-fold to ASCII letters (`ſ`, the Kelvin sign). The coded text
//! writes each symbol as the single byte [`SYMBOL`], each letter as the single byte [`LETTER`]
//! (`_`, the one ASCII word character that is no letter or digit), lower-cases the ASCII
//! letters and keeps everything else; a stretch of it without other non-ASCII characters can be
//! searched by a pattern compiled for ASCII plus the symbol byte and cut to lower case
//! ([`lowered`]; see `rules::pattern`), and offsets map back to the flat text. A
//! pattern that tells symbols apart reads only stretches without symbols ([`symbols_alike`]),
//! one that tells letters (or `_`) apart only stretches without letters ([`letters_alike`]).
//!
//! This module depends on regex-syntax alone: `build.rs` includes it to tell, at build time,
//! which patterns of the built-in pack read coded text ([`symbols_alike`], [`letters_alike`]),
//! and to parse their coded forms once ([`pattern_hir`]) for `rules::hircode` to embed.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex_syntax::hir::{
    self, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look,
};

/// The byte a symbol is written as (never valid UTF-8, so it cannot be confused with text).
pub const SYMBOL: u8 = 0xFF;

/// The byte a letter is written as: `_`, a word character like the letter, so that word
/// boundaries and `\w` see the same; patterns that could tell the two apart never read it.
pub const LETTER: u8 = b'_';

/// The symbols as a class: `[^\x00-\x7F\w\s]` in the Unicode sense of regexes.
pub static SYMBOLS: LazyLock<ClassUnicode> =
    LazyLock::new(
        || match regex_syntax::parse(r"[^\x00-\x7F\w\s]").map(|h| h.into_kind()) {
            Ok(HirKind::Class(Class::Unicode(class))) => class,
            _ => ClassUnicode::empty(),
        },
    );

/// The letters as a class: word characters outside ASCII (`[\w&&[^\x00-\x7F]]` in the Unicode
/// sense of regexes) except digits (`\d`) and those a case-insensitive ASCII letter matches
/// (`ſ`, `K`).
pub static LETTERS: LazyLock<ClassUnicode> = LazyLock::new(|| {
    let class = |p: &str| match regex_syntax::parse(p).map(|h| h.into_kind()) {
        Ok(HirKind::Class(Class::Unicode(class))) => class,
        _ => ClassUnicode::empty(),
    };
    let mut letters = class(r"[\w&&[^\x00-\x7F]]");
    letters.difference(&class(r"(?i)[a-z]"));
    letters.difference(&class(r"\d"));
    letters
});

fn holds(class: &ClassUnicode, c: char) -> bool {
    class
        .ranges()
        .binary_search_by(|r| {
            if r.end() < c {
                std::cmp::Ordering::Less
            } else if r.start() > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// True for a symbol: outside ASCII, no word character, no white space.
pub fn is_symbol(c: char) -> bool {
    !c.is_ascii() && holds(&SYMBOLS, c)
}

/// True for a letter: a word character outside ASCII that no ASCII letter case-folds to.
pub fn is_letter(c: char) -> bool {
    !c.is_ascii() && holds(&LETTERS, c)
}

/// True when `class` holds at least one symbol.
pub fn holds_symbols(class: &ClassUnicode) -> bool {
    let symbols = SYMBOLS.ranges();
    class
        .ranges()
        .iter()
        .filter(|r| !r.end().is_ascii())
        .any(|r| {
            let i = symbols.partition_point(|s| s.end() < r.start());
            symbols.get(i).is_some_and(|s| s.start() <= r.end())
        })
}

/// True when `class` holds the first symbol: for a class that holds all symbols or none (see
/// [`symbols_alike`]), whether it holds them, in one lookup.
pub fn holds_first_symbol(class: &ClassUnicode) -> bool {
    let Some(first) = SYMBOLS.ranges().first().map(|r| r.start()) else {
        return false;
    };
    let ranges = class.ranges();
    let i = ranges.partition_point(|r| r.end() < first);
    ranges.get(i).is_some_and(|r| r.start() <= first)
}

/// True when `class` holds every symbol.
fn holds_all_symbols(class: &ClassUnicode) -> bool {
    let ranges = class.ranges();
    SYMBOLS.ranges().iter().all(|s: &ClassUnicodeRange| {
        let i = ranges.partition_point(|r| r.end() < s.start());
        ranges
            .get(i)
            .is_some_and(|r| r.start() <= s.start() && r.end() >= s.end())
    })
}

/// True when a pattern cannot tell symbols apart: each class of `hir` holds all symbols or
/// none, and no literal holds one. Such a pattern matches a coded text exactly where it
/// matches the text.
pub fn symbols_alike(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(hir::Literal(bytes)) => String::from_utf8_lossy(bytes)
            .chars()
            .all(|c| !is_symbol(c)),
        HirKind::Class(Class::Unicode(class)) => !holds_symbols(class) || holds_all_symbols(class),
        HirKind::Class(Class::Bytes(class)) => class.ranges().iter().all(|r| r.end() < 0x80),
        HirKind::Repetition(rep) => symbols_alike(&rep.sub),
        HirKind::Capture(cap) => symbols_alike(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().all(symbols_alike),
    }
}

/// True when a pattern cannot tell letters from each other or from `_`: each class of `hir`
/// holds `_` and every letter, or neither `_` nor any letter, and no literal holds either. Such
/// a pattern matches a coded text exactly where it matches the text.
pub fn letters_alike(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(hir::Literal(bytes)) => String::from_utf8_lossy(bytes)
            .chars()
            .all(|c| c != LETTER as char && !is_letter(c)),
        HirKind::Class(Class::Unicode(class)) => {
            let mut held = LETTERS.clone();
            held.intersect(class);
            if holds(class, LETTER as char) {
                held.ranges() == LETTERS.ranges()
            } else {
                held.ranges().is_empty()
            }
        }
        HirKind::Class(Class::Bytes(class)) => class
            .ranges()
            .iter()
            .all(|r| r.end() < 0x80 && !(r.start()..=r.end()).contains(&LETTER)),
        HirKind::Repetition(rep) => letters_alike(&rep.sub),
        HirKind::Capture(cap) => letters_alike(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().all(letters_alike),
    }
}

/// One coded character (a symbol or a letter) of the flat text.
#[derive(Debug, Clone, Copy)]
struct Mark {
    flat: usize,
    coded: usize,
    /// Bytes the coded text is shorter than the flat text after this symbol.
    shift: usize,
}

/// A text with its symbols and letters coded.
#[derive(Debug, Clone)]
pub struct Coded<'t> {
    bytes: Cow<'t, [u8]>,
    marks: Vec<Mark>,
    /// Offsets in the flat text of the symbols.
    symbols: Vec<usize>,
    /// Offsets in the flat text of the letters.
    letters: Vec<usize>,
    /// Offsets in the flat text of the characters outside ASCII that are neither.
    others: Vec<usize>,
}

/// A stretch of coded text.
#[derive(Debug, Clone, Copy)]
pub struct CodedScope<'a> {
    /// The coded bytes.
    pub bytes: &'a [u8],
    /// Where they start in the coded text (for [`Coded::to_flat`]).
    pub offset: usize,
    /// They hold at least one [`SYMBOL`].
    pub symbols: bool,
    /// They hold at least one coded letter ([`LETTER`]).
    pub letters: bool,
}

impl<'t> Coded<'t> {
    /// Codes `flat`, its ASCII letters lower-cased; a text of ASCII only without capitals is
    /// borrowed as it is.
    pub fn new(flat: &'t str) -> Coded<'t> {
        if flat.is_ascii() {
            return Coded {
                bytes: lower_cased(flat.as_bytes()),
                marks: Vec::new(),
                symbols: Vec::new(),
                letters: Vec::new(),
                others: Vec::new(),
            };
        }
        let mut bytes = Vec::with_capacity(flat.len());
        let mut marks = Vec::new();
        let mut symbols = Vec::new();
        let mut letters = Vec::new();
        let mut others = Vec::new();
        let mut rest = flat;
        let mut offset = 0;
        while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
            bytes.extend_from_slice(&rest.as_bytes()[..at]);
            let c = rest[at..].chars().next().unwrap_or(' ');
            let flat_at = offset + at;
            let code = if is_symbol(c) {
                symbols.push(flat_at);
                Some(SYMBOL)
            } else if is_letter(c) {
                letters.push(flat_at);
                Some(LETTER)
            } else {
                None
            };
            if let Some(code) = code {
                let shift = marks.last().map_or(0, |m: &Mark| m.shift) + c.len_utf8() - 1;
                marks.push(Mark {
                    flat: flat_at,
                    coded: bytes.len(),
                    shift,
                });
                bytes.push(code);
            } else {
                others.push(flat_at);
                let mut buf = [0; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            let next = at + c.len_utf8();
            rest = &rest[next..];
            offset += next;
        }
        bytes.extend_from_slice(rest.as_bytes());
        // Bytes beyond ASCII (UTF-8 of other characters, `SYMBOL`) stay as they are.
        bytes.make_ascii_lowercase();
        Coded {
            bytes: Cow::Owned(bytes),
            marks,
            symbols,
            letters,
            others,
        }
    }

    /// The coded stretch for flat `start..end`, or `None` when it holds non-ASCII characters
    /// that are neither symbols nor letters (white space and digits beyond ASCII, `ſ`), which
    /// only the Unicode automata read.
    pub fn scope(&self, start: usize, end: usize) -> Option<CodedScope<'_>> {
        let within = |offsets: &[usize]| {
            let first = offsets.partition_point(|&o| o < start);
            offsets.get(first).is_some_and(|&o| o < end)
        };
        if within(&self.others) {
            return None;
        }
        let (cs, ce) = (self.to_coded(start), self.to_coded(end));
        Some(CodedScope {
            bytes: &self.bytes[cs..ce],
            offset: cs,
            symbols: within(&self.symbols),
            letters: within(&self.letters),
        })
    }

    fn to_coded(&self, flat: usize) -> usize {
        let k = self.marks.partition_point(|m| m.flat < flat);
        flat - k.checked_sub(1).map_or(0, |i| self.marks[i].shift)
    }

    /// The flat offset of coded offset `coded`.
    pub fn to_flat(&self, coded: usize) -> usize {
        let k = self.marks.partition_point(|m| m.coded < coded);
        coded + k.checked_sub(1).map_or(0, |i| self.marks[i].shift)
    }
}

/// `bytes` with its ASCII letters lower-cased, borrowed where it has no capital.
pub fn lower_cased(bytes: &[u8]) -> Cow<'_, [u8]> {
    if bytes.iter().any(u8::is_ascii_uppercase) {
        Cow::Owned(bytes.to_ascii_lowercase())
    } else {
        Cow::Borrowed(bytes)
    }
}

/// A folded pattern parsed as `regex::RegexBuilder` parses it with `case_insensitive(true)`,
/// nested at most `nest_limit` deep: the one parse of rule patterns that the rule pack, the
/// coded forms and `build.rs` share.
/// The error is the parser's message.
pub fn parse_pattern(folded: &str, nest_limit: u32) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .nest_limit(nest_limit)
        .utf8(true)
        .build()
        .parse(folded)
        .map_err(|e| e.to_string())
}

/// The coded form of a folded pattern (see [`coded_form`]), parsed in ASCII mode where that
/// gives the same (see [`ascii_form`]), else as [`parse_pattern`]; `None` for a pattern that
/// does not parse.
pub fn pattern_hir(folded: &str, nest_limit: u32) -> Option<Hir> {
    ascii_form(folded, nest_limit).or_else(|| {
        parse_pattern(folded, nest_limit)
            .ok()
            .map(|hir| coded_form(&hir))
    })
}

/// `hir` for coded haystacks: classes cut to ASCII (plus [`SYMBOL`] where they hold every
/// symbol), non-ASCII literals made impossible, Unicode word boundaries made ASCII ones. On a
/// coded haystack it matches exactly what `hir` matches on the text: every character it can
/// see is ASCII or a symbol; on ASCII, Unicode and ASCII word characters, classes and case
/// folding agree; a symbol is no word character, and [`symbols_alike`] says when a pattern
/// cannot tell symbols apart. A letter beyond ASCII is coded as `_`, a word character like it,
/// and [`letters_alike`] says when a pattern cannot tell the two apart.
pub fn coded_form(hir: &Hir) -> Hir {
    to_ascii(hir, &|class| {
        let mut bytes = ClassBytes::new(
            class
                .ranges()
                .iter()
                .filter(|r| r.start().is_ascii())
                .map(|r| ClassBytesRange::new(r.start() as u8, r.end().min('\x7f') as u8)),
        );
        // Of a pattern that tells symbols apart, the coded automaton reads pure ASCII only,
        // where the byte never occurs; of any other, a class holds all symbols or none, so
        // one symbol tells.
        if holds_first_symbol(class) {
            bytes.push(ClassBytesRange::new(SYMBOL, SYMBOL));
        }
        Hir::class(Class::Bytes(bytes))
    })
}

/// `folded` parsed for coded haystacks in ASCII mode (`(?-u)`, case-insensitive), or `None`
/// where that could differ from [`coded_form`] of its Unicode parse: the pattern is not ASCII,
/// does not parse so, or has a byte literal or class that tells bytes beyond ASCII apart
/// (`\xE9`).
///
/// Otherwise the two agree on every coded haystack, which holds ASCII and [`SYMBOL`] only: on
/// ASCII, ASCII and Unicode classes, word boundaries and case folding agree (no character
/// outside ASCII of a case-insensitive Unicode class survives the cut to ASCII), and every
/// class here is built from ASCII items, Perl classes and negation, so it holds all bytes
/// beyond ASCII exactly where its Unicode twin holds every symbol — a symbol is no word
/// character, no space and no digit — and none where it holds none.
pub fn ascii_form(folded: &str, nest_limit: u32) -> Option<Hir> {
    if !folded.is_ascii() {
        return None;
    }
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .unicode(false)
        .utf8(false)
        .nest_limit(nest_limit)
        .build()
        .parse(folded)
        .ok()?;
    ascii_alike(&hir).then_some(hir)
}

/// True when every literal of `hir` is ASCII, every class a byte class that holds all bytes
/// beyond ASCII or none, and every word boundary an ASCII one.
fn ascii_alike(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty => true,
        HirKind::Literal(literal) => literal.0.is_ascii(),
        HirKind::Class(Class::Bytes(class)) => {
            let high = ClassBytesRange::new(0x80, 0xFF);
            let mut beyond = class.clone();
            beyond.intersect(&ClassBytes::new([high]));
            beyond.ranges().is_empty() || beyond.ranges() == [high]
        }
        HirKind::Class(Class::Unicode(_)) => false,
        HirKind::Look(look) => !matches!(
            look,
            Look::WordUnicode
                | Look::WordUnicodeNegate
                | Look::WordStartUnicode
                | Look::WordEndUnicode
                | Look::WordStartHalfUnicode
                | Look::WordEndHalfUnicode
        ),
        HirKind::Repetition(rep) => ascii_alike(&rep.sub),
        HirKind::Capture(cap) => ascii_alike(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().all(ascii_alike),
    }
}

/// `hir` rewritten for subjects whose characters are ASCII (or stand-ins for characters no
/// class of `hir` tells apart): Unicode classes through `class`, byte classes cut to ASCII,
/// non-ASCII literals impossible, Unicode word boundaries made ASCII ones. The structure —
/// repetitions, groups and their names, alternations — stays, so the matches do too.
pub fn to_ascii(hir: &Hir, class: &dyn Fn(&ClassUnicode) -> Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(hir::Literal(bytes)) if bytes.is_ascii() => Hir::literal(bytes.clone()),
        HirKind::Literal(_) => Hir::fail(),
        HirKind::Class(Class::Unicode(unicode)) => class(unicode),
        HirKind::Class(Class::Bytes(bytes)) => {
            let mut bytes = bytes.clone();
            bytes.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7f)]));
            Hir::class(Class::Bytes(bytes))
        }
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }),
        HirKind::Repetition(rep) => Hir::repetition(hir::Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(to_ascii(&rep.sub, class)),
        }),
        HirKind::Capture(cap) => Hir::capture(hir::Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(to_ascii(&cap.sub, class)),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|s| to_ascii(s, class)).collect()),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(|s| to_ascii(s, class)).collect())
        }
    }
}

/// `hir` (a coded form) for coded haystacks whose ASCII letters are lower-cased, or `None` when
/// `hir` tells ASCII case apart somewhere (a literal with a letter, as `(?-i:Anfragen)` gives, or
/// a class with a letter but not its other case). Every class loses `A`–`Z`, which a lowered
/// haystack never holds, and a class left with one byte becomes a literal, so `[Vv][Ee][Rr]`
/// becomes `ver`. On a case-closed pattern this is exact: a class holds a byte exactly where it
/// holds the byte lower-cased, and lower-casing changes no word boundary, so the lowered form
/// matches the lowered haystack at exactly the places where `hir` matches the haystack, with the
/// same groups.
pub fn lowered(hir: &Hir) -> Option<Hir> {
    Some(match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(hir::Literal(bytes)) => {
            if bytes.iter().any(u8::is_ascii_alphabetic) {
                return None;
            }
            Hir::literal(bytes.clone())
        }
        HirKind::Class(Class::Bytes(class)) => {
            let holds = |b: u8| {
                class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= b && b <= r.end())
            };
            if (b'a'..=b'z').any(|b| holds(b) != holds(b.to_ascii_uppercase())) {
                return None;
            }
            let mut lower = class.clone();
            lower.difference(&ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]));
            match lower.ranges() {
                [one] if one.start() == one.end() => Hir::literal([one.start()]),
                _ => Hir::class(Class::Bytes(lower)),
            }
        }
        HirKind::Class(Class::Unicode(_)) => return None,
        HirKind::Look(look) => Hir::look(*look),
        HirKind::Repetition(rep) => Hir::repetition(hir::Repetition {
            min: rep.min,
            max: rep.max,
            greedy: rep.greedy,
            sub: Box::new(lowered(&rep.sub)?),
        }),
        HirKind::Capture(cap) => Hir::capture(hir::Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(lowered(&cap.sub)?),
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(lowered).collect::<Option<_>>()?),
        HirKind::Alternation(subs) => {
            Hir::alternation(subs.iter().map(lowered).collect::<Option<_>>()?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_become_one_byte_and_offsets_map_back() {
        let flat = "gemaess § 5 • und € x";
        let coded = Coded::new(flat);
        let scope = coded.scope(0, flat.len()).unwrap();
        assert!(scope.symbols);
        assert_eq!(scope.bytes, b"gemaess \xFF 5 \xFF und \xFF x");
        let at = scope.bytes.iter().position(|&b| b == b'u').unwrap();
        assert_eq!(&flat[coded.to_flat(at)..coded.to_flat(at + 3)], "und");
        let start = flat.find("und").unwrap();
        let inner = coded.scope(start, flat.len()).unwrap();
        assert_eq!(inner.bytes, b"und \xFF x");
        assert_eq!(coded.to_flat(inner.offset), start);
    }

    #[test]
    fn letters_beyond_ascii_become_one_word_byte() {
        let flat = "Société Générale § 3, Ørsted";
        let coded = Coded::new(flat);
        let scope = coded.scope(0, flat.len()).unwrap();
        assert!(scope.letters && scope.symbols);
        assert_eq!(scope.bytes, b"soci_t_ g_n_rale \xFF 3, _rsted");
        let at = scope.bytes.iter().position(|&b| b == b'g').unwrap();
        assert_eq!(&flat[coded.to_flat(at)..coded.to_flat(at + 8)], "Générale");
        let tail = flat.find('§').unwrap();
        let end = flat.find(',').unwrap();
        let inner = coded.scope(tail, end).unwrap();
        assert!(inner.symbols && !inner.letters);
        assert!(is_symbol('§') && is_symbol('€') && is_symbol('•'));
        assert!(!is_symbol('é') && !is_symbol('\u{a0}') && !is_symbol('a'));
        assert!(is_letter('é') && is_letter('ø') && is_letter('ł'));
        assert!(!is_letter('a') && !is_letter('_') && !is_letter('ſ') && !is_letter('\u{212a}'));
    }

    #[test]
    fn white_space_beyond_ascii_and_letters_folding_to_ascii_are_not_coded() {
        for flat in ["a\u{a0}b", "Ma\u{17f}e", "Nr. \u{663}"] {
            let coded = Coded::new(flat);
            assert!(coded.scope(0, flat.len()).is_none(), "{flat}");
        }
    }

    #[test]
    fn a_pattern_reads_coded_letters_when_its_classes_hold_all_letters_and_underscore_or_none() {
        let alike = |p: &str| {
            letters_alike(
                &regex_syntax::ParserBuilder::new()
                    .case_insensitive(true)
                    .build()
                    .parse(p)
                    .unwrap(),
            )
        };
        assert!(alike(r"\bsoci\w+\s[^a].{0,80}?\W\d"));
        assert!(alike(r"strasse"));
        assert!(!alike(r"straße"));
        assert!(!alike(r"soci[ée]t[ée]"));
        assert!(!alike(r"data_subject"));
        assert!(!alike(r"[a-z_]+"));
        assert!(!alike(r"\pL+"));
    }

    #[test]
    fn a_pattern_reads_coded_text_when_its_classes_hold_all_symbols_or_none() {
        let alike = |p: &str| symbols_alike(&regex_syntax::parse(p).unwrap());
        assert!(alike(r"\w+\s[^a].\W\d"));
        assert!(!alike(r"[a§]"));
        assert!(!alike(r"gem\w+ §"));
    }

    #[test]
    fn lowered_forms_read_lower_cased_text_as_the_coded_forms_read_the_text() {
        use regex_automata::meta::Regex;
        use regex_automata::util::syntax;
        let lower = |p: &str| lowered(&pattern_hir(p, 64).unwrap());
        // Classes of one letter in both cases become literals.
        assert_eq!(lower("ver").unwrap(), Hir::literal(*b"ver"));
        // A part that tells case apart has no lowered form.
        assert!(lower("(?-i:Anfragen)").is_none());
        assert!(lower("(?-i:[A-Z])x").is_none());
        assert!(lower("(?-i:[a-z])x").is_none());
        assert!(lower("(?-i:[a-zA-Z0-9])x").is_some());
        let build = |hir: &Hir| {
            Regex::builder()
                .syntax(syntax::Config::new().utf8(false))
                .build_from_hir(hir)
                .unwrap()
        };
        // Each match with its group `n`.
        type Found = (usize, usize, Option<(usize, usize)>);
        let spans = |re: &Regex, hay: &[u8]| -> Vec<Found> {
            re.captures_iter(hay)
                .map(|c| {
                    let m = c.get_match().unwrap();
                    let n = c.get_group_by_name("n").map(|s| (s.start, s.end));
                    (m.start(), m.end(), n)
                })
                .collect()
        };
        for p in [
            r"\b(Weisung\w*|instruct\w*)\b.{0,40}?\b(?P<n>\d+)\s(TAGE|days?)\b",
            r"[^a-z]{2}\s\d+",
            r"\bsicher\B",
            r"(?-i:[A-Za-z_])+\s\W",
            r"\bsoci\w*\s[^x]{0,8}?\bg",
        ] {
            let coded = build(&pattern_hir(p, 64).unwrap());
            let lowered = build(&lower(p).unwrap());
            for text in [
                &b"Die WEISUNGEN werden binnen 30 Tage erteilt; instructions within 5 DAYS."[..],
                b"ab 12 CD 34 -- 56 \xFF 7",
                b"SICHERHEIT und Sicher.",
                b"Soci_t_ G_n_rale \xFF 3, _rsted",
            ] {
                assert_eq!(
                    spans(&lowered, &text.to_ascii_lowercase()),
                    spans(&coded, text),
                    "{p} on {}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }
}
