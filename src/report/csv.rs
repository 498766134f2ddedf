//! `--format csv`: one row per document for spreadsheets, written as soon as the document's
//! turn comes. The header and the column order are stable (tools key on them):
//!
//! `path,status,ampel,red,yellow,info,flagged,missing,format,pages,language,message,accepted`
//!
//! `red`, `yellow` and `info` count the findings per severity; `flagged` lists the requirement
//! ids whose clause is undermined by wording, `missing` those whose clause is missing and
//! costs something, each joined by `;`. Findings covered by a valid waiver are not counted;
//! `accepted` lists them as `rule (reason)`, joined by `;` (the column was added last, so
//! readers that key on the first twelve columns are unaffected). A document that was not analysed has empty counts
//! and lists, `ampel` `unknown` and its reason in `message`.
//!
//! Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`)
//! get a leading `'`, so a crafted file name cannot inject one.

use std::io::{self, Write};

use super::{Reporter, Summary};
use crate::assess::{CheckStatus, FindingKind};
use crate::document::DocumentReport;
use crate::rules::Severity;

/// The columns, in order.
pub const HEADER: [&str; 13] = [
    "path", "status", "ampel", "red", "yellow", "info", "flagged", "missing", "format", "pages",
    "language", "message", "accepted",
];

/// Writes one CSV row per document.
pub struct Csv<W: Write> {
    out: ::csv::Writer<W>,
    header_written: bool,
}

impl<W: Write> Csv<W> {
    /// A CSV reporter writing to `out`.
    pub fn new(out: W) -> Csv<W> {
        Csv {
            out: ::csv::WriterBuilder::new().from_writer(out),
            header_written: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.out.write_record(HEADER)?;
            self.header_written = true;
        }
        Ok(())
    }
}

/// Defuses cells a spreadsheet would evaluate as a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn row(report: &DocumentReport) -> [String; 13] {
    let (ampel, counts, flagged, missing, accepted) = match &report.assessment {
        Some(a) => {
            let count = |s: Severity| {
                a.findings
                    .iter()
                    .filter(|f| f.severity == s && f.counts())
                    .count()
            };
            let accepted: Vec<String> = a
                .findings
                .iter()
                .filter_map(|f| match &f.waiver {
                    Some(w) if !w.expired => Some(format!("{} ({})", f.rule, w.reason)),
                    _ => None,
                })
                .collect();
            let flagged: Vec<&str> = a
                .checklist
                .iter()
                .filter(|c| c.status == CheckStatus::Flagged)
                .map(|c| c.requirement.as_str())
                .collect();
            let missing: Vec<&str> = a
                .findings
                .iter()
                .filter(|f| f.kind == FindingKind::Missing && f.counts())
                .map(|f| f.requirement.as_str())
                .collect();
            (
                a.ampel.as_str(),
                [Severity::Red, Severity::Yellow, Severity::Info].map(|s| count(s).to_string()),
                flagged.join(";"),
                missing.join(";"),
                accepted.join(";"),
            )
        }
        None => (
            "unknown",
            Default::default(),
            String::new(),
            String::new(),
            String::new(),
        ),
    };
    let [red, yellow, info] = counts;
    [
        cell(&report.path),
        report.status.as_str().to_string(),
        ampel.to_string(),
        red,
        yellow,
        info,
        flagged,
        missing,
        report.format.map_or("", |f| f.as_str()).to_string(),
        report.pages.to_string(),
        report.language.map_or("", |l| l.code()).to_string(),
        cell(report.message.as_deref().unwrap_or("")),
        cell(&accepted),
    ]
}

impl<W: Write> Reporter for Csv<W> {
    fn document(&mut self, report: &DocumentReport) -> io::Result<()> {
        self.header()?;
        self.out.write_record(row(report))?;
        self.out.flush()
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.header()?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formula_cells_are_defused_and_others_kept() {
        let table = [
            ("contracts/vendor.pdf", "contracts/vendor.pdf"),
            ("=HYPERLINK(\"x\").pdf", "'=HYPERLINK(\"x\").pdf"),
            ("+1.pdf", "'+1.pdf"),
            ("-rf.pdf", "'-rf.pdf"),
            ("@sum.pdf", "'@sum.pdf"),
            ("", ""),
        ];
        for (input, expected) in table {
            assert_eq!(cell(input), expected);
        }
    }
}
