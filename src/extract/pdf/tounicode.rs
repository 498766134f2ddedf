//! Repairs `/ToUnicode` maps that send glyphs to a placeholder instead of text.
//!
//! macOS (Quartz) writes a `/ToUnicode` map for every subset font, but maps the glyphs it has
//! no single code point for — ligatures such as `f_t`, alternate figures such as `two.pnum` —
//! to U+FFFF. Every extractor trusts the map, so a German agreement set in such a font reads
//! "Au!ragsverarbeiter" (or "Au\u{FFFD}ragsverarbeiter" with poppler) and its clause numbers are
//! gone. The font's `/Encoding` `/Differences` still name those glyphs, and a glyph name says
//! its text by the Adobe Glyph List specification: the part after the first period is a variant
//! suffix, underscores join ligature components, and each component is a name of the list or a
//! `uniXXXX` / `uXXXXX` code. We rewrite each placeholder entry (U+FFFF or U+FFFD) of a simple
//! font's map to the text its glyph name gives; entries the name cannot decide stay as they
//! are, and maps without placeholders are not touched.
//!
//! A leaf of the PDF modules, like `pages`: both Rust extractors call it after loading.

use std::collections::BTreeMap;

use pdf_extract::{Document, Object, ObjectId};

/// Rewrites the placeholder entries of every simple font's `/ToUnicode` map from the glyph
/// names of its `/Encoding` `/Differences`. Returns how many entries it rewrote.
pub(crate) fn repair_placeholder_maps(doc: &mut Document) -> usize {
    // Each map once, with the glyph names of the first font that uses it.
    let mut maps: BTreeMap<ObjectId, BTreeMap<u8, String>> = BTreeMap::new();
    for object in doc.objects.values() {
        let Ok(font) = object.as_dict() else {
            continue;
        };
        let Ok(Object::Reference(map_id)) = font.get(b"ToUnicode") else {
            continue;
        };
        if maps.contains_key(map_id) {
            continue;
        }
        let encoding = match font.get(b"Encoding") {
            Ok(Object::Reference(id)) => doc.get_object(*id).ok(),
            Ok(other) => Some(other),
            Err(_) => None,
        };
        let Some(Ok(encoding)) = encoding.map(Object::as_dict) else {
            continue;
        };
        let Ok(differences) = encoding.get(b"Differences").and_then(Object::as_array) else {
            continue;
        };
        let names = glyph_names(differences);
        if !names.is_empty() {
            maps.insert(*map_id, names);
        }
    }
    let mut rewritten = 0;
    for (map_id, names) in maps {
        let Ok(stream) = doc.get_object_mut(map_id).and_then(Object::as_stream_mut) else {
            continue;
        };
        let Ok(content) = stream.get_plain_content() else {
            continue;
        };
        let (repaired, count) = repair_map(&content, &names);
        if count > 0 {
            stream.set_plain_content(repaired);
            rewritten += count;
        }
    }
    rewritten
}

/// Code → glyph name from a `/Differences` array (`[code /name /name … code /name …]`).
fn glyph_names(differences: &[Object]) -> BTreeMap<u8, String> {
    let mut names = BTreeMap::new();
    let mut code: Option<i64> = None;
    for item in differences {
        match item {
            Object::Integer(start) => code = Some(*start),
            Object::Name(name) => {
                if let Some(c) = code {
                    if let Ok(byte) = u8::try_from(c) {
                        names.insert(byte, String::from_utf8_lossy(name).into_owned());
                    }
                    code = Some(c + 1);
                }
            }
            _ => {}
        }
    }
    names
}

