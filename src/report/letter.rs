//! `ampel letter`: a change request to the vendor, built from one document's findings.
//!
//! [`Letter::new`] picks what goes into the letter: every finding that sets the Ampel (red and
//! yellow; `info` findings are for a human reviewer and accepted deviations were decided on
//! purpose, so neither is in the letter), worst first, a quoted red flag before a missing
//! clause of the same severity. For each it gives the clause (section, page, quote), what is
//! wrong and the legal basis, and the requested change as contract wording (the rule's
//! suggested clause). The rule's recommendation is advice to the reviewer, so it is not in the
//! letter. [`Letter::markdown`] writes it as Markdown; [`super::docx`] writes the same
//! content as a Word document.

use std::fmt::Write as _;

use super::labels::labels;
use super::markdown::escape;
use super::wire::pick;
use crate::assess::{Evidence, Finding, FindingKind};
use crate::batch::DocumentReport;
use crate::rules::{Localised, Pack, Severity};
use crate::text::Language;

/// One requested change.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    /// The finding it answers.
    pub finding: &'a Finding,
    /// The contract wording to propose.
    pub clause: &'a Localised,
}

/// The change request for one document.
#[derive(Debug, Clone)]
pub struct Letter<'a> {
    /// The document.
    pub report: &'a DocumentReport,
    /// The language of the letter.
    pub lang: Language,
    /// The requested changes, worst first.
    pub items: Vec<Item<'a>>,
}

/// The fixed words of a letter in one language.
#[derive(Debug)]
pub struct Words {
    /// Title of the letter.
    pub title: &'static str,
    /// "Subject".
    pub subject: &'static str,
    /// The subject line after the file name.
    pub subject_text: &'static str,
    /// "Document".
    pub document: &'static str,
    /// "Result of our review".
    pub result: &'static str,
    /// Salutation.
    pub salutation: &'static str,
    /// First paragraph when changes are requested.
    pub intro: &'static str,
    /// Note on the terms the suggested clauses use.
    pub terms: &'static str,
    /// Paragraph when nothing needs to change.
    pub nothing: &'static str,
    /// "Clause".
    pub clause: &'static str,
    /// Where a missing clause would be.
    pub no_clause: &'static str,
    /// "What is wrong".
    pub defect: &'static str,
    /// Heading of a replacement clause (the requested change).
    pub replace: &'static str,
    /// Heading of a new clause.
    pub add: &'static str,
    /// Severity word for red findings.
    pub major: &'static str,
    /// Severity word for yellow findings.
    pub minor: &'static str,
    /// Closing paragraph.
    pub closing: &'static str,
    /// Sign-off.
    pub regards: &'static str,
    /// Placeholder for the sender.
    pub sender: &'static str,
    /// Placeholder for place and date.
    pub date: &'static str,
}

/// German.
pub const DE: Words = Words {
    title: "Änderungsverlangen zum Auftragsverarbeitungsvertrag",
    subject: "Betreff",
    subject_text: "erbetene Änderungen nach Art. 28 DSGVO",
    document: "Dokument",
    result: "Ergebnis unserer Prüfung",
    salutation: "Sehr geehrte Damen und Herren,",
    intro: "wir haben den uns vorgelegten Auftragsverarbeitungsvertrag geprüft. Damit wir Ihre Leistungen datenschutzkonform nutzen können, bitten wir Sie, die folgenden Regelungen anzupassen. Die Punkte sind nach ihrer Bedeutung geordnet; zu jedem Punkt nennen wir die betroffene Klausel, den Mangel mit seiner Rechtsgrundlage und einen Formulierungsvorschlag.",
    terms: "Die Formulierungsvorschläge verwenden die Begriffe der DSGVO („Verantwortlicher“ für uns, „Auftragsverarbeiter“ für Sie); bitte passen Sie sie an die Parteibezeichnungen und die Nummerierung der Anlagen Ihres Vertrags an.",
    nothing: "wir haben den uns vorgelegten Auftragsverarbeitungsvertrag geprüft und bei dieser Prüfung keine Regelungen gefunden, deren Änderung wir verlangen müssten.",
    clause: "Klausel",
    no_clause: "Der Vertrag enthält hierzu keine Regelung.",
    defect: "Beanstandung",
    replace: "Erbetene Änderung – Formulierungsvorschlag (ersetzt die zitierte Regelung)",
    add: "Erbetene Änderung – Formulierungsvorschlag (neue Regelung)",
    major: "wesentlicher Mangel",
    minor: "Mangel",
    closing: "Wir bitten Sie, uns bis zum [Frist] eine entsprechend angepasste Fassung des Vertrags zu übersenden. Für Rückfragen stehen wir Ihnen gern zur Verfügung.",
    regards: "Mit freundlichen Grüßen",
    sender: "[Name, Funktion]",
    date: "[Ort, Datum]",
};

