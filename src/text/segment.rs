//! Segmentation of normalised text into sections (numbered clauses, headings, annexes),
//! paragraphs and sentences.
//!
//! The sentence splitter knows legal abbreviations ("Art. 28 Abs. 3 lit. a", "z. B.", "ggf.",
//! "e.g.", "i.e.", "No. 3", "U.S.") and dates ("3. Juli"), so a clause is not cut in half.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::ascii_first::AsciiFirst;
use super::{sorted_keys, word_key};

/// A section: from one heading or numbered clause to the next.
#[derive(Debug, Clone)]
pub struct Section {
    /// Byte range in the normalised text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Byte range of the heading line in the normalised text (empty for the preamble).
    pub heading: (usize, usize),
    /// The clause number, if any ("4.2", "§ 4", "Annex II").
    pub number: Option<String>,
    /// Index of the enclosing titled section, for numbered sub-clauses.
    pub parent: Option<usize>,
    /// The heading is a title line of its own (not the first line of a running clause).
    pub title: bool,
    /// The section defines terms (its heading or its parent's says "Definitions").
    pub definitions: bool,
    /// The section contains placeholders (`[●]`, `TBD`, `[insert …]`).
    pub placeholder: bool,
    /// Byte ranges of the unnumbered label lines inside the section, in order ("Types of
    /// Personal Data" over the paragraph that lists them; see [`label_line`]). A label heads
    /// the text after it up to the next label; it does not split the section.
    pub labels: Vec<(usize, usize)>,
}

/// A sentence.
#[derive(Debug, Clone, Copy)]
pub struct Sentence {
    /// Byte range in the normalised text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// Index of its section.
    pub section: usize,
    /// Index of its paragraph.
    pub paragraph: usize,
    /// The sentence defines a term (`"X" means …`, `„X" bezeichnet …`).
    pub definition: bool,
}

/// A paragraph: sentences between blank lines, inside one section.
#[derive(Debug, Clone, Copy)]
pub struct Paragraph {
    /// Byte range in the normalised text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}

/// A clause number at the start of a line, after [`heading_prefix`]. The match is the number;
/// what follows it is the rest of the line. The number is found the same way whatever
/// follows, since a line has no line break.
static CLAUSE_NUMBER: AsciiFirst = AsciiFirst::new(CLAUSE_NUMBER_PATTERN);

/// The pattern of [`CLAUSE_NUMBER`].
const CLAUSE_NUMBER_PATTERN: &str = r"(?x)^(?:
            §\s*\d+[a-z]?
          | (?:Art(?:ikel|icle)?\.?|Clause|Klausel|Section|Ziffer|Abschnitt|Part|Teil
            |ART(?:IKEL|ICLE)?\.?|CLAUSE|KLAUSEL|SECTION|ZIFFER|ABSCHNITT|PART|TEIL)\s+\d+(?:\.\d+)*
          | (?:Anlage|Anhang|Annex|Appendix|Exhibit|Schedule|Attachment
            |ANLAGE|ANHANG|ANNEX|APPENDIX|EXHIBIT|SCHEDULE|ATTACHMENT)\s+(?:[IVX]+|\d+|[A-Z])\b(?:\.\d+)*
          | \d{1,2}(?:\.\d{1,2})+\.?
          | \d{1,2}\.
          | \d{1,2}
        )";

/// Bytes of the markup that may stand before a clause number: up to six `#` and white space,
/// then `**` or `__`, then white space. Stripped by hand so that the number is found with a
/// plain search rather than a capture group (a capturing search is several times slower and
/// runs on every line that may be a heading).
fn heading_prefix(line: &str) -> usize {
    let bytes = line.as_bytes();
    let spaces = |from: usize| from + leading_space(&line[from..]);
    let hashes = bytes.iter().take_while(|&&b| b == b'#').count();
    let mut at = if (1..=6).contains(&hashes) {
        spaces(hashes)
    } else {
        0
    };
    if line[at..].starts_with("**") || line[at..].starts_with("__") {
        at += 2;
    }
    spaces(at)
}

/// Bytes of white space at the start of `s`.
fn leading_space(s: &str) -> usize {
    s.len() - s.trim_start().len()
}

/// The clause number at the start of `line` (after [`heading_prefix`]), as a byte range.
fn clause_number(line: &str) -> Option<std::ops::Range<usize>> {
    let at = heading_prefix(line);
    CLAUSE_NUMBER
        .find(&line[at..])
        .map(|m| at + m.start()..at + m.end())
}

static INNER_SENTENCE_END: AsciiFirst = AsciiFirst::new(r"\p{Ll}{2,}[.!?]\s+\p{Lu}");

static MD_HEADING: AsciiFirst = AsciiFirst::new(r"^#{1,6}\s+\S");

static DEFINITIONS: AsciiFirst =
    AsciiFirst::new(r"(?i)\b(definition|begriffsbestimmung|begriffe\b)");

static PLACEHOLDER: AsciiFirst = AsciiFirst::new(
    r"(?i)\[\s*[●•.…_ ]*\s*\]|\[\s*(insert|einf[uü]eg|to be (completed|confirmed|agreed)|wird (noch )?erg|tbd|tbc|xx+|placeholder|platzhalter)[^\]]*\]|\bTBD\b|\bTBC\b",
);

static DEFINITION_SENTENCE: AsciiFirst = AsciiFirst::new(
    r#"(?i)^\W{0,6}(\(\w{1,4}\)\s*|\d{1,2}(\.\d{1,2})*\.?\s+|[a-z]\)\s*)?"[^"]{1,80}"\s*(\([^)]{0,40}\)\s*)?,?\s*(means|shall mean|refers to|has the meaning|includes|bezeichnet|bedeutet|meint|ist|sind|umfasst|is|are)\b"#,
);

/// Fewest items of a numbered list without a colon lead-in.
const MIN_TIGHT_ITEMS: usize = 3;

/// Longest line that is taken as a title heading rather than the first line of a clause.
const TITLE_MAX: usize = 90;
/// A heading line up to this long is a title whatever follows it.
const SHORT_TITLE: usize = 60;

struct Line {
    start: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(Line { start, end: i });
        start = i + 1;
    }
    out.push(Line {
        start,
        end: text.len(),
    });
    out
}

/// The number of an enumerated list item ("1. Immediately inform Partner", "2) Suspend …"):
/// one or two digits, a full stop or parenthesis and a space.
pub(crate) fn item_number(trimmed: &str) -> Option<u32> {
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    let rest = trimmed.as_bytes().get(digits..digits + 2)?;
    ((1..=2).contains(&digits) && matches!(rest[0], b'.' | b')') && rest[1] == b' ')
        .then(|| trimmed[..digits].parse().ok())
        .flatten()
}