/// The map with each placeholder entry for a one-byte code rewritten from its glyph name, and
/// how many entries were rewritten. Only `bfchar` pairs and `bfrange` entries of one code are
/// read; anything else is copied as it is.
fn repair_map(content: &[u8], names: &BTreeMap<u8, String>) -> (Vec<u8>, usize) {
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for (kind, per_entry) in [(&b"bfchar"[..], 2), (&b"bfrange"[..], 3)] {
        for (start, end) in sections(content, kind) {
            let tokens = hex_tokens(content, start, end);
            // An array destination (`<lo> <hi> [<a> <b>]`) breaks the counting: stop there.
            if tokens.iter().any(|t| t.is_none()) {
                continue;
            }
            let tokens: Vec<(usize, usize)> = tokens.into_iter().flatten().collect();
            for entry in tokens.chunks_exact(per_entry) {
                let text = |&(s, e): &(usize, usize)| &content[s..e];
                let src = text(&entry[0]);
                if per_entry == 3 && src != text(&entry[1]) {
                    continue;
                }
                let dst = entry[per_entry - 1];
                if !is_placeholder(text(&dst)) {
                    continue;
                }
                let Some(code) = one_byte_code(src) else {
                    continue;
                };
                let Some(glyph) = names.get(&code).and_then(|n| glyph_text(n)) else {
                    continue;
                };
                let hex: String = glyph
                    .encode_utf16()
                    .map(|unit| format!("{unit:04X}"))
                    .collect();
                replacements.push((dst.0, dst.1, hex));
            }
        }
    }
    replacements.sort_by_key(|r| r.0);
    let count = replacements.len();
    let mut out = Vec::with_capacity(content.len() + 8 * count);
    let mut at = 0;
    for (start, end, hex) in replacements {
        out.extend_from_slice(&content[at..start]);
        out.extend_from_slice(hex.as_bytes());
        at = end;
    }
    out.extend_from_slice(&content[at..]);
    (out, count)
}

/// The byte ranges between `begin<kind>` and `end<kind>`.
fn sections(content: &[u8], kind: &[u8]) -> Vec<(usize, usize)> {
    let begin = [b"begin", kind].concat();
    let end = [b"end", kind].concat();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(b) = find(content, &begin, from) {
        let start = b + begin.len();
        let Some(e) = find(content, &end, start) else {
            break;
        };
        out.push((start, e));
        from = e + end.len();
    }
    out
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| p + from)
}

/// The hex strings of a section as the ranges of their digits, in order; `None` for an array.
fn hex_tokens(content: &[u8], start: usize, end: usize) -> Vec<Option<(usize, usize)>> {
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        match content[i] {
            b'<' => {
                let digits = i + 1;
                let close = (digits..end).find(|&j| content[j] == b'>').unwrap_or(end);
                out.push(Some((digits, close)));
                i = close + 1;
            }
            b'[' => {
                out.push(None);
                i = (i..end).find(|&j| content[j] == b']').unwrap_or(end) + 1;
            }
            _ => i += 1,
        }
    }
    out
}

fn is_placeholder(hex: &[u8]) -> bool {
    hex.eq_ignore_ascii_case(b"FFFF") || hex.eq_ignore_ascii_case(b"FFFD")
}

fn one_byte_code(hex: &[u8]) -> Option<u8> {
    if hex.len() != 2 {
        return None;
    }
    u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
}

/// The text a glyph name stands for, by the Adobe Glyph List specification: `None` when any
/// component is unknown.
fn glyph_text(name: &str) -> Option<String> {
    let base = name.split('.').next().unwrap_or_default();
    if base.is_empty() {
        return None;
    }
    let mut text = String::new();
    for component in base.split('_') {
        text.push_str(&component_text(component)?);
    }
    (!text.is_empty() && !text.chars().any(char::is_control)).then_some(text)
}

fn component_text(component: &str) -> Option<String> {
    if let Some(known) = known_names().get(component) {
        return Some(known.to_string());
    }
    let hex_chars = |digits: &str, width: usize| -> Option<String> {
        if digits.is_empty() || !digits.len().is_multiple_of(width) {
            return None;
        }
        (0..digits.len())
            .step_by(width)
            .map(|i| {
                let value = u32::from_str_radix(digits.get(i..i + width)?, 16).ok()?;
                char::from_u32(value)
            })
            .collect()
    };
    if let Some(digits) = component.strip_prefix("uni") {
        return hex_chars(digits, 4);
    }
    if let Some(digits) = component.strip_prefix('u')
        && (4..=6).contains(&digits.len())
    {
        return hex_chars(digits, digits.len());
    }
    None
}

