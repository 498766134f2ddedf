//! Normalisation with an offset map back to the original text.
//!
//! The matching text is the original with: Unicode NFKC (ligatures split), soft hyphens
//! dropped, typographic quotes and dashes made plain, words hyphenated at line ends re-joined,
//! whitespace folded (line structure kept as `\n`, blank lines as `\n\n`), and German umlauts
//! and ß folded to ASCII (`ä`→`ae`, `ß`→`ss`) so that case-insensitive matching works the same
//! for "Löschung", "LÖSCHUNG" and Swiss "Loeschung", and Swiss data-protection words
//! (*bearbeiten*, *Personendaten*) rewritten to the GDPR's (*verarbeiten*, *personenbezogene
//! Daten*). Every byte of the result knows the byte
//! range of the original it came from, so evidence always quotes the document's real text.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Normalised text plus the map back to the original.
#[derive(Debug, Clone, Default)]
pub struct Normalised {
    /// The normalised text; line breaks are kept as `\n`.
    pub text: String,
    /// For each byte of `text`: the original span it came from.
    origins: Origins,
}

impl Normalised {
    /// The byte range in the original text that produced `start..end` of the normalised text
    /// (an empty one for an empty range, and `(0, 0)` for a range beyond the text).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        self.origins
            .range(bytes.len(), start, end, |i| bytes[i] == b' ')
    }

    /// The flat text (every line break a space, changed in place: the same offsets) and its
    /// map back to the original, which keeps where the line breaks were instead of a second
    /// copy of the text.
    pub fn flatten(self) -> (String, Flattened) {
        let mut bytes = self.text.into_bytes();
        let mut breaks = Vec::new();
        for i in memchr::memchr_iter(b'\n', &bytes) {
            // In range: the origins' offsets are 32-bit already.
            breaks.push(i as u32);
        }
        for &i in &breaks {
            bytes[i as usize] = b' ';
        }
        // A line break and a space are both one ASCII byte, so the bytes stay UTF-8.
        let flat = String::from_utf8(bytes).unwrap_or_default();
        (
            flat,
            Flattened {
                origins: self.origins,
                breaks,
            },
        )
    }
}

/// The map from a flat text ([`Normalised::flatten`]) back to the original: the normalised
/// text's origins, and where its line breaks were.
#[derive(Debug, Clone, Default)]
pub struct Flattened {
    origins: Origins,
    /// The offsets of the line breaks, ascending.
    breaks: Vec<u32>,
}

impl Flattened {
    /// As [`Normalised::original_range`], for `start..end` of `flat`, the flat text this maps.
    pub fn original_range(&self, flat: &str, start: usize, end: usize) -> (usize, usize) {
        let bytes = flat.as_bytes();
        self.origins.range(bytes.len(), start, end, |i| {
            bytes[i] == b' ' && !self.is_break(i)
        })
    }

    /// The byte range of the line that holds offset `at` of a flat text `len` bytes long.
    pub fn line_at(&self, len: usize, at: usize) -> (usize, usize) {
        let i = self.breaks.partition_point(|&b| (b as usize) < at);
        let start = i.checked_sub(1).map_or(0, |j| self.breaks[j] as usize + 1);
        let end = self.breaks.get(i).map_or(len, |&b| b as usize);
        (start, end)
    }

    /// Whether byte `i` of the flat text was a line break.
    fn is_break(&self, i: usize) -> bool {
        self.breaks.binary_search(&(i as u32)).is_ok()
    }
}

/// Where each byte of the normalised text came from, as runs: one run per stretch of text that
/// is the original as it stands (words apart by single spaces), one per replacement (`ä` →
/// `ae`, a folded line break). A byte per byte map took 8 bytes for each byte of text, the
/// largest part of a huge document's memory; the runs take about one per line.
#[derive(Debug, Clone, Default)]
struct Origins {
    runs: Vec<Run>,
    /// Bytes mapped.
    len: usize,
}

/// Bytes `at..` (up to the next run) of the normalised text. A verbatim run
/// (`end == VERBATIM`) maps byte `at + k` to `start + k ..start + k + 1`, or to the empty
/// `start + k..start + k` where it is a space: the one space that separates two words stands
/// for the white space at its place, which a quote leaves out. Any other run maps every byte
/// to `start..end`.
#[derive(Debug, Clone, Copy)]
struct Run {
    at: u32,
    start: u32,
    end: u32,
}

const VERBATIM: u32 = u32::MAX;

