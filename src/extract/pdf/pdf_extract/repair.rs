//! Content-stream repairs before pdf-extract runs, and a measure of how much text a page shows.
//!
//! pdf-extract 0.12.1 does not implement the `'` and `"` text operators (move to the next line
//! and show a string): their strings are dropped without an error. Ghostscript (enscript,
//! groff via ps2pdf) uses them for almost every line, so a whole contract came back as one
//! heading. We rewrite them into the equivalent operators pdf-extract does implement
//! (`'` → `T*` `Tj`; `"` → `Tw` `Tc` `T*` `Tj`), using the lopdf that pdf-extract re-exports.
//!
//! pdf-extract also misreads the range form of a CID font's `/W` widths (`cFirst cLast w`): the
//! glyphs get the default width, and the spacing rules put spaces inside words ("DSGV O",
//! "P ersonal"; Chromium, wkhtmltopdf). We rewrite range entries into the list form
//! (`cFirst [w w …]`), which it reads correctly.
//!
//! A simple font's `/Widths` may hold indirect numbers (`76 0 R`), on which pdf-extract panics:
//! we put the numbers in their place.
//!
//! While decoding, we also count the bytes of every string a page shows: an estimate of its
//! glyphs, against which the extracted text is checked (see `quality::Issue::TextLost`).

use pdf_extract::content::{Content, Operation};
use pdf_extract::{Dictionary, Document, Object, ObjectId};

/// Most glyphs one `/W` range entry may expand to, and all entries of one font together: a
/// hostile font must not make us allocate without bound.
const MAX_RANGE: i64 = 65_536;
const MAX_WIDTHS: i64 = 1 << 20;

/// Rewrites the range entries of every CID font's `/W` array into the list form.
pub(super) fn repair_cid_widths(doc: &mut Document) {
    let cid_font = |d: &Dictionary| {
        d.get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|s| s == b"CIDFontType2" || s == b"CIDFontType0")
    };
    rewrite_font_arrays(doc, b"W", cid_font, |_, w| list_form(w));
}

/// Replaces the indirect numbers in every simple font's `/Widths` by their values. The array may
/// hold `76 0 R` where a number belongs (macOS Quartz writes such files); pdf-extract reads each
/// entry as a direct number and panics on the page ("wrong type").
pub(super) fn repair_width_references(doc: &mut Document) {
    rewrite_font_arrays(
        doc,
        b"Widths",
        |_| true,
        |doc, widths| {
            if !widths.iter().any(|w| matches!(w, Object::Reference(_))) {
                return None;
            }
            Some(
                widths
                    .iter()
                    .map(|w| match w {
                        Object::Reference(r) => match doc.get_object(*r) {
                            Ok(n @ (Object::Integer(_) | Object::Real(_))) => n.clone(),
                            _ => Object::Integer(0),
                        },
                        other => other.clone(),
                    })
                    .collect(),
            )
        },
    );
}

/// For every dictionary with the array `key` (direct or indirect) that `selects` accepts, sets
/// `key` to what `fix` makes of the array, where it makes something.
fn rewrite_font_arrays(
    doc: &mut Document,
    key: &[u8],
    selects: impl Fn(&Dictionary) -> bool,
    fix: impl Fn(&Document, &[Object]) -> Option<Vec<Object>>,
) {
    let fonts: Vec<ObjectId> = doc
        .objects
        .iter()
        .filter(|(_, o)| o.as_dict().is_ok_and(|d| d.has(key) && selects(d)))
        .map(|(&id, _)| id)
        .collect();
    for id in fonts {
        let Some(fixed) = doc
            .get_dictionary(id)
            .and_then(|d| d.get(key))
            .and_then(|a| doc.dereference(a))
            .and_then(|(_, a)| a.as_array())
            .ok()
            .and_then(|a| fix(doc, a))
        else {
            continue;
        };
        if let Ok(dict) = doc.get_dictionary_mut(id) {
            dict.set(key.to_vec(), Object::Array(fixed));
        }
    }
}

/// `/W` with every `cFirst cLast w` entry as `cFirst [w …]`; `None` when there is no range
/// entry, or the array is malformed or too large (then it is left as it is).
fn list_form(w: &[Object]) -> Option<Vec<Object>> {
    let mut out = Vec::with_capacity(w.len());
    let mut changed = false;
    let mut total = 0;
    let mut i = 0;
    while i < w.len() {
        match (&w[i], w.get(i + 1), w.get(i + 2)) {
            (first, Some(list @ Object::Array(_)), _) => {
                out.push(first.clone());
                out.push(list.clone());
                i += 2;
            }
            (first, Some(last), Some(width)) => {
                let n = last.as_i64().ok()? - first.as_i64().ok()? + 1;
                total += n;
                if !(1..=MAX_RANGE).contains(&n) || total > MAX_WIDTHS {
                    return None;
                }
                out.push(first.clone());
                out.push(Object::Array(vec![width.clone(); n as usize]));
                changed = true;
                i += 3;
            }
            _ => return None,
        }
    }
    changed.then_some(out)
}

/// Decompressed content larger than this that shows no text counts as unreadable.
const BOMB_CONTENT: usize = 32 * 1024 * 1024;