/// The names of the Adobe Glyph List for New Fonts (the `glyph-names` crate's table), by name.
fn known_names() -> &'static BTreeMap<&'static str, char> {
    static NAMES: std::sync::OnceLock<BTreeMap<&'static str, char>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: BTreeMap<&'static str, char> = BTreeMap::new();
        for &(ch, name) in glyph_names::GLYPH_NAME_PAIRS {
            names.entry(name).or_insert(ch);
        }
        names
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pdf_extract::{Dictionary, Stream};

    #[test]
    fn glyph_names_read_by_the_adobe_rules() {
        assert_eq!(glyph_text("f_t").as_deref(), Some("ft"));
        assert_eq!(glyph_text("f_f_i").as_deref(), Some("ffi"));
        assert_eq!(glyph_text("two.pnum").as_deref(), Some("2"));
        assert_eq!(glyph_text("a.sc").as_deref(), Some("a"));
        assert_eq!(glyph_text("adieresis").as_deref(), Some("ä"));
        assert_eq!(glyph_text("uni00660074").as_deref(), Some("ft"));
        assert_eq!(glyph_text("u1F574").as_deref(), Some("\u{1F574}"));
        assert_eq!(glyph_text("germandbls").as_deref(), Some("ß"));
        assert_eq!(glyph_text("notaglyph"), None);
        assert_eq!(glyph_text("f_notaglyph"), None);
        assert_eq!(glyph_text(".notdef"), None);
        assert_eq!(glyph_text("uniD800"), None, "a surrogate is no character");
    }

    const MAP: &str = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
        1 begincodespacerange\n<00><FF>\nendcodespacerange\n\
        3 beginbfrange\n<21><21><ffff>\n<22><22><FFFD>\n<23><24><0041>\nendbfrange\n\
        2 beginbfchar\n<25> <ffff>\n<26> <0042>\nendbfchar\n\
        endcmap\nend\nend\n";

    fn names() -> BTreeMap<u8, String> {
        glyph_names(&[
            Object::Integer(33),
            Object::Name(b"f_t".to_vec()),
            Object::Name(b"two.pnum".to_vec()),
            Object::Integer(37),
            Object::Name(b"notaglyph".to_vec()),
            Object::Name(b"B".to_vec()),
        ])
    }

    #[test]
    fn placeholders_are_rewritten_from_the_glyph_names_and_nothing_else() {
        let (repaired, count) = repair_map(MAP.as_bytes(), &names());
        let repaired = String::from_utf8(repaired).unwrap();
        assert_eq!(count, 2);
        assert!(repaired.contains("<21><21><00660074>"), "{repaired}");
        assert!(repaired.contains("<22><22><0032>"), "{repaired}");
        // A range of several codes, a name the list does not know, a real mapping: unchanged.
        assert!(repaired.contains("<23><24><0041>"));
        assert!(repaired.contains("<25> <ffff>"));
        assert!(repaired.contains("<26> <0042>"));
        let (same, none) = repair_map(MAP.as_bytes(), &BTreeMap::new());
        assert_eq!((same.as_slice(), none), (MAP.as_bytes(), 0));
    }

    #[test]
    fn a_font_s_map_is_repaired_in_the_document() {
        let mut doc = Document::with_version("1.5");
        let map_id = doc.add_object(Stream::new(Dictionary::new(), MAP.as_bytes().to_vec()));
        let mut encoding = Dictionary::new();
        encoding.set(
            "Differences",
            vec![Object::Integer(33), Object::Name(b"f_t".to_vec())],
        );
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type1".to_vec()));
        font.set("Encoding", encoding);
        font.set("ToUnicode", Object::Reference(map_id));
        doc.add_object(font);
        assert_eq!(repair_placeholder_maps(&mut doc), 1);
        let content = doc
            .get_object(map_id)
            .and_then(Object::as_stream)
            .unwrap()
            .get_plain_content()
            .unwrap();
        assert!(
            String::from_utf8(content)
                .unwrap()
                .contains("<21><21><00660074>")
        );
        // A second pass finds nothing left to do.
        assert_eq!(repair_placeholder_maps(&mut doc), 0);
    }
}
