//! Text quality: can the extracted text be trusted, or was it garbled or lost on the way?
//!
//! A PDF's text layer can be wrong in ways no parser error reports: fonts without a usable
//! encoding give replacement or private-use characters, some producers' width tables make
//! extractors break words into letters, an unimplemented text operator silently drops whole
//! lines, and a German contract can come back with every umlaut, ß and § missing. Rating such
//! text would misread the agreement, so [`judge`] looks for these signs and the caller tries
//! another extractor (see `fallback`). The thresholds were set on the sample PDFs of eight
//! producers (see `examples/extractors.rs`).

use serde::{Deserialize, Serialize};

use super::{ErrorKind, Page};
use crate::message::Message;
use crate::text::Language;

/// One sign that the text is not what the document says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "issue", rename_all = "snake_case")]
pub enum Issue {
    /// Pages of the page tree whose text could not be extracted.
    FailedPages {
        /// Pages lost.
        failed: usize,
        /// Pages in the document.
        total: usize,
    },
    /// Fewer visible characters than a page of text has (scan, or text lost).
    LittleText {
        /// Visible characters per page.
        per_page: usize,
    },
    /// Replacement, control or private-use characters: the font's encoding was not understood.
    Unreadable {
        /// Share of visible characters, in per mille.
        per_mille: usize,
    },
    /// Many one-letter "words": spaces inserted inside words.
    BrokenWords {
        /// Share of words, in per cent.
        percent: usize,
    },
    /// Many very long "words": spaces between words lost.
    MergedWords {
        /// Share of letters in words over 30 letters, in per cent.
        percent: usize,
    },
    /// German text without a single umlaut or ß: special characters were dropped.
    GermanWithoutUmlauts,
    /// Far fewer characters than the content streams show: text was dropped.
    TextLost {
        /// Extracted visible characters per 100 bytes of shown strings.
        percent: usize,
    },
    /// Pages without a single visible character among pages with text: a scanned page, a
    /// page whose content the extractor could not decode, or a blank page.
    PagesWithoutText {
        /// Their numbers.
        pages: Vec<u32>,
    },
    /// Words, but hardly a German or English function word among them: byte garbage read as
    /// text (a damaged file), not prose.
    Gibberish {
        /// Function words per 100 words.
        percent: usize,
    },
}

impl Issue {
    /// A short description for messages, in `lang`.
    pub fn describe(&self, lang: Language) -> String {
        let de = lang == Language::De;
        match self {
            Issue::FailedPages { failed, total } if de => {
                format!("{failed} von {total} Seiten nicht lesbar")
            }
            Issue::FailedPages { failed, total } => {
                format!("{failed} of {total} pages could not be read")
            }
            Issue::LittleText { per_page } if de => {
                format!("nur {per_page} Zeichen Text je Seite")
            }
            Issue::LittleText { per_page } => {
                format!("only {per_page} characters of text per page")
            }
            Issue::Unreadable { per_mille } => {
                let share = format!(
                    "{}{}{}",
                    per_mille / 10,
                    if de { "," } else { "." },
                    per_mille % 10
                );
                if de {
                    format!("{share} % unlesbare Zeichen")
                } else {
                    format!("{share} % unreadable characters")
                }
            }
            Issue::BrokenWords { percent } if de => {
                format!("{percent} % Wörter aus einem Buchstaben")
            }
            Issue::BrokenWords { percent } => format!("{percent} % one-letter words"),
            Issue::MergedWords { percent } if de => {
                format!("{percent} % der Buchstaben in zusammengeklebten Wörtern")
            }
            Issue::MergedWords { percent } => format!("{percent} % of letters in run-on words"),
            Issue::GermanWithoutUmlauts if de => {
                "deutscher Text ohne ein einziges Umlaut oder ß".to_string()
            }
            Issue::GermanWithoutUmlauts => "German text without any umlaut or ß".to_string(),
            Issue::TextLost { percent } if de => {
                format!("nur {percent} Zeichen je 100 Bytes Text im Seiteninhalt ausgelesen")
            }
            Issue::TextLost { percent } => format!(
                "only {percent} characters extracted per 100 bytes of text in the page content"
            ),
            Issue::PagesWithoutText { pages } if de => {
                format!("Seiten ohne Text: {}", crate::message::page_list(pages))
            }
            Issue::PagesWithoutText { pages } => {
                format!("pages without text: {}", crate::message::page_list(pages))
            }
            Issue::Gibberish { percent } if de => {
                format!(
                    "Zeichensalat: nur {percent} % der Wörter sind deutsche oder englische Funktionswörter"
                )
            }
            Issue::Gibberish { percent } => {
                format!(
                    "gibberish: only {percent} % of the words are German or English function words"
                )
            }
        }
    }

