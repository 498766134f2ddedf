//! HTML, e.g. a vendor's DPA saved from the browser: the main text with its structure.
//!
//! Parsed with `scraper` (html5ever underneath), which builds the same tree a browser does
//! from real-world, often malformed markup. Then:
//!
//! - the text is taken from `<main>` (or `[role=main]`) when it holds at least a tenth of the
//!   page's text, else from the `<article>` with the most text (from its parent when it has
//!   sibling articles: the sections of one document), else from `<body>`;
//! - scripts, styles, `<noscript>`, `<template>`, navigation, `<aside>`, form controls, hidden
//!   elements and elements whose id or class names a cookie/consent banner, menu or navigation
//!   are dropped; `<header>`/`<footer>` are dropped unless they belong to an article or section;
//!   a `<form>` is dropped unless it holds a document of its own (see [`SIGNING_FORM_WORDS`]):
//!   a search box or newsletter sign-up is furniture, a click-to-sign agreement is the text;
//! - `h1`–`h6` become `#` heading lines, `<li>` items lines with their number (for `<ol>`) or
//!   "-", table rows lines with cells separated by ` | `, and block elements paragraphs.
//!
//! A web page has no pages: the document is one page.
//!
//! The tree is walked recursively, but only [`MAX_DEPTH`] elements deep: below that, an
//! element's text is taken as it stands, so a page of 20,000 nested `<div>`s is read rather
//! than overflowing the stack (which would abort the whole batch).

use scraper::{ElementRef, Html, Node, Selector};

use super::layout::{Layout, NumberStyle, number};
use super::{Document, Format, plain};

/// True when the start of `bytes` is an HTML document (`<!doctype html` or `<html`, after a
/// byte-order mark, white space, an XML declaration or comments).
pub(super) fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let mut rest = String::from_utf8_lossy(head)
        .trim_start_matches('\u{FEFF}')
        .to_string();
    loop {
        let trimmed = rest.trim_start();
        let skip = if trimmed.starts_with("<?") {
            trimmed.find("?>").map(|i| i + 2)
        } else if trimmed.starts_with("<!--") {
            trimmed.find("-->").map(|i| i + 3)
        } else {
            let lower = trimmed.get(..14).unwrap_or(trimmed).to_ascii_lowercase();
            return lower.starts_with("<!doctype html") || lower.starts_with("<html");
        };
        match skip {
            Some(i) => rest = trimmed[i..].to_string(),
            None => return false,
        }
    }
}

/// Extracts the main text of an HTML document.
pub(super) fn extract(bytes: &[u8]) -> Document {
    let html = Html::parse_document(&plain::decode(bytes));
    let mut walker = Walker::default();
    let root = root(&html);
    if let Some(title) = title_block(&html, root) {
        // Its headings and paragraphs only: badges and labels around them are decoration.
        const READ: &str = "h1, h2, h3, h4, h5, h6, p";
        let read = selector(READ);
        for e in title.select(&read) {
            let inside_another = e
                .ancestors()
                .take_while(|a| a.id() != title.id())
                .filter_map(ElementRef::wrap)
                .any(|a| read.matches(&a) || dropped(&a));
            if !inside_another && !dropped(&e) {
                walker.element(e);
            }
        }
    }
    walker.block(root);
    walker.flush();
    Document {
        format: Format::Html,
        pages: walker.layout.into_pages(),
        extractor: "html",
    }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector")
}

/// The element that holds the main text.
fn root(html: &Html) -> ElementRef<'_> {
    let body = html
        .select(&selector("body"))
        .next()
        .unwrap_or_else(|| html.root_element());
    // A `<main>` counts only when it holds the text: site builders also wrap a closing line
    // ("If your company requires this DPA signed, email us") in `<main>` after the agreement.
    let least = text_len(body) / MAIN_SHARE;
    if let Some(main) = html
        .select(&selector("main, [role=main]"))
        .find(|e| visible(e) && text_len(*e) >= least)
    {
        return main;
    }
    let articles: Vec<ElementRef<'_>> = html
        .select(&selector("article"))
        .filter(|e| visible(e) && !dropped(e))
        .collect();
    if let Some(article) = articles.iter().max_by_key(|e| text_len(**e)) {
        // Sibling articles are the sections of one document ("1. Subject Matter", "2.
        // Processing Instructions", … each an `<article>`): their parent holds the text, not
        // the longest section alone.
        return article
            .parent()
            .and_then(ElementRef::wrap)
            .filter(|parent| {
                articles
                    .iter()
                    .filter(|other| other.parent().map(|p| p.id()) == Some(parent.id()))
                    .count()
                    > 1
            })
            .unwrap_or(*article);
    }
    body
}

