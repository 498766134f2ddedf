//! The words for accepted deviations (waivers) in the reports for people, in German and
//! English: the note under an accepted finding and the warnings about expired or unused
//! waivers. Kept apart from [`super::labels`] so every format says the same thing.

use crate::assess::Acceptance;
use crate::text::Language;
use crate::waiver::{Notice, NoticeKind};

/// "ACCEPTED" / "AKZEPTIERT": the badge of a finding a valid waiver covers.
pub fn badge(lang: Language) -> &'static str {
    match lang {
        Language::De => "AKZEPTIERT",
        Language::En => "ACCEPTED",
    }
}

/// The note under a finding a waiver covers: reason, who, until when, where it is written;
/// for an expired waiver, that the finding counts again.
pub fn note(a: &Acceptance, lang: Language) -> String {
    match (lang, a.expired) {
        (Language::De, false) => format!(
            "Akzeptierte Abweichung: {} (akzeptiert von {}, gültig bis {}; {})",
            a.reason, a.accepted_by, a.expires, a.source
        ),
        (Language::En, false) => format!(
            "Accepted deviation: {} (accepted by {}, valid until {}; {})",
            a.reason, a.accepted_by, a.expires, a.source
        ),
        (Language::De, true) => format!(
            "Akzeptanz abgelaufen am {}, der Befund zählt wieder: {} (akzeptiert von {}; {})",
            a.expires, a.reason, a.accepted_by, a.source
        ),
        (Language::En, true) => format!(
            "Acceptance expired on {}, the finding counts again: {} (accepted by {}; {})",
            a.expires, a.reason, a.accepted_by, a.source
        ),
    }
}

/// The heading above the waiver warnings.
pub fn notices_heading(lang: Language) -> &'static str {
    match lang {
        Language::De => "Akzeptierte Abweichungen, die Aufmerksamkeit brauchen",
        Language::En => "Accepted deviations that need attention",
    }
}

/// One warning about a waiver, in `lang`.
pub fn notice(n: &Notice, lang: Language) -> String {
    match (lang, n.kind) {
        (Language::De, NoticeKind::Expired) => format!(
            "{}: Ausnahme für {} am {} abgelaufen; {} Befund(e) zählen wieder – verlängern oder entfernen",
            n.source, n.target, n.expires, n.matched
        ),
        (Language::En, NoticeKind::Expired) => format!(
            "{}: waiver for {} expired on {}; {} finding(s) count again – renew or remove it",
            n.source, n.target, n.expires, n.matched
        ),
        (Language::De, NoticeKind::Unused) => format!(
            "{}: Ausnahme für {} trifft auf keinen Befund zu – entfernen, wenn die Abweichung behoben ist",
            n.source, n.target
        ),
        (Language::En, NoticeKind::Unused) => format!(
            "{}: waiver for {} matched no finding – remove it if the deviation is gone",
            n.source, n.target
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_name_reason_person_date_and_source_in_both_languages() {
        let mut a = Acceptance {
            reason: "low risk".into(),
            accepted_by: "DPO".into(),
            expires: "2027-06-30".into(),
            source: "ampel.toml:2".into(),
            expired: false,
        };
        for lang in [Language::De, Language::En] {
            let text = note(&a, lang);
            for part in ["low risk", "DPO", "2027-06-30", "ampel.toml:2"] {
                assert!(text.contains(part), "{text}");
            }
        }
        a.expired = true;
        assert!(note(&a, Language::En).contains("counts again"));
        assert!(note(&a, Language::De).contains("zählt wieder"));
    }
}
