//! The words of the reports for people (text, HTML, Markdown) in German and English, and the
//! one place that decides how a checklist line is named, so every format says the same thing.

use crate::assess::{Ampel, CheckItem, CheckStatus, Finding, FindingKind};
use crate::document::DocumentReport;
use crate::rules::Severity;
use crate::text::Language;

/// The fixed words of a report in one language.
#[derive(Debug)]
pub struct Labels {
    /// Report title.
    pub title: &'static str,
    /// Ampel names, indexed by [`Ampel`] as `usize` (green, yellow, red), upper case.
    pub ampel: [&'static str; 3],
    /// Ampel names in running text, indexed like [`Labels::ampel`].
    pub ampel_word: [&'static str; 3],
    /// Shown instead of an Ampel when a document was not analysed.
    pub unknown: &'static str,
    /// `info` severity.
    pub info: &'static str,
    /// Heading of the checklist.
    pub checklist: &'static str,
    /// Heading of the findings.
    pub findings: &'static str,
    /// Heading of the overview table.
    pub overview: &'static str,
    /// Checklist: clause found.
    pub present: &'static str,
    /// Checklist: clause missing (a defect).
    pub missing: &'static str,
    /// Checklist: clause undermined by wording.
    pub flagged: &'static str,
    /// Checklist: nothing found, and that is no defect.
    pub not_addressed: &'static str,
    /// Checklist: the findings are accepted deviations (waivers).
    pub accepted: &'static str,
    /// Abbreviation of "page".
    pub page: &'static str,
    /// "page" (one).
    pub one_page: &'static str,
    /// "pages".
    pub pages: &'static str,
    /// "Recommendation".
    pub recommendation: &'static str,
    /// Heading of a rule's rationale.
    pub rationale: &'static str,
    /// Where a clause was found (column heading).
    pub found_at: &'static str,
    /// Back to the overview.
    pub back: &'static str,
    /// "Legal basis".
    pub legal_basis: &'static str,
    /// "Rule".
    pub rule: &'static str,
    /// "Requirement".
    pub requirement: &'static str,
    /// "Document".
    pub document: &'static str,
    /// "Status".
    pub status: &'static str,
    /// "Main reasons".
    pub reasons: &'static str,
    /// "Language".
    pub language: &'static str,
    /// "Format".
    pub format: &'static str,
    /// When a document has no findings.
    pub no_findings: &'static str,
    /// "document" (one, in running text).
    pub one_document: &'static str,
    /// "documents".
    pub documents: &'static str,
    /// "not rated".
    pub not_rated: &'static str,
    /// Placeholder of the filter box.
    pub filter: &'static str,
    /// "all" (filter button).
    pub all: &'static str,
    /// "and N more".
    pub more: &'static str,
    /// "written by".
    pub written_by: &'static str,
    /// Note that the tool gives no legal advice.
    pub disclaimer: &'static str,
    /// Before the elements of a requirement that were not found.
    pub not_found: &'static str,
    /// Before the sections a missing clause was looked for in.
    pub looked_in: &'static str,
    /// When no section heading is about a missing requirement.
    pub no_heading: &'static str,
    /// Beside the light of a document whose text was not fully read.
    pub partly_read: &'static str,
    /// Heading of a document's warnings.
    pub warnings: &'static str,
}

/// German.
pub const DE: Labels = Labels {
    title: "Prüfbericht Auftragsverarbeitungsverträge (Art. 28 DSGVO)",
    ampel: ["GRÜN", "GELB", "ROT"],
    ampel_word: ["grün", "gelb", "rot"],
    unknown: "NICHT BEWERTET",
    info: "HINWEIS",
    checklist: "Checkliste",
    findings: "Befunde",
    overview: "Übersicht",
    present: "vorhanden",
    missing: "fehlt",
    flagged: "beanstandet",
    not_addressed: "nicht geregelt",
    accepted: "akzeptiert",
    page: "S.",
    one_page: "Seite",
    pages: "Seiten",
    recommendation: "Empfehlung",
    rationale: "Warum das zählt",
    found_at: "Fundstelle",
    back: "zur Übersicht",
    legal_basis: "Rechtsgrundlage",
    rule: "Regel",
    requirement: "Anforderung",
    document: "Dokument",
    status: "Status",
    reasons: "Wesentliche Gründe",
    language: "Sprache",
    format: "Format",
    no_findings: "Keine Mängel gefunden.",
    one_document: "Dokument",
    documents: "Dokumente",
    not_rated: "nicht bewertet",
    filter: "Dokumente filtern …",
    all: "alle",
    more: "weitere",
    written_by: "erstellt mit",
    disclaimer: "Automatische Vorprüfung anhand von Formulierungen; keine Rechtsberatung. Jeder Befund nennt Fundstelle und Rechtsgrundlage zur Prüfung durch einen Menschen.",
    not_found: "Nicht gefunden",
    looked_in: "Gesucht in",
    no_heading: "Gesucht im ganzen Text; kein Abschnitt ist mit diesem Thema überschrieben",
    partly_read: "teilweise gelesen",
    warnings: "Warnungen",
};

/// English.
pub const EN: Labels = Labels {
    title: "Data processing agreement review (Art. 28 GDPR)",
    ampel: ["GREEN", "YELLOW", "RED"],
    ampel_word: ["green", "yellow", "red"],
    unknown: "NOT RATED",
    info: "INFO",
    checklist: "Checklist",
    findings: "Findings",
    overview: "Overview",
    present: "present",
    missing: "missing",
    flagged: "flagged",
    not_addressed: "not addressed",
    accepted: "accepted",
    page: "p.",
    one_page: "page",
    pages: "pages",
    recommendation: "Recommendation",
    rationale: "Why it matters",
    found_at: "Found at",
    back: "back to the overview",
    legal_basis: "Legal basis",
    rule: "Rule",
    requirement: "Requirement",
    document: "Document",
    status: "Status",
    reasons: "Main reasons",
    language: "Language",
    format: "Format",
    no_findings: "No defects found.",
    one_document: "document",
    documents: "documents",
    not_rated: "not rated",
    filter: "Filter documents …",
    all: "all",
    more: "more",
    written_by: "written by",
    disclaimer: "Automated first review based on wording; not legal advice. Every finding names its place and legal basis for a person to check.",
    not_found: "Not found",
    looked_in: "Looked in",
    no_heading: "Looked through the whole text; no section heading is about this",
    partly_read: "partly read",
    warnings: "Warnings",
};

/// The labels of `lang`.
pub fn labels(lang: Language) -> &'static Labels {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

impl Labels {
    /// For a missing finding: which elements were not found and where ampel looked, one line
    /// each, so a reader can check the claim in seconds. Empty for red flags.
    pub fn where_looked(&self, finding: &Finding, lang: Language) -> Vec<String> {
        if finding.kind != FindingKind::Missing {
            return Vec::new();
        }
        let mut lines = Vec::new();
        if !finding.missing_elements.is_empty() {
            let names: Vec<&str> = finding
                .missing_elements
                .iter()
                .map(|e| match lang {
                    Language::De => e.title.de.as_str(),
                    Language::En => e.title.en.as_str(),
                })
                .collect();
            lines.push(format!("{}: {}", self.not_found, names.join("; ")));
        }
        if finding.looked_in.is_empty() {
            lines.push(format!("{}.", self.no_heading));
        } else {
            lines.push(format!(
                "{}: {}",
                self.looked_in,
                finding.looked_in.join("; ")
            ));
        }
        lines
    }

    /// The line that says how often readers of published agreements confirmed a defect where
    /// the finding's check reported one (none when it has no track record).
    pub fn track_record(&self, finding: &Finding, lang: Language) -> Option<String> {
        let t = finding.track_record?;
        let measured = crate::rules::track::measured();
        Some(match lang {
            Language::De => format!(
                "Erfahrungswert: In {} von {} veröffentlichten Verträgen, in denen diese Prüfung anschlug, fanden zwei Leser den Mangel auch (Verträge, an denen die Regeln entwickelt wurden; Stand {measured})",
                t.confirmed, t.agreements
            ),
            Language::En => format!(
                "Track record: in {} of {} published agreements where this check fired, two readers found the defect too (agreements the rules were developed on; {measured})",
                t.confirmed, t.agreements
            ),
        })
    }

    /// The upper-case name of a severity (`ROT`, `YELLOW`, `INFO`).
    pub fn severity(&self, severity: Severity) -> &'static str {
        match severity {
            Severity::Red => self.ampel[Ampel::Red as usize],
            Severity::Yellow => self.ampel[Ampel::Yellow as usize],
            Severity::Info => self.info,
        }
    }

    /// "1 page", "9 pages".
    /// "1 document", "3 documents".
    pub fn document_count(&self, n: usize) -> String {
        let word = if n == 1 {
            self.one_document
        } else {
            self.documents
        };
        format!("{n} {word}")
    }

    /// "1 page", "3 pages".
    pub fn page_count(&self, n: usize) -> String {
        let word = if n == 1 { self.one_page } else { self.pages };
        format!("{n} {word}")
    }

    /// "p. 3, § 4 Weisungen" for a quote's place.
    pub fn place(&self, page: u32, section: Option<&str>) -> String {
        match section {
            Some(s) => format!("{} {page}, {s}", self.page),
            None => format!("{} {page}", self.page),
        }
    }
}

/// The language of one document's texts: the forced one, else the document's, else English.
pub fn document_language(forced: Option<Language>, report: &DocumentReport) -> Language {
    forced.or(report.language).unwrap_or(Language::En)
}

/// Counts the documents' languages to choose the language of a whole batch report's frame
/// (title, headings, overview) when `--lang` is not given.
#[derive(Debug, Clone, Copy, Default)]
pub struct LanguageTally {
    de: usize,
    en: usize,
}

impl LanguageTally {
    /// Counts one document.
    pub fn add(&mut self, language: Option<Language>) {
        match language {
            Some(Language::De) => self.de += 1,
            Some(Language::En) => self.en += 1,
            None => {}
        }
    }