/// The lines that are items of a numbered list under a colon lead-in, not clause headings:
/// "… LogicNodes will:" followed by "1. Immediately inform Partner", "2. Suspend processing …".
/// A run counts when it starts at 1 right after a line ending with a colon and has at least two
/// items numbered one after the other, with nothing between them but blank lines and the
/// wrapped lines of an item (indented or starting in lower case). A numbered clause has text of
/// its own between its heading and the next ("1. Subject matter" / "The subject matter is …"),
/// so it never forms such a run.
///
/// Returns where each item's marker starts (the offset of the line's first non-blank byte).
fn numbered_items(text: &str, lines: &[Line]) -> BTreeSet<usize> {
    let mut items = BTreeSet::new();
    let content = |i: usize| &text[lines[i].start..lines[i].end];
    let mut prev_nonblank: Option<usize> = None;
    let mut li = 0;
    while li < lines.len() {
        let trimmed = content(li).trim();
        if trimmed.is_empty() {
            li += 1;
            continue;
        }
        let after_colon = || prev_nonblank.is_some_and(|p| content(p).trim_end().ends_with(':'));
        let led_in = after_colon();
        let first_item = item_number(trimmed) == Some(1);
        prev_nonblank = Some(li);
        if !first_item {
            li += 1;
            continue;
        }
        let mut run = vec![li];
        let mut expected = 2;
        let mut next = li + 1;
        // Without a lead-in, only a tight list counts: items on the lines right after one
        // another, none wrapped, none followed by text of its own.
        let mut tight = fragment(trimmed);
        while next < lines.len() {
            let line = content(next);
            let t = line.trim();
            if t.is_empty() {
                if !led_in {
                    break;
                }
                next += 1;
                continue;
            }
            if item_number(t) == Some(expected) {
                run.push(next);
                expected += 1;
                tight &= fragment(t);
            } else if !(line.starts_with([' ', '\t']) || t.starts_with(char::is_lowercase)) {
                break;
            } else {
                tight = false;
            }
            prev_nonblank = Some(next);
            next += 1;
        }
        // A table of contents is a tight list too, of the headings that follow: its items stay
        // headings, as they were.
        let contents = || {
            run.iter().any(|&i| {
                let t = content(i).trim();
                let title = t[t.find(' ').unwrap_or(0)..].trim();
                title.len() > 3 && text[lines[next.min(lines.len() - 1)].start..].contains(title)
            })
        };
        if run.len() >= 2 && (led_in || (tight && run.len() >= MIN_TIGHT_ITEMS && !contents())) {
            items.extend(run.into_iter().map(|i| {
                let line = content(i);
                lines[i].start + leading_space(line)
            }));
        }
        li = next;
    }
    items
}

/// A list item that holds no sentence of its own ("30-day advance notice of new
/// sub-processors"): short, and no full stop at its end.
fn fragment(item: &str) -> bool {
    item.len() <= 4 * SHORT_TITLE && !item.ends_with(['.', ':', ';'])
}

/// Longest label line, in bytes: see [`label_line`].
const LABEL_MAX: usize = 50;

/// The openings of the longer field labels of the Commission's annex forms, which many
/// agreements fill in as they stand: Annex I.B of the standard contractual clauses (Decision
/// (EU) 2021/914) and Annex II of the Art. 28 clauses (Decision (EU) 2021/915), in English and
/// German. Each heads the answer under it as a shorter label does ("Categories of data subjects
/// whose personal data is transferred" / "Customer's website users and administrators."),
/// though it is longer than [`LABEL_MAX`] and six words.
const FORM_FIELDS: &[&str] = &[
    "Categories of data subjects whose personal data",
    "Purpose(s) of the data transfer",
    "Purpose(s) for which the personal data",
    "Kategorien betroffener Personen, deren personenbezogene Daten",
    "Kategorien der übermittelten personenbezogenen Daten",
    "Zweck(e) der Datenübermittlung",
    "Zweck(e), für den/die die personenbezogenen Daten",
];

/// Longest form-field label line ([`FORM_FIELDS`]), in bytes.
const FORM_FIELD_MAX: usize = 120;

/// Whether `line` opens with one of the [`FORM_FIELDS`].
fn form_field(line: &str) -> bool {
    FORM_FIELDS.iter().any(|f| line.starts_with(f))
}

/// Whether line `li` is an unnumbered label that heads the paragraph after it, as web pages and
/// converted documents set them ("Types of Personal Data" / "Contact details (name, email), …"):
/// a paragraph of one short line of at most six words (or a field of the Commission's annex
/// forms, [`FORM_FIELDS`]), starting with a capital, with no punctuation at its end, followed
/// by a paragraph that is longer or ends a sentence and does not go on in lower case.
/// Such a label heads the paragraphs after it inside its section ([`Section::labels`]) without
/// opening a section of its own, so a section-wide rule still reads the whole clause.
fn label_line(text: &str, lines: &[Line], li: usize) -> bool {
    let content = |i: usize| &text[lines[i].start..lines[i].end];
    let trimmed = content(li).trim();
    // "**Types of Personal Data**": bold markup around the label.
    let trimmed = ["**", "__"]
        .iter()
        .find_map(|m| trimmed.strip_prefix(m)?.strip_suffix(m))
        .unwrap_or(trimmed)
        .trim();
    let trimmed = trimmed.strip_suffix(':').unwrap_or(trimmed);
    let blank =
        |i: Option<usize>| i.is_none_or(|i| i >= lines.len() || content(i).trim().is_empty());
    let field = trimmed.len() <= FORM_FIELD_MAX && form_field(trimmed);
    if (!field && (trimmed.len() > LABEL_MAX || trimmed.split_whitespace().count() > 6))
        || !trimmed.starts_with(char::is_uppercase)
        || !trimmed.ends_with(|c: char| c.is_alphanumeric() || c == ')')
        || trimmed.contains(['|', ':', ';'])
        || bullet_item(trimmed).is_some()
        || !blank(li.checked_sub(1))
        || !blank(Some(li + 1))
    {
        return false;
    }
    // The paragraph it heads: longer than the label, and no label itself.
    lines[li + 1..]
        .iter()
        .map(|l| text[l.start..l.end].trim())
        .find(|l| !l.is_empty())
        .is_some_and(|body| {
            (body.len() > trimmed.len()
                || body.ends_with(['.', '!', '?'])
                || bullet_item(body).is_some()
                || item_number(body).is_some())
                && !body.starts_with(char::is_lowercase)
                && !body.starts_with('#')
                && !(may_be_heading(body) && clause_number(body).is_some())
                // A blank form: the next field, no answer.
                && !form_field(body)
        })
}

