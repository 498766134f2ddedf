//! Agreement-like text for benchmarks: a seeded generator that recombines the clauses,
//! sentences, headings and tables of the corpus sources (`corpus/src/*.md`) into new German,
//! English and bilingual agreements — long numbered clauses, annexes with tables, running
//! headers and footers, hard line breaks with hyphenation as a PDF extractor gives them, or one
//! line per paragraph as a Word document gives them. The same seed gives the same text on every
//! machine, so throughput figures are comparable; the text is never one file repeated.
//!
//! Shared by the benchmarks (`benches/*.rs`) and `examples/agreements.rs`, which writes
//! generated agreements to a folder for whole-scan measurements (`benches/cli.sh`).

#![allow(dead_code)] // each includer uses a part

use std::path::Path;

use fastrand::Rng;

/// One generated agreement, page by page (as an extractor delivers it).
pub struct Agreement {
    /// The pages' text.
    pub pages: Vec<String>,
}

impl Agreement {
    /// Bytes of text over all pages.
    pub fn len(&self) -> usize {
        self.pages.iter().map(String::len).sum()
    }

    /// The pages joined by form feeds (how a text file carries page breaks).
    pub fn to_text(&self) -> String {
        self.pages.join("\n\u{c}\n")
    }
}

/// What the corpus offers in one language.
#[derive(Default)]
struct Pool {
    /// Clause titles without their numbers ("Weisungen", "Sub-processors").
    headings: Vec<String>,
    /// Annex titles without their numbers.
    annexes: Vec<String>,
    /// Paragraphs as written (one clause or sub-clause each).
    paragraphs: Vec<String>,
    /// Single sentences.
    sentences: Vec<String>,
    /// List items (TOMs, data categories).
    items: Vec<String>,
    /// Tables: rows of cells.
    tables: Vec<Vec<Vec<String>>>,
}

/// The building blocks read from the corpus.
pub struct Library {
    de: Pool,
    en: Pool,
}

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    De,
    En,
    Both,
}