/// A `<main>` with less than this fraction (1/n) of the body's text is not the main text.
const MAIN_SHARE: usize = 10;

/// Characters of text in `e`, scripts and styles left out (their text is no content). Their
/// text is subtracted rather than each text node's ancestors searched, so a page of deeply
/// nested elements costs no more than a flat one.
fn text_len(e: ElementRef<'_>) -> usize {
    fn chars(e: ElementRef<'_>) -> usize {
        e.descendants()
            .filter_map(|n| n.value().as_text().map(|t| t.trim().len()))
            .sum()
    }
    let skipped = |el: &ElementRef<'_>| {
        matches!(
            el.value().name(),
            "script" | "style" | "noscript" | "template"
        )
    };
    let hidden: usize = e
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|el| skipped(el))
        // The outermost only: text inside two of them is subtracted once.
        .filter(|el| {
            !el.ancestors()
                .take_while(|a| a.id() != e.id())
                .filter_map(ElementRef::wrap)
                .any(|a| skipped(&a))
        })
        .map(chars)
        .sum();
    chars(e).saturating_sub(hidden)
}

/// Whether no element around `e` is dropped. Scripts mark `<html>` and `<body>` with state
/// classes ("cookie-banner-open"): those two never hide the main text.
fn visible(e: &ElementRef<'_>) -> bool {
    !e.ancestors()
        .filter_map(ElementRef::wrap)
        .filter(|a| !matches!(a.value().name(), "html" | "body"))
        .any(|a| dropped(&a))
}

/// The document's title block when the main text is taken from an element after it: a
/// page-level `<header>` with the title (see [`holds_title`]) before `<main>`, as pages with a
/// "hero" section put the title, version and opening paragraph above the main text. Only its
/// headings and paragraphs are read.
fn title_block<'a>(html: &'a Html, root: ElementRef<'a>) -> Option<ElementRef<'a>> {
    if matches!(root.value().name(), "body" | "html") {
        return None;
    }
    // `select` yields elements in document order: the headers before the main text.
    let main_at = root.id();
    html.select(&selector("header, main, [role=main], article"))
        .take_while(|e| e.id() != main_at)
        .filter(|e| e.value().name() == "header")
        .find(|e| !root.ancestors().any(|a| a.id() == e.id()) && holds_title(e) && visible(e))
}

/// Words in ids and class names that mark page furniture rather than content.
const FURNITURE: &[&str] = &[
    "cookie",
    "consent",
    "banner",
    "menu",
    "breadcrumb",
    "navbar",
];

/// Words of text from which a `<form>` is read as a document to sign (an agreement with
/// signature fields) rather than as a search, login or sign-up form, whose labels and hints
/// stay far below this.
const SIGNING_FORM_WORDS: usize = 150;

/// Whether the form `e` holds at least [`SIGNING_FORM_WORDS`] words of text.
fn signing_form(e: &ElementRef<'_>) -> bool {
    e.text()
        .flat_map(str::split_whitespace)
        .nth(SIGNING_FORM_WORDS - 1)
        .is_some()
}