/// True unless `trimmed` certainly is no heading: after the optional `#`, `**`, `__` and
/// spaces a [`CLAUSE_NUMBER`] starts with `§`, a digit or one of its words. Most
/// lines fail this at once and never reach the regex.
fn may_be_heading(trimmed: &str) -> bool {
    const WORDS: [&str; 15] = [
        "Art",
        "Clause",
        "Klausel",
        "Section",
        "Ziffer",
        "Abschnitt",
        "Part",
        "Teil",
        "Anlage",
        "Anhang",
        "Annex",
        "Appendix",
        "Exhibit",
        "Schedule",
        "Attachment",
    ];
    let number =
        trimmed.trim_start_matches(|c: char| c == '#' || c == '*' || c == '_' || c.is_whitespace());
    // Every word starts with a capital: only the words that start with the line's first byte
    // are compared, and most lines start with none of them.
    let first = number.as_bytes().first().copied();
    number.starts_with('§')
        || number.chars().next().is_some_and(char::is_numeric)
        || WORDS
            .iter()
            .filter(|w| Some(w.as_bytes()[0]) == first)
            .any(|w| {
                // "Annex" or "ANNEX": a heading's word is capitalised or all in capitals.
                number.starts_with(w)
                    || number.get(..w.len()).is_some_and(|head| {
                        head.eq_ignore_ascii_case(w)
                            && !head.bytes().any(|b| b.is_ascii_lowercase())
                    })
            })
}

/// Recognises a heading line; returns its clause number and whether it is a title (a line
/// of its own, as opposed to the first line of a clause whose text runs on). `next` is the
/// following line and `following` the next non-empty one, used to tell "4 Weisungen" (title)
/// from a wrapped clause line.
fn heading(
    line: &str,
    prev: Option<&str>,
    next: Option<&str>,
    following: Option<&str>,
) -> Option<(Option<String>, bool)> {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return None;
    }
    let md = trimmed.starts_with('#') && MD_HEADING.is_match(trimmed);
    if !md && !may_be_heading(trimmed) {
        return None;
    }
    // Characters, counted up to one past TITLE_MAX: every use compares with the two limits.
    // A line of more than four bytes a character is longer than TITLE_MAX in any case.
    let len = if trimmed.len() > 4 * (TITLE_MAX + 1) {
        TITLE_MAX + 1
    } else {
        trimmed.chars().count().min(TITLE_MAX + 1)
    };
    // A title stands alone: up to SHORT_TITLE characters it may be followed by anything but a
    // continuation; a longer line only counts when a blank line follows (a paragraph gap), and
    // a line that already holds a sentence end ("… purposes. Medibook does not use") is text.
    let next_blank = next.is_none_or(|n| n.trim().is_empty());
    let next_continues = following.is_some_and(|n| {
        n.trim_start()
            .chars()
            .next()
            .is_some_and(char::is_lowercase)
    });
    // "1.4 "X" means the former framework." is a clause, not a title.
    let holds_sentence_end = || {
        INNER_SENTENCE_END.is_match(trimmed)
            || (trimmed.ends_with('.') && trimmed.split_whitespace().count() > 3)
    };
    // "1. Provider shall, without undue delay, notify the Customer if:" over a bullet list, or
    // over a list numbered from 1 ("4.4. Zenlytic shall reasonably assist Customer regarding:"
    // / "1. any requests from data subjects …"), is the lead-in of one sentence, however short.
    let lead_in = || {
        trimmed.ends_with(':')
            && trimmed.split_whitespace().count() > 6
            && following.is_some_and(|f| {
                let f = f.trim_start();
                bullet_item(f).is_some() || item_number(f) == Some(1)
            })
    };
    let short = || {
        !trimmed.ends_with([',', ';'])
            && !next_continues
            && !lead_in()
            && (len <= SHORT_TITLE || (len <= TITLE_MAX && next_blank))
            && !holds_sentence_end()
    };
    if md {
        let num = clause_number(trimmed).map(|r| trimmed[r].trim().to_string());
        // "## 8. Impact Assessment Processor shall provide reasonable assistance … 36 of the
        // GDPR." — a converted page that glued the clause to its title: the line still opens
        // a section, but its text is clause text like any other.
        let glued = len > TITLE_MAX && holds_sentence_end();
        return Some((num, !glued));
    }
    let num = clause_number(trimmed)?;
    let rest = &trimmed[num.end..];
    let num = trimmed[num].trim();
    let rest_trim = rest.trim_start_matches(['.', ')', ':', '*', '_', '-', ' ']);
    let first = rest_trim.chars().next();
    let starts_word = first.is_some_and(|c| c.is_uppercase() || c == '(' || c == '"');
    let bare_number = num.chars().all(|c| c.is_ascii_digit());
    // "1.Purpose of this Agreement": a web page that sets the number in a span of its own
    // renders it apart from the title, but its text glues them; a number ending in a dot
    // followed by a capital is a clause number as much as one followed by a space.
    let glued = num.ends_with('.') && rest.starts_with(char::is_uppercase);
    let spaced =
        glued || rest.starts_with(' ') || rest.starts_with(['.', ')', ':', '*']) || rest.is_empty();
    if !spaced {
        return None;
    }
    // "… in den Artikeln 32 bis\n36 DSGVO genannten …": a line right after one that stops
    // mid-sentence is its continuation, not a "§ 36" or "36" heading.
    let after_running_line = prev.is_some_and(|p| {
        p.trim().chars().nth(SHORT_TITLE).is_some()
            && p.trim_end()
                .chars()
                .next_back()
                .is_some_and(|c| c.is_lowercase() || c == ',')
    });
    if after_running_line && (num.starts_with('§') || num.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    if num.starts_with('§') {
        return Some((Some(num.to_string()), short()));
    }
    let word_number = num.chars().next().is_some_and(char::is_alphabetic);
    if word_number {
        // "Art. 28 DSGVO regelt ..." at the start of a wrapped line is no heading: need a short
        // line, or a separator right after the number.
        let separated = rest.is_empty()
            || rest.trim_start().starts_with(['-', ':', '.', '–'])
            || (starts_word && short());
        return separated.then(|| (Some(num.to_string()), short()));
    }
    if bare_number {
        // "4 Weisungen" (LaTeX numbering) only as a short title; "30 Tage nach ..." is prose.
        return (starts_word && !trimmed.ends_with(['.', ',', ';']) && short())
            .then(|| (Some(num.to_string()), true));
    }
    if !starts_word {
        return None;
    }
    Some((Some(num.trim_end_matches('.').to_string()), short()))
}

