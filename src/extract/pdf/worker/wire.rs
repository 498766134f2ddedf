//! What the parent and a worker say to each other over the worker's stdin and stdout.
//!
//! A request is a header line `ENGINE LENGTH\n` followed by LENGTH bytes of PDF; a reply is a
//! header line `LENGTH STATE\n` followed by LENGTH bytes of JSON (a [`Reply`]), where STATE is
//! `keep` (send the next file) or `retire` (the worker exits after this reply, see
//! [`super::serve()`]). The length prefix lets one worker answer file after file, and lets the
//! parent refuse an answer larger than [`STDOUT_KEEP`] before reading it.

use std::io::{self, BufRead, Read, Write};

use serde::{Deserialize, Serialize};

use crate::extract::process::STDOUT_KEEP;
use crate::extract::{Error, ErrorKind};
use crate::message::Message;

/// The worker's answer for one file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Reply {
    /// The engine read the file: each page's text, the pages that failed, the bytes shown.
    Pages {
        pages: Vec<String>,
        failed: usize,
        shown: Option<usize>,
    },
    /// The engine gave up with an error of this kind and message.
    Failed { kind: String, message: Message },
}

impl Reply {
    /// The reply for `error`.
    pub(super) fn failed(error: &Error) -> Reply {
        Reply::Failed {
            kind: kind_name(error.kind()).to_string(),
            message: error.message().clone(),
        }
    }
}

fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Corrupt => "corrupt",
        ErrorKind::Encrypted => "encrypted",
        ErrorKind::Unsupported => "unsupported",
        ErrorKind::Panic => "panic",
        ErrorKind::NoText => "no_text",
        ErrorKind::Crashed => "crashed",
        ErrorKind::Timeout => "timeout",
        ErrorKind::TooLarge => "too_large",
    }
}

/// The kind of a [`Reply::Failed`].
pub(super) fn kind_from_name(name: &str) -> ErrorKind {
    match name {
        "corrupt" => ErrorKind::Corrupt,
        "encrypted" => ErrorKind::Encrypted,
        "unsupported" => ErrorKind::Unsupported,
        "no_text" => ErrorKind::NoText,
        "timeout" => ErrorKind::Timeout,
        "crashed" => ErrorKind::Crashed,
        "too_large" => ErrorKind::TooLarge,
        _ => ErrorKind::Panic,
    }
}

/// Longest header line either side accepts: a name or a number and a word.
const HEADER_MAX: u64 = 64;

/// Writes a request for `engine` to read `pdf`.
pub(super) fn write_request(out: &mut impl Write, engine: &str, pdf: &[u8]) -> io::Result<()> {
    writeln!(out, "{engine} {}", pdf.len())?;
    out.write_all(pdf)?;
    out.flush()
}

/// Reads the next request: the engine's name and the PDF. `Ok(None)` at the end of input
/// (the parent has no more files for this worker).
pub(super) fn read_request(input: &mut impl BufRead) -> io::Result<Option<(String, Vec<u8>)>> {
    let Some(header) = read_header(input)? else {
        return Ok(None);
    };
    let (engine, length) = header
        .split_once(' ')
        .and_then(|(engine, length)| Some((engine.to_string(), length.parse::<u64>().ok()?)))
        .ok_or_else(|| malformed(&header))?;
    let mut pdf = Vec::new();
    input.take(length).read_to_end(&mut pdf)?;
    if pdf.len() as u64 != length {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some((engine, pdf)))
}

/// Writes `reply`; `retire` tells the parent this worker takes no further file.
pub(super) fn write_reply(out: &mut impl Write, reply: &Reply, retire: bool) -> io::Result<()> {
    let json = serde_json::to_vec(reply).map_err(io::Error::from)?;
    let state = if retire { "retire" } else { "keep" };
    writeln!(out, "{} {state}", json.len())?;
    out.write_all(&json)?;
    out.flush()
}