    /// True for issues that make the text itself wrong (as opposed to incomplete).
    pub fn is_garbage(&self) -> bool {
        matches!(
            self,
            Issue::Unreadable { .. }
                | Issue::BrokenWords { .. }
                | Issue::MergedWords { .. }
                | Issue::Gibberish { .. }
        )
    }

    /// True for issues that would make a rating unreliable if no extractor avoids them:
    /// garbage, and systematic loss (every umlaut, or most of the shown text). A few failed
    /// pages are not: the rest of the document is still read as written.
    pub fn spoils_rating(&self) -> bool {
        self.is_garbage() || matches!(self, Issue::GermanWithoutUmlauts | Issue::TextLost { .. })
    }
}

/// The verdict on one extraction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quality {
    /// What is wrong (empty: the text looks sound).
    pub issues: Vec<Issue>,
    /// Words of two to 30 letters: a measure of how much real text there is, used to pick the
    /// better of two extractions.
    pub words: usize,
    /// Visible (non-whitespace) characters.
    pub visible: usize,
    /// Every PDF extractor tried before this text was chosen, in order (this one included):
    /// what each gave. Empty for other formats.
    pub attempts: Vec<Attempt>,
}

/// One extractor's try at a PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// The extractor's name (`pdf-extract`, `pdftotext`, `lopdf`, …).
    pub extractor: &'static str,
    /// What it gave.
    pub outcome: Outcome,
}

/// What one extractor gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Text, with these issues and this many errors the extractor reported about the file
    /// (pdftotext's syntax errors: a sign of damage even where the text looks sound).
    Text {
        /// The text's issues.
        issues: Vec<Issue>,
        /// Errors reported while reading.
        errors: usize,
    },
    /// No text: why.
    Failed {
        /// The kind of failure.
        kind: ErrorKind,
        /// Its message.
        message: Message,
    },
}

impl Quality {
    /// True when nothing looks wrong.
    pub fn is_sound(&self) -> bool {
        self.issues.is_empty()
    }

    /// A score to compare two extractions of the same file: real words, discounted for every
    /// issue (garbage counts more than loss).
    pub fn score(&self) -> f64 {
        let penalty: f64 = self
            .issues
            .iter()
            .map(|i| if i.is_garbage() { 0.5 } else { 0.8 })
            .product();
        self.words as f64 * penalty
    }