    /// The forced language, else the most common one, else English.
    pub fn pick(&self, forced: Option<Language>) -> Language {
        forced.unwrap_or(if self.de > self.en {
            Language::De
        } else {
            Language::En
        })
    }
}

/// How a checklist line reads: its status together with what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckMark {
    /// A clause meets the requirement.
    Present,
    /// Wording undermines the requirement; the worst finding's severity.
    Flagged(Severity),
    /// The clause is missing and that is a defect of this severity.
    Missing(Severity),
    /// Nothing found, and that costs nothing (requirements checked only for red flags).
    NotAddressed,
    /// Its findings are all accepted deviations (waivers): they cost nothing.
    Accepted,
}

impl CheckMark {
    /// The mark of `item`, given the document's findings.
    pub fn of(item: &CheckItem, findings: &[Finding]) -> CheckMark {
        let finding = findings.iter().find(|f| {
            f.requirement == item.requirement && f.severity > Severity::Info && f.counts()
        });
        let accepted = findings
            .iter()
            .any(|f| f.requirement == item.requirement && !f.counts());
        match (item.status, finding) {
            (CheckStatus::Flagged | CheckStatus::Missing, None) if accepted => CheckMark::Accepted,
            (CheckStatus::Present, _) => CheckMark::Present,
            (CheckStatus::Flagged, Some(f)) => CheckMark::Flagged(f.severity),
            (CheckStatus::Flagged, None) => CheckMark::Flagged(Severity::Yellow),
            (CheckStatus::Missing, Some(f)) => CheckMark::Missing(f.severity),
            (CheckStatus::Missing, None) => CheckMark::NotAddressed,
        }
    }