impl Origins {
    /// Maps the next byte, `byte`, to `start..end` of the original.
    fn push(&mut self, byte: u8, start: usize, end: usize) {
        let (start, end) = (start as u32, end as u32);
        let aligned = end == start + u32::from(byte != b' ');
        if let Some(last) = self.runs.last() {
            let k = (self.len - last.at as usize) as u32;
            let extends = if last.end == VERBATIM {
                aligned && start == last.start + k
            } else {
                last.start == start && last.end == end
            };
            if extends {
                self.len += 1;
                return;
            }
        }
        self.runs.push(Run {
            at: self.len as u32,
            start,
            end: if aligned { VERBATIM } else { end },
        });
        self.len += 1;
    }

    /// Maps the next `n` bytes to themselves from `at` on (a space to the empty span at its
    /// place, see [`Run`]).
    fn push_verbatim(&mut self, at: usize, n: usize) {
        if n == 0 {
            return;
        }
        let at = at as u32;
        let extends = self.runs.last().is_some_and(|last| {
            last.end == VERBATIM && at == last.start + (self.len - last.at as usize) as u32
        });
        if !extends {
            self.runs.push(Run {
                at: self.len as u32,
                start: at,
                end: VERBATIM,
            });
        }
        self.len += n;
    }

    /// Maps the next `n` bytes each to `start..end`.
    fn push_span(&mut self, start: u32, end: u32, n: usize) {
        let extends = self
            .runs
            .last()
            .is_some_and(|last| last.start == start && last.end == end);
        if !extends {
            self.runs.push(Run {
                at: self.len as u32,
                start,
                end,
            });
        }
        self.len += n;
    }

    /// Appends the map of bytes `from..to` of `other`, run by run.
    fn extend_from(&mut self, other: &Origins, from: usize, to: usize) {
        let mut i = from;
        let mut r = other.runs.partition_point(|r| r.at as usize <= from);
        while i < to {
            let run = other.runs[r - 1];
            let run_end = other.runs.get(r).map_or(other.len, |next| next.at as usize);
            let piece = run_end.min(to) - i;
            if run.end == VERBATIM {
                self.push_verbatim(run.start as usize + (i - run.at as usize), piece);
            } else {
                self.push_span(run.start, run.end, piece);
            }
            i += piece;
            r += 1;
        }
    }

    /// The original span of byte `i` of the text these origins map; `space` tells whether
    /// that byte is a space.
    fn of(&self, i: usize, space: impl Fn(usize) -> bool) -> (usize, usize) {
        let run = self.runs[self.runs.partition_point(|r| r.at as usize <= i) - 1];
        if run.end == VERBATIM {
            let start = run.start as usize + (i - run.at as usize);
            (start, start + usize::from(!space(i)))
        } else {
            (run.start as usize, run.end as usize)
        }
    }

    /// The original range of `start..end` of the text these origins map, `len` bytes long (see
    /// [`Normalised::original_range`]); `space` tells whether a byte is a space.
    fn range(
        &self,
        len: usize,
        start: usize,
        end: usize,
        space: impl Fn(usize) -> bool,
    ) -> (usize, usize) {
        if start >= end.min(len) {
            let at = if start < len {
                self.of(start, &space).0
            } else {
                0
            };
            return (at, at);
        }
        let end = end.min(len);
        (self.of(start, &space).0, self.of(end - 1, &space).1)
    }

    /// Forgets every byte from `len` on.
    fn truncate(&mut self, len: usize) {
        self.len = len;
        while self.runs.last().is_some_and(|r| r.at as usize >= len) {
            self.runs.pop();
        }
    }
}

/// Folds one character for matching: umlauts and ß to ASCII, typographic punctuation to plain.
/// Returns `None` when the character is kept as it is.
pub fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'Ä' => "Ae",
        'Ö' => "Oe",
        'Ü' => "Ue",
        'ß' => "ss",
        'ẞ' => "SS",
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => "-",
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}'
        | '\u{2033}' => "\"",
        '\u{2039}' | '\u{203A}' => "'",
        '\u{2026}' => "...",
        _ => return None,
    })
}