/// English.
pub const EN: Words = Words {
    title: "Request for changes to the data processing agreement",
    subject: "Subject",
    subject_text: "requested changes under Art. 28 GDPR",
    document: "Document",
    result: "Result of our review",
    salutation: "Dear Sir or Madam,",
    intro: "We have reviewed the data processing agreement you provided. So that we can use your services in compliance with data protection law, we ask you to amend the following provisions. The points are ordered by importance; for each we name the clause concerned, the defect and its legal basis, and proposed wording.",
    terms: "The proposed wording uses the terms of the GDPR (“controller” for us, “processor” for you); please adapt it to the party names and annex numbering of your agreement.",
    nothing: "We have reviewed the data processing agreement you provided and found no provisions whose amendment we need to request.",
    clause: "Clause",
    no_clause: "The agreement contains no provision on this.",
    defect: "What is wrong",
    replace: "Requested change – proposed wording (replaces the quoted provision)",
    add: "Requested change – proposed wording (new provision)",
    major: "major defect",
    minor: "defect",
    closing: "Please send us an amended version of the agreement by [deadline]. We are happy to answer any questions.",
    regards: "Kind regards",
    sender: "[Name, position]",
    date: "[Place, date]",
};

/// The words of `lang`.
pub fn words(lang: Language) -> &'static Words {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