/// True for elements whose content is not part of the text (also for HTML blocks inside
/// Markdown).
pub(super) fn dropped(e: &ElementRef<'_>) -> bool {
    let el = e.value();
    let name = el.name();
    if matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "nav"
            | "aside"
            | "button"
            | "select"
            | "textarea"
            | "input"
            | "svg"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "dialog"
            | "head"
            | "title"
            | "meta"
            | "link"
    ) {
        return true;
    }
    if name == "form" && !signing_form(e) {
        return true;
    }
    if matches!(name, "header" | "footer") {
        // A page's header and footer, not those of an article or section, nor a header that
        // holds the page's `<h1>`: that is the document's title block (title, version, the
        // opening paragraph), whose navigation is dropped on its own.
        let in_content = e
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| matches!(a.value().name(), "article" | "section" | "main"));
        let title_block = name == "header" && holds_title(e);
        if !in_content && !title_block {
            return true;
        }
    }
    if el.attr("hidden").is_some() || el.attr("aria-hidden") == Some("true") {
        return true;
    }
    if let Some(style) = el.attr("style") {
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect();
        let style = style.to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    if el
        .attr("role")
        .is_some_and(|r| matches!(r, "navigation" | "banner" | "dialog" | "alertdialog"))
    {
        return true;
    }
    let names = el.id().into_iter().chain(el.classes());
    names.into_iter().any(furniture_name)
}

/// Whether a page-level `<header>` holds an `<h1>` with more than a word: a site header may
/// set its logo as a one-word `<h1>`, a document's title block names the document.
fn holds_title(header: &ElementRef<'_>) -> bool {
    header
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "h1")
        .any(|h1| h1.text().flat_map(str::split_whitespace).nth(1).is_some())
}

/// "cookie-notice", "CybotCookiebotDialog", "main-menu", "site-nav", "navbar": furniture.
fn furniture_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if FURNITURE.iter().any(|w| lower.contains(w)) {
        return true;
    }
    // "nav" only as a word of its own ("site-nav", "nav_main"), not inside "canvas".
    lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "nav" || w == "navigation")
}

#[derive(Debug)]
struct List {
    ordered: bool,
    next: i64,
    style: NumberStyle,
}

/// How many nested elements the walk follows with their structure; deeper content is read as
/// plain text. Real pages nest a few dozen levels.
pub(super) const MAX_DEPTH: usize = 200;

#[derive(Default)]
struct Walker {
    layout: Layout,
    inline: String,
    lists: Vec<List>,
    item_label: Option<String>,
    pre: bool,
    depth: usize,
}

impl Walker {
    /// Ends the current run of inline text as a paragraph or list item.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.inline);
        if text.trim().is_empty() {
            return;
        }
        match self.item_label.take() {
            Some(label) => self.layout.item(&label, &text),
            None if !self.lists.is_empty() => self.layout.item("", &text),
            None => self.layout.paragraph(&text),
        }
    }

    fn text(&mut self, t: &str) {
        if self.pre {
            self.inline.push_str(t);
            return;
        }
        // HTML white space, line ends included, is a single space.
        if t.starts_with(char::is_whitespace) && !self.inline.ends_with([' ', '\n']) {
            self.inline.push(' ');
        }
        let words: Vec<&str> = t.split_whitespace().collect();
        self.inline.push_str(&words.join(" "));
        if t.ends_with(char::is_whitespace) && !words.is_empty() {
            self.inline.push(' ');
        }
    }

    fn block(&mut self, e: ElementRef<'_>) {
        if self.depth >= MAX_DEPTH {
            for t in e.text() {
                self.text(t);
            }
            return;
        }
        self.depth += 1;
        for child in e.children() {
            match child.value() {
                Node::Text(t) => self.text(t),
                Node::Element(_) => {
                    if let Some(el) = ElementRef::wrap(child)
                        && !dropped(&el)
                    {
                        self.element(el);
                    }
                }
                _ => {}
            }
        }
        self.depth -= 1;
    }

    fn element(&mut self, e: ElementRef<'_>) {
        let name = e.value().name();
        match name {
            "br" => self.inline.push('\n'),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = usize::from(name.as_bytes()[1] - b'0');
                self.layout.heading(level, &cell_text(e));
            }
            "ul" | "ol" | "menu" => {
                self.flush();
                let ordered = name == "ol";
                let start = e
                    .attr("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                let style = match e.attr("type") {
                    Some("a") => NumberStyle::LowerLetter,
                    Some("A") => NumberStyle::UpperLetter,
                    Some("i") => NumberStyle::LowerRoman,
                    Some("I") => NumberStyle::UpperRoman,
                    _ => NumberStyle::Decimal,
                };
                self.lists.push(List {
                    ordered,
                    next: start,
                    style,
                });
                self.block(e);
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.layout.end_group();
                }
            }
            "li" => {
                self.flush();
                let label = match self.lists.last_mut() {
                    Some(list) if list.ordered => {
                        let n = e
                            .attr("value")
                            .and_then(|v| v.trim().parse().ok())
                            .unwrap_or(list.next);
                        list.next = n + 1;
                        format!("{}.", number(n, list.style))
                    }
                    _ => "-".to_string(),
                };
                self.item_label = Some(label);
                self.block(e);
                self.flush();
                self.item_label = None;
            }
            "table" => {
                self.flush();
                self.table(e);
                self.layout.end_group();
            }
            "pre" => {
                self.flush();
                self.pre = true;
                self.block(e);
                self.pre = false;
                self.flush();
            }
            name if is_block(name) => {
                self.flush();
                self.block(e);
                self.flush();
            }
            "img" => {}
            _ => self.block(e),
        }
    }

    fn table(&mut self, table: ElementRef<'_>) {
        for part in table.child_elements() {
            match part.value().name() {
                "caption" => {
                    self.layout.paragraph(&cell_text(part));
                }
                "thead" | "tbody" | "tfoot" => {
                    for row in part.child_elements().filter(|r| r.value().name() == "tr") {
                        self.row(row);
                    }
                }
                "tr" => self.row(part),
                _ => {}
            }
        }
    }

    fn row(&mut self, row: ElementRef<'_>) {
        self.layout.row(&row_cells(row));
    }
}

