//! `ampel letter`: a change request to the vendor, built from one document's findings.
//!
//! [`Letter::new`] picks what goes into the letter: every finding that sets the Ampel (red and
//! yellow; `info` findings are for a human reviewer and accepted deviations were decided on
//! purpose, so neither is in the letter), worst first, a quoted red flag before a missing
//! clause of the same severity. For each it gives the clause (section, page, quote), what is
//! wrong and the legal basis, and the requested change as contract wording (the rule's
//! suggested clause). The rule's recommendation is advice to the reviewer, so it is not in the
//! letter. Two red flags of one requirement that quote the same sentence (an export clause that
//! is both open-ended and without a transfer tool) are one request about that clause: the item
//! of the first carries the second as [`Item::also`], with its defect and its wording. The
//! vendor is asked once per clause. [`Letter::markdown`] writes it as Markdown;
//! [`super::docx`] writes the same content as a Word document.

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
    /// Further red flags of the same requirement on a sentence this finding quotes, each with
    /// its wording: the same clause, asked about once.
    pub also: Vec<(&'a Finding, &'a Localised)>,
}

impl<'a> Item<'a> {
    /// The finding and the ones asked about with it, in order.
    fn findings(&self) -> impl Iterator<Item = &'a Finding> + '_ {
        std::iter::once(self.finding).chain(self.also.iter().map(|(f, _)| *f))
    }

    /// Whether `finding` is a red flag of this item's requirement that quotes one of the
    /// sentences this item quotes.
    fn same_clause(&self, finding: &Finding) -> bool {
        finding.kind == FindingKind::RedFlag
            && self.finding.kind == FindingKind::RedFlag
            && finding.requirement == self.finding.requirement
            && finding.evidence.iter().any(|e| {
                self.findings()
                    .flat_map(|f| &f.evidence)
                    .any(|q| q.span() == e.span())
            })
    }

    /// The quoted sentences of the item, each once (the finding's first).
    pub fn evidence(&self) -> Vec<&'a Evidence> {
        let mut out: Vec<&'a Evidence> = Vec::new();
        for e in self.findings().flat_map(|f| &f.evidence) {
            if !out.iter().any(|q| q.span() == e.span()) {
                out.push(e);
            }
        }
        out
    }

    /// The wordings to propose, each once.
    pub fn clauses(&self) -> Vec<&'a Localised> {
        let mut out = vec![self.clause];
        for (_, c) in &self.also {
            if !out.iter().any(|o| o.en == c.en && o.de == c.de) {
                out.push(c);
            }
        }
        out
    }
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
        let mut items: Vec<Item<'a>> = Vec::new();
        for finding in findings {
            let clause = match finding.kind {
                FindingKind::RedFlag => pack.rule(&finding.rule).map(|r| &r.suggested_clause),
                FindingKind::Missing => pack
                    .requirement_index(&finding.requirement)
                    .map(|i| &pack.requirements[i].suggested_clause),
            };
            let Some(clause) = clause else { continue };
            match items.iter_mut().find(|item| item.same_clause(finding)) {
                Some(item) => item.also.push((finding, clause)),
                None => items.push(Item {
                    finding,
                    clause,
                    also: Vec::new(),
                }),
            }
        }
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

    /// The heading of item `n` (1-based): number, title (the titles of all its findings, each
    /// once, joined by " / "), severity (the first finding's, which is the worst).
    pub fn item_heading(&self, n: usize, item: &Item<'_>) -> String {
        let w = words(self.lang);
        let severity = if item.finding.severity == Severity::Red {
            w.major
        } else {
            w.minor
        };
        let mut titles: Vec<&str> = Vec::new();
        for f in item.findings() {
            let title = pick(&f.title, self.lang);
            if !titles.contains(&title) {
                titles.push(title);
            }
        }
        format!("{n}. {} ({severity})", titles.join(" / "))
    }

    /// "What is wrong": the rule's rationale (or the requirement's explanation), else its title;
    /// for an item that answers several findings, each different text once, in order.
    pub fn defect(&self, item: &Item<'_>) -> String {
        let mut out: Vec<&str> = Vec::new();
        for f in item.findings() {
            let text = f
                .rationale
                .as_ref()
                .map_or_else(|| pick(&f.title, self.lang), |r| pick(r, self.lang));
            if !out.contains(&text) {
                out.push(text);
            }
        }
        out.join(" ")
    }

    /// The legal basis as the rule states it, with the German name of the regulation in a
    /// German letter; the different bases of an item's findings joined by "; ".
    pub fn legal_basis(&self, item: &Item<'_>) -> String {
        let mut out: Vec<&str> = Vec::new();
        for f in item.findings() {
            if !out.contains(&f.legal_basis.as_str()) {
                out.push(&f.legal_basis);
            }
        }
        let basis = out.join("; ");
        match self.lang {
            Language::De => basis.replace("GDPR", "DSGVO"),
            Language::En => basis,
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
            let evidence = item.evidence();
            if evidence.is_empty() {
                let _ = writeln!(s, "**{}:** {}\n", w.clause, w.no_clause);
            } else {
                let _ = writeln!(s, "**{}:**\n", w.clause);
                for e in evidence {
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
            for clause in item.clauses() {
                let _ = writeln!(s, "> {}\n", escape(pick(clause, self.lang)));
            }
        }
        if !self.items.is_empty() {
            let _ = writeln!(s, "{}\n", w.closing);
        }
        let _ = writeln!(s, "{}\n", w.regards);
        let _ = writeln!(s, "{}", w.sender);
        s
    }
}