/// Folds a rule's keyword or pattern the same way the text is folded (letters only change;
/// regex syntax is untouched because no folded character is a regex metacharacter).
pub fn fold_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    for c in pattern.nfc() {
        match c {
            'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü' | 'ß' | 'ẞ' => {
                out.push_str(fold_char(c).unwrap_or(""))
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

const NO_JOIN_AFTER_HYPHEN: [&str; 9] = [
    "und", "oder", "bzw", "sowie", "and", "or", "bis", "to", "nor",
];

#[derive(Default)]
struct Builder {
    text: String,
    origins: Origins,
}

impl Builder {
    fn push_str(&mut self, s: &str, start: usize, end: usize) {
        self.text.push_str(s);
        for &byte in s.as_bytes() {
            self.origins.push(byte, start, end);
        }
    }

    /// Copies `from..to` of already normalised text `n`, with its map to the original.
    fn copy_from(&mut self, n: &Normalised, from: usize, to: usize) {
        self.text.push_str(&n.text[from..to]);
        self.origins.extend_from(&n.origins, from, to);
    }

    fn finish(self) -> Normalised {
        Normalised {
            text: self.text,
            origins: self.origins,
        }
    }

    /// Pushes `s`, which stands unchanged at `at` in the original: each byte maps to itself.
    fn push_verbatim(&mut self, s: &str, at: usize) {
        self.text.push_str(s);
        self.origins.push_verbatim(at, s.len());
    }

    fn pop_char(&mut self) {
        if let Some(c) = self.text.pop() {
            self.origins.truncate(self.origins.len - c.len_utf8());
        }
    }

    /// How many bytes to drop when the output ends in a line-end hyphen: `letter-` gives 1,
    /// `letter -` (a producer's stray space before the hyphen) gives 2, anything else 0.
    fn line_end_hyphen(&self) -> usize {
        let mut rev = self.text.chars().rev();
        if rev.next() != Some('-') {
            return 0;
        }
        match rev.next() {
            Some(c) if c.is_alphabetic() => 1,
            Some(' ') if rev.next().is_some_and(char::is_alphabetic) => 2,
            _ => 0,
        }
    }
}

/// `0x01` in every byte of a word of eight bytes (for tests on all eight bytes at once).
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte of a word of eight bytes.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `bytes` from `at` on as one number (little-endian: the first byte is
/// the lowest), for scanners that test eight bytes at once.
pub(crate) fn chunk(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// An ASCII byte that is white space as [`char::is_whitespace`] takes it: the ASCII white
/// space of [`u8::is_ascii_whitespace`] and the vertical tab.
pub(crate) const fn ascii_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0b
}

/// True for an ASCII byte that normalisation keeps as it is: no white space, no backtick
/// (folded to `'`). Whether a combining mark follows is the caller's concern.
const fn verbatim(b: u8) -> bool {
    b.is_ascii() && !ascii_space(b) && b != b'`'
}

/// [`verbatim`] of every byte, or a plain space, looked up rather than worked out.
static STRETCH_BYTES: [bool; 256] = {
    let mut out = [false; 256];
    let mut b = 0;
    while b < 256 {
        out[b] = b == b' ' as usize || verbatim(b as u8);
        b += 1;
    }
    out
};

/// Where the bytes from `at` on first hold one that is neither [`verbatim`] nor a plain space
/// (other white space, a backtick, a byte outside ASCII), or the end. Eight bytes are tested
/// at once: a word without a byte outside ASCII, below 0x0e or equal to a backtick has none,
/// and only a word that may have one is looked at byte by byte.
fn stretch_limit(bytes: &[u8], at: usize) -> usize {
    let mut i = at;
    while i + 8 <= bytes.len() {
        let x = chunk(bytes, i);
        // A byte with its high bit set, or below 0x0e (x - 0x0e borrows), or a backtick
        // (x ^ '`' is zero): exact for bytes below 0x80, which the high bit covers.
        let backtick = x ^ (ONES * u64::from(b'`'));
        let suspect =
            (x | (x.wrapping_sub(ONES * 0x0e) & !x) | (backtick.wrapping_sub(ONES) & !backtick))
                & HIGH;
        if suspect != 0 {
            break;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .position(|&b| !STRETCH_BYTES[b as usize])
        .unwrap_or(bytes.len() - i)
}

/// Two spaces: where a stretch of single-spaced words ends. Built once, searched per line.
static DOUBLE_SPACE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"  "));

/// The end of the stretch from `at` that normalisation copies as it stands: words of
/// [`verbatim`] bytes apart by single spaces, starting and ending with a word. The last byte
/// before a byte outside ASCII is left out (a combining mark may join it), and with it a
/// space that would then end the stretch. `at` itself when no word starts there.
fn verbatim_stretch(bytes: &[u8], at: usize) -> usize {
    let limit = stretch_limit(bytes, at);
    let mut end = DOUBLE_SPACE
        .find(&bytes[at..limit])
        .map_or(limit, |i| at + i);
    if end == limit && bytes.get(limit).is_some_and(|b| !b.is_ascii()) && end > at {
        end -= 1;
    }
    if end > at && bytes[end - 1] == b' ' {
        end -= 1;
    }
    if bytes.get(at) == Some(&b' ') {
        at
    } else {
        end
    }
}

/// Normalises `original` (see the module docs).
pub fn normalise(original: &str) -> Normalised {
    let mut b = Builder {
        text: String::with_capacity(original.len() + original.len() / 16),
        ..Builder::default()
    };
    let bytes = original.as_bytes();
    let mut pending_space: Option<(usize, usize)> = None; // (newlines, origin)
    let mut after_soft_hyphen = false;
    let mut start = 0;

    while start < bytes.len() {
        // Most of a contract is ASCII that stays as it is, words apart by one space: copy the
        // words in one go, and each single space between two of them becomes the separator
        // it would become below. A verbatim run maps such a space to the empty span at its
        // place (see `Run`), so the whole stretch is one push.
        if pending_space.is_none() {
            let at = verbatim_stretch(bytes, start);
            if at > start {
                b.push_verbatim(&original[start..at], start);
                after_soft_hyphen = false;
                start = at;
                continue;
            }
        }
        // ASCII white space before an ASCII byte (no combining mark can join it): the space
        // branch below, without decoding.
        let b0 = bytes[start];
        if ascii_space(b0) && bytes.get(start + 1).is_none_or(u8::is_ascii) {
            let slot = pending_space.get_or_insert((0, start));
            slot.0 += usize::from(b0 == b'\n' || b0 == 0x0c);
            start += 1;
            continue;
        }
        let rest = &original[start..];
        let mut chars = rest.char_indices();
        let Some((_, c)) = chars.next() else {
            break;
        };
        // A base character with its combining marks is normalised as one cluster.
        let mut end = start + c.len_utf8();
        for (i, m) in chars {
            if m.is_ascii() || canonical_combining_class(m) == 0 {
                break;
            }
            end = start + i + m.len_utf8();
        }
        let cluster = &original[start..end];
        let cluster_start = start;
        start = end;

        if c == '\u{00AD}' {
            after_soft_hyphen = true;
            continue;
        }
        if is_space(c) {
            let newline = matches!(c, '\n' | '\x0c' | '\u{2028}' | '\u{2029}') as usize;
            let slot = pending_space.get_or_insert((0, cluster_start));
            slot.0 += newline;
            continue;
        }

        if let Some((newlines, ws_origin)) = pending_space.take() {
            let hyphen = b.line_end_hyphen();
            let joined = if newlines > 0 && (after_soft_hyphen || hyphen > 0) {
                let next_word: String = original[cluster_start..]
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect::<String>()
                    .to_lowercase();
                let lower_next = c.is_lowercase();
                if after_soft_hyphen {
                    true
                } else if lower_next && !NO_JOIN_AFTER_HYPHEN.contains(&next_word.as_str()) {
                    for _ in 0..hyphen {
                        b.pop_char();
                    }
                    true
                } else {
                    false
                }
            } else {
                false
            };
            if !joined && !b.text.is_empty() {
                // A blank line (or a page break) inside a running sentence is only a line
                // break: the text before stops mid-sentence and goes on in lower case.
                let last = b.text.chars().next_back();
                let mid_sentence = (last.is_some_and(|p| p.is_alphanumeric() || p == ',')
                    && c.is_lowercase())
                    || (last.is_some_and(char::is_lowercase) && c.is_ascii_digit());
                let sep = match newlines {
                    0 => " ",
                    1 => "\n",
                    _ if mid_sentence => "\n",
                    _ => "\n\n",
                };
                b.push_str(sep, ws_origin, ws_origin);
            }
        }
        after_soft_hyphen = false;

        if cluster.len() == 1 && verbatim(cluster.as_bytes()[0]) {
            b.push_verbatim(cluster, cluster_start);
            continue;
        }
        // A character alone that NFKC keeps as it is ("ä", "§", "„") needs no normalising
        // iterator: the quick check is one table look-up.
        let stable = end - cluster_start == c.len_utf8()
            && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes;
        let mut push = |n: char| {
            if is_space(n) {
                b.push_str(" ", cluster_start, end);
            } else if let Some(folded) = fold_char(n) {
                b.push_str(folded, cluster_start, end);
            } else {
                let mut buf = [0u8; 4];
                b.push_str(n.encode_utf8(&mut buf), cluster_start, end);
            }
        };
        if stable {
            push(c);
        } else {
            cluster.nfkc().for_each(push);
        }
    }
    regional_variants(b.finish())
}

/// Rewrites regional and inclusive wording into the words of the GDPR that the rules are written
/// in. Swiss *bearbeiten* becomes *verarbeiten* and *Personendaten* becomes *personenbezogene
/// Daten*, so that "Der Auftragsbearbeiter bearbeitet Personendaten nur auf Weisung" reads like
/// its German counterpart; German gender-inclusive forms become the forms a rule names ("Kund:innen"
/// → "Kunden", "Mitarbeiter*innen" → "Mitarbeiter", see [`gender_forms`]). The rewritten bytes map
/// to the original words, so evidence still quotes the document's own words. (In German usage
/// *bearbeiten* means handling, as in "Anfragen bearbeiten"; read as *verarbeiten* it says the
/// same for every rule.)
fn regional_variants(n: Normalised) -> Normalised {
    let bytes = n.text.as_bytes();
    let mut words: Vec<(usize, usize, &'static str, bool)> = regional_words(bytes)
        .into_iter()
        .map(|(at, len, replacement)| (at, len, replacement, true))
        .collect();
    words.extend(
        gender_forms(bytes)
            .into_iter()
            .chain(glued_clause_numbers(bytes))
            .map(|(at, len, replacement)| (at, len, replacement, false)),
    );
    if words.is_empty() {
        return n;
    }
    words.sort_unstable();
    let mut b = Builder {
        text: String::with_capacity(n.text.len() + 16 * words.len()),
        ..Builder::default()
    };
    let mut copied = 0;
    for (at, len, replacement, initial_case) in words {
        b.copy_from(&n, copied, at);
        let (from, to) = n.original_range(at, at + len);
        // Keep the case of the initial: "Bearbeitung" → "Verarbeitung". An ending replaced
        // after a stem ("Kund:innen" → "Kunden") is lower case.
        let upper = initial_case && n.text.as_bytes()[at].is_ascii_uppercase();
        match replacement.split_at_checked(1) {
            Some((first, rest)) if upper => {
                b.push_str(&first.to_ascii_uppercase(), from, to);
                b.push_str(rest, from, to);
            }
            _ => b.push_str(replacement, from, to),
        }
        copied = at + len;
    }
    b.copy_from(&n, copied, n.text.len());
    b.finish()
}

/// Where German gender-inclusive forms stand in the folded text, and what replaces the ending:
/// (byte offset of the ending, its length, the ending of the form the rules name), in order.
/// A plural marked by a colon, star, underscore, slash or brackets ("Kund:innen",
/// "Nutzer*innen", "Mitarbeiter/-innen", "Mitarbeiter(innen)") or by a capital I inside the
/// word ("KundInnen") is read as the plural without the marker: a stem ending in *-er* stands
/// as it is ("Mitarbeiter"), any other takes *-en* ("Kunden", "Studenten", "Koordinatoren").
/// A singular with a marker ("Kund:in", "Nutzer*in") is read as the masculine one ("Kunde",
/// "Nutzer"); a capital I alone ("NutzerIn") is left as it is, as in "LogIn".
fn gender_forms(text: &[u8]) -> Vec<(usize, usize, &'static str)> {
    let ends_word = |at: usize| text.get(at).is_none_or(|&c| !is_word_byte(c));
    let mut out = Vec::new();
    // Marked forms: "in" or "innen" at a word's end, right after a marker.
    for found in memchr::memmem::find_iter(text, b"in") {
        let plural = text[found..].starts_with(b"innen");
        let end = found + if plural { 5 } else { 2 };
        if !ends_word(end) {
            continue;
        }
        let marker = match found.checked_sub(1).map(|i| text[i]) {
            Some(b':' | b'*' | b'_' | b'/') => found - 1,
            Some(b'(') if text.get(end) == Some(&b')') => found - 1,
            Some(b'-') if found >= 2 && text[found - 2] == b'/' => found - 2,
            _ => continue,
        };
        let end = if text[marker] == b'(' { end + 1 } else { end };
        if let Some(stem) = stem_before(text, marker) {
            out.push((marker, end - marker, ending_for(stem, plural)));
        }
    }
    // "KundInnen": a capital I after a small letter, in the plural only.
    for found in memchr::memmem::find_iter(text, b"Innen") {
        if ends_word(found + 5)
            && let Some(stem) = stem_before(text, found)
        {
            out.push((found, 5, ending_for(stem, true)));
        }
    }
    out.sort_unstable();
    out.dedup_by_key(|w| w.0);
    out
}

/// A byte of a word: an ASCII letter or part of a letter beyond ASCII.
fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || c >= 0x80
}

/// The word that ends at `at`, when it can be the stem of a gender-inclusive form: at least
/// four letters, the last one small ("Kund", "Nutzer"; not "und" in "und/in").
fn stem_before(text: &[u8], at: usize) -> Option<&[u8]> {
    let start = text[..at]
        .iter()
        .rposition(|&c| !is_word_byte(c))
        .map_or(0, |i| i + 1);
    (at >= start + 4 && text[at - 1].is_ascii_lowercase()).then(|| &text[start..at])
}

/// The ending that turns a gender-inclusive form's stem into the form the rules name (see
/// [`gender_forms`]).
fn ending_for(stem: &[u8], plural: bool) -> &'static str {
    let er = stem.len() >= 2 && stem[stem.len() - 2..].eq_ignore_ascii_case(b"er");
    let kund = stem.len() >= 4 && stem[stem.len() - 4..].eq_ignore_ascii_case(b"kund");
    match (plural, er, kund) {
        (_, true, _) => "",
        (true, false, _) => "en",
        (false, false, true) => "e",
        (false, false, false) => "",
    }
}

/// Where a clause number at the start of a line is glued to its first word ("11.1Änderungen",
/// "2.2The terms", "3.Processor Customers": web pages that set the number and the text in two
/// elements side by side), and what makes it a word of its own: (byte offset of the number's
/// last character, 1, that character followed by a space), in order. The number has at least
/// one dot ("3D" or "4K" stay as they are) and the word starts with a capital followed by two
/// small letters, so the line reads "11.1 Aenderungen …" and its number and first word are found
/// as in clean text.
fn glued_clause_numbers(text: &[u8]) -> Vec<(usize, usize, &'static str)> {
    const SPACED: [&str; 11] = [
        "0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 ", "8 ", "9 ", ". ",
    ];
    let line_starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
    let mut out = Vec::new();
    for start in line_starts {
        let line = &text[start..];
        let number = line
            .iter()
            .take_while(|&&c| c.is_ascii_digit() || c == b'.')
            .count();
        let word = &line[number..];
        let glued = number >= 2
            && line[0].is_ascii_digit()
            && line[..number].contains(&b'.')
            && word.first().is_some_and(u8::is_ascii_uppercase)
            && word
                .get(1..3)
                .is_some_and(|w| w.iter().all(u8::is_ascii_lowercase));
        if glued {
            let last = line[number - 1];
            let spaced = if last == b'.' {
                SPACED[10]
            } else {
                SPACED[usize::from(last - b'0')]
            };
            out.push((start + number - 1, 1, spaced));
        }
    }
    out
}

/// Where the Swiss words stand in the folded text: (byte offset, length, GDPR wording), in
/// order. *bearbeit…* counts at the start of a word or after *Auftrags* / *Unterauftrags*;
/// *Personendaten* as a whole word. The words are found by their lower-case tails with
/// `memchr`'s substring search (a capital or small initial; headings in capitals stay as they
/// are), so a text without them costs one fast pass.
fn regional_words(text: &[u8]) -> Vec<(usize, usize, &'static str)> {
    const SWISS: [(&str, &str, bool); 2] = [
        ("bearbeit", "verarbeit", false),
        ("personendaten", "personenbezogene Daten", true),
    ];
    let is_letter = |c: u8| c.is_ascii_alphanumeric() || c >= 0x80;
    let starts_word = |at: usize| at == 0 || !is_letter(text[at - 1]);
    let mut out = Vec::new();
    for (word, replacement, whole) in SWISS {
        let (initial, tail) = word.as_bytes().split_first().expect("non-empty word");
        for found in memchr::memmem::find_iter(text, tail) {
            let Some(at) = found.checked_sub(1) else {
                continue;
            };
            let end = at + word.len();
            if text[at] | 0x20 != *initial {
                continue;
            }
            let after_auftrags = !whole
                && at >= 8
                && text[at - 8..at].eq_ignore_ascii_case(b"auftrags")
                && (starts_word(at - 8)
                    || (at >= 13
                        && text[at - 13..at - 8].eq_ignore_ascii_case(b"unter")
                        && starts_word(at - 13)));
            let ends_word = !whole || end == text.len() || !is_letter(text[end]);
            if (starts_word(at) || after_auftrags) && ends_word {
                out.push((at, word.len(), replacement));
            }
        }
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stretch as first worked out: word by word.
    fn stretch_by_words(bytes: &[u8], start: usize) -> usize {
        let run = |at: usize| {
            let rest = bytes.get(at..).unwrap_or_default();
            let n = rest
                .iter()
                .position(|&b| !verbatim(b))
                .unwrap_or(rest.len());
            match bytes.get(at + n) {
                Some(b) if !b.is_ascii() && n > 0 => n - 1,
                _ => n,
            }
        };
        let mut at = start;
        let mut n = run(at);
        while n > 0 {
            at += n;
            n = 0;
            if bytes.get(at) == Some(&b' ') {
                n = run(at + 1);
                if n > 0 {
                    at += 1;
                }
            }
        }
        at
    }

    #[test]
    fn stretches_end_where_word_by_word_they_did() {
        let pieces = [
            "a", "bc", " ", "  ", "\n", "\t", "é", "\u{301}", "`", "\x0b", "\x01", ".", "defghijk",
        ];
        crate::text::every_joining_of_four(&pieces, |text| {
            let bytes = text.as_bytes();
            for at in (0..bytes.len()).filter(|&i| text.is_char_boundary(i)) {
                assert_eq!(
                    verbatim_stretch(bytes, at),
                    stretch_by_words(bytes, at),
                    "{text:?} from {at}"
                );
            }
        });
        // Long stretches, so the eight-byte steps are taken, with the stop at every place.
        for stop in ["\n", "é", "`", "  ", "\r", "\x0c", " \u{301}"] {
            for len in 0..40 {
                let text = format!("{}{stop}tail words", &"ab cd efg ".repeat(4)[..len]);
                let bytes = text.as_bytes();
                assert_eq!(
                    verbatim_stretch(bytes, 0),
                    stretch_by_words(bytes, 0),
                    "{text:?}"
                );
            }
        }
    }

    fn norm(s: &str) -> String {
        normalise(s).text
    }

    #[test]
    fn folds_umlauts_ligatures_quotes_dashes() {
        assert_eq!(norm("Löschung gemäß"), "Loeschung gemaess");
        assert_eq!(norm("Datenﬂuss"), "Datenfluss");
        assert_eq!(norm("„Auftragsdaten“ – ‘x’"), "\"Auftragsdaten\" - 'x'");
        assert_eq!(norm("a\u{00A0}b"), "a b");
        assert_eq!(norm("Lo\u{0308}schung"), "Loeschung");
    }

    #[test]
    fn rejoins_line_end_hyphenation() {
        assert_eq!(norm("Auftrags-\nverarbeiter"), "Auftragsverarbeiter");
        assert_eq!(norm("Auftrags\u{2010}\nverarbeiter"), "Auftragsverarbeiter");
        assert_eq!(norm("Überwachungs-\nAG"), "Ueberwachungs-\nAG");
        assert_eq!(norm("Vor-\nund Nachname"), "Vor-\nund Nachname");
        assert_eq!(norm("Auftrags\u{00AD}\nverarbeiter"), "Auftragsverarbeiter");
        assert_eq!(norm("Auftrags\u{00AD}verarbeiter"), "Auftragsverarbeiter");
        assert_eq!(norm("der Mit -\ngliedstaaten"), "der Mitgliedstaaten");
    }

    #[test]
    fn swiss_words_read_as_the_gdpr_words_and_quote_the_original() {
        let original =
            "Der Auftragsbearbeiter bearbeitet Personendaten nur auf Weisung. Bearbeitung";
        assert_eq!(norm("Unterauftragsbearbeiter"), "Unterauftragsverarbeiter");
        let n = normalise(original);
        assert_eq!(
            n.text,
            "Der Auftragsverarbeiter verarbeitet Personenbezogene Daten nur auf Weisung. Verarbeitung"
        );
        let at = n.text.find("verarbeitet").unwrap();
        let (from, to) = n.original_range(at, at + "verarbeitet".len());
        assert_eq!(&original[from..to], "bearbeitet");
        let at = n.text.find("Personenbezogene Daten").unwrap();
        let (from, to) = n.original_range(at, at + "Personenbezogene Daten".len());
        assert_eq!(&original[from..to], "Personendaten");
        // Other words with the letters inside are left alone.
        assert_eq!(
            norm("Umarbeitung, Datenbearbeitung"),
            "Umarbeitung, Datenbearbeitung"
        );
    }

    #[test]
    fn gender_inclusive_forms_read_as_the_forms_rules_name_and_quote_the_original() {
        assert_eq!(
            norm("Kund:innen, Nutzer*innen, Mitarbeiter_innen, Lehrer/-innen, Patient/innen"),
            "Kunden, Nutzer, Mitarbeiter, Lehrer, Patienten"
        );
        assert_eq!(
            norm("Mitarbeiter(innen), KundInnen, Koordinator*innen, Kund:in, Nutzer*in"),
            "Mitarbeiter, Kunden, Koordinatoren, Kunde, Nutzer"
        );
        // A capital I alone, a word that only ends in "in" or "innen", a marker without a stem
        // of four letters and a marker in other use are left as they are.
        for kept in [
            "NutzerIn, LogIn, Berlin, binnen, innen, Ab:innen, 12:innen, Mo:in",
            "Hinweis: in der Regel; Daten (in Kopie) und/in",
        ] {
            assert_eq!(norm(kept), kept);
        }
        let original = "Betroffen sind Endkund:innen und Techniker*innen.";
        let n = normalise(original);
        assert_eq!(n.text, "Betroffen sind Endkunden und Techniker.");
        let at = n.text.find("Endkunden").unwrap();
        let (from, to) = n.original_range(at, at + "Endkunden".len());
        assert_eq!(&original[from..to], "Endkund:innen");
        let at = n.text.find("Techniker").unwrap();
        let (from, _) = n.original_range(at, at + "Techniker".len());
        let (_, to) = n.original_range(at, at + "Techniker.".len());
        assert_eq!(&original[from..to], "Techniker*innen.");
    }

    #[test]
    fn folds_whitespace_but_keeps_lines() {
        assert_eq!(norm("  a \t b\nc\n\n\n D "), "a b\nc\n\nD");
        assert_eq!(
            norm("bedürfen einer \n\n\nschriftlichen Vereinbarung.\n\nNeu"),
            "beduerfen einer\nschriftlichen Vereinbarung.\n\nNeu"
        );
    }

    #[test]
    fn every_byte_maps_back_to_where_it_came_from() {
        let original = "Die  Verarbei-\ntung\u{00A0}der  Daten ﬁndet in Zürich\tstatt.\n\nDer Auftragsbearbeiter bearbeitet Personendaten – nur auf Weisung.";
        let n = normalise(original);
        let bytes = n.text.as_bytes();
        let mut last_start = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            let (start, end) = n.original_range(i, i + 1);
            assert!(
                start >= last_start && start <= end && end <= original.len(),
                "{i}"
            );
            last_start = start;
            if end == start + 1 && byte.is_ascii_alphanumeric() {
                assert_eq!(original.as_bytes()[start], byte, "byte {i}");
            }
            // Between two words of the original a space quotes nothing; inside a rewritten
            // word ("personenbezogene Daten") it quotes the word it stands for.
            if byte == b' '
                && bytes[i - 1].is_ascii_alphabetic()
                && bytes[i + 1].is_ascii_alphabetic()
                && original.as_bytes()[start] == b' '
            {
                assert_eq!(start, end, "a separator quotes nothing ({i})");
            }
        }
        let quote = |word: &str| {
            let at = n.text.find(word).unwrap();
            let (s, e) = n.original_range(at, at + word.len());
            &original[s..e]
        };
        assert_eq!(quote("Verarbeitung der"), "Verarbei-\ntung\u{00A0}der");
        assert_eq!(quote("findet"), "ﬁndet");
        assert_eq!(quote("Zuerich"), "Zürich");
        assert_eq!(
            quote("Auftragsverarbeiter verarbeitet"),
            "Auftragsbearbeiter bearbeitet"
        );
        assert_eq!(quote("Daten - nur"), "Personendaten – nur");
        assert_eq!(n.original_range(n.text.len(), n.text.len() + 3), (0, 0));
        let (start, _) = n.original_range(4, 5);
        assert_eq!(n.original_range(4, 4), (start, start));
    }

    #[test]
    fn maps_back_to_original() {
        let original = "Die Löschung\nerfolgt";
        let n = normalise(original);
        let at = n.text.find("Loeschung").unwrap();
        let (s, e) = n.original_range(at, at + "Loeschung".len());
        assert_eq!(&original[s..e], "Löschung");
        let at = n.text.find("erfolgt").unwrap();
        let (s, e) = n.original_range(at, at + 7);
        assert_eq!(&original[s..e], "erfolgt");
    }

    #[test]
    fn a_clause_number_glued_to_its_first_word_stands_apart() {
        let original = "11.1Änderungen bedürfen der Textform.\n2.2The terms apply.\n3.Processor Customers.\n3D-Druck und 4.0Mbit\nVersion 2.0Pro";
        let n = normalise(original);
        assert_eq!(
            n.text,
            "11.1 Aenderungen beduerfen der Textform.\n2.2 The terms apply.\n3. Processor Customers.\n3D-Druck und 4.0Mbit\nVersion 2.0Pro"
        );
        // The quote is the document's own text.
        let at = n.text.find("11.1 Aenderungen").unwrap();
        let (s, e) = n.original_range(at, at + "11.1 Aenderungen".len());
        assert_eq!(&original[s..e], "11.1Änderungen");
    }

    #[test]
    fn fold_pattern_changes_letters_only() {
        assert_eq!(
            fold_pattern(r"(?:Löschung|Rückgabe)\s?gemäß"),
            r"(?:Loeschung|Rueckgabe)\s?gemaess"
        );
    }
}