/// Whether an element with this name is a block of its own (paragraph breaks before and after)
/// and holds nothing but text and other elements: the plain blocks of the HTML reader, and of an
/// HTML block inside Markdown. Lists, tables and `<pre>` have their own handling here.
pub(super) fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "blockquote"
            | "address"
            | "figure"
            | "figcaption"
            | "dl"
            | "dt"
            | "dd"
            | "details"
            | "summary"
            | "center"
            | "fieldset"
            | "legend"
            | "hgroup"
            | "header"
            | "footer"
            | "hr"
            | "caption"
    )
}

/// The text of each cell (`<td>`, `<th>`) of a table row, in order; cells the reader drops are
/// left out (also a row of an HTML block inside Markdown).
pub(super) fn row_cells(row: ElementRef<'_>) -> Vec<String> {
    row.child_elements()
        .filter(|c| matches!(c.value().name(), "td" | "th") && !dropped(c))
        .map(cell_text)
        .collect()
}

/// The text of an element as one line: blocks inside it separated by spaces (also a table cell
/// or heading of an HTML block inside Markdown).
pub(super) fn cell_text(e: ElementRef<'_>) -> String {
    fn walk(e: ElementRef<'_>, out: &mut String, depth: usize) {
        if depth >= MAX_DEPTH {
            out.extend(e.text());
            return;
        }
        for child in e.children() {
            match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(el) => {
                    if let Some(child) = ElementRef::wrap(child)
                        && !dropped(&child)
                    {
                        let block = !matches!(
                            el.name(),
                            "a" | "span"
                                | "strong"
                                | "b"
                                | "em"
                                | "i"
                                | "u"
                                | "code"
                                | "sup"
                                | "sub"
                                | "small"
                                | "mark"
                                | "abbr"
                        );
                        if block {
                            out.push(' ');
                        }
                        walk(child, out, depth + 1);
                        if block {
                            out.push(' ');
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = String::new();
    walk(e, &mut out, 0);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        let doc = extract(html.as_bytes());
        assert_eq!(doc.format, Format::Html);
        assert_eq!(doc.pages.len(), 1);
        doc.pages[0].text.clone()
    }

    #[test]
    fn deep_nesting_is_read_not_a_stack_overflow() {
        let depth = 20_000;
        let html = format!(
            "<!DOCTYPE html><body><p>Vorwort</p>{}<b>Tief</b> unten{}</body>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        assert_eq!(text(&html), "Vorwort\n\nTief unten");
        let cell = format!(
            "<table><tr><td>{}Zelle{}</td></tr></table>",
            "<span>".repeat(depth),
            "</span>".repeat(depth)
        );
        assert_eq!(text(&cell), "Zelle");
    }

    #[test]
    fn sniffs_html() {
        assert!(looks_like_html(b"\xEF\xBB\xBF  <!DOCTYPE html><html>"));
        assert!(looks_like_html(
            b"<?xml version=\"1.0\"?>\n<!-- saved -->\n<html lang=de>"
        ));
        assert!(!looks_like_html(b"# Vertrag\n<html> in Markdown"));
        assert!(!looks_like_html(b"Plain text"));
    }

    #[test]
    fn drops_scripts_styles_navigation_and_cookie_banners() {
        let page = r#"<!DOCTYPE html><html><head><title>AVV</title><style>p { color: red }</style>
          <script>var tracking = "Auftragsverarbeitung";</script></head>
          <body>
            <header><a href="/">Logo</a> Produkte Preise</header>
            <nav><ul><li>Start</li><li>Rechtliches</li></ul></nav>
            <div id="CybotCookiebotDialog">Wir verwenden Cookies. <button>Alle akzeptieren</button></div>
            <div class="consent-overlay">Einwilligung verwalten</div>
            <div class="site-nav">Menü</div>
            <h1>Auftragsverarbeitungsvertrag</h1>
            <p>Der Auftragnehmer   verarbeitet
               Daten <strong>nur</strong> auf Weisung.<script>alert(1)</script></p>
            <noscript>Bitte JavaScript aktivieren</noscript>
            <p hidden>versteckt</p><p style="display: none">auch versteckt</p>
            <canvas class="canvas">x</canvas><p class="canvas-note">Hinweis bleibt</p>
            <footer>© 2025 Anbieter GmbH · Impressum</footer>
          </body></html>"#;
        assert_eq!(
            text(page),
            "# Auftragsverarbeitungsvertrag\n\nDer Auftragnehmer verarbeitet Daten nur auf Weisung.\n\nHinweis bleibt"
        );
    }

    #[test]
    fn a_click_to_sign_agreement_in_a_form_is_read_but_a_sign_up_form_is_not() {
        let clause = "<p>The processor shall process personal data only on documented \
                      instructions from the controller, including with regard to transfers.</p>";
        let page = format!(
            r#"<html><body><h1>Data Processing Agreement</h1>
              <form action="/subscribe"><label>Newsletter: your e-mail</label><input name="e"><button>Subscribe</button></form>
              <form id="dpa-form" method="POST">{}<label>Signature</label><input name="sig"></form>
            </body></html>"#,
            clause.repeat(10)
        );
        let got = text(&page);
        assert!(!got.contains("Newsletter"), "{got}");
        assert_eq!(got.matches("documented instructions").count(), 10, "{got}");
        assert!(got.ends_with("Signature"), "{got}");
    }

    #[test]
    fn keeps_a_page_header_that_holds_the_title_block() {
        let page = r#"<html><body>
          <header class="site"><h1><a href="/">Acme</a></h1><nav>Pricing Legal</nav></header>
          <header class="hero"><span>For business customers</span><h1>Data Processing <span>Agreement</span></h1>
            <p class="intro">This DPA governs how Acme processes personal data on behalf of customers.</p>
            <nav>On this page</nav></header>
          <h2>1. Scope</h2><p>It applies to all processing.</p></body></html>"#;
        assert_eq!(
            text(page),
            "For business customers\n\n# Data Processing Agreement\n\nThis DPA governs how Acme processes personal data on behalf of customers.\n\n## 1. Scope\n\nIt applies to all processing."
        );
    }

    #[test]
    fn reads_the_title_block_above_main() {
        let page = r#"<html><body><nav>Home</nav>
          <header class="hero"><span>For business</span><h1>Data Processing Agreement</h1><p>Version 1.0</p>
            <div><span>GDPR Article 28</span><span>SCCs</span></div></header>
          <main><h2>1. Scope</h2><p>It applies to all processing.</p></main>
          <header><h1>Related documents here</h1></header></body></html>"#;
        assert_eq!(
            text(page),
            "# Data Processing Agreement\n\nVersion 1.0\n\n## 1. Scope\n\nIt applies to all processing."
        );
    }

    #[test]
    fn prefers_main_and_keeps_article_headers() {
        let page = r#"<html class="cookie-banner-open"><body class="nav-collapsed"><div class="teaser">Newsletter abonnieren</div>
          <main><article><header><h1>Data Processing Agreement</h1></header>
          <section><h2>4. Instructions</h2><p>The processor acts only on documented instructions.</p></section>
          </article></main><div>Related links</div></body></html>"#;
        assert_eq!(
            text(page),
            "# Data Processing Agreement\n\n## 4. Instructions\n\nThe processor acts only on documented instructions."
        );
    }

    #[test]
    fn sibling_articles_are_the_sections_of_one_document() {
        // Each numbered section is an `<article>` (en-deepin): the longest one alone would
        // lose the others, and a document reduced to one section is "not a DPA".
        let page = r#"<html><body><nav>Pricing Blog</nav><div>
          <article><h2>1. Subject Matter</h2><ul><li>Processor: Example Ltd.</li></ul>
          </article><article><h2>2. Processing Instructions</h2>
          <ul><li>We process personal data only on documented instructions.</li></ul></article>
          </div><article hidden><h2>Hidden</h2><p>Not shown.</p></article></body></html>"#;
        assert_eq!(
            text(page),
            "## 1. Subject Matter\n\n- Processor: Example Ltd.\n\n## 2. Processing Instructions\n\n\
             - We process personal data only on documented instructions."
        );
        // A lone article next to page furniture is still the text on its own.
        let page = r#"<html><body><div>Related posts</div><div><article><h2>DPA</h2>
          <p>The processor acts only on documented instructions.</p></article></div></body></html>"#;
        assert_eq!(
            text(page),
            "## DPA\n\nThe processor acts only on documented instructions."
        );
    }

    #[test]
    fn a_main_with_only_a_closing_line_is_not_the_text() {
        // A site builder puts the agreement in plain `<div>`s and only the contact line after
        // it in `<main>` (en-ironwifi): the page's text is the agreement, not that line.
        let clause = "<p>The processor shall process personal data only on documented \
                      instructions from the controller, including with regard to transfers.</p>";
        let page = format!(
            "<html><body><style>.zp {{ color: red }}</style><div class=\"zptext\">\
             <h2>Data Processing Agreement</h2>{}</div>\
             <main><p>Questions? Email us.</p></main></body></html>",
            clause.repeat(3)
        );
        let got = text(&page);
        assert!(
            got.starts_with("## Data Processing Agreement\n\nThe processor shall"),
            "{got}"
        );
        assert!(got.ends_with("Questions? Email us."), "{got}");
        // A `<main>` that holds the agreement still wins over the furniture around it.
        let page = format!(
            "<html><body><div>Pricing Blog Careers</div><main>{}</main></body></html>",
            clause.repeat(3)
        );
        assert!(text(&page).starts_with("The processor shall"));
    }

    #[test]
    fn lists_and_tables_are_kept() {
        let page = r#"<html><body>
          <h2>§ 6 Unterauftragsverarbeiter</h2>
          <ol start="2"><li>Hosting</li><li><p>Support</p><ul><li>E-Mail</li><li>Telefon</li></ul></li></ol>
          <ol type="a"><li value="3">drittens</li></ol>
          <table><thead><tr><th>Name</th><th>Ort</th></tr></thead>
            <tbody><tr><td>Hosting AG</td><td><p>Frankfurt</p><p>am Main</p></td></tr>
            <tr><td></td><td></td></tr></tbody></table>
          <p>Zeile 1<br>Zeile 2</p></body></html>"#;
        assert_eq!(
            text(page),
            "## § 6 Unterauftragsverarbeiter\n\n2. Hosting\n3. Support\n- E-Mail\n- Telefon\n\nc. drittens\n\nName | Ort\nHosting AG | Frankfurt am Main\n\nZeile 1\nZeile 2"
        );
    }
}
