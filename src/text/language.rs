//! Language detection by stop words: enough to tell a German AVV from an English DPA.

use serde::Serialize;

use super::{sorted_keys, word_key};

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

const GERMAN_KEYS: [u64; GERMAN.len()] = sorted_keys(GERMAN);
const ENGLISH_KEYS: [u64; ENGLISH.len()] = sorted_keys(ENGLISH);

/// The language whose stop word `w` (lower-case ASCII, at most [`LONGEST`] bytes) is.
fn stop_word(w: &[u8]) -> Option<Language> {
    let k = word_key(w);
    if GERMAN_KEYS.binary_search(&k).is_ok() {
        Some(Language::De)
    } else if ENGLISH_KEYS.binary_search(&k).is_ok() {
        Some(Language::En)
    } else {
        None
    }
}

/// Longest stop word, in bytes.
const LONGEST: usize = 7;

/// Stop-word counts of (German, English) in `text` (normalised, umlauts folded).
///
/// Words are runs of letters (in the Unicode sense); a word of ASCII letters up to
/// [`LONGEST`] bytes is lower-cased into a number and looked up. One pass over the bytes, no
/// allocation: this runs over every document.
pub fn counts(text: &str) -> (usize, usize) {
    let (mut de, mut en) = (0, 0);
    let mut count = |word: &[u8]| match stop_word(word) {
        Some(Language::De) => de += 1,
        Some(Language::En) => en += 1,
        None => {}
    };
    let bytes = text.as_bytes();
    let mut word = [0u8; LONGEST];
    // Bytes of the current word (past LONGEST it cannot be a stop word), and whether it is
    // all ASCII.
    let (mut len, mut ascii) = (0usize, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (letter, width) = if b.is_ascii() {
            (b.is_ascii_alphabetic(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            ascii = ascii && !c.is_alphabetic();
            (c.is_alphabetic(), c.len_utf8())
        };
        if letter {
            if len < LONGEST && b.is_ascii() {
                word[len] = b.to_ascii_lowercase();
            }
            len += width;
        } else {
            if ascii && (1..=LONGEST).contains(&len) {
                count(&word[..len]);
            }
            len = 0;
            ascii = true;
        }
        i += width;
    }
    if ascii && (1..=LONGEST).contains(&len) {
        count(&word[..len]);
    }
    (de, en)
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
