//! Reports: documents in, bytes for people or tools out. One module per format; this is the
//! only place that writes output. [`destination`] writes a report to a file atomically and
//! [`progress`] shows a progress bar on a terminal's stderr. [`wire`] and [`rule_list`] are the
//! versioned JSON formats of `ampel scan` and `ampel rules list`.

pub mod accepted;
pub mod csv;
pub mod destination;
pub mod diff;
pub mod docx;
pub mod html;
pub mod json;
pub mod labels;
pub mod letter;
pub mod markdown;
pub mod progress;
pub mod rule_list;
pub mod sarif;
pub mod text;
pub mod wire;

use std::io::{self, Write};

use crate::document::DocumentReport;
use crate::rules::Pack;
use crate::text::Language;
pub use wire::Summary;

/// The output formats of `ampel scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For people, on a terminal.
    Text,
    /// One JSON object.
    Json,
    /// One JSON object per line, streamed.
    Jsonl,
    /// One self-contained HTML page: overview table and a section per document.
    Html,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// One row per document, for spreadsheets.
    Csv,
    /// Markdown for tickets and wikis.
    Markdown,
}

/// A writer of one output format. The batch calls [`Reporter::document`] once per input, in
/// input order, then [`Reporter::finish`].
pub trait Reporter {
    /// Writes (or collects) one document.
    fn document(&mut self, report: &DocumentReport) -> io::Result<()>;
    /// Takes the waivers that need attention (expired or unused), before [`Reporter::finish`].
    /// Formats without a place for them (JSON Lines, CSV) ignore them; `ampel` also prints
    /// them on stderr.
    fn waiver_notices(&mut self, _notices: &[crate::waiver::Notice]) -> io::Result<()> {
        Ok(())
    }
    /// Writes what comes after the last document.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// The reporter for `format`, writing to `out`. Texts are in `lang`, or else in each
/// document's own language; `pack` supplies the rule metadata SARIF carries.
///
/// ```
/// use ampel::report::{Format, Reporter, Summary, reporter};
/// let pack = ampel::rules::Pack::embedded().unwrap();
/// let mut out = Vec::new();
/// let mut csv = reporter(Format::Csv, &mut out, None, &pack);
/// csv.finish(&Summary::default()).unwrap();
/// drop(csv);
/// assert!(String::from_utf8(out).unwrap().starts_with("path,status,ampel,"));
/// ```
pub fn reporter<'a>(
    format: Format,
    out: impl Write + 'a,
    lang: Option<Language>,
    pack: &'a Pack,
) -> Box<dyn Reporter + 'a> {
    match format {
        Format::Text => Box::new(text::Human::new(out, lang)),
        Format::Json => Box::new(json::Json::new(out, lang)),
        Format::Jsonl => Box::new(json::JsonLines::new(out, lang)),
        Format::Html => Box::new(html::Html::new(out, lang)),
        Format::Sarif => Box::new(sarif::Sarif::new(out, lang, pack)),
        Format::Csv => Box::new(self::csv::Csv::new(out)),
        Format::Markdown => Box::new(markdown::Markdown::new(out, lang)),
    }
}