    /// A one-character symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            CheckMark::Present => "✓",
            CheckMark::Flagged(_) => "!",
            CheckMark::Missing(_) => "✗",
            CheckMark::NotAddressed => "–",
            CheckMark::Accepted => "≈",
        }
    }

    /// The word for it in `l`.
    pub fn word(self, l: &Labels) -> &'static str {
        match self {
            CheckMark::Present => l.present,
            CheckMark::Flagged(_) => l.flagged,
            CheckMark::Missing(_) => l.missing,
            CheckMark::NotAddressed => l.not_addressed,
            CheckMark::Accepted => l.accepted,
        }
    }

    /// The severity it costs, if any.
    pub fn severity(self) -> Option<Severity> {
        match self {
            CheckMark::Flagged(s) | CheckMark::Missing(s) => Some(s),
            CheckMark::Present | CheckMark::NotAddressed | CheckMark::Accepted => None,
        }
    }
}

/// A finding's title as a reader sees it: missing clauses say so.
pub fn finding_title(f: &Finding, lang: Language, l: &Labels) -> String {
    let title = super::wire::pick(&f.title, lang);
    match f.kind {
        FindingKind::Missing => format!("{title} ({})", l.missing),
        FindingKind::RedFlag => title.to_string(),
    }
}

/// Counts of a document's findings per severity: (red, yellow, info). Accepted deviations
/// (waivers) are not counted.
pub fn severity_counts(findings: &[Finding]) -> (usize, usize, usize) {
    findings
        .iter()
        .filter(|f| f.counts())
        .fold((0, 0, 0), |(r, y, i), f| match f.severity {
            Severity::Red => (r + 1, y, i),
            Severity::Yellow => (r, y + 1, i),
            Severity::Info => (r, y, i + 1),
        })
}

