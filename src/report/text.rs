//! `--format text`: the report for people. Colours are written as ANSI styles; the caller
//! wraps the output in `anstream`, which strips them when stdout is not a terminal (or
//! `NO_COLOR` is set).

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::Reporter;
use super::accepted;
use super::labels::{CheckMark, Labels, document_language, finding_title, labels};
use super::wire::{Summary, pick};
use crate::assess::{Ampel, Evidence};
use crate::document::{DocumentReport, Status};
use crate::rules::Severity;
use crate::text::Language;
use crate::waiver::Notice;

/// The human-readable reporter.
pub struct Human<W: Write> {
    out: W,
    lang: Option<Language>,
}

impl<W: Write> Human<W> {
    /// Writes to `out`; texts in `lang`, or each document's own language.
    pub fn new(out: W, lang: Option<Language>) -> Human<W> {
        Human { out, lang }
    }
}

fn ampel_style(ampel: Ampel) -> Style {
    let colour = match ampel {
        Ampel::Red => AnsiColor::Red,
        Ampel::Yellow => AnsiColor::Yellow,
        Ampel::Green => AnsiColor::Green,
    };
    Style::new().bold().fg_color(Some(colour.into()))
}

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Red => ampel_style(Ampel::Red),
        Severity::Yellow => ampel_style(Ampel::Yellow),
        Severity::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
    }
}

const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

impl<W: Write> Human<W> {
    /// The document's warnings, one a line, after a heading.
    fn warnings(&mut self, report: &DocumentReport, lang: Language) -> io::Result<()> {
        if report.warnings.is_empty() {
            return Ok(());
        }
        let warn = ampel_style(Ampel::Yellow);
        writeln!(self.out, "  {BOLD}{}{BOLD:#}", labels(lang).warnings)?;
        for w in &report.warnings {
            writeln!(self.out, "    {warn}!{warn:#} {}", w.text(lang))?;
        }
        Ok(())
    }

    fn evidence(&mut self, e: &Evidence, l: &Labels) -> io::Result<()> {
        let place = l.place(e.page, e.section.as_deref());
        // A quote read by OCR may contain recognition errors: say so next to it.
        let ocr = if e.ocr { " [OCR]" } else { "" };
        writeln!(self.out, "      {DIM}{place}{ocr}:{DIM:#} \"{}\"", e.quote)
    }
}

impl<W: Write> Reporter for Human<W> {
    fn document(&mut self, report: &DocumentReport) -> io::Result<()> {
        let lang = document_language(self.lang, report);
        let l = labels(lang);
        let Some(a) = &report.assessment else {
            let status = report.status.as_str();
            let message = report.message_text(lang).unwrap_or_default();
            let style = if report.status == Status::NotADpa {
                DIM
            } else {
                ampel_style(Ampel::Yellow)
            };
            writeln!(
                self.out,
                "{style}○ {}{style:#}  {BOLD}{}{BOLD:#}",
                l.unknown, report.path
            )?;
            writeln!(self.out, "  {status}: {message}")?;
            self.warnings(report, lang)?;
            return writeln!(self.out);
        };
        let style = ampel_style(a.ampel);
        let format = report.format.map_or("?", |f| f.as_str());
        let language = report.language.map_or("?", |l| l.code());
        let partly = if report.partly_read() {
            format!(" ({})", l.partly_read)
        } else {
            String::new()
        };
        writeln!(
            self.out,
            "{style}● {}{partly}{style:#}  {BOLD}{}{BOLD:#}  {DIM}({format}, {}, {language}){DIM:#}",
            l.ampel[a.ampel as usize],
            report.path,
            l.page_count(report.pages)
        )?;
        self.warnings(report, lang)?;
        writeln!(self.out, "  {BOLD}{}{BOLD:#}", l.checklist)?;
        for item in &a.checklist {
            let mark = CheckMark::of(item, &a.findings);
            let mark_style = match mark.severity() {
                Some(severity) => severity_style(severity),
                None if mark == CheckMark::Present => ampel_style(Ampel::Green),
                None => DIM,
            };
            let (symbol, word) = (mark.symbol(), mark.word(l));
            writeln!(
                self.out,
                "    {mark_style}{symbol} {word:<14}{mark_style:#} {:<28} {DIM}{}{DIM:#}",
                item.requirement,
                pick(&item.title, lang)
            )?;
        }
        writeln!(self.out, "  {BOLD}{}{BOLD:#}", l.findings)?;
        if a.findings.is_empty() {
            writeln!(self.out, "    {}", l.no_findings)?;
        }
        for f in &a.findings {
            let (s, sev) = if f.counts() {
                (severity_style(f.severity), l.severity(f.severity))
            } else {
                (DIM, accepted::badge(lang))
            };
            let what = finding_title(f, lang, l);
            writeln!(
                self.out,
                "    {s}[{sev}]{s:#} {BOLD}{what}{BOLD:#}  {DIM}{} · {}{DIM:#}",
                f.rule, f.legal_basis
            )?;
            for e in &f.evidence {
                self.evidence(e, l)?;
            }
            for line in l.where_looked(f, lang) {
                writeln!(self.out, "      {DIM}{line}{DIM:#}")?;
            }
            if let Some(line) = l.track_record(f, lang) {
                writeln!(self.out, "      {DIM}{line}{DIM:#}")?;
            }
            writeln!(
                self.out,
                "      → {}: {}",
                l.recommendation,
                pick(&f.recommendation, lang)
            )?;
            if let Some(w) = &f.waiver {
                let mark = if w.expired { "!" } else { "≈" };
                writeln!(self.out, "      {mark} {}", accepted::note(w, lang))?;
            }
        }
        writeln!(self.out)?;
        // Each document appears as soon as it is ready (and before a progress bar redraws).
        self.out.flush()
    }

    fn waiver_notices(&mut self, notices: &[Notice]) -> io::Result<()> {
        if notices.is_empty() {
            return Ok(());
        }
        let lang = self.lang.unwrap_or(Language::En);
        let warn = ampel_style(Ampel::Yellow);
        writeln!(
            self.out,
            "{BOLD}{}{BOLD:#}",
            accepted::notices_heading(lang)
        )?;
        for n in notices {
            writeln!(self.out, "  {warn}!{warn:#} {}", accepted::notice(n, lang))?;
        }
        writeln!(self.out)
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let l = labels(self.lang.unwrap_or(Language::En));
        let red = ampel_style(Ampel::Red);
        let yellow = ampel_style(Ampel::Yellow);
        let green = ampel_style(Ampel::Green);
        writeln!(
            self.out,
            "{}: {red}{} {}{red:#}, {yellow}{} {}{yellow:#}, {green}{} {}{green:#}, {} {}",
            l.document_count(summary.documents),
            summary.red,
            l.ampel[2].to_lowercase(),
            summary.yellow,
            l.ampel[1].to_lowercase(),
            summary.green,
            l.ampel[0].to_lowercase(),
            summary.unknown,
            l.not_rated
        )?;
        self.out.flush()
    }
}
