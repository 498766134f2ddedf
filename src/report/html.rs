//! `--format html`: one self-contained page for one document or a whole batch, to read in a
//! browser or file as a PDF.
//!
//! At the top an overview table like the Berlin authority's (document, Ampel as a coloured
//! light, findings per severity, main reasons), then one section per document with its
//! checklist and every finding with quote, page, section, legal basis and recommendation.
//! Everything is inline (CSS, a small script) and a Content-Security-Policy forbids any network
//! access. Without JavaScript the page is complete and in input order; with it the overview
//! can be sorted and filtered, also from the address (`#ampel=red,yellow&sort=-ampel&q=acme`).
//! Print CSS starts each document on a new page and keeps the colours.
//!
//! All text from documents, file names and rules goes through [`escape`].

use std::fmt::{self, Display, Write as _};
use std::io::{self, Write};

use sha2::{Digest, Sha256};

use super::accepted;
use super::labels::{
    CheckMark, Labels, LanguageTally, document_language, finding_title, labels, main_reasons,
    severity_counts,
};
use super::wire::pick;
use super::{Reporter, Summary};
use crate::assess::{Ampel, Assessment, Evidence, Finding};
use crate::document::DocumentReport;
use crate::rules::Severity;
use crate::text::Language;
use crate::waiver::Notice;

/// How many reasons the overview names per document.
const REASONS: usize = 3;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// Collects the documents and writes the page at the end (the overview comes first).
pub struct Html<W: Write> {
    out: W,
    lang: Option<Language>,
    languages: LanguageTally,
    documents: usize,
    rows: String,
    sections: String,
    notices: Vec<Notice>,
}

impl<W: Write> Html<W> {
    /// An HTML reporter writing to `out`; texts in `lang`, or each document's own language.
    pub fn new(out: W, lang: Option<Language>) -> Html<W> {
        Html {
            out,
            lang,
            languages: LanguageTally::default(),
            documents: 0,
            rows: String::new(),
            sections: String::new(),
            notices: Vec::new(),
        }
    }
}

/// Escapes text for HTML element content and quoted attribute values (`&`, `<`, `>`, `"`,
/// `'`). Control characters, which HTML does not allow, become U+FFFD.
///
/// ```
/// assert_eq!(
///     ampel::report::html::escape(r#"<a href="x">Tom's & Jerry's</a>"#),
///     "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;"
/// );
/// ```
pub fn escape(text: &str) -> String {
    Escaped(text).to_string()
}

/// Text that escapes itself when displayed.
struct Escaped<'a>(&'a str);

impl Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                '\n' | '\t' => f.write_char(c)?,
                c if c.is_control() => f.write_char('\u{FFFD}')?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

fn esc(text: &str) -> Escaped<'_> {
    Escaped(text)
}

/// The CSS class and sort rank of an Ampel (`None`: not rated).
fn ampel_class(ampel: Option<Ampel>) -> (&'static str, u8) {
    match ampel {
        Some(Ampel::Red) => ("red", 3),
        Some(Ampel::Yellow) => ("yellow", 2),
        Some(Ampel::Green) => ("green", 1),
        None => ("unknown", 0),
    }
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Red => "red",
        Severity::Yellow => "yellow",
        Severity::Info => "info",
    }
}

fn verdict(ampel: Option<Ampel>, l: &Labels) -> &'static str {
    ampel.map_or(l.unknown, |a| l.ampel[a as usize])
}