/// The main reasons for a document's Ampel: the distinct titles of its findings that cost
/// something, worst first, at most `max`, and how many more there are. A document that was not
/// analysed has its status message as its reason.
pub fn main_reasons(report: &DocumentReport, lang: Language, max: usize) -> (Vec<String>, usize) {
    let l = labels(lang);
    let Some(a) = &report.assessment else {
        let message = report.message_text(lang).unwrap_or_default();
        return (vec![message], 0);
    };
    // Worst first; at the same severity a quoted red flag says more than a missing clause.
    let mut findings: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| f.severity > Severity::Info && f.counts())
        .collect();
    findings.sort_by_key(|f| {
        (
            std::cmp::Reverse(f.severity),
            f.kind == FindingKind::Missing,
        )
    });
    let mut titles: Vec<String> = Vec::new();
    for f in findings {
        let title = finding_title(f, lang, l);
        if !titles.contains(&title) {
            titles.push(title);
        }
    }
    let more = titles.len().saturating_sub(max);
    titles.truncate(max);
    (titles, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_name_every_ampel_and_severity() {
        for l in [&DE, &EN] {
            assert!(l.ampel.iter().all(|a| !a.is_empty()));
            assert_ne!(l.severity(Severity::Red), l.severity(Severity::Yellow));
            assert_ne!(l.severity(Severity::Yellow), l.severity(Severity::Info));
        }
        assert_eq!(
            EN.place(3, Some("§ 4 Instructions")),
            "p. 3, § 4 Instructions"
        );
        assert_eq!(DE.place(2, None), "S. 2");
    }

    #[test]
    fn batch_language_is_forced_else_majority_else_english() {
        let mut tally = LanguageTally::default();
        assert_eq!(tally.pick(None), Language::En);
        tally.add(Some(Language::De));
        tally.add(None);
        assert_eq!(tally.pick(None), Language::De);
        assert_eq!(tally.pick(Some(Language::En)), Language::En);
        tally.add(Some(Language::En));
        assert_eq!(tally.pick(None), Language::En, "a tie is English");
    }
}