impl Library {
    /// Reads `corpus/src/*.md` under `root` (the crate folder).
    pub fn load(root: &Path) -> Library {
        let mut library = Library {
            de: Pool::default(),
            en: Pool::default(),
        };
        let mut files: Vec<_> = std::fs::read_dir(root.join("corpus/src"))
            .expect("corpus/src")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).expect("corpus source");
            library.read(&text);
        }
        assert!(
            !library.de.paragraphs.is_empty() && !library.en.paragraphs.is_empty(),
            "the corpus has German and English clauses"
        );
        library
    }

    fn pool(&mut self, text: &str) -> &mut Pool {
        let (de, en) = ampel::text::language_counts(&ampel::text::fold_pattern(text));
        if de >= en { &mut self.de } else { &mut self.en }
    }

    fn read(&mut self, source: &str) {
        let body = match source.strip_prefix("---") {
            Some(rest) => rest.split_once("\n---").map_or(rest, |(_, b)| b),
            None => source,
        };
        let mut table: Vec<Vec<String>> = Vec::new();
        let mut paragraph = String::new();
        for line in body.lines().chain(std::iter::once("")) {
            let line = line.trim();
            if line.starts_with('|') {
                if !line.contains("---") {
                    let cells: Vec<String> = line
                        .trim_matches('|')
                        .split('|')
                        .map(|c| clean(c.trim()))
                        .collect();
                    if cells.iter().any(|c| c.chars().any(char::is_alphabetic)) {
                        table.push(cells);
                    }
                }
                continue;
            }
            if table.len() > 1 {
                let rows = std::mem::take(&mut table);
                let sample = rows.concat().join(" ");
                self.pool(&sample).tables.push(rows);
            }
            table.clear();
            if let Some(heading) = line.strip_prefix('#') {
                self.flush(&mut paragraph);
                self.heading(heading.trim_start_matches('#').trim());
            } else if line.is_empty() {
                self.flush(&mut paragraph);
            } else if let Some(item) = list_item(line) {
                self.flush(&mut paragraph);
                let item = clean(item);
                self.pool(&item).items.push(item);
            } else {
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(line);
            }
        }
    }

    fn heading(&mut self, heading: &str) {
        // Bilingual headings are "German / English".
        for part in heading.split(" / ") {
            let (annex, title) = strip_number(part);
            if title.chars().filter(|c| c.is_alphabetic()).count() < 3 {
                continue;
            }
            let title = clean(title);
            let pool = self.pool(&title);
            if annex {
                pool.annexes.push(title);
            } else {
                pool.headings.push(title);
            }
        }
    }

    fn flush(&mut self, paragraph: &mut String) {
        let text = clean(strip_sub_number(paragraph.trim()));
        paragraph.clear();
        if text.split_whitespace().count() < 4 {
            return;
        }
        // Bilingual list items and paragraphs are "German. / English.".
        for part in text.split(" / ") {
            let part = part.trim().to_string();
            if part.split_whitespace().count() < 4 {
                continue;
            }
            let sentences = split_sentences(&part);
            let pool = self.pool(&part);
            pool.sentences.extend(sentences);
            pool.paragraphs.push(part);
        }
    }

    /// Generated agreements of at least `total` bytes together, from `seed`.
    pub fn agreements(&self, seed: u64, total: usize) -> Vec<Agreement> {
        let mut rng = Rng::with_seed(seed);
        let mut out = Vec::new();
        let mut bytes = 0;
        while bytes < total {
            let a = self.agreement(&mut rng);
            bytes += a.len();
            out.push(a);
        }
        out
    }

    /// One generated agreement.
    pub fn agreement(&self, rng: &mut Rng) -> Agreement {
        let lang = match rng.u8(0..10) {
            0..=3 => Lang::De,
            4..=7 => Lang::En,
            _ => Lang::Both,
        };
        let style = Style::pick(rng);
        let mut lines: Vec<String> = Vec::new();
        let title = match lang {
            Lang::De => "Vertrag über die Auftragsverarbeitung gemäß Art. 28 DSGVO",
            Lang::En => "Data Processing Agreement pursuant to Article 28 GDPR",
            Lang::Both => "Auftragsverarbeitungsvertrag / Data Processing Agreement",
        };
        lines.push(title.to_string());
        lines.push(String::new());
        let clauses = rng.usize(8..36);
        for n in 1..=clauses {
            let pool = self.pool_for(lang, rng);
            let heading = pick(rng, &pool.headings);
            lines.push(style.clause_heading(n, heading, lang));
            if style.blank_after_heading {
                lines.push(String::new());
            }
            let subs = rng.usize(1..7);
            for m in 1..=subs {
                let pool = self.pool_for(lang, rng);
                let body = if rng.u8(0..10) < 7 {
                    pick(rng, &pool.paragraphs).to_string()
                } else {
                    (0..rng.usize(2..6))
                        .map(|_| pick(rng, &pool.sentences).as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let prefix = style.sub_number(n, m, subs);
                lines.extend(style.wrap(rng, &format!("{prefix}{body}")));
                if style.blank_between_paragraphs {
                    lines.push(String::new());
                }
            }
        }
        let annexes = rng.usize(1..5);
        for k in 1..=annexes {
            let pool = self.pool_for(lang, rng);
            lines.push(String::new());
            lines.push(style.annex_heading(k, pick(rng, &pool.annexes), lang));
            lines.push(String::new());
            if !pool.tables.is_empty() && rng.bool() {
                let table = &pool.tables[rng.usize(0..pool.tables.len())];
                lines.extend(style.table(rng, table));
            }
            for _ in 0..rng.usize(2..12) {
                let item = pick(rng, &pool.items);
                lines.extend(style.wrap(rng, &format!("{} {item}", style.bullet)));
            }
            if rng.bool() {
                let paragraph = pick(rng, &pool.paragraphs);
                lines.extend(style.wrap(rng, paragraph));
            }
        }
        Agreement {
            pages: style.paginate(rng, &lines, lang),
        }
    }

    fn pool_for(&self, lang: Lang, rng: &mut Rng) -> &Pool {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
            Lang::Both if rng.bool() => &self.de,
            Lang::Both => &self.en,
        }
    }
}

/// How one generated agreement is laid out.
struct Style {
    numbering: u8,
    sub: u8,
    wrap: Option<usize>,
    hyphenate: bool,
    page_lines: usize,
    furniture: bool,
    blank_after_heading: bool,
    blank_between_paragraphs: bool,
    bullet: &'static str,
    table: u8,
}

