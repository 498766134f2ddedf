//! `--format markdown`: a report for tickets and wikis (CommonMark with GitHub tables). A
//! summary table over the batch comes first, then per document its checklist and findings,
//! with quotes as blockquotes. Text from documents and file names is escaped, so a quote can
//! neither break a table nor turn into markup.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::accepted;
use super::labels::{
    CheckMark, LanguageTally, document_language, finding_title, labels, main_reasons,
    severity_counts,
};
use super::wire::pick;
use super::{Reporter, Summary};
use crate::assess::Ampel;
use crate::document::DocumentReport;
use crate::rules::Severity;
use crate::text::Language;
use crate::waiver::Notice;

/// How many reasons the summary table names per document.
const REASONS: usize = 3;

/// Collects the documents and writes the whole report at the end (the summary comes first).
pub struct Markdown<W: Write> {
    out: W,
    lang: Option<Language>,
    languages: LanguageTally,
    rows: Vec<Row>,
    sections: String,
    notices: String,
}

struct Row {
    path: String,
    ampel: Option<Ampel>,
    partly_read: bool,
    counts: Option<(usize, usize, usize)>,
    reasons: Vec<String>,
    more: usize,
}

impl<W: Write> Markdown<W> {
    /// A Markdown reporter writing to `out`; texts in `lang`, or each document's own language.
    pub fn new(out: W, lang: Option<Language>) -> Markdown<W> {
        Markdown {
            out,
            lang,
            languages: LanguageTally::default(),
            rows: Vec::new(),
            sections: String::new(),
            notices: String::new(),
        }
    }
}

/// Escapes Markdown punctuation so text stays text, and folds line breaks so it stays on its
/// line (a table cell, a blockquote).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // At the start of a line these would make a list item or a heading underline.
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let list_number = digits > 0 && text[digits..].starts_with(['.', ')']);
    if text.starts_with(['-', '+', '=']) {
        out.push('\\');
    }
    for (i, c) in text.chars().enumerate() {
        if list_number && i == digits {
            out.push('\\');
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn light(ampel: Option<Ampel>) -> &'static str {
    match ampel {
        Some(Ampel::Red) => "🔴",
        Some(Ampel::Yellow) => "🟡",
        Some(Ampel::Green) => "🟢",
        None => "⚪",
    }
}

fn severity_light(severity: Severity) -> &'static str {
    match severity {
        Severity::Red => "🔴",
        Severity::Yellow => "🟡",
        Severity::Info => "🔵",
    }
}

fn verdict(ampel: Option<Ampel>, partly_read: bool, lang: Language) -> String {
    let l = labels(lang);
    let word = ampel.map_or(l.unknown, |a| l.ampel[a as usize]);
    if partly_read {
        format!("{word} ({})", l.partly_read)
    } else {
        word.to_string()
    }
}

/// Writes one document's section (heading, checklist, findings) into `s`.
fn section(s: &mut String, report: &DocumentReport, lang: Language) -> std::fmt::Result {
    let l = labels(lang);
    let ampel = report.assessment.as_ref().map(|a| a.ampel);
    writeln!(
        s,
        "## {} {} — {}\n",
        light(ampel),
        verdict(ampel, report.partly_read(), lang),
        escape(&report.path)
    )?;
    let mut meta = Vec::new();
    if let Some(f) = report.format {
        meta.push(f.as_str().to_string());
    }
    if report.pages > 0 {
        meta.push(l.page_count(report.pages));
    }
    if let Some(language) = report.language {
        meta.push(language.code().to_string());
    }
    if !meta.is_empty() {
        writeln!(s, "{}\n", meta.join(" · "))?;
    }
    if !report.warnings.is_empty() {
        writeln!(s, "**{}:**\n", l.warnings)?;
        for w in &report.warnings {
            writeln!(s, "- ⚠️ {}", escape(&w.text(lang)))?;
        }
        writeln!(s)?;
    }
    let Some(a) = &report.assessment else {
        let message = report.message_text(lang).unwrap_or_default();
        writeln!(
            s,
            "**{}:** `{}` — {}\n",
            l.status,
            report.status.as_str(),
            escape(&message)
        )?;
        return Ok(());
    };
    writeln!(s, "### {}\n", l.checklist)?;
    writeln!(s, "| | {} | {} |\n|---|---|---|", l.requirement, l.status)?;
    for item in &a.checklist {
        let mark = CheckMark::of(item, &a.findings);
        let word = match mark.severity() {
            Some(severity) => format!("{} {}", severity_light(severity), mark.word(l)),
            None => mark.word(l).to_string(),
        };
        writeln!(
            s,
            "| {} | {} (`{}`) | {word} |",
            mark.symbol(),
            escape(pick(&item.title, lang)),
            item.requirement
        )?;
    }
    writeln!(s, "\n### {}\n", l.findings)?;
    if a.findings.is_empty() {
        writeln!(s, "{}\n", l.no_findings)?;
    }
    for f in &a.findings {
        let (badge_light, badge) = if f.counts() {
            (severity_light(f.severity), l.severity(f.severity))
        } else {
            ("⚪", accepted::badge(lang))
        };
        writeln!(
            s,
            "#### {badge_light} {badge}: {}\n",
            escape(&finding_title(f, lang, l))
        )?;
        writeln!(
            s,
            "{}: `{}` · {}: {}\n",
            l.rule,
            f.rule,
            l.legal_basis,
            escape(&f.legal_basis)
        )?;
        for e in &f.evidence {
            writeln!(
                s,
                "> {}\n>\n> — {}\n",
                escape(&e.quote),
                escape(&l.place(e.page, e.section.as_deref()))
            )?;
        }
        for line in l.where_looked(f, lang) {
            writeln!(s, "*{}*\n", escape(&line))?;
        }
        if let Some(line) = l.track_record(f, lang) {
            writeln!(s, "*{}*\n", escape(&line))?;
        }
        writeln!(
            s,
            "**{}:** {}\n",
            l.recommendation,
            escape(pick(&f.recommendation, lang))
        )?;
        if let Some(w) = &f.waiver {
            writeln!(s, "*{}*\n", escape(&accepted::note(w, lang)))?;
        }
    }
    Ok(())
}

