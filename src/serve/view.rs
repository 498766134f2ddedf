//! What the page shows of one document in one language: the light, the checklist and the
//! findings with their quotes, or the status and why. Built from the same words and rules of
//! naming as the HTML report ([`ampel::report::labels`]), as plain strings: the page puts them
//! into the document as text, never as markup.

use ampel::assess::{Ampel, Assessment, Finding};
use ampel::document::DocumentReport;
use ampel::report::accepted;
use ampel::report::labels::{CheckMark, Labels, finding_title, labels};
use ampel::report::wire::pick;
use ampel::rules::Severity;
use ampel::text::Language;
use serde::Serialize;

use super::words::status_title;

/// One document as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// The light's class: `red`, `yellow`, `green`, or `unknown` when not rated.
    pub light: &'static str,
    /// The verdict in capitals (`GELB`, `NOT RATED`).
    pub verdict: &'static str,
    /// Format, pages, language.
    pub meta: Vec<String>,
    /// Why the document was not rated; `None` when it was.
    pub problem: Option<Problem>,
    /// One row per requirement (empty when not rated).
    pub checklist: Vec<CheckRow>,
    /// The findings, worst first.
    pub findings: Vec<FindingView>,
}

/// Why a document was not rated.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// The status (`corrupt`).
    pub status: &'static str,
    /// Its title in the page's language.
    pub title: &'static str,
    /// The library's message: what happened and what to do.
    pub message: String,
}

/// One line of the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRow {
    /// `present`, `flagged`, `missing`, `not-addressed` or `accepted`.
    pub mark: &'static str,
    /// What it costs: `red`, `yellow`, `info`, or `None`.
    pub severity: Option<&'static str>,
    /// ✓ ! ✗ – ≈
    pub symbol: &'static str,
    /// The requirement's title.
    pub title: String,
    /// The requirement's id.
    pub requirement: String,
    /// The status in words.
    pub word: &'static str,
    /// Where the clause was found.
    pub places: String,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct FindingView {
    /// `red`, `yellow`, `info`, or `accepted` (a waiver covers it).
    pub severity: &'static str,
    /// The badge (`ROT`, `INFO`, `ACCEPTED`).
    pub badge: &'static str,
    /// Title; missing clauses say so.
    pub title: String,
    /// Rule id.
    pub rule: String,
    /// Legal basis.
    pub legal_basis: String,
    /// The quotes behind it.
    pub quotes: Vec<Quote>,
    /// For a missing clause: what was not found and where ampel looked.
    pub looked: Vec<String>,
    /// How often readers of published agreements confirmed this check (empty: no record).
    pub track: String,
    /// Why it matters.
    pub rationale: Option<String>,
    /// What to ask the vendor for.
    pub recommendation: String,
    /// The accepted deviation that covers it.
    pub waiver: Option<String>,
}

/// A quote and where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    /// The sentence.
    pub text: String,
    /// "p. 2, § 3 Instructions".
    pub place: String,
    /// Read by OCR (may contain recognition errors).
    pub ocr: bool,
}

fn light(ampel: Option<Ampel>) -> &'static str {
    match ampel {
        Some(Ampel::Red) => "red",
        Some(Ampel::Yellow) => "yellow",
        Some(Ampel::Green) => "green",
        None => "unknown",
    }
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Red => "red",
        Severity::Yellow => "yellow",
        Severity::Info => "info",
    }
}