/// "(partly read)" beside the light of a document whose text was not fully read.
fn partly(report: &DocumentReport, l: &Labels) -> String {
    if report.partly_read() {
        format!(r#" <span class="partly">({})</span>"#, l.partly_read)
    } else {
        String::new()
    }
}

/// The document's warnings as a list.
fn warnings(s: &mut String, report: &DocumentReport, lang: Language) -> fmt::Result {
    if report.warnings.is_empty() {
        return Ok(());
    }
    writeln!(
        s,
        r#"<div class="warnings"><h3>{}</h3><ul>"#,
        labels(lang).warnings
    )?;
    for w in &report.warnings {
        writeln!(
            s,
            r#"<li data-kind="{}">{}</li>"#,
            w.kind(),
            esc(&w.text(lang))
        )?;
    }
    writeln!(s, "</ul></div>")
}

/// The coloured light; the word next to it carries the meaning for screen readers and
/// black-and-white prints.
fn light(class: &str) -> String {
    format!(r#"<span class="light {class}" aria-hidden="true"></span>"#)
}

fn overview_row(s: &mut String, n: usize, report: &DocumentReport, lang: Language) -> fmt::Result {
    let l = labels(lang);
    let ampel = report.assessment.as_ref().map(|a| a.ampel);
    let (class, rank) = ampel_class(ampel);
    writeln!(s, r#"<tr data-ampel="{class}">"#)?;
    writeln!(s, r#"<td class="num" data-sort="{n}">{n}</td>"#)?;
    writeln!(
        s,
        r##"<td class="doc"><a href="#doc-{n}">{}</a></td>"##,
        esc(&report.path)
    )?;
    writeln!(
        s,
        r#"<td class="ampel" data-sort="{rank}">{} <span class="verdict">{}</span>{}</td>"#,
        light(class),
        verdict(ampel, l),
        partly(report, l)
    )?;
    match &report.assessment {
        Some(a) => {
            let (red, yellow, info) = severity_counts(&a.findings);
            for count in [red, yellow, info] {
                writeln!(s, r#"<td class="num" data-sort="{count}">{count}</td>"#)?;
            }
        }
        None => {
            for _ in 0..3 {
                writeln!(s, r#"<td class="num" data-sort="-1">–</td>"#)?;
            }
        }
    }
    let (reasons, more) = main_reasons(report, lang, REASONS);
    write!(s, r#"<td class="reasons">"#)?;
    if report.assessment.is_none() {
        write!(
            s,
            r#"<code>{}</code> {}"#,
            report.status.as_str(),
            esc(reasons.first().map_or("", String::as_str))
        )?;
    } else if reasons.is_empty() {
        write!(s, "{}", l.no_findings)?;
    } else {
        write!(s, "<ul>")?;
        for r in &reasons {
            write!(s, "<li>{}</li>", esc(r))?;
        }
        if more > 0 {
            write!(s, "<li>+{more} {}</li>", l.more)?;
        }
        write!(s, "</ul>")?;
    }
    writeln!(s, "</td>\n</tr>")
}

fn evidence(s: &mut String, e: &Evidence, l: &Labels) -> fmt::Result {
    writeln!(
        s,
        "<blockquote><p>{}</p><footer>{}</footer></blockquote>",
        esc(&e.quote),
        esc(&l.place(e.page, e.section.as_deref()))
    )
}

fn checklist(s: &mut String, a: &Assessment, lang: Language) -> fmt::Result {
    let l = labels(lang);
    writeln!(s, "<h3>{}</h3>", l.checklist)?;
    writeln!(
        s,
        r#"<table class="checklist"><thead><tr><th scope="col"><span class="sr">{}</span></th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        l.status, l.requirement, l.status, l.found_at
    )?;
    for item in &a.checklist {
        let mark = CheckMark::of(item, &a.findings);
        let class = match mark {
            CheckMark::Present => "mark-present".to_string(),
            CheckMark::NotAddressed => "mark-not-addressed".to_string(),
            CheckMark::Accepted => "mark-accepted".to_string(),
            CheckMark::Flagged(sev) | CheckMark::Missing(sev) => {
                format!("sev-{}", severity_class(sev))
            }
        };
        let mut places: Vec<String> = Vec::new();
        for e in &item.evidence {
            let place = l.place(e.page, e.section.as_deref());
            if !places.contains(&place) {
                places.push(place);
            }
        }
        writeln!(
            s,
            r#"<tr class="{class}"><td class="mark">{}</td><td>{} <code>{}</code></td><td class="word">{}</td><td class="where">{}</td></tr>"#,
            mark.symbol(),
            esc(pick(&item.title, lang)),
            esc(&item.requirement),
            mark.word(l),
            esc(&places.join("; "))
        )?;
    }
    writeln!(s, "</tbody></table>")
}

fn finding(s: &mut String, f: &Finding, lang: Language) -> fmt::Result {
    let l = labels(lang);
    let (class, badge) = if f.counts() {
        (severity_class(f.severity), l.severity(f.severity))
    } else {
        ("accepted", accepted::badge(lang))
    };
    writeln!(s, r#"<article class="finding sev-{class}">"#)?;
    writeln!(
        s,
        r#"<h4><span class="badge sev-{class}">{badge}</span> {}</h4>"#,
        esc(&finding_title(f, lang, l))
    )?;
    writeln!(
        s,
        r#"<p class="rule">{}: <code>{}</code> · {}: {}</p>"#,
        l.rule,
        esc(&f.rule),
        l.legal_basis,
        esc(&f.legal_basis)
    )?;
    for e in &f.evidence {
        evidence(s, e, l)?;
    }
    for line in l.where_looked(f, lang) {
        writeln!(s, r#"<p class="looked">{}</p>"#, esc(&line))?;
    }
    if let Some(line) = l.track_record(f, lang) {
        writeln!(s, r#"<p class="track">{}</p>"#, esc(&line))?;
    }
    if let Some(why) = &f.rationale {
        writeln!(
            s,
            r#"<p class="rationale"><strong>{}:</strong> {}</p>"#,
            l.rationale,
            esc(pick(why, lang))
        )?;
    }
    writeln!(
        s,
        r#"<p class="recommendation"><strong>{}:</strong> {}</p>"#,
        l.recommendation,
        esc(pick(&f.recommendation, lang))
    )?;
    if let Some(w) = &f.waiver {
        writeln!(
            s,
            r#"<p class="waiver">{}</p>"#,
            esc(&accepted::note(w, lang))
        )?;
    }
    writeln!(s, "</article>")
}

fn section(s: &mut String, n: usize, report: &DocumentReport, lang: Language) -> fmt::Result {
    let l = labels(lang);
    let ampel = report.assessment.as_ref().map(|a| a.ampel);
    let (class, _) = ampel_class(ampel);
    writeln!(
        s,
        r#"<section class="document" id="doc-{n}" data-ampel="{class}" lang="{}">"#,
        lang.code()
    )?;
    writeln!(
        s,
        r#"<h2>{} <span class="verdict">{}</span>{} <span class="path">{}</span></h2>"#,
        light(class),
        verdict(ampel, l),
        partly(report, l),
        esc(&report.path)
    )?;
    let mut meta = Vec::new();
    if let Some(f) = report.format {
        meta.push(f.as_str().to_string());
    }
    if report.pages > 0 {
        meta.push(l.page_count(report.pages));
    }
    if let Some(language) = report.language {
        meta.push(format!("{}: {}", l.language, language.code()));
    }
    if let Some(sha) = &report.sha256 {
        meta.push(format!("SHA-256 <code>{}</code>", esc(sha)));
    }
    if !meta.is_empty() {
        writeln!(s, r#"<p class="meta">{}</p>"#, meta.join(" · "))?;
    }
    warnings(s, report, lang)?;
    match &report.assessment {
        None => writeln!(
            s,
            r#"<p class="status-message"><code>{}</code> {}</p>"#,
            report.status.as_str(),
            esc(&report.message_text(lang).unwrap_or_default())
        )?,
        Some(a) => {
            checklist(s, a, lang)?;
            writeln!(s, "<h3>{}</h3>", l.findings)?;
            if a.findings.is_empty() {
                writeln!(s, "<p>{}</p>", l.no_findings)?;
            }
            for f in &a.findings {
                finding(s, f, lang)?;
            }
        }
    }
    writeln!(
        s,
        r##"<p class="back"><a href="#overview">↑ {}</a></p>"##,
        l.back
    )?;
    writeln!(s, "</section>")
}

/// Standard base64 (with padding), for the CSP hashes.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `'sha256-…'` of an inline script or style, for the Content-Security-Policy.
fn csp_hash(text: &str) -> String {
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

impl<W: Write> Html<W> {
    fn page(&self, summary: &Summary) -> Result<String, fmt::Error> {
        let lang = self.languages.pick(self.lang);
        let l = labels(lang);
        let mut s = String::with_capacity(self.rows.len() + self.sections.len() + 16 * 1024);
        writeln!(s, "<!DOCTYPE html>")?;
        writeln!(s, r#"<html lang="{}">"#, lang.code())?;
        writeln!(s, "<head>")?;
        writeln!(s, r#"<meta charset="utf-8">"#)?;
        writeln!(
            s,
            r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src {}; script-src {}; img-src data:">"#,
            csp_hash(STYLE),
            csp_hash(SCRIPT)
        )?;
        writeln!(
            s,
            r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
        )?;
        writeln!(
            s,
            r#"<meta name="generator" content="ampel {}">"#,
            env!("CARGO_PKG_VERSION")
        )?;
        writeln!(s, "<title>ampel – {}</title>", l.title)?;
        writeln!(s, "<style>{STYLE}</style>")?;
        writeln!(s, "</head>\n<body>")?;
        writeln!(s, "<header>\n<h1>{}</h1>", l.title)?;
        writeln!(
            s,
            r#"<ul class="summary" aria-label="{} {}">"#,
            summary.documents, l.documents
        )?;
        writeln!(
            s,
            "<li><strong>{}</strong> {}</li>",
            summary.documents, l.documents
        )?;
        for (class, count, word) in [
            ("red", summary.red, l.ampel_word[2]),
            ("yellow", summary.yellow, l.ampel_word[1]),
            ("green", summary.green, l.ampel_word[0]),
            ("unknown", summary.unknown, l.not_rated),
        ] {
            writeln!(
                s,
                r#"<li class="count-{class}">{} <strong>{count}</strong> {word}</li>"#,
                light(class)
            )?;
        }
        writeln!(s, "</ul>\n</header>")?;
        writeln!(s, "<main>")?;
        writeln!(s, r#"<h2 class="overview-heading">{}</h2>"#, l.overview)?;
        writeln!(s, r#"<div id="controls" class="controls" hidden>"#)?;
        writeln!(
            s,
            r#"<input type="search" id="filter" placeholder="{}" aria-label="{}">"#,
            esc(l.filter),
            esc(l.filter)
        )?;
        for (class, word) in [
            ("red", l.ampel_word[2]),
            ("yellow", l.ampel_word[1]),
            ("green", l.ampel_word[0]),
            ("unknown", l.not_rated),
        ] {
            writeln!(
                s,
                r#"<label class="chip"><input type="checkbox" name="ampel" value="{class}" checked> {} {word}</label>"#,
                light(class)
            )?;
        }
        writeln!(s, r#"<span id="shown" aria-live="polite"></span>"#)?;
        writeln!(s, "</div>")?;
        writeln!(s, r#"<table id="overview">"#)?;
        writeln!(
            s,
            r#"<thead><tr><th scope="col" class="num" data-key="index" data-type="number">#</th><th scope="col" data-key="document">{}</th><th scope="col" data-key="ampel" data-type="number" data-first="descending">Ampel</th><th scope="col" class="num" data-key="red" data-type="number" data-first="descending">{}</th><th scope="col" class="num" data-key="yellow" data-type="number" data-first="descending">{}</th><th scope="col" class="num" data-key="info" data-type="number" data-first="descending">{}</th><th scope="col">{}</th></tr></thead>"#,
            l.document,
            l.ampel_word[2],
            l.ampel_word[1],
            l.info.to_lowercase(),
            l.reasons
        )?;
        writeln!(s, "<tbody>\n{}</tbody>\n</table>", self.rows)?;
        s.push_str(&self.sections);
        if !self.notices.is_empty() {
            writeln!(
                s,
                r#"<section class="waiver-notices"><h2>{}</h2><ul>"#,
                accepted::notices_heading(lang)
            )?;
            for n in &self.notices {
                writeln!(s, "<li>{}</li>", esc(&accepted::notice(n, lang)))?;
            }
            writeln!(s, "</ul></section>")?;
        }
        writeln!(s, "</main>")?;
        writeln!(
            s,
            r#"<footer class="page"><p>{} ampel {}. {}</p></footer>"#,
            l.written_by,
            env!("CARGO_PKG_VERSION"),
            l.disclaimer
        )?;
        writeln!(s, "<script>{SCRIPT}</script>")?;
        writeln!(s, "</body>\n</html>")?;
        Ok(s)
    }
}

impl<W: Write> Reporter for Html<W> {
    fn document(&mut self, report: &DocumentReport) -> io::Result<()> {
        let lang = document_language(self.lang, report);
        self.languages.add(report.language);
        // 1-based, as people count; also the anchor of the document's section.
        self.documents += 1;
        let n = self.documents;
        overview_row(&mut self.rows, n, report, lang).map_err(io::Error::other)?;
        section(&mut self.sections, n, report, lang).map_err(io::Error::other)
    }

    fn waiver_notices(&mut self, notices: &[Notice]) -> io::Result<()> {
        self.notices = notices.to_vec();
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let page = self.page(summary).map_err(io::Error::other)?;
        self.out.write_all(page.as_bytes())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_content_and_attributes() {
        let table = [
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (r#"" onmouseover="x"#, "&quot; onmouseover=&quot;x"),
            ("it's", "it&#39;s"),
            ("AT&T", "AT&amp;T"),
            ("bell\u{7}", "bell\u{FFFD}"),
            ("§ 4 Weisungen – „Zweck“", "§ 4 Weisungen – „Zweck“"),
        ];
        for (input, expected) in table {
            assert_eq!(escape(input), expected);
        }
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        // RFC 4648 test vectors.
        let table = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in table {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn the_page_allows_exactly_its_own_style_and_script() {
        let pack = crate::rules::Pack::embedded().unwrap();
        let mut out = Vec::new();
        let mut html = super::super::reporter(super::super::Format::Html, &mut out, None, &pack);
        html.finish(&Summary::default()).unwrap();
        drop(html);
        let page = String::from_utf8(out).unwrap();
        assert!(page.contains(&csp_hash(STYLE)));
        assert!(page.contains(&csp_hash(SCRIPT)));
        assert!(page.contains("default-src 'none'"));
        assert!(
            !page.contains("http://") && !page.contains("https://"),
            "no external resources"
        );
    }
}