impl<'a> Letter<'a> {
    /// The letter for `report` in `lang`, with the suggested clauses of `pack`. `None` when the
    /// document was not analysed (it has no findings to write about).
    pub fn new(report: &'a DocumentReport, pack: &'a Pack, lang: Language) -> Option<Letter<'a>> {
        let assessment = report.assessment.as_ref()?;
        let mut findings: Vec<&Finding> = assessment
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
        let items = findings
            .into_iter()
            .filter_map(|finding| {
                let clause = match finding.kind {
                    FindingKind::RedFlag => &pack.rule(&finding.rule)?.suggested_clause,
                    FindingKind::Missing => {
                        let i = pack.requirement_index(&finding.requirement)?;
                        &pack.requirements[i].suggested_clause
                    }
                };
                Some(Item { finding, clause })
            })
            .collect();
        Some(Letter {
            report,
            lang,
            items,
        })
    }

    /// `text` in the letter language's quotation marks.
    pub fn quoted(&self, text: &str) -> String {
        match self.lang {
            Language::De => format!("„{text}“"),
            Language::En => format!("“{text}”"),
        }
    }

    /// The file name of the document, for the subject line.
    pub fn document_name(&self) -> &str {
        std::path::Path::new(&self.report.path)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(&self.report.path)
    }

    /// The heading of item `n` (1-based): number, title, severity.
    pub fn item_heading(&self, n: usize, item: &Item<'_>) -> String {
        let w = words(self.lang);
        let severity = if item.finding.severity == Severity::Red {
            w.major
        } else {
            w.minor
        };
        format!("{n}. {} ({severity})", pick(&item.finding.title, self.lang))
    }

    /// "What is wrong": the rule's rationale (or the requirement's explanation), else its title.
    pub fn defect(&self, item: &Item<'_>) -> String {
        let f = item.finding;
        f.rationale
            .as_ref()
            .map_or_else(|| pick(&f.title, self.lang), |r| pick(r, self.lang))
            .to_string()
    }

    /// The legal basis as the rule states it, with the German name of the regulation in a
    /// German letter.
    pub fn legal_basis(&self, item: &Item<'_>) -> String {
        match self.lang {
            Language::De => item.finding.legal_basis.replace("GDPR", "DSGVO"),
            Language::En => item.finding.legal_basis.clone(),
        }
    }

    /// Where a quote stands: "p. 2, § 3 Weisungen".
    pub fn place(&self, e: &Evidence) -> String {
        labels(self.lang).place(e.page, e.section.as_deref())
    }

    /// The result line: the Ampel and the number of requested changes.
    pub fn result(&self) -> String {
        let l = labels(self.lang);
        let ampel = self
            .report
            .assessment
            .as_ref()
            .map_or(l.unknown, |a| l.ampel[a.ampel as usize]);
        match self.lang {
            Language::De => format!("{ampel} – {} Änderungen erbeten", self.items.len()),
            Language::En => format!("{ampel} – {} changes requested", self.items.len()),
        }
    }

    /// The letter as Markdown (CommonMark); text from the document is escaped.
    pub fn markdown(&self) -> String {
        let w = words(self.lang);
        let l = labels(self.lang);
        let mut s = String::new();
        let _ = writeln!(s, "# {}\n", w.title);
        let _ = writeln!(s, "{}\n", w.date);
        let _ = writeln!(
            s,
            "**{}:** {} {} – {}  ",
            w.subject,
            w.document,
            escape(&self.quoted(self.document_name())),
            w.subject_text
        );
        let sha = self.report.sha256.as_deref().unwrap_or("–");
        let _ = writeln!(
            s,
            "**{}:** {} (SHA-256 `{sha}`)  ",
            w.document,
            escape(&self.report.path)
        );
        let _ = writeln!(s, "**{}:** {}\n", w.result, self.result());
        let _ = writeln!(s, "{}\n", w.salutation);
        if self.items.is_empty() {
            let _ = writeln!(s, "{}\n", w.nothing);
        } else {
            let _ = writeln!(s, "{}\n", w.intro);
            let _ = writeln!(s, "{}\n", w.terms);
        }
        for (i, item) in self.items.iter().enumerate() {
            let f = item.finding;
            let heading = self.item_heading(i + 1, item);
            let (number, rest) = heading.split_once(' ').unwrap_or(("", &heading));
            let _ = writeln!(s, "## {number} {}\n", escape(rest));
            if f.evidence.is_empty() {
                let _ = writeln!(s, "**{}:** {}\n", w.clause, w.no_clause);
            } else {
                let _ = writeln!(s, "**{}:**\n", w.clause);
                for e in &f.evidence {
                    let _ = writeln!(
                        s,
                        "> {}\n>\n> — {}\n",
                        escape(&e.quote),
                        escape(&self.place(e))
                    );
                }
            }
            let _ = writeln!(s, "**{}:** {}\n", w.defect, escape(&self.defect(item)));
            let _ = writeln!(
                s,
                "**{}:** {}\n",
                l.legal_basis,
                escape(&self.legal_basis(item))
            );
            let heading = if f.kind == FindingKind::Missing {
                w.add
            } else {
                w.replace
            };
            let _ = writeln!(s, "**{heading}:**\n");
            let _ = writeln!(s, "> {}\n", escape(pick(item.clause, self.lang)));
        }
        if !self.items.is_empty() {
            let _ = writeln!(s, "{}\n", w.closing);
        }
        let _ = writeln!(s, "{}\n", w.regards);
        let _ = writeln!(s, "{}", w.sender);
        s
    }
}
