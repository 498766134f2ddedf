//! Page furniture: running headers, footers and page numbers that repeat at the top or bottom
//! of many pages. Left in, they land in the middle of a clause that crosses a page break
//! ("… bei der Einhaltung der Pflichten | Seite 3 | AVV Lohn … | aus Art. 32 bis 36 DSGVO").
//! They are found by comparing the first and last lines of every page, with digits blanked so
//! "Seite 3" and "Seite 4" count as the same line.

/// How many non-empty lines at each edge of a page are candidates.
const EDGE_LINES: usize = 3;
/// A line is furniture when it sits at a page edge on at least this share of pages...
const MIN_SHARE: f64 = 0.5;
/// ...and on at least this many pages.
const MIN_PAGES: usize = 3;

/// What two furniture lines have in common: the words of `line` apart by single spaces, lower
/// case, digits as `#` ("Seite 3" and "Seite 4" share a key). One pass, one allocation; an
/// ASCII line, nearly every one, is done byte by byte.
fn key(line: &str) -> Vec<u8> {
    if line.is_ascii() {
        let mut out = Vec::with_capacity(line.len());
        let mut gap = false;
        for b in line.bytes() {
            // White space as `split_whitespace` takes it.
            if super::normalise::ascii_space(b) {
                gap = true;
                continue;
            }
            if gap && !out.is_empty() {
                out.push(b' ');
            }
            gap = false;
            out.push(if b.is_ascii_digit() {
                b'#'
            } else {
                b.to_ascii_lowercase()
            });
        }
        return out;
    }
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_lowercase().next().unwrap_or(c)
            }
        }));
    }
    out.into_bytes()
}

/// Byte ranges of the non-empty lines at the edges of `page` — the first and the last
/// [`EDGE_LINES`], no line twice — with `offset` added. Only the edges are read, so a long
/// page costs no more than a short one.
fn edge_lines(page: &str, offset: usize) -> Vec<(usize, usize)> {
    let non_empty = |(s, e): (usize, usize)| !page[s..e].trim().is_empty();
    let mut head = Vec::new();
    let mut start = 0;
    while head.len() < EDGE_LINES && start <= page.len() {
        let end = page[start..].find('\n').map_or(page.len(), |i| start + i);
        if non_empty((start, end)) {
            head.push((start, end));
        }
        start = end + 1;
    }
    // The tail: the last non-empty lines after the head's last one.
    let mut tail = Vec::new();
    if let Some(&(last_head, _)) = head.last() {
        let mut end = page.len();
        loop {
            let start = page[..end].rfind('\n').map_or(0, |i| i + 1);
            if start <= last_head || tail.len() == EDGE_LINES {
                break;
            }
            if non_empty((start, end)) {
                tail.push((start, end));
            }
            end = start - 1;
        }
    }
    tail.reverse();
    head.into_iter()
        .chain(tail)
        .map(|(s, e)| (offset + s, offset + e))
        .collect()
}

/// Byte ranges (in `text`) of the furniture lines; `page_starts` are the page offsets.
pub fn furniture(text: &str, page_starts: &[usize]) -> Vec<(usize, usize)> {
    if page_starts.len() < MIN_PAGES {
        return Vec::new();
    }
    let pages: Vec<Vec<(usize, usize)>> = page_starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            let end = page_starts.get(i + 1).copied().unwrap_or(text.len());
            edge_lines(&text[start..end], start)
        })
        .collect();
    // Each edge line's key, worked out once.
    let keys: Vec<Vec<Vec<u8>>> = pages
        .iter()
        .map(|page| page.iter().map(|&(s, e)| key(&text[s..e])).collect())
        .collect();
    let mut counts: std::collections::HashMap<&[u8], usize> = std::collections::HashMap::new();
    for page in &keys {
        let mut seen: Vec<&[u8]> = page.iter().map(Vec::as_slice).collect();
        seen.sort_unstable();
        seen.dedup();
        for k in seen {
            *counts.entry(k).or_default() += 1;
        }
    }
    let needed = MIN_PAGES.max((pages.len() as f64 * MIN_SHARE).ceil() as usize);
    let mut out: Vec<(usize, usize)> = pages
        .iter()
        .zip(&keys)
        .flat_map(|(page, keys)| page.iter().zip(keys))
        .filter(|(_, k)| counts.get(k.as_slice()).is_some_and(|&n| n >= needed))
        .map(|(&range, _)| range)
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `text` with the `ranges` blanked out by spaces of the same byte length, so every byte
/// offset stays valid, and what was blanked: each stretch's offset and its words. The ranges
/// are whole lines, sorted; should one not sit on character boundaries, the text is returned
/// as it is.
pub fn blank(text: String, ranges: &[(usize, usize)]) -> (String, Vec<(usize, Box<str>)>) {
    if ranges.is_empty()
        || ranges
            .iter()
            .any(|&(s, e)| s > e || !text.is_char_boundary(s) || !text.is_char_boundary(e))
    {
        return (text, Vec::new());
    }
    let mut out = String::with_capacity(text.len());
    let mut blanked = Vec::new();
    let mut at = 0;
    for &(s, e) in ranges {
        let s = s.max(at);
        if e <= s {
            continue;
        }
        out.push_str(&text[at..s]);
        out.extend(std::iter::repeat_n(' ', e - s));
        blanked.push((s, text[s..e].into()));
        at = e;
    }
    out.push_str(&text[at..]);
    (out, blanked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeating_headers_and_page_numbers_are_furniture() {
        let pages = [
            "AVV Lohn – Fassung 1.3\nErste Seite mit Text.\nSeite 1",
            "AVV Lohn – Fassung 1.3\nZweite Seite, die Pflichten\nSeite 2",
            "AVV Lohn – Fassung 1.3\naus Art. 32 bis 36 DSGVO.\nSeite 3",
            "AVV Lohn – Fassung 1.3\nVierte Seite.\nSeite 4",
        ];
        let mut text = String::new();
        let mut starts = Vec::new();
        for p in pages {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            starts.push(text.len());
            text.push_str(p);
        }
        let ranges = furniture(&text, &starts);
        let removed: Vec<&str> = ranges.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(removed.len(), 8, "{removed:?}");
        assert!(
            removed
                .iter()
                .all(|l| l.starts_with("AVV Lohn") || l.starts_with("Seite"))
        );
        let (blanked, furniture) = blank(text.clone(), &ranges);
        assert!(furniture.iter().any(|(_, words)| words.contains("Fassung")));
        assert_eq!(blanked.len(), text.len());
        assert!(blanked.contains("Zweite Seite, die Pflichten"));
        assert!(!blanked.contains("Fassung"));
    }

    #[test]
    fn keys_of_ascii_lines_are_the_keys_of_any_line() {
        // The ASCII path against the general one: the same line with a non-ASCII letter
        // appended takes the general path, so its key must be the ASCII key plus that letter.
        for line in [
            "  Seite 3 von 12 ",
            "AVV\tLohn\x0bFassung 1.3",
            "Confidential -- Page 4\r",
            "",
            " \x0c ",
            "a\x1fb",
        ] {
            let general = String::from_utf8(key(&format!("{line} é"))).expect("UTF-8");
            let ascii = String::from_utf8(key(line)).expect("UTF-8");
            let expected = if ascii.is_empty() {
                "é".to_string()
            } else {
                format!("{ascii} é")
            };
            assert_eq!(general, expected, "{line:?}");
        }
    }

    #[test]
    fn short_documents_have_no_furniture() {
        assert!(furniture("Kopf\nText\n\nKopf\nMehr", &[0, 11]).is_empty());
    }
}
