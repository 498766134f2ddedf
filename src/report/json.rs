//! `--format json` (one object, written at the end) and `--format jsonl` (one line per
//! document, written as soon as the document's turn comes).

use std::io::{self, Write};

use super::Reporter;
use super::wire::{
    DocumentRecord, Output, SCHEMA_VERSION, Summary, Tool, WaiverNoticeRecord, record,
};
use crate::document::DocumentReport;
use crate::text::Language;
use crate::waiver::Notice;

/// Collects records and writes one JSON object at the end.
pub struct Json<W: Write> {
    out: W,
    lang: Option<Language>,
    documents: Vec<DocumentRecord>,
    notices: Vec<WaiverNoticeRecord>,
}

impl<W: Write> Json<W> {
    /// A JSON reporter writing to `out`.
    pub fn new(out: W, lang: Option<Language>) -> Json<W> {
        Json {
            out,
            lang,
            documents: Vec::new(),
            notices: Vec::new(),
        }
    }
}

impl<W: Write> Reporter for Json<W> {
    fn document(&mut self, report: &DocumentReport) -> io::Result<()> {
        self.documents.push(record(report, self.lang));
        Ok(())
    }

    fn waiver_notices(&mut self, notices: &[Notice]) -> io::Result<()> {
        self.notices = notices
            .iter()
            .map(WaiverNoticeRecord::from_notice)
            .collect();
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let output = Output {
            schema_version: SCHEMA_VERSION,
            tool: Tool::current(),
            documents: std::mem::take(&mut self.documents),
            summary: summary.clone(),
            waiver_notices: std::mem::take(&mut self.notices),
        };
        serde_json::to_writer_pretty(&mut self.out, &output)?;
        writeln!(self.out)?;
        self.out.flush()
    }
}

/// Writes one JSON object per line, each carrying `schema_version`.
pub struct JsonLines<W: Write> {
    out: W,
    lang: Option<Language>,
}

impl<W: Write> JsonLines<W> {
    /// A JSON Lines reporter writing to `out`.
    pub fn new(out: W, lang: Option<Language>) -> JsonLines<W> {
        JsonLines { out, lang }
    }
}

impl<W: Write> Reporter for JsonLines<W> {
    fn document(&mut self, report: &DocumentReport) -> io::Result<()> {
        let mut line = record(report, self.lang);
        line.schema_version = Some(SCHEMA_VERSION);
        serde_json::to_writer(&mut self.out, &line)?;
        writeln!(self.out)?;
        self.out.flush()
    }

    fn finish(&mut self, _summary: &Summary) -> io::Result<()> {
        self.out.flush()
    }
}
