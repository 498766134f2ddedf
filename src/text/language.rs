//! Language detection by stop words: enough to tell a German AVV from an English DPA.

use serde::Serialize;

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

const GERMAN: &[&str] = &[
    "der", "die", "das", "und", "ist", "nicht", "mit", "von", "zu", "den", "des", "im", "fuer",
    "auf", "werden", "wird", "dem", "eine", "ein", "sich", "sind", "oder", "bei", "dieser",
    "durch", "nach", "soweit", "sowie", "auch", "einer", "vom", "zur", "zum", "gemaess",
];

const ENGLISH: &[&str] = &[
    "the", "and", "of", "to", "is", "not", "with", "for", "on", "be", "will", "shall", "any", "by",
    "this", "that", "are", "or", "its", "such", "from", "as", "which", "under", "may", "all",
    "other", "an", "at",
];

/// Stop-word counts of (German, English) in `text` (normalised, umlauts folded).
pub fn counts(text: &str) -> (usize, usize) {
    let mut de = 0;
    let mut en = 0;
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty() && w.len() <= 7)
    {
        let lower = word.to_ascii_lowercase();
        if GERMAN.contains(&lower.as_str()) {
            de += 1;
        } else if ENGLISH.contains(&lower.as_str()) {
            en += 1;
        }
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
