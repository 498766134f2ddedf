//! Fixed regexes that compile for ASCII first: [`AsciiFirst`].
//!
//! The segmenter and the engine's negation check use case-insensitive regexes with Unicode
//! classes (`\w`, `[^"]{1,80}`, `\p{Lu}`); compiled in full, some of them take milliseconds —
//! more than a scan of a short agreement. Most subjects they see are pure ASCII (normalised
//! text folds umlauts, quotes and dashes), and on ASCII a regex whose classes are cut down to
//! ASCII matches exactly where the full one does, at a fraction of the compile time. So each
//! regex is compiled in that form when first used on ASCII, and in full only when a subject
//! outside ASCII comes along.

use std::sync::OnceLock;

use regex::{Captures, Match, Matches, Regex};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir};

use super::coded::to_ascii;

/// A regex with an ASCII-only automaton for ASCII subjects and the full one for others.
#[derive(Debug)]
pub struct AsciiFirst {
    pattern: &'static str,
    ascii: OnceLock<Option<Regex>>,
    unicode: OnceLock<Regex>,
}

impl AsciiFirst {
    /// A regex for `pattern` (Rust `regex` syntax; it must be valid — a fixed pattern of ours).
    pub const fn new(pattern: &'static str) -> AsciiFirst {
        AsciiFirst {
            pattern,
            ascii: OnceLock::new(),
            unicode: OnceLock::new(),
        }
    }

    /// The automaton for `subject`.
    pub fn regex_for(&self, subject: &str) -> &Regex {
        if subject.is_ascii()
            && let Some(ascii) = self.ascii.get_or_init(|| ascii_regex(self.pattern))
        {
            return ascii;
        }
        self.unicode.get_or_init(|| {
            Regex::new(self.pattern)
                .unwrap_or_else(|e| panic!("fixed regex `{}`: {e}", self.pattern))
        })
    }

    /// As [`Regex::is_match`].
    pub fn is_match(&self, subject: &str) -> bool {
        self.regex_for(subject).is_match(subject)
    }

    /// As [`Regex::find`].
    pub fn find<'h>(&self, subject: &'h str) -> Option<Match<'h>> {
        self.regex_for(subject).find(subject)
    }

    /// As [`Regex::find_iter`].
    pub fn find_iter<'r, 'h>(&'r self, subject: &'h str) -> Matches<'r, 'h> {
        self.regex_for(subject).find_iter(subject)
    }

    /// As [`Regex::captures`].
    pub fn captures<'h>(&self, subject: &'h str) -> Option<Captures<'h>> {
        self.regex_for(subject).captures(subject)
    }
}

/// `pattern` with its classes cut to ASCII: the same matches on ASCII subjects.
fn ascii_regex(pattern: &str) -> Option<Regex> {
    let hir = regex_syntax::parse(pattern).ok()?;
    Regex::new(&ascii_only(&hir).to_string()).ok()
}

/// `hir` for ASCII subjects: classes cut to ASCII, non-ASCII literals impossible, Unicode word
/// boundaries made ASCII ones. Every character of an ASCII subject is ASCII, and there Unicode
/// and ASCII classes, word characters and case folding agree.
fn ascii_only(hir: &Hir) -> Hir {
    to_ascii(hir, &|class| {
        let mut class = class.clone();
        class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
        Hir::class(Class::Unicode(class))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_full_regexes_agree_on_ascii_and_the_full_one_reads_the_rest() {
        static R: AsciiFirst =
            AsciiFirst::new(r#"(?i)^\W{0,6}"[^"]{1,80}"\s*(means|bezeichnet)\b|\bDa\w+\b"#);
        let full = Regex::new(R.pattern).unwrap();
        for subject in [
            "  \"Customer Data\" MEANS all data",
            "(a) \"X\" bezeichnet",
            "Daten, DATA, da",
            "\"Kundendaten\" means",
        ] {
            let got: Vec<_> = R.find_iter(subject).map(|m| m.range()).collect();
            let want: Vec<_> = full.find_iter(subject).map(|m| m.range()).collect();
            assert_eq!(got, want, "{subject}");
        }
        assert!(R.is_match("Datés"));
        assert_eq!(R.find("x Datés y").map(|m| m.as_str()), Some("Datés"));
        let caps = AsciiFirst::new(r"(?P<n>\d+)\s(?P<u>\w+)");
        assert_eq!(&caps.captures("in 24 hours").unwrap()["u"], "hours");
    }
}