impl<W: Write> Reporter for Markdown<W> {
    fn document(&mut self, report: &DocumentReport) -> io::Result<()> {
        let lang = document_language(self.lang, report);
        self.languages.add(report.language);
        let (reasons, more) = main_reasons(report, lang, REASONS);
        let assessment = report.assessment.as_ref();
        self.rows.push(Row {
            path: report.path.clone(),
            ampel: assessment.map(|a| a.ampel),
            partly_read: report.partly_read(),
            counts: assessment.map(|a| severity_counts(&a.findings)),
            reasons,
            more,
        });
        section(&mut self.sections, report, lang).map_err(io::Error::other)
    }

    fn waiver_notices(&mut self, notices: &[Notice]) -> io::Result<()> {
        let lang = self.languages.pick(self.lang);
        if !notices.is_empty() {
            let _ = writeln!(self.notices, "## {}\n", accepted::notices_heading(lang));
            for n in notices {
                let _ = writeln!(self.notices, "- ⚠️ {}", escape(&accepted::notice(n, lang)));
            }
            let _ = writeln!(self.notices);
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let lang = self.languages.pick(self.lang);
        let l = labels(lang);
        let mut s = String::new();
        let table = (|| -> std::fmt::Result {
            writeln!(s, "# {}\n", l.title)?;
            writeln!(
                s,
                "**{} {}:** 🔴 {} {} · 🟡 {} {} · 🟢 {} {} · ⚪ {} {}\n",
                summary.documents,
                l.documents,
                summary.red,
                l.ampel_word[2],
                summary.yellow,
                l.ampel_word[1],
                summary.green,
                l.ampel_word[0],
                summary.unknown,
                l.not_rated
            )?;
            writeln!(
                s,
                "| # | {} | Ampel | {} | {} | {} | {} |\n|---:|---|---|---:|---:|---:|---|",
                l.document,
                l.ampel_word[2],
                l.ampel_word[1],
                l.info.to_lowercase(),
                l.reasons
            )?;
            for (i, row) in self.rows.iter().enumerate() {
                let counts = row.counts.map_or(
                    ["–".to_string(), "–".into(), "–".into()],
                    |(r, y, i)| [r.to_string(), y.to_string(), i.to_string()],
                );
                let mut reasons: Vec<String> = row.reasons.iter().map(|r| escape(r)).collect();
                if row.counts.is_some() && reasons.is_empty() {
                    reasons.push(l.no_findings.to_string());
                }
                if row.more > 0 {
                    reasons.push(format!("+{} {}", row.more, l.more));
                }
                writeln!(
                    s,
                    "| {} | {} | {} {} | {} | {} | {} | {} |",
                    i + 1,
                    escape(&row.path),
                    light(row.ampel),
                    verdict(row.ampel, row.partly_read, lang),
                    counts[0],
                    counts[1],
                    counts[2],
                    reasons.join("; ")
                )?;
            }
            writeln!(s)
        })();
        table.map_err(io::Error::other)?;
        self.out.write_all(s.as_bytes())?;
        self.out.write_all(self.sections.as_bytes())?;
        self.out.write_all(self.notices.as_bytes())?;
        writeln!(
            self.out,
            "---\n\n{} ampel {}. {}",
            l.written_by,
            env!("CARGO_PKG_VERSION"),
            l.disclaimer
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escaping_keeps_text_text() {
        let table = [
            ("a | b", "a \\| b"),
            ("<script>", "\\<script\\>"),
            ("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"),
            ("line\nbreak", "line break"),
            ("[link](x)", "\\[link\\](x)"),
            ("§ 4 Weisungen", "§ 4 Weisungen"),
            ("- not a list", "\\- not a list"),
            ("12. not a list", "12\\. not a list"),
            ("2021/914 stays", "2021/914 stays"),
        ];
        for (input, expected) in table {
            assert_eq!(escape(input), expected);
        }
    }
}
