//! lopdf's own `extract_text` as a fallback extractor: pure Rust and already linked through
//! pdf-extract (which re-exports lopdf), weaker than the others (it loses the text of Form
//! XObjects) but always there. Each page's panics are contained, so one broken page costs only
//! itself; like the primary it runs in the extraction worker. Placeholder glyphs of the fonts'
//! `/ToUnicode` maps are read from their glyph names first, as for the primary.

use super::pages::{Pages, load};
use crate::extract::Error;

/// lopdf's text extraction, page by page; a page whose extraction fails or panics stays empty
/// and counts as failed.
pub(crate) fn pages(bytes: &[u8]) -> Result<Pages, Error> {
    let mut doc = load(bytes)?;
    super::tounicode::repair_placeholder_maps(&mut doc);
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    Ok(Pages::read_each(numbers, |number| {
        doc.extract_text(&[number])
    }))
}
