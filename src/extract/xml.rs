//! A small namespace-aware pull parser over quick-xml for the Word and OpenDocument readers.
//!
//! Elements are named by namespace and local name, so a document that binds the usual
//! namespaces to unusual prefixes reads the same. Empty elements come as a start followed by
//! an end; entity and character references come as text.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

use super::{Error, ErrorKind, Format};
use crate::message::Message;

/// The namespaces the readers care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ns {
    /// WordprocessingML (`w:`), transitional or strict.
    Word,
    /// Markup compatibility (`mc:`), for `AlternateContent`.
    Compat,
    /// OpenDocument `office:`.
    Office,
    /// OpenDocument `text:`.
    Text,
    /// OpenDocument `table:`.
    Table,
    /// OpenDocument `style:`.
    Style,
    /// OpenDocument `draw:`.
    Draw,
    /// Anything else.
    Other,
}

fn namespace(uri: &str) -> Ns {
    match uri {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        | "http://purl.oclc.org/ooxml/wordprocessingml/main" => Ns::Word,
        "http://schemas.openxmlformats.org/markup-compatibility/2006" => Ns::Compat,
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0" => Ns::Office,
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0" => Ns::Text,
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0" => Ns::Table,
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0" => Ns::Style,
        "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" => Ns::Draw,
        _ => Ns::Other,
    }
}

/// An element's start tag: its name and attributes (by local name).
#[derive(Debug, Clone)]
pub(super) struct Tag {
    /// Namespace.
    pub ns: Ns,
    /// Local name.
    pub name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    /// The value of the attribute with local name `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One parse event.
#[derive(Debug, Clone)]
pub(super) enum Node {
    /// An element starts (empty elements too).
    Start(Tag),
    /// An element ends: namespace and local name.
    End(Ns, String),
    /// Character data.
    Text(String),
    /// End of input.
    Eof,
}

/// Pull parser over one XML part.
pub(super) struct Parser<'a> {
    reader: NsReader<&'a [u8]>,
    part: &'a str,
    label: Format,
    depth: usize,
}

impl<'a> Parser<'a> {
    /// Parses `xml`, the part `part` of a `label` file (both used in error messages).
    pub fn new(xml: &'a str, part: &'a str, label: Format) -> Parser<'a> {
        let mut reader = NsReader::from_str(xml);
        reader.config_mut().expand_empty_elements = true;
        Parser {
            reader,
            part,
            label,
            depth: 0,
        }
    }

    fn error(&self, e: impl std::fmt::Display) -> Error {
        malformed(self.label, self.part, e)
    }

    /// The next event.
    pub fn next(&mut self) -> Result<Node, Error> {
        loop {
            let (label, part) = (self.label, self.part);
            let (ns, event) = self
                .reader
                .read_resolved_event()
                .map_err(|e| malformed(label, part, e))?;
            let ns = match ns {
                ResolveResult::Bound(n) => namespace(n.0),
                _ => Ns::Other,
            };
            return Ok(match event {
                Event::Start(e) => {
                    self.depth += 1;
                    Node::Start(self.tag(ns, &e)?)
                }
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    Node::End(ns, e.local_name().as_ref().to_string())
                }
                Event::Text(t) => Node::Text(t.xml10_content().into_owned()),
                Event::CData(t) => Node::Text(t.into_inner().into_owned()),
                Event::GeneralRef(r) => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        Ok(None) => predefined(&r.into_inner()),
                        Err(_) => None,
                    };
                    Node::Text(c.map(String::from).unwrap_or_default())
                }
                // A part cut off in the middle is damaged, not short.
                Event::Eof if self.depth > 0 => return Err(self.error("it ends in the middle")),
                Event::Eof => Node::Eof,
                _ => continue,
            });
        }
    }

    fn tag(&self, ns: Ns, e: &BytesStart<'_>) -> Result<Tag, Error> {
        let mut attrs = Vec::new();
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|e| self.error(e))?;
            let key = attr.key.local_name().as_ref().to_string();
            let value = attr
                .normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default();
            attrs.push((key, value));
        }
        Ok(Tag {
            ns,
            name: e.local_name().as_ref().to_string(),
            attrs,
        })
    }

    /// Skips everything up to and including the end of the element that just started.
    pub fn skip(&mut self) -> Result<(), Error> {
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()? {
                Node::Start(_) => depth += 1,
                Node::End(..) => depth -= 1,
                Node::Text(_) => {}
                Node::Eof => return Err(self.error("unexpected end of the part")),
            }
        }
        Ok(())
    }
}

fn malformed(label: Format, part: &str, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Corrupt,
        Message::MalformedXml {
            format: label,
            part: part.to_string(),
            detail: e.to_string(),
        },
    )
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Decodes an XML part: UTF-8 (the rule for both formats), or UTF-16 with a byte-order mark.
pub(super) fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_namespaces_not_prefixes() {
        let xml = r#"<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:t>A &amp; B&#x20;C</x:t><x:br/></x:document>"#;
        let mut p = Parser::new(xml, "document.xml", Format::Docx);
        let mut seen = Vec::new();
        loop {
            match p.next().unwrap() {
                Node::Start(t) => seen.push(format!("<{}:{:?}>", t.name, t.ns)),
                Node::End(_, n) => seen.push(format!("</{n}>")),
                Node::Text(t) => seen.push(t),
                Node::Eof => break,
            }
        }
        assert_eq!(
            seen.concat(),
            "<document:Word><t:Word>A & B C</t><br:Word></br></document>"
        );
    }

    #[test]
    fn broken_xml_is_corrupt() {
        let mut p = Parser::new("<a><b></a>", "content.xml", Format::Odt);
        let err = loop {
            match p.next() {
                Err(e) => break e,
                Ok(Node::Eof) => panic!("no error"),
                Ok(_) => {}
            }
        };
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert!(err.to_string().contains("content.xml"));
    }
}