impl Style {
    fn pick(rng: &mut Rng) -> Style {
        // Half the agreements look like PDF text (hard line breaks, pages with headers and
        // footers), half like Word or HTML (one line per paragraph).
        let pdf = rng.bool();
        Style {
            numbering: rng.u8(0..5),
            sub: rng.u8(0..4),
            wrap: pdf.then(|| rng.usize(55..105)),
            hyphenate: pdf && rng.bool(),
            page_lines: rng.usize(40..62),
            furniture: pdf && rng.u8(0..3) > 0,
            blank_after_heading: rng.bool(),
            blank_between_paragraphs: !pdf || rng.bool(),
            bullet: ["-", "•", "–", "*"][rng.usize(0..4)],
            table: rng.u8(0..3),
        }
    }

    fn clause_heading(&self, n: usize, title: &str, lang: Lang) -> String {
        let de = lang == Lang::De;
        match self.numbering {
            0 => format!("§ {n} {title}"),
            1 => format!("{n}. {title}"),
            2 if de => format!("Ziffer {n} – {title}"),
            2 => format!("Clause {n} - {title}"),
            3 if de => format!("Artikel {n} {title}"),
            3 => format!("Article {n} {title}"),
            _ => format!("{n} {title}"),
        }
    }

    fn sub_number(&self, n: usize, m: usize, subs: usize) -> String {
        if subs == 1 {
            return String::new();
        }
        match self.sub {
            0 => format!("({m}) "),
            1 => format!("{n}.{m} "),
            2 => format!("{}) ", (b'a' + (m as u8 - 1) % 26) as char),
            _ => String::new(),
        }
    }

    fn annex_heading(&self, k: usize, title: &str, lang: Lang) -> String {
        const ROMAN: [&str; 6] = ["I", "II", "III", "IV", "V", "VI"];
        match (lang, k % 2) {
            (Lang::De, _) => format!("Anlage {k} – {title}"),
            (_, 0) => format!("Annex {} – {title}", ROMAN[(k - 1) % 6]),
            _ => format!("Appendix {k}: {title}"),
        }
    }

    /// One paragraph as lines: as it is, or wrapped at the style's width, long words
    /// hyphenated at the line end now and then.
    fn wrap(&self, rng: &mut Rng, paragraph: &str) -> Vec<String> {
        let Some(width) = self.wrap else {
            return vec![paragraph.to_string()];
        };
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let fits = line.chars().count() + 1 + word.chars().count() <= width;
            if !line.is_empty() && !fits {
                let chars: Vec<char> = word.chars().collect();
                if self.hyphenate && chars.len() > 9 && rng.u8(0..3) == 0 {
                    let cut = chars.len() / 2;
                    line.push(' ');
                    line.extend(&chars[..cut]);
                    line.push('-');
                    lines.push(std::mem::take(&mut line));
                    line.extend(&chars[cut..]);
                    continue;
                }
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    fn table(&self, rng: &mut Rng, rows: &[Vec<String>]) -> Vec<String> {
        let widths: Vec<usize> = (0..rows.iter().map(Vec::len).max().unwrap_or(0))
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
                    .min(40)
            })
            .collect();
        rows.iter()
            .flat_map(|row| match self.table {
                // Cells joined as the DOCX/ODT readers write them.
                0 => vec![row.join(" | ")],
                // Columns padded with spaces, as `pdftotext -layout` or a text export.
                1 => vec![
                    row.iter()
                        .zip(&widths)
                        .map(|(c, w)| format!("{c:<w$}"))
                        .collect::<Vec<_>>()
                        .join("   ")
                        .trim_end()
                        .to_string(),
                ],
                // One cell per line, as pdf-extract reads many tables.
                _ => row
                    .iter()
                    .flat_map(|c| self.wrap(rng, c))
                    .collect::<Vec<_>>(),
            })
            .collect()
    }

    /// Cuts the lines into pages; PDF-like agreements get a running header and a page footer.
    fn paginate(&self, rng: &mut Rng, lines: &[String], lang: Lang) -> Vec<String> {
        if self.wrap.is_none() {
            return vec![lines.join("\n")];
        }
        let chunks: Vec<&[String]> = lines.chunks(self.page_lines).collect();
        let total = chunks.len();
        let vendor = [
            "Nordlicht",
            "Kestrel",
            "Quillbridge",
            "Talentbogen",
            "Medibook",
        ][rng.usize(0..5)];
        chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let mut page = String::new();
                if self.furniture {
                    page.push_str(&format!("{vendor} – AVV / DPA Version 2.{}\n\n", total % 7));
                }
                page.push_str(&chunk.join("\n"));
                if self.furniture {
                    let footer = match lang {
                        Lang::En => format!("Page {} of {total}", i + 1),
                        _ => format!("Seite {} von {total}", i + 1),
                    };
                    page.push_str(&format!("\n\n{footer}"));
                }
                page
            })
            .collect()
    }
}

