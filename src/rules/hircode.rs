//! A compact byte form of a parsed pattern (`regex_syntax`'s `Hir`), so that `build.rs` parses
//! the built-in pack's patterns once and a scan only rebuilds them from bytes.
//!
//! Parsing was three fifths of the time a short scan spends compiling the patterns its
//! keywords select (the case-insensitive translation of long synonym families); rebuilding a
//! `Hir` from this form runs the same smart constructors over a tree that is already in their
//! normal form, so it gives the same `Hir` (a unit test checks every pattern of the pack).
//!
//! The form is a pre-order walk: one tag byte per node, then its fields. Numbers are LEB128.
//! Shared with `build.rs` through `#[path]`, so it uses nothing but `regex_syntax`.

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Literal, Look, Repetition,
};

const EMPTY: u8 = 0;
const LITERAL: u8 = 1;
const CLASS_BYTES: u8 = 2;
const CLASS_UNICODE: u8 = 3;
const LOOK: u8 = 4;
const REPETITION: u8 = 5;
const CAPTURE: u8 = 6;
const CONCAT: u8 = 7;
const ALTERNATION: u8 = 8;

/// `hir` in the byte form.
pub fn encode(hir: &Hir) -> Vec<u8> {
    let mut out = Vec::new();
    write(hir, &mut out);
    out
}

/// The `Hir` written by [`encode`]; `None` for bytes that are not such a form.
pub fn decode(bytes: &[u8]) -> Option<Hir> {
    let mut reader = Reader { bytes, at: 0 };
    let hir = reader.hir(0)?;
    (reader.at == bytes.len()).then_some(hir)
}

fn number(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn write(hir: &Hir, out: &mut Vec<u8>) {
    match hir.kind() {
        HirKind::Empty => out.push(EMPTY),
        HirKind::Literal(Literal(bytes)) => {
            out.push(LITERAL);
            number(bytes.len() as u64, out);
            out.extend_from_slice(bytes);
        }
        HirKind::Class(Class::Bytes(class)) => {
            out.push(CLASS_BYTES);
            number(class.ranges().len() as u64, out);
            for r in class.ranges() {
                out.extend_from_slice(&[r.start(), r.end()]);
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            out.push(CLASS_UNICODE);
            number(class.ranges().len() as u64, out);
            for r in class.ranges() {
                number(u64::from(r.start()), out);
                number(u64::from(r.end()), out);
            }
        }
        HirKind::Look(look) => {
            out.push(LOOK);
            number(u64::from(look.as_repr()), out);
        }
        HirKind::Repetition(rep) => {
            out.push(REPETITION);
            number(u64::from(rep.min), out);
            // max + 1, so that 0 says "unbounded".
            number(rep.max.map_or(0, |m| u64::from(m) + 1), out);
            out.push(u8::from(rep.greedy));
            write(&rep.sub, out);
        }
        HirKind::Capture(cap) => {
            out.push(CAPTURE);
            number(u64::from(cap.index), out);
            match &cap.name {
                Some(name) => {
                    number(name.len() as u64 + 1, out);
                    out.extend_from_slice(name.as_bytes());
                }
                None => number(0, out),
            }
            write(&cap.sub, out);
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            out.push(if matches!(hir.kind(), HirKind::Concat(_)) {
                CONCAT
            } else {
                ALTERNATION
            });
            number(subs.len() as u64, out);
            for sub in subs {
                write(sub, out);
            }
        }
    }
}

/// Reads the byte form; every read checks its bounds, so bad bytes give `None`, not a panic.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// Deeper than any pattern `rules::limits::NEST_LIMIT` lets parse: a guard against a stack
/// overflow on bytes that are not a written form.
const DEPTH_LIMIT: usize = 256;

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn number(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.number()?).ok()
    }

    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.number()?).ok()?;
        // Every item takes at least one byte: a count beyond the bytes left is corrupt.
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn hir(&mut self, depth: usize) -> Option<Hir> {
        if depth > DEPTH_LIMIT {
            return None;
        }
        Some(match self.byte()? {
            EMPTY => Hir::empty(),
            LITERAL => {
                let n = self.count()?;
                Hir::literal(self.take(n)?.to_vec())
            }
            CLASS_BYTES => {
                let n = self.count()?;
                let mut ranges = Vec::with_capacity(n);
                for _ in 0..n {
                    let (start, end) = (self.byte()?, self.byte()?);
                    ranges.push(ClassBytesRange::new(start, end));
                }
                Hir::class(Class::Bytes(ClassBytes::new(ranges)))
            }
            CLASS_UNICODE => {
                let n = self.count()?;
                let mut ranges = Vec::with_capacity(n);
                for _ in 0..n {
                    let start = char::from_u32(self.u32()?)?;
                    let end = char::from_u32(self.u32()?)?;
                    ranges.push(ClassUnicodeRange::new(start, end));
                }
                Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
            }
            LOOK => Hir::look(Look::from_repr(self.u32()?)?),
            REPETITION => {
                let min = self.u32()?;
                let max = match self.u32()? {
                    0 => None,
                    m => Some(m - 1),
                };
                let greedy = self.byte()? != 0;
                let sub = Box::new(self.hir(depth + 1)?);
                Hir::repetition(Repetition {
                    min,
                    max,
                    greedy,
                    sub,
                })
            }
            CAPTURE => {
                let index = self.u32()?;
                let name = match self.count()? {
                    0 => None,
                    n => Some(Box::from(std::str::from_utf8(self.take(n - 1)?).ok()?)),
                };
                let sub = Box::new(self.hir(depth + 1)?);
                Hir::capture(Capture { index, name, sub })
            }
            tag @ (CONCAT | ALTERNATION) => {
                let n = self.count()?;
                let mut subs = Vec::with_capacity(n);
                for _ in 0..n {
                    subs.push(self.hir(depth + 1)?);
                }
                if tag == CONCAT {
                    Hir::concat(subs)
                } else {
                    Hir::alternation(subs)
                }
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .utf8(false)
            .build()
            .parse(pattern)
            .expect("parses")
    }

    #[test]
    fn round_trips_every_kind_of_node() {
        for pattern in [
            "",
            "abc",
            r"\bverarbeit\w*\s(?P<n>\d+)\s(tage|hours?)",
            r"(?-u:\xFF)|[§•]|ä{2,5}?|x{3,}|y*",
            r"^(?m:$)|\B(?:a|b)c{0,200}?",
        ] {
            let hir = parse(pattern);
            assert_eq!(decode(&encode(&hir)), Some(hir), "{pattern}");
        }
    }

    #[test]
    fn bad_bytes_decode_to_none() {
        let good = encode(&parse(r"\bsub-?processors?\b.{0,60}?object"));
        assert!(decode(&good).is_some());
        for cut in 0..good.len() {
            assert_eq!(decode(&good[..cut]), None, "cut at {cut}");
        }
        assert_eq!(decode(&[99]), None);
        assert_eq!(decode(&[LITERAL, 0xff, 0xff, 0xff, 0xff, 0x0f]), None);
        let mut trailing = good.clone();
        trailing.push(EMPTY);
        assert_eq!(decode(&trailing), None);
    }
}