/// One reply as the parent reads it.
#[derive(Debug)]
pub(super) enum Answer {
    /// The reply's JSON, and whether the worker retires after it.
    Reply { json: Vec<u8>, retire: bool },
    /// The worker announced more than [`STDOUT_KEEP`] bytes; they were not read.
    Overflow,
}

/// Reads the next reply. An error means the worker died or wrote something else than a reply
/// (end of file, a malformed header): either way it is of no further use.
pub(super) fn read_answer(input: &mut impl BufRead) -> io::Result<Answer> {
    let header = read_header(input)?.ok_or(io::ErrorKind::UnexpectedEof)?;
    let (length, retire) = match header.split_once(' ') {
        Some((length, "keep")) => (length, false),
        Some((length, "retire")) => (length, true),
        _ => return Err(malformed(&header)),
    };
    let length: u64 = length.parse().map_err(|_| malformed(&header))?;
    if length > STDOUT_KEEP {
        return Ok(Answer::Overflow);
    }
    let mut json = Vec::new();
    input.take(length).read_to_end(&mut json)?;
    if json.len() as u64 != length {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Answer::Reply { json, retire })
}

/// A header line without its newline; `None` at the end of input before any byte of it.
fn read_header(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    input.take(HEADER_MAX).read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Ok(None);
    }
    if line.pop() != Some(b'\n') {
        return Err(malformed(&String::from_utf8_lossy(&line)));
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|e| malformed(&String::from_utf8_lossy(e.as_bytes())))
}

fn malformed(header: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("malformed header {header:?}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_follow_each_other_until_the_end_of_input() {
        let mut wire = Vec::new();
        write_request(&mut wire, "pdf-extract", b"%PDF-1.4 one").unwrap();
        write_request(&mut wire, "lopdf", b"").unwrap();
        let mut input = wire.as_slice();
        let first = read_request(&mut input).unwrap().unwrap();
        assert_eq!(first, ("pdf-extract".to_string(), b"%PDF-1.4 one".to_vec()));
        let second = read_request(&mut input).unwrap().unwrap();
        assert_eq!(second, ("lopdf".to_string(), Vec::new()));
        assert!(read_request(&mut input).unwrap().is_none());
    }

    #[test]
    fn a_cut_request_is_an_error() {
        let mut wire = Vec::new();
        write_request(&mut wire, "pdf-extract", b"%PDF-1.4 one").unwrap();
        wire.truncate(wire.len() - 3);
        assert!(read_request(&mut wire.as_slice()).is_err());
        assert!(read_request(&mut b"no header line".as_slice()).is_err());
    }

    #[test]
    fn replies_carry_json_and_whether_the_worker_retires() {
        let mut wire = Vec::new();
        let reply = Reply::Pages {
            pages: vec!["Seite 1".into()],
            failed: 0,
            shown: Some(7),
        };
        write_reply(&mut wire, &reply, false).unwrap();
        write_reply(&mut wire, &reply, true).unwrap();
        let mut input = wire.as_slice();
        for expected in [false, true] {
            match read_answer(&mut input).unwrap() {
                Answer::Reply { json, retire } => {
                    assert_eq!(retire, expected);
                    let back: Reply = serde_json::from_slice(&json).unwrap();
                    assert!(matches!(back, Reply::Pages { failed: 0, .. }), "{back:?}");
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(read_answer(&mut input).is_err(), "end of input");
    }

    #[test]
    fn a_reply_larger_than_the_cap_is_not_read() {
        let header = format!("{} keep\n", STDOUT_KEEP + 1);
        let answer = read_answer(&mut header.as_bytes()).unwrap();
        assert!(matches!(answer, Answer::Overflow), "{answer:?}");
    }

    #[test]
    fn failure_kinds_round_trip() {
        for kind in [
            ErrorKind::Corrupt,
            ErrorKind::Encrypted,
            ErrorKind::Unsupported,
            ErrorKind::Panic,
            ErrorKind::NoText,
            ErrorKind::Crashed,
            ErrorKind::Timeout,
            ErrorKind::TooLarge,
        ] {
            assert_eq!(kind_from_name(kind_name(kind)), kind);
        }
    }
}
