//! Text: normalisation with an offset map, segmentation, and language, for one document.
//!
//! [`Text::new`] joins the pages of an extracted document, normalises them and splits them into
//! sections, paragraphs and sentences. The engine matches on [`Text::flat`]; evidence is cut
//! from [`Text::content`] through the offset map, so quotes are the document's real words.

pub mod ascii_first;
pub mod coded;
mod furniture;
mod language;
mod normalise;
mod segment;

pub use ascii_first::AsciiFirst;
pub use language::{Language, counts as language_counts, detect as detect_language};
pub use normalise::{Flattened, Normalised, fold_char, fold_pattern, normalise};
pub(crate) use segment::item_number;
pub use segment::{Paragraph, Section, Sentence, segment};

/// A word of up to 8 bytes as one number, so that words of a fixed list (stop words,
/// abbreviations) are found by comparing numbers. Longer words share the key of their first
/// eight bytes: callers check the length.
pub(crate) const fn word_key(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < word.len() && i < 8 {
        key |= (word[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

/// The [`word_key`]s of `words`, sorted for a binary search (at compile time). Every word
/// must fit a key: a longer one would not compile.
pub(crate) const fn sorted_keys<const N: usize>(words: &[&str]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        assert!(words[i].len() <= 8, "a listed word is longer than a key");
        out[i] = word_key(words[i].as_bytes());
        // Insertion sort: the lists are short and this runs at compile time.
        let mut j = i;
        while j > 0 && out[j - 1] > out[j] {
            let t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    out
}

/// Calls `f` with every text made of four of `pieces` in a row (repeats allowed), so that a
/// byte-level scanner meets every kind of neighbour at every position: tests compare such
/// scanners with the character-by-character code they replaced.
#[cfg(test)]
pub(crate) fn every_joining_of_four(pieces: &[&str], mut f: impl FnMut(&str)) {
    let mut text = String::new();
    for a in pieces {
        for b in pieces {
            for c in pieces {
                for d in pieces {
                    text.clear();
                    for p in [a, b, c, d] {
                        text.push_str(p);
                    }
                    f(&text);
                }
            }
        }
    }
}

/// The longest extracted text ampel checks as one document, in bytes (about 341 MiB).
///
/// Positions in a text are 32-bit, and normalisation can make a text longer: NFKC's longest
/// expansion turns 3 bytes into 33 (U+FDFA), and joining pages adds a blank line each. A
/// twelfth of the 32-bit range keeps every position of the normalised text representable;
/// [`crate::extract::extract_checked`] reports a longer text as too large instead of
/// matching on wrapped offsets.
pub const MAX_TEXT_BYTES: usize = (u32::MAX / 12) as usize;

// The normalised text of the longest text, at NFKC's longest expansion, still fits in 32 bits.
const _: () = assert!((MAX_TEXT_BYTES as u64) * 11 < u32::MAX as u64);

/// One document's text, ready for matching.
#[derive(Debug, Clone)]
pub struct Text {
    /// The extracted text (pages joined with a blank line) with running headers, footers and
    /// page numbers blanked out by spaces (the same byte offsets): what is normalised, and what
    /// quotes are cut from.
    pub content: String,
    /// What was blanked out of the extracted text: each furniture stretch's offset and its
    /// words. With [`Text::content`] they make the extracted text, which is not kept twice.
    furniture: Vec<(usize, Box<str>)>,
    /// Byte offset in the extracted text where each page starts (page `i + 1` starts at
    /// `page_starts[i]`).
    pub page_starts: Vec<usize>,
    /// First page number (usually 1).
    pub first_page: u32,
    /// The map from [`Text::flat`] back to [`Text::content`], with where its lines break.
    lines: Flattened,
    /// The normalised text with line breaks as spaces: what rules match on.
    pub flat: String,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Paragraphs in order.
    pub paragraphs: Vec<Paragraph>,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// The main language, if it can be told.
    pub language: Option<Language>,
    /// Numbers of the pages whose text was recognised by OCR (sorted).
    pub ocr_pages: Vec<u32>,
    /// The body's titles are numbered in one ascending sequence ("§ 1" … "§ 12"), so a title
    /// without a number between two of them is a sub-heading of the numbered one before it
    /// (see [`Text::chapter_of`]).
    numbered_body: bool,
}

impl Text {
    /// Builds the text of a document from its pages (`(page number, text)` in order).
    pub fn new<'a>(pages: impl IntoIterator<Item = (u32, &'a str)>) -> Text {
        let mut original = String::new();
        let mut page_starts = Vec::new();
        let mut first_page = None;
        for (number, page) in pages {
            first_page.get_or_insert(number);
            if !original.is_empty() {
                original.push_str("\n\n");
            }
            page_starts.push(original.len());
            original.push_str(page);
        }
        let ranges = furniture::furniture(&original, &page_starts);
        let (content, furniture) = furniture::blank(original, &ranges);
        let normalised = normalise(&content);
        let (sections, paragraphs, sentences) = segment(&normalised.text);
        let (flat, lines) = normalised.flatten();
        let language = detect_language(&flat);
        let numbered_body = numbered_body(&sections);
        Text {
            content,
            furniture,
            page_starts,
            first_page: first_page.unwrap_or(1),
            lines,
            flat,
            sections,
            paragraphs,
            sentences,
            language,
            ocr_pages: Vec::new(),
            numbered_body,
        }
    }

    /// True when page `page`'s text was recognised by OCR and may contain recognition errors.
    pub fn is_ocr_page(&self, page: u32) -> bool {
        self.ocr_pages.binary_search(&page).is_ok()
    }

    /// Builds the text of a single-page snippet (rule examples, tests).
    pub fn from_snippet(text: &str) -> Text {
        Text::new([(1, text)])
    }

    /// The byte range of [`Text::content`] that produced `start..end` of the normalised text
    /// (see [`Normalised::original_range`]).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        self.lines.original_range(&self.flat, start, end)
    }

    /// The byte range of the normalised line that holds offset `at`.
    pub fn line_at(&self, at: usize) -> (usize, usize) {
        self.lines.line_at(self.flat.len(), at)
    }

    /// The number of characters before byte offset `byte` of the extracted text: in
    /// [`Text::content`], but with each furniture stretch counted as the words it held.
    pub fn original_char_offset(&self, byte: usize) -> usize {
        let mut chars = self.content[..byte].chars().count();
        for (start, words) in &self.furniture {
            if *start >= byte {
                break;
            }
            // The content has one space per byte of the stretch.
            let spaces = (byte - start).min(words.len());
            let held = &words[..words.floor_char_boundary(spaces)];
            chars = chars - spaces + held.chars().count();
        }
        chars
    }

    /// The page number of a byte offset in the extracted text.
    pub fn page_of(&self, original_offset: usize) -> u32 {
        let index = self
            .page_starts
            .partition_point(|&start| start <= original_offset)
            .saturating_sub(1);
        self.first_page + index as u32
    }

    /// The index of the sentence that contains normalised byte offset `at`.
    pub fn sentence_at(&self, at: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.start <= at);
        let i = i.checked_sub(1)?;
        (at < self.sentences[i].end).then_some(i)
    }

    /// The index of the section that contains normalised byte offset `at`.
    pub fn section_at(&self, at: usize) -> usize {
        self.sections
            .partition_point(|s| s.start <= at)
            .saturating_sub(1)
    }

    /// The document's text (without page furniture) for a normalised byte range.
    pub fn original_slice(&self, start: usize, end: usize) -> &str {
        let (s, e) = self.original_range(start, end);
        &self.content[s..e]
    }

    /// The byte range of the chapter a section belongs to: its titled section and every
    /// numbered clause under that title, up to the next title.
    pub fn chapter_of(&self, index: usize) -> (usize, usize) {
        let Some(section) = self.sections.get(index) else {
            return (0, 0);
        };
        let head = if section.title {
            index
        } else {
            match section.parent {
                Some(p) => p,
                None => return (section.start, section.end),
            }
        };
        // In a body numbered "§ 1" … "§ 12", a title without a number ("Zugangskontrolle" under
        // "§ 4 Technische und organisatorische Maßnahmen") belongs to the numbered title before it.
        let head = if self.numbered_body && self.sections[head].number.is_none() {
            self.sections[..head]
                .iter()
                .rposition(|s| s.title && s.number.is_some())
                .filter(|&p| {
                    !self.sections[p]
                        .number
                        .as_deref()
                        .is_some_and(segment::is_annex)
                })
                .unwrap_or(head)
        } else {
            head
        };
        // A numbered sub-heading ("7.2 Integrität") belongs to the chapter of its numbered title
        // ("§ 7 Technische und organisatorische Maßnahmen"): climb over earlier sub-headings of
        // the same chapter to the title that owns them.
        let mut head = head;
        for (i, s) in self.sections[..head].iter().enumerate().rev() {
            if !s.title {
                continue;
            }
            let number = self.sections[head].number.as_deref();
            if segment::same_family(s.number.as_deref(), number) {
                head = i;
            } else if !segment::same_chapter(s.number.as_deref(), number) {
                break;
            }
        }
        if let Some(annex) = self.annex_owning(head) {
            return annex;
        }
        let number = self.sections[head].number.as_deref();
        let nests = self.numbered_body && number.is_some();
        let end = self.sections[head + 1..]
            .iter()
            .find(|s| {
                s.title
                    && !segment::same_family(number, s.number.as_deref())
                    && !(nests && s.number.is_none())
            })
            .map_or(self.flat.len(), |s| s.start);
        (self.sections[head].start, end)
    }

    /// The byte range of the annex a titled section stands in, when it stands in one: an annex
    /// ("Anlage 3", "Annex II", "Schedule 1") numbers its own headings afresh ("1. Encryption",
    /// "2. Access control"), so it runs from its title to the next annex title. Only the last
    /// title carrying an annex's number starts it: earlier ones are a table of contents or a
    /// list of annexes. A document that opens with an annex title ("Schedule 1 – Data
    /// Processing Agreement") is that annex as a whole, and its headings stay chapters.
    fn annex_owning(&self, head: usize) -> Option<(usize, usize)> {
        let first_title = self.sections.iter().position(|s| s.title)?;
        let annex_title = |i: usize| {
            let s = &self.sections[i];
            let number = s
                .number
                .as_deref()
                .filter(|n| s.title && i != first_title && segment::is_annex(n))?;
            let later = self.sections[i + 1..]
                .iter()
                .any(|t| t.title && t.number.as_deref() == Some(number));
            (!later).then_some(i)
        };
        let start = (0..=head).rev().find_map(annex_title)?;
        let end = self.sections[start + 1..]
            .iter()
            .find(|s| s.title && s.number.as_deref().is_some_and(segment::is_annex))
            .map_or(self.flat.len(), |s| s.start);
        Some((self.sections[start].start, end))
    }

    /// The title headings a section stands under, in the normalised flat text: its own
    /// heading when it is a title line, and the title of the section it belongs to.
    pub fn headings_of(&self, index: usize) -> impl Iterator<Item = &str> {
        let own = self.sections.get(index);
        let parent = own
            .and_then(|s| s.parent)
            .and_then(|p| self.sections.get(p));
        own.filter(|s| s.title)
            .into_iter()
            .chain(parent)
            .map(|s| &self.flat[s.heading.0..s.heading.1])
            .filter(|h| !h.trim().is_empty())
    }

    /// The label line that heads sentence `index` (the last label of its section before it; see
    /// [`segment::Section::labels`]), as a byte range of the flat text.
    pub fn label_of(&self, index: usize) -> Option<(usize, usize)> {
        let sentence = self.sentences.get(index)?;
        self.sections
            .get(sentence.section)?
            .labels
            .iter()
            .take_while(|(start, _)| *start <= sentence.start)
            .last()
            .copied()
    }

    /// The headings sentence `index` stands under: the label that heads it (or opens it and runs
    /// on into a list), if any, then those of its section ([`Text::headings_of`]).
    pub fn headings_at(&self, index: usize) -> impl Iterator<Item = &str> {
        let sentence = self.sentences.get(index);
        let label = self
            .label_of(index)
            .filter(|&(start, end)| {
                // After the label, or a sentence the label opens and runs on into (a lead-in
                // over its list: "Categories of Data Subjects:" / "- Users").
                sentence.is_some_and(|s| s.start >= end || (s.start == start && s.end > end))
            })
            .map(|(start, end)| &self.flat[start..end]);
        label.into_iter().chain(
            sentence
                .into_iter()
                .flat_map(|s| self.headings_of(s.section)),
        )
    }

    /// The display text of a label line (see [`Text::label_of`]): its words from the original
    /// text, without markup or a closing colon.
    pub fn label_text(&self, (start, end): (usize, usize)) -> String {
        clean_heading(self.original_slice(start, end))
            .trim_end_matches([':', '*', '_'])
            .trim()
            .to_string()
    }

    /// A display label for a section: its heading line, or "parent heading › clause number"
    /// for a numbered clause whose text starts on the heading line.
    pub fn section_label(&self, index: usize) -> Option<String> {
        let section = self.sections.get(index)?;
        let (hs, he) = section.heading;
        if hs == he {
            return None;
        }
        let heading = clean_heading(self.original_slice(hs, he));
        if section.title {
            return Some(heading);
        }
        let number = section.number.clone().unwrap_or_default();
        match section.parent.and_then(|p| self.section_label(p)) {
            Some(parent) => Some(format!("{parent} › {number}")),
            None => Some(number),
        }
    }
}

fn clean_heading(raw: &str) -> String {
    let folded: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    folded
        .trim_start_matches('#')
        .trim()
        .trim_matches(['*', '_'])
        .trim()
        .to_string()
}

/// Whether the body's titles are numbered in one ascending sequence: at least three titles with
/// a clause number before the first annex, whose leading numbers never go down. Agreements whose
/// numbering restarts under unnumbered headings ("Security" – "1. Encryption", "2. Backups";
/// "Sub-processors" – "1. …") are not. Only titles numbered in the style of the first one count:
/// in a body of "§ 1" … "§ 10", a list item that reads as a title ("2. Aktuell eingesetzte
/// Unterauftragsverarbeiter:") is a sub-clause, not a restart.
fn numbered_body(sections: &[Section]) -> bool {
    let mut last = 0u32;
    let mut count = 0;
    let mut style: Option<&str> = None;
    for s in sections.iter().filter(|s| s.title) {
        let Some(number) = s.number.as_deref() else {
            continue;
        };
        if segment::is_annex(number) {
            break;
        }
        let Some(first) = segment::leading_number(number) else {
            continue;
        };
        let prefix = number_style(number);
        if *style.get_or_insert(prefix) != prefix {
            continue;
        }
        if first < last {
            return false;
        }
        last = first;
        count += 1;
    }
    count >= 3
}

/// What stands before a clause number's digits: "§ " for "§ 4", "" for "4.2" or "7.".
fn number_style(number: &str) -> &str {
    number
        .find(|ch: char| ch.is_ascii_digit())
        .map_or(number, |i| &number[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_sections_map_back() {
        let text = Text::new([
            (1, "§ 1 Gegenstand\nErste Seite."),
            (2, "§ 2 Löschung\nZweite Seite."),
        ]);
        let at = text.flat.find("Zweite").unwrap();
        let (orig, _) = text.original_range(at, at + 6);
        assert_eq!(text.page_of(orig), 2);
        let section = text.section_at(at);
        assert_eq!(text.section_label(section).as_deref(), Some("§ 2 Löschung"));
    }

    #[test]
    fn character_offsets_count_the_furniture_as_the_words_it_held() {
        // A running header with letters beyond ASCII, blanked out on every page: offsets in
        // the extracted text count its characters, not the spaces that replace it.
        let pages = [
            "Müller & Söhne – AVV Fassung 2\nErste Seite: Weisungen.\nSeite 1",
            "Müller & Söhne – AVV Fassung 2\nZweite Seite: Löschung.\nSeite 2",
            "Müller & Söhne – AVV Fassung 2\nDritte Seite: Prüfungen.\nSeite 3",
        ];
        let text = Text::new(pages.iter().enumerate().map(|(i, p)| (i as u32 + 1, *p)));
        assert!(!text.furniture.is_empty(), "the header is furniture");
        let extracted = pages.join("\n\n");
        assert_eq!(text.content.len(), extracted.len());
        for byte in (0..=extracted.len()).filter(|&b| extracted.is_char_boundary(b)) {
            assert_eq!(
                text.original_char_offset(byte),
                extracted[..byte].chars().count(),
                "at byte {byte}"
            );
        }
    }

    #[test]
    fn lines_and_ranges_of_the_flat_text_are_those_of_the_normalised_text() {
        let content = "§ 1 Gegenstand\nDie  Verarbei-\ntung der Daten.\n\nZürich\tund Basel\nEnde";
        let normalised = normalise(content);
        let lines = normalised.text.clone();
        let ranges: Vec<(usize, usize)> = (0..=lines.len())
            .flat_map(|i| (i..=lines.len() + 1).map(move |j| (i, j)))
            .map(|(i, j)| normalised.original_range(i, j))
            .collect();
        let (flat, map) = normalised.flatten();
        assert_eq!(flat, lines.replace('\n', " "));
        let flat_ranges: Vec<(usize, usize)> = (0..=flat.len())
            .flat_map(|i| (i..=flat.len() + 1).map(move |j| (i, j)))
            .map(|(i, j)| map.original_range(&flat, i, j))
            .collect();
        assert_eq!(flat_ranges, ranges);
        let bytes = lines.as_bytes();
        for at in 0..lines.len() {
            let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            assert_eq!(map.line_at(flat.len(), at), (start, end), "at {at}");
        }
    }

    /// The flat text of the chapter around the first occurrence of `needle`.
    fn chapter_around<'a>(text: &'a Text, needle: &str) -> &'a str {
        let at = text.flat.find(needle).unwrap();
        let (s, e) = text.chapter_of(text.section_at(at));
        &text.flat[s..e]
    }

    #[test]
    fn unnumbered_sub_headings_belong_to_the_numbered_title_before_them() {
        let text = Text::from_snippet(
            "## § 1 Gegenstand\nDer Auftragnehmer betreibt die Plattform.\n\n\
             ## § 2 Technische und organisatorische Maßnahmen\nDer Auftragnehmer trifft diese Maßnahmen.\n\n\
             ### Zugangskontrolle\nPasswörter werden mit bcrypt gehasht.\n\n\
             ### Datentransport\nTLS 1.3 für alle Verbindungen.\n\n\
             ## § 3 Unterauftragsverarbeiter\nHetzner Online GmbH.\n",
        );
        let chapter = |needle: &str| chapter_around(&text, needle);
        let tom = chapter("bcrypt");
        assert!(tom.contains("§ 2 Technische"), "{tom}");
        assert!(tom.contains("TLS 1.3") && !tom.contains("Hetzner"), "{tom}");
        assert_eq!(chapter("TLS 1.3"), tom);
        assert_eq!(chapter("diese Massnahmen"), tom);
        assert!(!chapter("Hetzner").contains("bcrypt"));

        // Numbering that restarts under unnumbered headings: those headings stay chapters.
        let restarted = Text::from_snippet(
            "## Security\nProvider keeps these measures.\n\n\
             ### 1. Encryption\nTLS 1.3.\n\n### 2. Backups\nDaily backups.\n\n\
             ## Sub-processors\nProvider may engage sub-processors.\n\n\
             ### 1. Notice\nThirty days notice.\n\n### 2. Objection\nCustomer may object.\n",
        );
        let objection = chapter_around(&restarted, "Customer may object");
        assert!(!objection.contains("Daily backups"), "{objection}");
    }

    #[test]
    fn a_list_item_read_as_a_title_does_not_restart_a_paragraph_numbered_body() {
        // "§ 1" … "§ 5" number the body; "2. Eingesetzte Unterauftragsverarbeiter:" is an item
        // of § 4 that reads as a title. The unnumbered sub-headings of § 5 stay in its chapter.
        let text = Text::from_snippet(
            "## § 1 Gegenstand\nDer Anbieter verarbeitet Kundendaten.\n\n\
             ## § 2 Weisungen\nNur auf Weisung des Kunden.\n\n\
             ## § 3 Vertraulichkeit\nDas Personal ist zur Vertraulichkeit verpflichtet.\n\n\
             ## § 4 Unterauftragsverarbeiter\n1. Der Kunde genehmigt Unterauftragsverarbeiter.\n\n\
             2. Eingesetzte Unterauftragsverarbeiter:\n- Hoster GmbH, Nürnberg\n\n\
             ## § 5 Technische und organisatorische Maßnahmen\nDer Anbieter trifft folgende \
             Maßnahmen:\n\n\
             ### Verschlüsselung\n- TLS 1.3 für alle Verbindungen\n\n\
             ### Zugriffskontrolle\n- Rollenbasierte Rechte\n\n\
             ## § 6 Löschung\nDaten werden nach Vertragsende gelöscht.\n",
        );
        let chapter = chapter_around(&text, "Rollenbasierte");
        assert!(
            chapter.starts_with("## § 5") || chapter.starts_with("§ 5"),
            "{chapter}"
        );
        assert!(
            chapter.contains("TLS 1.3") && !chapter.contains("gelöscht"),
            "{chapter}"
        );
    }

    #[test]
    fn an_annex_is_one_chapter_over_its_own_numbering() {
        let text = Text::from_snippet(
            "Anlagen\nAnlage 2: Unterauftragsverarbeiter\nAnlage 3: TOM\n\n\
             § 1 Gegenstand\nDer Auftragnehmer verarbeitet Daten.\n\n\
             § 2 Technische und organisatorische Maßnahmen\nSiehe Anlage 3.\n\n\
             Anlage 2: Unterauftragsverarbeiter\nHetzner Online GmbH.\n\n\
             Anlage 3: TOM\nDer Auftragnehmer trifft folgende Maßnahmen:\n\n\
             1. Verschlüsselung:\nTLS 1.3 für alle Verbindungen.\n\n\
             2. Zugriffskontrolle:\nRollenbasierte Rechte.\n",
        );
        let chapter = |needle: &str| chapter_around(&text, needle);
        let tom = chapter("Rollenbasierte");
        assert!(tom.starts_with("Anlage 3: TOM Der Auftragnehmer"), "{tom}");
        assert!(
            tom.contains("TLS 1.3") && tom.contains("Rollenbasierte"),
            "{tom}"
        );
        assert_eq!(chapter("TLS 1.3"), tom);
        // The table of contents names the annexes but does not start them: § 1 stays itself.
        assert!(chapter("verarbeitet Daten").starts_with("§ 1 Gegenstand"));
        assert!(!chapter("verarbeitet Daten").contains("Siehe Anlage 3"));
        assert!(chapter("Hetzner").starts_with("Anlage 2"));
        assert!(!chapter("Hetzner").contains("TLS"));

        // An annex title in capitals is an annex too, with its unnumbered sub-headings.
        let capitals = Text::from_snippet(
            "## 1. Processing\nProvider processes data.\n\n\
             ## ANNEX B - SECURITY MEASURES\nProvider maintains these measures.\n\n\
             ### Access Controls\nTwo-factor authentication.\n\n\
             ### Backups\nDaily backups.\n\n\
             ## ANNEX C - DESCRIPTION\nCustomer data.\n",
        );
        let annex = chapter_around(&capitals, "Daily");
        assert!(
            annex.starts_with("## ANNEX B") || annex.starts_with("ANNEX B"),
            "{annex}"
        );
        assert!(
            annex.contains("Two-factor") && !annex.contains("Customer data"),
            "{annex}"
        );
        // A line that only starts with the word in lower case is no heading.
        let wrapped =
            Text::from_snippet("Provider shall comply with\nsection 4 of the Agreement.\n");
        assert!(wrapped.sections.iter().all(|s| s.number.is_none()));

        // A document that is itself an annex keeps its headings as chapters.
        let schedule = Text::from_snippet(
            "# Schedule 1 - Data Processing Agreement\nThis Schedule 1 governs processing.\n\n\
             ## OUR OBLIGATIONS\nWe keep measures in place.\n\n\
             ## YOUR OBLIGATIONS\nYou give instructions.\n",
        );
        let ours = chapter_around(&schedule, "We keep");
        assert!(!ours.contains("You give"), "{ours}");
    }
}