    /// The issues as one line.
    pub fn summary(&self) -> String {
        self.issues
            .iter()
            .map(|i| i.describe(Language::En))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The record of one extractor's try: its errors, or why it failed (its text's issues are
/// added by [`judged_attempt`] once the text is judged).
pub(crate) fn attempt(extractor: &'static str, result: Result<usize, &super::Error>) -> Attempt {
    let outcome = match result {
        Ok(errors) => Outcome::Text {
            issues: Vec::new(),
            errors,
        },
        Err(e) => Outcome::Failed {
            kind: e.kind(),
            message: e.message().clone(),
        },
    };
    Attempt { extractor, outcome }
}

/// Adds the issues of `q` to the attempt that produced it.
pub(crate) fn judged_attempt(attempt: Option<&mut Attempt>, q: &Quality) {
    if let Some(Attempt {
        outcome: Outcome::Text { issues, .. },
        ..
    }) = attempt
    {
        issues.clone_from(&q.issues);
    }
}

/// Fewer visible characters per page than this: no usable text layer.
pub const MIN_CHARS_PER_PAGE: usize = 20;
/// More unreadable characters than this (per mille of visible characters): garbled.
const MAX_UNREADABLE_PER_MILLE: usize = 10;
/// More one-letter words than this (per cent of words): words broken into letters.
const MAX_ONE_LETTER_PERCENT: usize = 12;
/// More letters than this (per cent) in words longer than [`RUN_ON_WORD`]: spaces lost.
const MAX_RUN_ON_PERCENT: usize = 15;
/// A word longer than this is a run-on of several words (German compounds stay below it).
const RUN_ON_WORD: usize = 30;
/// Word-level checks need at least this many words to mean anything.
const MIN_WORDS: usize = 40;

/// Fewer German and English function words than this (per cent of words) is no prose: contract
/// text has 20–40 %, a table of figures still has some, byte garbage has none.
const MIN_FUNCTION_WORD_PERCENT: usize = 3;
/// The function-word check needs at least this many words: a damaged file often yields only
/// a few dozen tokens, and those are what it must catch.
const MIN_GIBBERISH_WORDS: usize = 20;

/// Below this many extracted visible characters per 100 bytes of shown strings, text was lost
/// (simple fonts show one byte per glyph, CID fonts two; spaces are not visible).
const MIN_CHARS_PER_100_SHOWN: usize = 25;
/// The lost-text check needs at least this many shown bytes.
const MIN_SHOWN: usize = 400;

/// Judges the text of `pages`; `failed` pages of the page tree could not be read; `shown` is
/// the number of bytes the content streams show with text operators, when known.
pub fn judge(pages: &[Page], failed: usize, shown: Option<usize>) -> Quality {
    let mut q = Quality::default();
    let total = pages.len();
    if failed > 0 {
        q.issues.push(Issue::FailedPages { failed, total });
    }
    let mut unreadable = 0usize;
    let mut umlauts = 0usize;
    let mut words = 0usize;
    let mut one_letter = 0usize;
    let mut letters = 0usize;
    let mut run_on_letters = 0usize;
    let mut german = 0usize;
    let mut english = 0usize;
    for page in pages {
        for c in page.text.chars() {
            if c.is_whitespace() {
                continue;
            }
            q.visible += 1;
            if is_unreadable(c) {
                unreadable += 1;
            }
            if matches!(c, 'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü' | 'ß') {
                umlauts += 1;
            }
        }
        for word in page.text.split(|c: char| !c.is_alphabetic()) {
            let n = word.chars().count();
            if n == 0 {
                continue;
            }
            words += 1;
            letters += n;
            match n {
                1 => one_letter += usize::from(!matches!(word, "a" | "A" | "I")),
                2..=RUN_ON_WORD => q.words += 1,
                _ => run_on_letters += n,
            }
            let lower = word.to_lowercase();
            if GERMAN_WORDS.contains(&lower.as_str()) {
                german += 1;
            } else if ENGLISH_WORDS.contains(&lower.as_str()) {
                english += 1;
            }
        }
    }
    let per_page = q.visible / total.max(1);
    if per_page < MIN_CHARS_PER_PAGE {
        q.issues.push(Issue::LittleText { per_page });
    } else {
        let empty: Vec<u32> = pages
            .iter()
            .filter(|p| p.text.chars().all(char::is_whitespace))
            .map(|p| p.number)
            .collect();
        if !empty.is_empty() {
            q.issues.push(Issue::PagesWithoutText { pages: empty });
        }
    }
    if let Some(shown) = shown.filter(|&s| s >= MIN_SHOWN)
        && q.visible * 100 < shown * MIN_CHARS_PER_100_SHOWN
    {
        q.issues.push(Issue::TextLost {
            percent: q.visible * 100 / shown,
        });
    }
    if q.visible > 0 && unreadable * 1000 > q.visible * MAX_UNREADABLE_PER_MILLE {
        q.issues.push(Issue::Unreadable {
            per_mille: unreadable * 1000 / q.visible,
        });
    }
    if words >= MIN_WORDS {
        let percent = one_letter * 100 / words;
        if percent > MAX_ONE_LETTER_PERCENT {
            q.issues.push(Issue::BrokenWords { percent });
        }
    }
    // Run-on words are few by nature, so this check counts letters, not words.
    if letters >= MIN_WORDS * 8 {
        let percent = run_on_letters * 100 / letters;
        if percent > MAX_RUN_ON_PERCENT {
            q.issues.push(Issue::MergedWords { percent });
        }
    }
    if words >= MIN_GIBBERISH_WORDS {
        let percent = (german + english) * 100 / words;
        if percent < MIN_FUNCTION_WORD_PERCENT {
            q.issues.push(Issue::Gibberish { percent });
        }
    }
    if words >= MIN_WORDS {
        // Real German prose of this length always has umlauts (für, über, Löschung, gemäß);
        // their complete absence means the font encoding dropped them.
        if german >= 20 && german > 2 * english && umlauts == 0 {
            q.issues.push(Issue::GermanWithoutUmlauts);
        }
    }
    q
}

/// Replacement character, controls other than whitespace, private-use code points.
fn is_unreadable(c: char) -> bool {
    c == '\u{FFFD}'
        || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
        || c >= '\u{F0000}'
}

/// Frequent German function words (without umlauts, so they survive a lossy extraction).
const GERMAN_WORDS: &[&str] = &[
    "der", "die", "das", "und", "des", "den", "dem", "nicht", "mit", "von", "ist", "wird",
    "werden", "sich", "auf", "eine", "einer", "oder", "auch", "nach", "bei", "zur", "zum", "im",
];

/// Frequent English function words.
const ENGLISH_WORDS: &[&str] = &[
    "the", "and", "of", "to", "in", "is", "shall", "be", "by", "with", "for", "or", "any", "this",
    "that", "on", "as", "which", "not", "are",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Vec<Page> {
        vec![Page::new(1, text.to_string())]
    }

    const GERMAN: &str = "Der Auftragsverarbeiter verarbeitet die personenbezogenen Daten nur auf \
        dokumentierte Weisung des Verantwortlichen. Er stellt sicher, dass die zur Verarbeitung \
        befugten Personen zur Vertraulichkeit verpflichtet sind. Die Daten werden nach Ende der \
        Leistungen gelöscht oder zurückgegeben, nach Wahl des Verantwortlichen. Das gilt auch \
        für Kopien und Sicherungen, soweit nicht eine Pflicht zur Speicherung besteht. Der \
        Auftragsverarbeiter unterstützt den Verantwortlichen bei der Erfüllung der Rechte der \
        betroffenen Personen und bei den Pflichten nach den Artikeln 32 bis 36 der Verordnung.";

    #[test]
    fn sound_german_text_has_no_issues() {
        let q = judge(&page(GERMAN), 0, None);
        assert!(q.is_sound(), "{q:?}");
        assert!(q.words > 60);
    }

    #[test]
    fn german_without_umlauts_is_lossy() {
        let lost: String = GERMAN
            .chars()
            .filter(|c| !matches!(c, 'ä' | 'ö' | 'ü' | 'ß'))
            .collect();
        let q = judge(&page(&lost), 0, None);
        assert_eq!(q.issues, vec![Issue::GermanWithoutUmlauts]);
    }

    #[test]
    fn letters_spaced_apart_are_broken_words() {
        let spaced: String = GERMAN.chars().flat_map(|c| [c, ' ']).collect::<String>();
        let q = judge(&page(&spaced), 0, None);
        assert!(
            q.issues
                .iter()
                .any(|i| matches!(i, Issue::BrokenWords { .. })),
            "{q:?}"
        );
    }

    #[test]
    fn run_on_words_and_unreadable_characters_are_garbage() {
        let merged: String = GERMAN.replace(' ', "");
        let q = judge(&page(&merged), 0, None);
        assert!(q.issues.iter().any(Issue::is_garbage), "{q:?}");
        let private: String = GERMAN
            .chars()
            .map(|c| if c == 'e' { '\u{E001}' } else { c })
            .collect();
        let q = judge(&page(&private), 0, None);
        assert!(
            q.issues
                .iter()
                .any(|i| matches!(i, Issue::Unreadable { .. })),
            "{q:?}"
        );
    }

    #[test]
    fn empty_pages_and_failed_pages_are_reported() {
        let pages = vec![Page::new(1, String::new()), Page::new(2, " ".into())];
        let q = judge(&pages, 1, None);
        assert_eq!(
            q.issues,
            vec![
                Issue::FailedPages {
                    failed: 1,
                    total: 2
                },
                Issue::LittleText { per_page: 0 }
            ]
        );
        assert!(judge(&page(GERMAN), 0, None).score() > q.score());
        let lost = judge(&page("Vertrag"), 0, Some(4000));
        assert_eq!(lost.issues[1], Issue::TextLost { percent: 0 });
    }
}