/// What [`repair_text_operators`] saw in the content streams.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Survey {
    /// Bytes shown by text operators over all pages.
    pub shown: usize,
    /// Pages with a content stream that cannot be decompressed or parsed (damaged, or too
    /// large for the memory limit): their text is lost whatever pdf-extract says.
    pub unreadable_pages: usize,
}

/// Rewrites `'` and `"` in every page's content streams and surveys them. Streams that cannot
/// be decoded are left as they are.
pub(super) fn repair_text_operators(doc: &mut Document) -> Survey {
    let mut survey = Survey::default();
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for page in pages {
        let mut readable = true;
        for id in doc.get_page_contents(page) {
            let Ok(stream) = doc.get_object_mut(id).and_then(|o| o.as_stream_mut()) else {
                continue;
            };
            let Ok(data) = stream.decompressed_content() else {
                readable = false;
                continue;
            };
            let Ok(content) = Content::decode(&data) else {
                readable = false;
                continue;
            };
            let shown: usize = content.operations.iter().map(shown_bytes).sum();
            // Inflating stops quietly where memory runs out; tens of MiB of content without a
            // single string is what a decompression bomb leaves, not a page of a contract.
            if shown == 0 && data.len() > BOMB_CONTENT {
                readable = false;
            }
            survey.shown += shown;
            if !content
                .operations
                .iter()
                .any(|op| op.operator == "'" || op.operator == "\"")
            {
                continue;
            }
            let rewritten: Content<Vec<Operation>> = Content {
                operations: content.operations.into_iter().flat_map(rewrite).collect(),
            };
            if let Ok(encoded) = rewritten.encode() {
                stream.set_plain_content(encoded);
            }
        }
        survey.unreadable_pages += usize::from(!readable);
    }
    survey
}

/// `'` and `"` as the operators they abbreviate (PDF 32000-1, table 109).
fn rewrite(op: Operation) -> Vec<Operation> {
    let next_line = || Operation::new("T*", vec![]);
    match (op.operator.as_str(), op.operands.as_slice()) {
        ("'", [string]) => vec![next_line(), Operation::new("Tj", vec![string.clone()])],
        ("\"", [word, character, string]) => vec![
            Operation::new("Tw", vec![word.clone()]),
            Operation::new("Tc", vec![character.clone()]),
            next_line(),
            Operation::new("Tj", vec![string.clone()]),
        ],
        _ => vec![op],
    }
}

/// Bytes of the strings a text-showing operator shows.
fn shown_bytes(op: &Operation) -> usize {
    let strings = |objects: &[Object]| -> usize {
        objects
            .iter()
            .map(|o| match o {
                Object::String(s, _) => s.len(),
                Object::Array(items) => items
                    .iter()
                    .map(|i| match i {
                        Object::String(s, _) => s.len(),
                        _ => 0,
                    })
                    .sum(),
                _ => 0,
            })
            .sum()
    };
    match op.operator.as_str() {
        "Tj" | "TJ" | "'" | "\"" => strings(&op.operands),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_ranges_become_lists() {
        let w = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(500)]),
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(600),
        ];
        let fixed = list_form(&w).expect("has a range");
        assert_eq!(fixed.len(), 4);
        assert_eq!(fixed[3], Object::Array(vec![Object::Integer(600); 3]));
        // Already in list form, malformed, or absurdly large: left alone.
        assert!(list_form(&w[..2]).is_none());
        assert!(list_form(&w[..4]).is_none());
        let huge = [0, i64::from(u32::MAX), 1].map(Object::Integer);
        assert!(list_form(&huge).is_none());
    }

    #[test]
    fn indirect_widths_become_numbers() {
        let mut doc = Document::with_version("1.5");
        let number = doc.add_object(Object::Integer(480));
        let not_a_number = doc.add_object(Object::Name(b"Oops".to_vec()));
        let widths = doc.add_object(Object::Array(vec![
            Object::Integer(500),
            Object::Reference(number),
            Object::Reference(not_a_number),
        ]));
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Widths", Object::Reference(widths));
        let font = doc.add_object(font);
        let mut direct = Dictionary::new();
        direct.set("Widths", vec![Object::Integer(1), Object::Integer(2)]);
        let direct = doc.add_object(direct);
        repair_width_references(&mut doc);
        let got = |id| {
            doc.get_dictionary(id)
                .unwrap()
                .get(b"Widths")
                .unwrap()
                .clone()
        };
        // A number in its place; what is no number becomes a zero width.
        assert_eq!(
            got(font),
            Object::Array(vec![
                Object::Integer(500),
                Object::Integer(480),
                Object::Integer(0)
            ])
        );
        // Widths without references are left as they are.
        assert_eq!(
            got(direct),
            Object::Array(vec![Object::Integer(1), Object::Integer(2)])
        );
    }

    #[test]
    fn quote_operators_become_next_line_and_show() {
        let s = Object::string_literal("Text");
        let ops = rewrite(Operation::new("'", vec![s.clone()]));
        let names: Vec<_> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(names, ["T*", "Tj"]);
        let ops = rewrite(Operation::new(
            "\"",
            vec![Object::Integer(1), Object::Integer(0), s],
        ));
        let names: Vec<_> = ops.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(names, ["Tw", "Tc", "T*", "Tj"]);
        assert_eq!(shown_bytes(&ops[3]), 4);
        // Malformed operand lists stay as they are.
        assert_eq!(rewrite(Operation::new("'", vec![])).len(), 1);
    }
}