/// `report` as the page shows it in `lang`.
pub fn view(report: &DocumentReport, lang: Language) -> View {
    let l = labels(lang);
    let ampel = report.assessment.as_ref().map(|a| a.ampel);
    let mut meta = Vec::new();
    if let Some(f) = report.format {
        meta.push(f.as_str().to_string());
    }
    if report.pages > 0 {
        meta.push(l.page_count(report.pages));
    }
    if let Some(language) = report.language {
        meta.push(format!("{}: {}", l.language, language.code()));
    }
    let problem = report.assessment.is_none().then(|| Problem {
        status: report.status.as_str(),
        title: status_title(report.status, lang),
        message: report
            .message
            .as_ref()
            .map(|m| m.text(lang))
            .unwrap_or_default(),
    });
    let (checklist, findings) = match &report.assessment {
        Some(a) => (
            checklist(a, lang, l),
            a.findings.iter().map(|f| finding(f, lang, l)).collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    View {
        light: light(ampel),
        verdict: ampel.map_or(l.unknown, |a| l.ampel[a as usize]),
        meta,
        problem,
        checklist,
        findings,
    }
}

fn checklist(a: &Assessment, lang: Language, l: &Labels) -> Vec<CheckRow> {
    a.checklist
        .iter()
        .map(|item| {
            let mark = CheckMark::of(item, &a.findings);
            let mut places: Vec<String> = Vec::new();
            for e in &item.evidence {
                let place = l.place(e.page, e.section.as_deref());
                if !places.contains(&place) {
                    places.push(place);
                }
            }
            CheckRow {
                mark: match mark {
                    CheckMark::Present => "present",
                    CheckMark::Flagged(_) => "flagged",
                    CheckMark::Missing(_) => "missing",
                    CheckMark::NotAddressed => "not-addressed",
                    CheckMark::Accepted => "accepted",
                },
                severity: mark.severity().map(severity_class),
                symbol: mark.symbol(),
                title: pick(&item.title, lang).to_string(),
                requirement: item.requirement.clone(),
                word: mark.word(l),
                places: places.join("; "),
            }
        })
        .collect()
}

fn finding(f: &Finding, lang: Language, l: &Labels) -> FindingView {
    let (severity, badge) = if f.counts() {
        (severity_class(f.severity), l.severity(f.severity))
    } else {
        ("accepted", accepted::badge(lang))
    };
    FindingView {
        severity,
        badge,
        title: finding_title(f, lang, l),
        rule: f.rule.clone(),
        legal_basis: f.legal_basis.clone(),
        quotes: f
            .evidence
            .iter()
            .map(|e| Quote {
                text: e.quote.clone(),
                place: l.place(e.page, e.section.as_deref()),
                ocr: e.ocr,
            })
            .collect(),
        looked: l.where_looked(f, lang),
        track: l.track_record(f, lang).unwrap_or_default(),
        rationale: f.rationale.as_ref().map(|r| pick(r, lang).to_string()),
        recommendation: pick(&f.recommendation, lang).to_string(),
        waiver: f.waiver.as_ref().map(|w| accepted::note(w, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ampel::rules::Pack;

    const YELLOW: &str = include_str!("../../corpus/src/de-yellow-ticketsystem.md");

    #[test]
    fn a_rated_document_has_its_light_checklist_and_quoted_findings_in_both_languages() {
        let pack = Pack::embedded().unwrap();
        let report = ampel::batch::analyse_bytes("a.md", "a.md".as_ref(), YELLOW.as_bytes(), &pack);
        let Some(a) = &report.assessment else {
            panic!("{:?}: {:?}", report.status, report.message)
        };
        for lang in [Language::De, Language::En] {
            let v = view(&report, lang);
            assert_eq!(v.light, light(Some(a.ampel)));
            assert_eq!(v.checklist.len(), a.checklist.len());
            assert_eq!(v.findings.len(), a.findings.len());
            assert!(v.problem.is_none());
        }
        let de = view(&report, Language::De);
        let en = view(&report, Language::En);
        assert_ne!(de.verdict, en.verdict);
        assert_ne!(de.checklist[0].title, en.checklist[0].title);
    }

    #[test]
    fn a_document_that_was_not_rated_says_why() {
        let pack = Pack::embedded().unwrap();
        let report = ampel::batch::analyse_bytes(
            "broken.pdf",
            "broken.pdf".as_ref(),
            b"%PDF-1.7\n1 0 obj <<",
            &pack,
        );
        let v = view(&report, Language::De);
        assert_eq!(v.light, "unknown");
        assert_eq!(v.verdict, "NICHT BEWERTET");
        let problem = v.problem.expect("a problem");
        assert_eq!(problem.status, report.status.as_str());
        assert!(!problem.message.is_empty());
        assert!(v.checklist.is_empty() && v.findings.is_empty());
    }
}