/// Splits normalised text into sections, paragraphs and sentences.
pub fn segment(text: &str) -> (Vec<Section>, Vec<Paragraph>, Vec<Sentence>) {
    let mut sections: Vec<Section> = vec![Section {
        start: 0,
        end: text.len(),
        heading: (0, 0),
        number: None,
        parent: None,
        title: false,
        definitions: false,
        placeholder: false,
        labels: Vec::new(),
    }];
    let mut last_title: Option<usize> = None;
    let all_lines = lines(text);
    let items = numbered_items(text, &all_lines);
    for (li, line) in all_lines.iter().enumerate() {
        let content = &text[line.start..line.end];
        // Most lines can be no heading: tell them before looking at their neighbours.
        let trimmed = content.trim();
        if trimmed.is_empty() {
            continue;
        }
        if !(trimmed.starts_with('#') || may_be_heading(trimmed)) {
            if label_line(text, &all_lines, li)
                && let Some(section) = sections.last_mut()
            {
                section.labels.push((line.start, line.end));
            }
            continue;
        }
        if items.contains(&(line.start + leading_space(content))) {
            continue;
        }
        let next = all_lines.get(li + 1).map(|n| &text[n.start..n.end]);
        let following = all_lines[li + 1..]
            .iter()
            .map(|n| &text[n.start..n.end])
            .find(|n| !n.trim().is_empty());
        let prev = li
            .checked_sub(1)
            .map(|p| &text[all_lines[p].start..all_lines[p].end]);
        let Some((number, title)) = heading(content, prev, next, following) else {
            continue;
        };
        let index = sections.len();
        if let Some(prev) = sections.last_mut() {
            prev.end = line.start;
        }
        let parent = if title { None } else { last_title };
        let own_def = title && DEFINITIONS.is_match(content);
        let inherits = parent.is_some_and(|p: usize| {
            let p = &sections[p];
            p.definitions
                && (same_family(p.number.as_deref(), number.as_deref())
                    || items_of_article(p.number.as_deref(), number.as_deref()))
        });
        sections.push(Section {
            start: line.start,
            end: text.len(),
            heading: (line.start, line.end),
            number,
            parent,
            title,
            definitions: own_def || inherits,
            placeholder: false,
            labels: Vec::new(),
        });
        if title {
            last_title = Some(index);
        }
    }
    // Drop an empty preamble.
    if sections.len() > 1 && text[sections[0].start..sections[0].end].trim().is_empty() {
        sections.remove(0);
        for s in &mut sections {
            s.parent = s.parent.and_then(|p| p.checked_sub(1));
        }
    }
    for s in &mut sections {
        let body = &text[s.start..s.end];
        // A placeholder has a bracket or says TBD/TBC.
        s.placeholder = placeholder_cue(body) && PLACEHOLDER.is_match(body);
    }

    let mut paragraphs = Vec::new();
    let mut sentences = Vec::new();
    for (si, s) in sections.iter().enumerate() {
        let mut pstart = s.start;
        let body = &text[s.start..s.end];
        let mut cuts: Vec<usize> = BLANK_LINE
            .find_iter(body.as_bytes())
            .map(|i| s.start + i)
            .filter(|&at| !runs_on(text, at, &items))
            .collect();
        // A title line is its own paragraph, so "4. Weisungen" never joins the first sentence;
        // a clause whose text starts on the heading line ("3.1 We process ...") runs on.
        if s.title && s.heading.1 > s.heading.0 && s.heading.1 < s.end {
            cuts.push(s.heading.1);
            cuts.sort_unstable();
        }
        cuts.push(s.end);
        for cut in cuts {
            if text[pstart..cut].trim().is_empty() {
                pstart = cut;
                continue;
            }
            let pi = paragraphs.len();
            paragraphs.push(Paragraph {
                start: pstart,
                end: cut,
            });
            split_sentences(text, pstart, cut, (si, pi), &items, &mut sentences);
            pstart = cut;
        }
    }
    // A definition quotes the term it defines: the quotes of the whole text, found in one pass,
    // tell the sentences that may be one (sentences are in order and do not overlap).
    let quotes: Vec<usize> = memchr::memchr_iter(b'"', text.as_bytes()).collect();
    let mut next_quote = 0;
    for sentence in &mut sentences {
        while quotes.get(next_quote).is_some_and(|&q| q < sentence.start) {
            next_quote += 1;
        }
        let quoted = quotes.get(next_quote).is_some_and(|&q| q < sentence.end);
        let body = &text[sentence.start..sentence.end];
        sentence.definition = quoted && DEFINITION_SENTENCE.is_match(body);
    }
    (sections, paragraphs, sentences)
}

/// What every [`PLACEHOLDER`] match holds: a bracket, or "tbd" / "tbc" in any case. A search
/// for `[` and for the rare pair "tb" in its four cases spares the regex nearly every section.
fn placeholder_cue(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr(b'[', bytes).is_some()
        || TB.iter().any(|pair| {
            pair.find_iter(bytes).any(|i| {
                bytes
                    .get(i + 2)
                    .is_some_and(|c| c.eq_ignore_ascii_case(&b'd') || c.eq_ignore_ascii_case(&b'c'))
            })
        })
}

