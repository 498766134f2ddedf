//! Content-stream repairs before pdf-extract runs, and a measure of how much text a page shows.
//!
//! pdf-extract 0.12.1 does not implement the `'` and `"` text operators (move to the next line
//! and show a string): their strings are dropped without an error. Ghostscript (enscript,
//! groff via ps2pdf) uses them for almost every line, so a whole contract came back as one
//! heading. We rewrite them into the equivalent operators pdf-extract does implement
//! (`'` → `T*` `Tj`; `"` → `Tw` `Tc` `T*` `Tj`), using the lopdf that pdf-extract re-exports.
//!
//! While decoding, we also count the bytes of every string a page shows: an estimate of its
//! glyphs, against which the extracted text is checked (see `quality::Issue::TextLost`).

use pdf_extract::Document;
use pdf_extract::content::{Content, Operation};

/// Rewrites `'` and `"` in every page's content streams; returns the number of bytes shown by
/// text operators over all pages. Streams that cannot be decoded are left as they are.
pub(super) fn repair_text_operators(doc: &mut Document) -> usize {
    let mut shown = 0;
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    for page in pages {
        for id in doc.get_page_contents(page) {
            let Ok(stream) = doc.get_object_mut(id).and_then(|o| o.as_stream_mut()) else {
                continue;
            };
            let Ok(data) = stream.decompressed_content() else {
                continue;
            };
            let Ok(content) = Content::decode(&data) else {
                continue;
            };
            shown += content.operations.iter().map(shown_bytes).sum::<usize>();
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
    }
    shown
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
    use pdf_extract::Object;
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
    use pdf_extract::Object;

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
