//! Language detection by stop words: enough to tell a German AVV from an English DPA.

use serde::Serialize;

use super::normalise::{HIGH, ONES, chunk};
use super::word_key;

/// A document language ampel writes reports in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// German.
    De,
    /// English.
    En,
}

impl Language {
    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    /// Parses `de` or `en`.
    pub fn from_code(code: &str) -> Option<Language> {
        match code {
            "de" => Some(Language::De),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// German stop words (umlauts folded).
const GERMAN: &[&str] = &[
    "der", "die", "das", "und", "ist", "nicht", "mit", "von", "zu", "den", "des", "im", "fuer",
    "auf", "werden", "wird", "dem", "eine", "ein", "sich", "sind", "oder", "bei", "dieser",
    "durch", "nach", "soweit", "sowie", "auch", "einer", "vom", "zur", "zum", "gemaess",
];

/// English stop words.
const ENGLISH: &[&str] = &[
    "the", "and", "of", "to", "is", "not", "with", "for", "on", "be", "will", "shall", "any", "by",
    "this", "that", "are", "or", "its", "such", "from", "as", "which", "under", "may", "all",
    "other", "an", "at",
];

/// Multiplier of the stop-word hash: with it the top [`SLOT_BITS`] bits of `key × HASH` differ
/// for every stop word of both lists (found by trying odd numbers; [`table`] refuses to compile
/// when a change of the lists makes two collide).
const HASH: u64 = 0x9f55_c5fc_2057_2aeb;
/// Bits of the slot number: 256 slots.
const SLOT_BITS: u32 = 8;

const fn slot(key: u64) -> usize {
    (key.wrapping_mul(HASH) >> (64 - SLOT_BITS)) as usize
}

/// Language codes in [`TABLE`]: 0 marks an empty slot.
const LANGUAGE_DE: u8 = 1;
const LANGUAGE_EN: u8 = 2;

/// Each stop word's [`word_key`] in its slot, with its language code (key 0, no word's, and
/// code 0 mark an empty slot).
const fn table() -> [(u64, u8); 1 << SLOT_BITS] {
    let mut out = [(0u64, 0u8); 1 << SLOT_BITS];
    let lists: [(&[&str], u8); 2] = [(GERMAN, LANGUAGE_DE), (ENGLISH, LANGUAGE_EN)];
    let mut l = 0;
    while l < lists.len() {
        let (words, language) = lists[l];
        let mut i = 0;
        while i < words.len() {
            assert!(
                words[i].len() <= LONGEST,
                "a stop word is longer than LONGEST"
            );
            let k = word_key(words[i].as_bytes());
            let s = slot(k);
            assert!(
                out[s].0 == 0,
                "two stop words share a slot: choose another HASH"
            );
            out[s] = (k, language);
            i += 1;
        }
        l += 1;
    }
    out
}

static TABLE: [(u64, u8); 1 << SLOT_BITS] = table();

/// The language whose stop word has [`word_key`] `k` (of a lower-case ASCII word of at most
/// [`LONGEST`] bytes): one look into [`TABLE`].
#[cfg(test)]
fn stop_word(k: u64) -> Option<Language> {
    match TABLE[slot(k)] {
        (key, LANGUAGE_DE) if key == k => Some(Language::De),
        (key, LANGUAGE_EN) if key == k => Some(Language::En),
        _ => None,
    }
}

/// Longest stop word, in bytes.
const LONGEST: usize = 7;

/// The high bit of every byte of `x` that is an ASCII letter. Lower-cased and cut to seven
/// bits, a byte is a letter when adding 0x1f sets its high bit (at least `a`) and adding 5
/// does not (at most `z`); no sum carries into the next byte. Bytes outside ASCII are cleared.
fn ascii_letters(x: u64) -> u64 {
    let y = (x | (ONES * 0x20)) & !HIGH;
    y.wrapping_add(ONES * 0x1f) & !y.wrapping_add(ONES * 0x05) & !x & HIGH
}

/// Stop-word counts of (German, English) in `text` (normalised, umlauts folded).
///
/// Words are runs of letters (in the Unicode sense); a word of ASCII letters up to
/// [`LONGEST`] bytes is lower-cased into a number and looked up. One pass over the bytes, no
/// allocation: this runs over every document. Eight bytes at a time, the starts of ASCII
/// letter runs are found as bit masks ([`ascii_letters`]); each run is then read from one
/// eight-byte load, whose letters give its length and, lower-cased, its key. A run next to a
/// character outside ASCII is part of a longer word when that character is a letter, which is
/// decoded only then (no stop word then).
pub fn counts(text: &str) -> (usize, usize) {
    // Hits by language code (0: none, see [`TABLE`]).
    let mut found = [0usize; 3];
    let bytes = text.as_bytes();
    let n = bytes.len();
    // Whether a letter outside ASCII ends right before `i` or starts at `i`.
    let letter_before = |i: usize| {
        bytes[i - 1] >= 0x80
            && text[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic)
    };
    let letter_at = |i: usize| {
        i < n && bytes[i] >= 0x80 && text[i..].chars().next().is_some_and(char::is_alphabetic)
    };
    // The eight bytes from `i` on, padded with zero bytes (no letters) past the end.
    let load = |i: usize| {
        if i + 8 <= n {
            chunk(bytes, i)
        } else {
            let mut word = [0u8; 8];
            word[..n - i].copy_from_slice(&bytes[i..]);
            u64::from_le_bytes(word)
        }
    };
    // Whether the byte before the current eight is an ASCII letter (its high bit at byte 0).
    let mut letter_carry = 0u64;
    let mut i = 0;
    while i < n {
        let letters = ascii_letters(load(i));
        let mut starts = letters & !((letters << 8) | letter_carry);
        letter_carry = letters >> 56;
        while starts != 0 {
            let start = i + (starts.trailing_zeros() / 8) as usize;
            starts &= starts - 1;
            let word = load(start);
            // The run's length: its leading letters, eight when the load holds no other byte.
            // A run longer than LONGEST is no stop word; nor is one that a letter outside
            // ASCII continues on either side.
            let len = ((!ascii_letters(word) & HIGH).trailing_zeros() / 8) as usize;
            if len > LONGEST || (start > 0 && letter_before(start)) || letter_at(start + len) {
                continue;
            }
            let key = (word | (ONES * 0x20)) & (u64::MAX >> (64 - 8 * len));
            // Counted without a branch: a miss adds to the slot for "no language".
            let (stop, language) = TABLE[slot(key)];
            found[usize::from(stop == key) * usize::from(language)] += 1;
        }
        i += 8;
    }
    (found[LANGUAGE_DE as usize], found[LANGUAGE_EN as usize])
}

/// The main language of `text`, or `None` when there are too few stop words to tell.
pub fn detect(text: &str) -> Option<Language> {
    let (de, en) = counts(text);
    if de.max(en) < 2 {
        None
    } else if de >= en {
        Some(Language::De)
    } else {
        Some(Language::En)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts as first written: a character at a time.
    fn counts_by_char(text: &str) -> (usize, usize) {
        let (mut de, mut en) = (0, 0);
        for w in text.split(|c: char| !c.is_alphabetic()) {
            if w.is_ascii() && (1..=LONGEST).contains(&w.len()) {
                match stop_word(word_key(w.to_ascii_lowercase().as_bytes())) {
                    Some(Language::De) => de += 1,
                    Some(Language::En) => en += 1,
                    None => {}
                }
            }
        }
        (de, en)
    }

    #[test]
    fn counts_as_a_character_at_a_time() {
        let pieces = [
            "the", "Der", "und", "é", "ß", " ", ".", "\u{2013}", "\u{301}", "x", "AND", "1", "@",
            "[", "`", "{", "Z", "z", "\u{7f}", "shallnot",
        ];
        crate::text::every_joining_of_four(&pieces, |text| {
            assert_eq!(counts(text), counts_by_char(text), "{text:?}");
        });
        // Longer texts, so that words and gaps cross the eight-byte steps anywhere.
        let long = "Der Auftragsverarbeiter und die Daten: the processor AND THE data, \
                    naïve café über der Straße; ΑΒΓ the αβγ und § 3 Abs. 2 — shall not.";
        for start in 0..long.len() {
            if long.is_char_boundary(start) {
                let t = &long[start..];
                assert_eq!(counts(t), counts_by_char(t), "{t:?}");
            }
        }
    }

    #[test]
    fn tells_german_from_english() {
        assert_eq!(
            detect("Der Auftragsverarbeiter verarbeitet die Daten nur auf Weisung."),
            Some(Language::De)
        );
        assert_eq!(
            detect("The processor shall process the data only on instructions."),
            Some(Language::En)
        );
        assert_eq!(detect("Invoice 2026-11"), None);
    }
}