/// "tb" in its four cases, for [`placeholder_cue`].
static TB: LazyLock<[Finder<'static>; 4]> =
    LazyLock::new(|| [b"tb", b"tB", b"Tb", b"TB"].map(Finder::new));

/// A blank line: where a paragraph may end.
static BLANK_LINE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n\n"));

/// True when a blank line at `at` interrupts a sentence rather than ending a paragraph: the
/// text before it stops mid-sentence and the text after it goes on in lower case. This is what
/// a page break (with its header and footer removed) or an OCR'd line gap inside a clause
/// looks like. A lead-in ("… nach dessen Wahl", "… with respect to:") runs on into the bullet
/// list that completes it, so "delete or return" in the items stands in one sentence with it.
fn runs_on(text: &str, at: usize, items: &BTreeSet<usize>) -> bool {
    let before = text[..at].trim_end().chars().next_back();
    let rest = text[at..].trim_start();
    let after = rest.chars().next();
    let numbered = items.contains(&(text.len() - rest.len()));
    let item = bullet_item(rest).or(numbered.then_some(rest));
    (before.is_some_and(|c| c.is_alphanumeric() || c == ',' || c == '-')
        && after.is_some_and(char::is_lowercase))
        || (before.is_some_and(char::is_lowercase) && after.is_some_and(|c| c.is_ascii_digit()))
        || (before == Some(':') && item.is_some())
        || (before.is_some_and(|c| c.is_alphanumeric() || c == ',')
            && item
                .and_then(|i| i.chars().next())
                .is_some_and(char::is_lowercase))
}

/// Whether the text after `at` goes on, on the next line, with a bullet item.
fn next_line_is_item(text: &str, at: usize, items: &BTreeSet<usize>) -> bool {
    // Only white space may come before the line break: stop at the first other character.
    let rest = &text[at..];
    match rest.find(|c: char| c == '\n' || !c.is_whitespace()) {
        Some(n) if rest.as_bytes()[n] == b'\n' => {
            let line = rest[n..].trim_start();
            bullet_item(line).is_some() || items.contains(&(text.len() - line.len()))
        }
        _ => false,
    }
}

/// True when the full stop at `dot` closes the number of an enumerated list item ("1." of
/// "1. Immediately inform Partner"), which ends no sentence.
fn item_marker(text: &str, dot: usize, items: &BTreeSet<usize>) -> bool {
    let digits = text.as_bytes()[..dot]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    (1..=2).contains(&digits) && items.contains(&(dot - digits))
}

/// The text of a bullet item ("- gelöscht oder", "• encryption", "(a) conducting …"), after its
/// marker; `None` when `line` is no bullet item.
fn bullet_item(line: &str) -> Option<&str> {
    let marker = line
        .strip_prefix(['-', '*', '•', '·', '–', '▪', '◦'])
        .or_else(|| {
            let inner = line.strip_prefix('(').unwrap_or(line);
            let close = inner.find(')')?;
            let label = &inner[..close];
            (!label.is_empty()
                && label.len() <= 4
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
            .then(|| &inner[close + 1..])
        })?;
    marker.starts_with(' ').then(|| marker.trim_start())
}

/// Whether `child` is a plain item number ("2.", "(3)") under a heading numbered with a word or
/// a section sign ("ARTICLE 1", "§ 2"): such a heading's items count 1, 2, 3 afresh, so "2." under
/// "ARTICLE 1 - Definitions" is the second definition, not clause 2.
fn items_of_article(parent: Option<&str>, child: Option<&str>) -> bool {
    let worded = parent.is_some_and(|p| p.starts_with(char::is_alphabetic) || p.starts_with('§'));
    let item = child.is_some_and(|c| {
        let digits = c.trim_matches(|ch: char| ch == '(' || ch == ')' || ch == '.');
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    worded && item
}

/// Whether clause number `child` is a sub-number of `parent`: "Clause 1", "§ 1", "1." all own
/// "1.4".
pub(crate) fn same_family(parent: Option<&str>, child: Option<&str>) -> bool {
    match (parent, child) {
        (Some(p), Some(c)) => {
            let p = digits(p);
            !p.is_empty() && c.starts_with(p) && c[p.len()..].starts_with('.')
        }
        _ => false,
    }
}

/// Whether a clause number names an annex ("Anlage 3", "Annex II", "Schedule 1").
pub(crate) fn is_annex(number: &str) -> bool {
    [
        "anlage",
        "anhang",
        "annex",
        "appendix",
        "exhibit",
        "schedule",
        "attachment",
    ]
    .iter()
    .any(|w| {
        number
            .get(..w.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(w))
    })
}

/// Whether two clause numbers share their first component ("7.1" and "7.3", "§ 7" and "7.2").
pub(crate) fn same_chapter(a: Option<&str>, b: Option<&str>) -> bool {
    let first = |n: &str| digits(n).split('.').next().unwrap_or("").to_string();
    match (a, b) {
        (Some(a), Some(b)) => {
            let a = first(a);
            !a.is_empty() && a == first(b)
        }
        _ => false,
    }
}

/// The first component of a clause number as a number: 7 of "7.1", "§ 7" and "Clause 7.".
pub(crate) fn leading_number(number: &str) -> Option<u32> {
    digits(number).split('.').next()?.parse().ok()
}

/// The numeric part of a clause number: "7.1" of "Clause 7.1.", "4" of "§ 4".
fn digits(number: &str) -> &str {
    number
        .trim_end_matches('.')
        .rsplit(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
        .next()
        .unwrap_or("")
}

const ABBREVIATIONS: &[&str] = &[
    "art", "artt", "abs", "lit", "nr", "no", "nos", "ziff", "bzw", "vgl", "ggf", "inkl", "zzgl",
    "ca", "sog", "gem", "abschn", "kap", "anh", "co", "inc", "ltd", "corp", "dr", "prof", "hr",
    "fr", "st", "mio", "mrd", "tel", "fax", "sec", "para", "paras", "rn", "vs", "cf", "approx",
    "resp", "incl", "excl", "max", "min", "etc", "usw", "uabs", "buchst", "ua", "dh", "zb", "evtl",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "okt", "nov", "dec",
    "dez", "ff", "mr", "mrs", "ms", "s", "bspw", "insb", "lfd", "i", "ii", "iii", "iv", "v", "vi",
];

/// [`ABBREVIATIONS`] as [`word_key`]s, sorted for a binary search.
static ABBREVIATION_KEYS: [u64; ABBREVIATIONS.len()] = sorted_keys(ABBREVIATIONS);

const MONTHS: &[&str] = &[
    "januar",
    "februar",
    "maerz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
    "january",
    "march",
    "may",
    "june",
    "july",
    "october",
    "december",
    "jaenner",
];

/// True when the `.` at `dot` (byte index in `text`) ends a sentence.
fn ends_sentence(text: &str, dot: usize) -> bool {
    let after = &text[dot + 1..];
    let mut after_chars = after.chars();
    match after_chars.next() {
        None => return true,
        Some(c) if !c.is_whitespace() && c != '"' && c != '\'' && c != ')' => return false,
        _ => {}
    }
    let next_first = after
        .trim_start_matches([' ', '\n', '"', '\''])
        .chars()
        .next();
    let Some(next_first) = next_first else {
        return true;
    };
    if next_first.is_lowercase() {
        return false;
    }
    // The token before the dot.
    let before = &text[..dot];
    let token_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .map_or(0, |i| i + 1);
    let token = &before[token_start..];
    if token.contains('.') && token.chars().filter(|c| c.is_alphabetic()).count() <= 4 {
        return false; // e.g., i.e., U.S., z.B., u.a.
    }
    let word = TokenWord::of(token);
    if word.is_letter() {
        return false; // initials, "z. B.", "d. h."
    }
    if word.is_abbreviation() {
        return false;
    }
    if word.is_number() {
        // "3. Juli", "am 1. Januar": an ordinal before a month; otherwise a full stop.
        let rest = after.trim_start_matches([' ', '\n', '"', '\'', ')']);
        let next_word = &rest[..rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len())];
        // Compared without a copy where it is ASCII, as nearly every word is.
        let month = if next_word.is_ascii() {
            MONTHS.iter().any(|m| next_word.eq_ignore_ascii_case(m))
        } else {
            MONTHS.contains(&next_word.to_lowercase().as_str())
        };
        return !month;
    }
    true
}

/// The letters and digits of a token before a full stop, lower-cased: what is compared with
/// [`ABBREVIATIONS`]. An ASCII token, nearly every one, is read into a number on the stack;
/// any other is collected into a string.
enum TokenWord {
    /// An ASCII token: its first eight letters and digits as a [`word_key`], how many there
    /// are, and whether all are digits.
    Ascii { key: u64, len: usize, digits: bool },
    /// Any other token.
    Other(String),
}

impl TokenWord {
    fn of(token: &str) -> TokenWord {
        if !token.is_ascii() {
            let word: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
            return TokenWord::Other(word.to_lowercase());
        }
        let mut first = [0u8; 8];
        let (mut len, mut digits) = (0, true);
        for b in token.bytes().filter(u8::is_ascii_alphanumeric) {
            if let Some(slot) = first.get_mut(len) {
                *slot = b.to_ascii_lowercase();
            }
            digits &= b.is_ascii_digit();
            len += 1;
        }
        TokenWord::Ascii {
            key: word_key(&first[..len.min(8)]),
            len,
            digits,
        }
    }

    /// One letter: an initial.
    fn is_letter(&self) -> bool {
        match self {
            TokenWord::Ascii { len, digits, .. } => *len == 1 && !digits,
            TokenWord::Other(w) => w.chars().count() == 1 && w.chars().all(char::is_alphabetic),
        }
    }

    fn is_abbreviation(&self) -> bool {
        match self {
            TokenWord::Ascii { key, len, .. } => {
                *len <= 8 && ABBREVIATION_KEYS.binary_search(key).is_ok()
            }
            TokenWord::Other(w) => ABBREVIATIONS.contains(&w.as_str()),
        }
    }

    /// Digits only (and at least one).
    fn is_number(&self) -> bool {
        match self {
            TokenWord::Ascii { len, digits, .. } => *len > 0 && *digits,
            TokenWord::Other(w) => !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()),
        }
    }
}

fn split_sentences(
    text: &str,
    start: usize,
    end: usize,
    (section, paragraph): (usize, usize),
    items: &BTreeSet<usize>,
    out: &mut Vec<Sentence>,
) {
    let mut s = start;
    let bytes = text.as_bytes();
    // A table row ("Vercel | CDN | Global") ends at its line break: rows carry no full stop,
    // and run together they read one row's cell with the next row's.
    let mut row_ends = table_row_ends(text, start, end).into_iter().peekable();
    for i in memchr::memchr3_iter(b'.', b'!', b'?', &bytes[start..end]).map(|i| start + i) {
        while let Some(row_end) = row_ends.next_if(|&r| r < i) {
            if row_end > s {
                push_sentence(text, s, row_end, section, paragraph, out);
                s = row_end;
            }
        }
        let b = bytes[i];
        if (b == b'.' && !item_marker(text, i, items) && ends_sentence(&text[..end], i))
            || ((b == b'!' || b == b'?')
                && bytes.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()))
        {
            // Inside a list whose lead-in ends with a colon ("… prohibits the use of data
            // for:"), an item's full stop does not end the sentence while another item follows:
            // the lead-in governs every item, and its negation or prohibition reaches them all.
            let within = &text[..end];
            if next_line_is_item(within, i + 1, items)
                && text[s..i]
                    .match_indices(':')
                    .any(|(k, _)| next_line_is_item(within, s + k + 1, items))
            {
                continue;
            }
            push_sentence(text, s, i + 1, section, paragraph, out);
            s = i + 1;
        }
    }
    for row_end in row_ends {
        if row_end > s {
            push_sentence(text, s, row_end, section, paragraph, out);
            s = row_end;
        }
    }
    push_sentence(text, s, end, section, paragraph, out);
}

/// The line breaks in `start..end` that end a table row: a line with a cell separator ` | `.
/// Most paragraphs hold no `|` at all, and one search tells.
fn table_row_ends(text: &str, start: usize, end: usize) -> Vec<usize> {
    let bytes = &text.as_bytes()[start..end];
    if memchr::memchr(b'|', bytes).is_none() {
        return Vec::new();
    }
    let mut line_start = 0;
    memchr::memchr_iter(b'\n', bytes)
        .filter_map(|nl| {
            let line = &bytes[line_start..nl];
            line_start = nl + 1;
            line.windows(3).any(|w| w == b" | ").then_some(start + nl)
        })
        .collect()
}

fn push_sentence(
    text: &str,
    start: usize,
    end: usize,
    section: usize,
    paragraph: usize,
    out: &mut Vec<Sentence>,
) {
    let slice = &text[start..end];
    let lead = leading_space(slice);
    let trail = slice.len() - slice.trim_end().len();
    let (start, end) = (start + lead, end - trail);
    if start < end {
        out.push(Sentence {
            start,
            end,
            section,
            paragraph,
            definition: false,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_words_decide_as_strings_did() {
        let tokens = [
            "Art",
            "art",
            "ABS",
            "Nr",
            "z",
            "B",
            "3",
            "28",
            "12a",
            "e",
            "approx",
            "Abschn",
            "buchst",
            "Buchstabe",
            "Inc",
            "U",
            "S",
            "ii",
            "IV",
            "vi",
            "x",
            "",
            "(a",
            "\"No",
            "Kap",
            "ÄNDERUNG",
            "Straße",
            "é",
            "ſt",
            "\u{212A}",
            "İ",
            "ca",
            "usw",
            "abcdefghij",
            "apr",
            "2026",
            "1.",
            "§",
        ];
        for token in tokens {
            let word: String = token
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase();
            let t = TokenWord::of(token);
            assert_eq!(
                t.is_letter(),
                word.chars().count() == 1 && word.chars().all(char::is_alphabetic),
                "{token:?}"
            );
            assert_eq!(
                t.is_abbreviation(),
                ABBREVIATIONS.contains(&word.as_str()),
                "{token:?}"
            );
            assert_eq!(
                t.is_number(),
                !word.is_empty() && word.chars().all(|c| c.is_ascii_digit()),
                "{token:?}"
            );
        }
    }

    fn sentences(text: &str) -> Vec<String> {
        let (_, _, s) = segment(text);
        s.iter().map(|s| text[s.start..s.end].to_string()).collect()
    }

    /// The heading lines of the sections that are titles.
    fn titles(text: &str) -> Vec<&str> {
        let (sections, _, _) = segment(text);
        sections
            .iter()
            .filter(|s| s.title)
            .map(|s| &text[s.heading.0..s.heading.1])
            .collect()
    }

    #[test]
    fn a_lead_in_runs_on_into_its_bullet_list() {
        let t = "Nach Beendigung werden die Daten nach dessen Wahl\n\n- gelöscht oder\n- in einem geeigneten Format zur Verfügung gestellt.\n\nDer Auftragnehmer bestätigt dies.";
        assert_eq!(
            sentences(t),
            vec![
                "Nach Beendigung werden die Daten nach dessen Wahl\n\n- gelöscht oder\n- in einem geeigneten Format zur Verfügung gestellt.",
                "Der Auftragnehmer bestätigt dies."
            ]
        );
        let t = "The provider shall assist the customer in:\n\n(a) conducting impact assessments;\n\nSeparate paragraph.\n\n- Not an item of it.";
        assert_eq!(
            sentences(t),
            vec![
                "The provider shall assist the customer in:\n\n(a) conducting impact assessments;",
                "Separate paragraph.",
                "- Not an item of it."
            ]
        );
    }

    #[test]
    fn a_numbered_lead_in_over_a_list_is_no_title() {
        let t = "### Notifications\n\n1. Provider shall, without undue delay, notify the Client if:\n\n- it becomes aware of a personal data breach; or\n- it receives a request.\n\n2. Provider documents breaches.";
        assert_eq!(
            titles(t),
            vec!["### Notifications"],
            "the lead-in is a clause, no title"
        );
        let lead_in = "Provider shall, without undue delay, notify the Client if:\n\n- it becomes aware of a personal data breach; or\n- it receives a request.";
        assert!(
            sentences(t).iter().any(|s| s == lead_in),
            "{:?}",
            sentences(t)
        );
        let t = "1. Kategorien:\n\n- Kunden\n- Beschäftigte";
        assert!(
            segment(t).0[0].title,
            "a short title over a list stays a title"
        );
    }

    #[test]
    fn items_under_a_colon_lead_in_stay_with_it() {
        let t = "The provider prohibits the use of data for:\n- Advertising.\n- Training any model.\nThe next sentence.";
        assert_eq!(
            sentences(t),
            vec![
                "The provider prohibits the use of data for:\n- Advertising.\n- Training any model.",
                "The next sentence."
            ]
        );
    }

    #[test]
    fn a_numbered_list_under_a_colon_lead_in_is_no_clause() {
        let t = "3.2 Unauthorised Processing\n\nIf the Provider believes instructions violate the law, the Provider will:\n1. Immediately inform the Customer\n2. Suspend processing until instructions are clarified\n\n3.3 Processing Details\n\nText.";
        assert_eq!(
            titles(t),
            vec!["3.2 Unauthorised Processing", "3.3 Processing Details"]
        );
        assert!(sentences(t).contains(
            &"If the Provider believes instructions violate the law, the Provider will:\n1. Immediately inform the Customer\n2. Suspend processing until instructions are clarified".to_string()
        ));
        // Numbered clauses with text of their own stay clauses, after a colon too.
        let clauses = "The parties agree as follows:\n\n1. Subject Matter\n\nThe Provider hosts data.\n\n2. Duration\n\nThe term of the main contract.";
        assert_eq!(titles(clauses), vec!["1. Subject Matter", "2. Duration"]);
    }

    #[test]
    fn a_tight_numbered_list_of_fragments_is_no_clause() {
        // Under a heading, without a colon: three or more short items on consecutive lines.
        let t = "#### Change Management Process\n\n1. 30-day advance notice of new sub-processors\n2. Detailed information about processing activities\n3. Controller opportunity to object within 30 days\n\n#### Liability\n\nText.";
        assert_eq!(
            titles(t),
            vec!["#### Change Management Process", "#### Liability"]
        );
        assert!(sentences(t).contains(
            &"1. 30-day advance notice of new sub-processors\n2. Detailed information about processing activities\n3. Controller opportunity to object within 30 days".to_string()
        ));
        // A table of contents lists the headings that follow: they stay headings.
        let contents = "1. Subject Matter\n2. Duration\n3. Instructions\n\n1. Subject Matter\n\nThe Provider hosts data.\n\n2. Duration\n\nThe term.\n\n3. Instructions\n\nOnly on instructions.";
        assert_eq!(titles(contents).len(), 6);
        // Items that hold sentences of their own, or only two items, are clauses as before.
        let prose = "1. The processor hosts data.\n2. The processor deletes data.\n3. The processor informs.";
        let (clauses, _, _) = segment(prose);
        assert_eq!(clauses.iter().filter(|s| s.number.is_some()).count(), 3);
        let two = "1. Subject Matter\n2. Duration";
        assert_eq!(titles(two).len(), 2);
    }

    #[test]
    fn a_label_line_heads_its_paragraph_without_opening_a_section() {
        let t = "## Annex 1\n\nTypes of Personal Data\n\nContact details and booking information.\n\n**Categories of Data Subjects:**\n\nArtists and promoters.\n\nFurther notes\n\nin lower case, a wrapped sentence.\n\nA sentence of its own.\n\nPlace and date\n\nBerlin";
        let (sections, _, _) = segment(t);
        assert_eq!(sections.len(), 1);
        let labels: Vec<&str> = sections[0].labels.iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(
            labels,
            vec!["Types of Personal Data", "**Categories of Data Subjects:**"]
        );
        let text = crate::text::Text::from_snippet(t);
        let under = |needle: &str| {
            let i = text
                .sentences
                .iter()
                .position(|s| text.flat[s.start..s.end].contains(needle))
                .expect("sentence");
            text.headings_at(i).map(str::to_string).collect::<Vec<_>>()
        };
        assert_eq!(
            under("Contact details"),
            vec!["Types of Personal Data", "## Annex 1"]
        );
        assert_eq!(
            under("Artists"),
            vec!["**Categories of Data Subjects:**", "## Annex 1"]
        );
        // The label line itself stands under no label.
        assert_eq!(under("Types of"), vec!["## Annex 1"]);
    }

    #[test]
    fn a_field_of_the_commissions_annex_forms_is_a_label_however_long() {
        let t = "## B. DESCRIPTION OF TRANSFER\n\nCategories of data subjects whose personal data is transferred\n\nController employees and contractors, end users of Controllers.\n\nCategories of personal data transferred\n\nProfile or contact data.\n\nCategories of persons whose personal data the vendor may share with partners\n\nAll of them.";
        let (sections, _, _) = segment(t);
        let labels: Vec<&str> = sections[0].labels.iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(
            labels,
            vec![
                "Categories of data subjects whose personal data is transferred",
                "Categories of personal data transferred"
            ]
        );
        // A blank form: the field is followed by the next field, not by an answer.
        let blank = "## Annex II\n\nCategories of data subjects whose personal data is processed\n\nPurpose(s) for which the personal data is processed on behalf of the controller\n\nThe Services.";
        let (sections, _, _) = segment(blank);
        let labels: Vec<&str> = sections[0]
            .labels
            .iter()
            .map(|&(s, e)| &blank[s..e])
            .collect();
        assert_eq!(
            labels,
            vec!["Purpose(s) for which the personal data is processed on behalf of the controller"]
        );
    }

    #[test]
    fn clause_numbers_are_found_as_the_capturing_pattern_found_them() {
        // The pattern as it was written before the markup was stripped by hand.
        let reference = regex::Regex::new(&format!(
            r"(?x)^(?:\#{{1,6}}\s*)?(?:\*\*|__)?\s*(?P<num>{})",
            // The number alternatives, without the flags and the anchor before them.
            CLAUSE_NUMBER_PATTERN.trim_start_matches("(?x)^")
        ))
        .expect("reference pattern");
        let pieces = [
            "#",
            "##",
            "#######",
            " ",
            "**",
            "__",
            "*",
            "§ 4",
            "§4a",
            "Art. 5",
            "Article 12",
            "Annex II",
            "Anlage 2",
            "3.2",
            "3.2.",
            "12.",
            "7",
            "123",
            "1.Purpose",
            "a)",
            "\u{a0}",
            "Clause 7.1",
            "Abschnitt",
            "x",
        ];
        crate::text::every_joining_of_four(&pieces, |line| {
            let expected = reference
                .captures(line)
                .and_then(|c| c.name("num"))
                .map(|m| m.range());
            assert_eq!(clause_number(line), expected, "{line:?}");
        });
    }

    #[test]
    fn a_number_glued_to_its_title_still_opens_a_section() {
        let t = "1.Purpose of this Agreement\n\nThe processor hosts data.\n\n2.Legal Framework\n\nThe UK GDPR applies. See clause 1.2 and version 3.0 for details.";
        assert_eq!(
            titles(t),
            vec!["1.Purpose of this Agreement", "2.Legal Framework"]
        );
        let (sections, _, _) = segment(t);
        let numbers: Vec<_> = sections.iter().filter_map(|s| s.number.clone()).collect();
        assert_eq!(numbers, vec!["1", "2"]);
    }

    #[test]
    fn legal_abbreviations_do_not_split() {
        let t = "Gemaess Art. 28 Abs. 3 lit. a DSGVO gilt dies z. B. fuer Daten, ggf. auch Logs. Der Vertrag endet am 3. Juli 2026. See e.g. No. 3 and i.e. the U.S. Agreement. Next one.";
        assert_eq!(
            sentences(t),
            vec![
                "Gemaess Art. 28 Abs. 3 lit. a DSGVO gilt dies z. B. fuer Daten, ggf. auch Logs.",
                "Der Vertrag endet am 3. Juli 2026.",
                "See e.g. No. 3 and i.e. the U.S. Agreement.",
                "Next one."
            ]
        );
    }

    #[test]
    fn finds_numbered_sections() {
        let t = "Vertrag\n§ 4 Weisungen\nDer Auftragnehmer handelt nur auf Weisung.\n4.2 Weitere Weisungen sind zulaessig.\nAnlage 2 - TOM\nVerschluesselung.\nAnnex II\nArticle 5 Sub-processors\n30 Tage nach Ende.";
        let (sections, _, _) = segment(t);
        let numbers: Vec<_> = sections.iter().map(|s| s.number.clone()).collect();
        assert_eq!(
            numbers,
            vec![
                None,
                Some("§ 4".into()),
                Some("4.2".into()),
                Some("Anlage 2".into()),
                Some("Annex II".into()),
                Some("Article 5".into())
            ]
        );
    }

    #[test]
    fn a_markdown_heading_glued_to_its_clause_runs_on() {
        let t = "## 8. Impact Assessment Processor shall provide reasonable assistance with any impact assessments required by article 35 of the GDPR. It shall also help with consultations.\n\n## 9. Audits";
        assert_eq!(
            titles(t),
            vec!["## 9. Audits"],
            "the glued clause is no title"
        );
        let got = sentences(t);
        assert!(
            got.iter()
                .any(|s| s == "It shall also help with consultations."),
            "{got:?}"
        );
    }

    #[test]
    fn clause_text_on_the_heading_line_runs_on() {
        let t = "Clause 3 - Instructions\n3.2 The Agreement and your configuration constitute your initial\ninstructions. You may issue further instructions.";
        assert_eq!(
            sentences(t),
            vec![
                "Clause 3 - Instructions",
                "3.2 The Agreement and your configuration constitute your initial\ninstructions.",
                "You may issue further instructions."
            ]
        );
    }

    #[test]
    fn a_page_break_inside_a_sentence_does_not_split_it() {
        let t = "7.2 Der Auftragnehmer unterstuetzt bei der Einhaltung der Pflichten\n\naus Art. 32 bis 36 DSGVO.\n\nNeuer Absatz.";
        assert_eq!(
            sentences(t),
            vec![
                "7.2 Der Auftragnehmer unterstuetzt bei der Einhaltung der Pflichten\n\naus Art. 32 bis 36 DSGVO.",
                "Neuer Absatz."
            ]
        );
    }

    #[test]
    fn numbered_definitions_under_a_clause_heading() {
        let t = "Clause 1 - Definitions\n1.4 \"Privacy Shield\" means the former framework.\nClause 2 - Scope\n2.1 Text.";
        let (sections, _, sentences) = segment(t);
        assert!(sections[0].definitions);
        assert!(sections[1].definitions, "1.4 belongs to Clause 1");
        assert!(!sections[3].definitions);
        assert!(
            sentences
                .iter()
                .any(|s| s.definition && t[s.start..s.end].starts_with("1.4"))
        );
    }

    #[test]
    fn items_counted_afresh_under_a_worded_definitions_heading_are_definitions() {
        let t = "### ARTICLE 1 - Definitions\n\n1. Controller: refers to the company that determines the purposes of the Processing;\n2. Processor: refers to the company that Processes Personal Data according to its instructions;\n\n### ARTICLE 2 - Obligations\n\n1. The Processor processes Personal Data only on documented instructions;\n\n1. Definitions\n\n2. Scope. The processor processes data only on documented instructions.";
        let (sections, _, _) = segment(t);
        let flagged = |needle: &str| {
            sections
                .iter()
                .find(|s| t[s.heading.0..s.heading.1].contains(needle))
                .expect("section")
                .definitions
        };
        assert!(flagged("ARTICLE 1"));
        assert!(flagged("2. Processor"), "item 2 of Article 1");
        assert!(!flagged("ARTICLE 2"));
        assert!(!flagged("1. The Processor"), "item 1 of Article 2");
        // A bare number under a bare number is the next clause, not an item.
        assert!(flagged("1. Definitions"));
        assert!(!flagged("2. Scope"));
    }

    #[test]
    fn a_wrapped_number_is_no_heading() {
        let t = "8.2 Er unterstuetzt bei den in den Artikeln 32 bis\n36 DSGVO genannten Pflichten.\n§ 9 Kontrollen\nText.";
        let (sections, _, _) = segment(t);
        let numbers: Vec<_> = sections.iter().map(|s| s.number.clone()).collect();
        assert_eq!(numbers, vec![Some("8.2".into()), Some("§ 9".into())]);
    }

    #[test]
    fn a_numbered_lead_in_over_a_numbered_list_is_no_title() {
        let t = "4.4. Vendor shall reasonably assist Customer regarding:\n\n1. any requests from data subjects.\n2. the notification of breaches.\n";
        let (sections, _, sentences) = segment(t);
        assert!(!sections[0].title);
        let first = &t[sentences[0].start..sentences[0].end];
        assert!(first.contains("regarding:") && first.contains("requests from data subjects"));
    }

    #[test]
    fn table_rows_are_sentences() {
        let t = "Sub-processor | Purpose | Location\nRender | API hosting | United States\nVercel | CDN | Global (US-based)\nPlain lines\nrun on.";
        let (_, _, sentences) = segment(t);
        let texts: Vec<&str> = sentences.iter().map(|s| &t[s.start..s.end]).collect();
        assert_eq!(
            texts,
            vec![
                "Sub-processor | Purpose | Location",
                "Render | API hosting | United States",
                "Vercel | CDN | Global (US-based)",
                "Plain lines\nrun on."
            ]
        );
    }

    #[test]
    fn definitions_and_placeholders() {
        let t = "1. Definitions\n\"Customer Data\" means all data.\n2. Annex\nData subjects: [●]\n3. Other\nText.";
        let (sections, _, sentences) = segment(t);
        assert!(sections[0].definitions);
        assert!(!sections[1].definitions);
        assert!(sections[1].placeholder);
        assert!(!sections[2].placeholder);
        assert!(sentences.iter().any(|s| s.definition));
    }
}