fn pick<'a>(rng: &mut Rng, list: &'a [String]) -> &'a String {
    &list[rng.usize(0..list.len())]
}

/// Markdown emphasis and escapes dropped.
fn clean(text: &str) -> String {
    text.replace("**", "")
        .replace("\\_", "_")
        .replace(['*', '`'], "")
        .trim()
        .to_string()
}

fn list_item(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("- ") {
        return Some(rest);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then(|| &line[digits + 2..])
}

/// "§ 3 Weisungen" → (false, "Weisungen"); "Anlage 2 – TOM" → (true, "TOM").
fn strip_number(heading: &str) -> (bool, &str) {
    let annex = ["Anlage", "Anhang", "Annex", "Appendix", "Schedule"]
        .iter()
        .any(|w| heading.starts_with(w));
    let rest = heading
        .trim_start_matches(|c: char| !c.is_alphabetic() || c == '§')
        .trim();
    let rest = if annex {
        rest.split_once(['–', '-', ':'])
            .map_or(rest, |(_, t)| t)
            .trim()
    } else {
        let first = rest.split_whitespace().next().unwrap_or("");
        if ["Clause", "Section", "Article", "Artikel", "Ziffer"].contains(&first) {
            rest[first.len()..].trim_start_matches(|c: char| !c.is_alphabetic())
        } else {
            rest
        }
    };
    (annex, rest)
}

/// "(2) Text", "2.1 Text" → "Text".
fn strip_sub_number(paragraph: &str) -> &str {
    let p = paragraph.trim_start();
    if let Some(rest) = p.strip_prefix('(')
        && let Some((n, rest)) = rest.split_once(')')
        && n.len() <= 3
    {
        return rest.trim_start();
    }
    let number = p
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .count();
    if number > 0 && p[number..].starts_with(' ') {
        return p[number..].trim_start();
    }
    p
}

/// A plain splitter: a full stop, question or exclamation mark before a space and a capital.
fn split_sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = paragraph.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1) == Some(&b' ')
            && paragraph[i + 2..].starts_with(char::is_uppercase)
            && !paragraph[start..i].ends_with(|c: char| c.is_ascii_digit())
        {
            let s = paragraph[start..=i].trim();
            if s.split_whitespace().count() >= 4 {
                out.push(s.to_string());
            }
            start = i + 2;
        }
    }
    let s = paragraph[start..].trim();
    if s.split_whitespace().count() >= 4 {
        out.push(s.to_string());
    }
    out
}

/// Text without a single full stop: every word of the corpus clauses in a row, hard-wrapped.
pub fn without_full_stops(library: &Library, bytes: usize) -> String {
    let mut rng = Rng::with_seed(7);
    let mut out = String::with_capacity(bytes + 200);
    let mut column = 0;
    while out.len() < bytes {
        let pool = if rng.bool() { &library.de } else { &library.en };
        for word in pick(&mut rng, &pool.paragraphs).split_whitespace() {
            let word = word.trim_matches(['.', '!', '?']);
            if word.is_empty() || word.contains('.') {
                continue;
            }
            out.push_str(word);
            column += word.len() + 1;
            if column > 80 {
                out.push('\n');
                column = 0;
            } else {
                out.push(' ');
            }
        }
    }
    out
}

/// One word per line.
pub fn one_word_lines(library: &Library, lines: usize) -> String {
    let mut rng = Rng::with_seed(11);
    let mut out = String::new();
    let mut n = 0;
    while n < lines {
        let pool = if rng.bool() { &library.de } else { &library.en };
        for word in pick(&mut rng, &pool.paragraphs).split_whitespace() {
            out.push_str(word);
            out.push('\n');
            n += 1;
        }
    }
    out
}

/// One table of `bytes`: the corpus tables' rows over and over, cells joined by ` | `.
pub fn one_table(library: &Library, bytes: usize) -> String {
    let rows: Vec<String> = library
        .de
        .tables
        .iter()
        .chain(&library.en.tables)
        .flatten()
        .map(|r| r.join(" | "))
        .collect();
    let mut rng = Rng::with_seed(13);
    let mut out = String::with_capacity(bytes + 400);
    while out.len() < bytes {
        out.push_str(&rows[rng.usize(0..rows.len())]);
        out.push('\n');
    }
    out
}
