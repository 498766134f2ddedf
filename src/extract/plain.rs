//! Plain text and Markdown: UTF-8 with a Latin-1 fallback, one page.

use super::{Document, Format, Page};

/// True when `bytes` look like text: no NUL bytes and mostly printable in the first 8 KiB.
pub(super) fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return false;
    }
    if std::str::from_utf8(head).is_ok() || head.len() == 8192 && valid_utf8_prefix(head) {
        return true;
    }
    // Latin-1 text: bytes 0x80..=0x9F are C1 controls and rare in real text.
    let controls = head
        .iter()
        .filter(|&&b| {
            (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || (0x80..0xa0).contains(&b)
        })
        .count();
    controls * 50 < head.len().max(1)
}

/// A valid UTF-8 prefix cut in the middle of a character still counts as UTF-8.
fn valid_utf8_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Decodes `bytes` as UTF-8 (dropping a BOM), falling back to Latin-1.
pub(super) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

pub(super) fn extract(bytes: &[u8], format: Format) -> Document {
    let text = decode(bytes).replace("\r\n", "\n");
    Document {
        format,
        pages: vec![Page::new(1, text)],
        extractor: "plain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_fallback_keeps_umlauts() {
        assert_eq!(decode(b"L\xf6schung gem\xe4\xdf"), "Löschung gemäß");
        assert_eq!(decode("Löschung".as_bytes()), "Löschung");
        assert_eq!(decode(b"\xEF\xBB\xBFText"), "Text");
    }

    #[test]
    fn binary_is_not_text() {
        assert!(!looks_like_text(b"abc\0def"));
        assert!(looks_like_text(b"L\xf6schung"));
    }
}
