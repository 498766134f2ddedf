//! Reports: documents in, bytes for people or tools out. One module per format; this is the
//! only place that writes output.

pub mod json;
pub mod text;
pub mod wire;

use std::io;

use crate::batch::DocumentReport;
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
}

/// A writer of one output format. The batch calls [`Reporter::document`] once per input, in
/// input order, then [`Reporter::finish`].
pub trait Reporter {
    /// Writes (or collects) one document.
    fn document(&mut self, report: &DocumentReport) -> io::Result<()>;
    /// Writes what comes after the last document.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}
