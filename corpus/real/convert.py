#!/usr/bin/env python3
"""Mechanical conversions of published agreements into text ampel can read.

Usage: python3 convert.py KIND RAW OUT

KIND is one of

  latex             LaTeX source            -> Markdown
  php-template      PHP template            -> HTML
  jsx               JSX/TSX page component  -> HTML
  astro             Astro page or component -> HTML
  legal-doc-object  TypeScript object literal holding a legal text
                    ({title, notice, effective, sections[]} per locale;
                    the German locale "de" is used)  -> Markdown
  eurlex-chrome-stripped
                    EUR-Lex page scraped to Markdown -> the act without the
                    site's navigation (used for the reference SCC text)
  js-template:SEL[+SEL...]
                    JavaScript/TypeScript module holding the agreement in a
                    template string (or string literal), named by SEL, a
                    dotted path from a top-level binding through object keys
                    and function returns (e.g. legalDocuments.avv.body.de,
                    getAvvText); "#SEL" is written as a "# " heading
                    -> the string's own format (Markdown, HTML or plain text)
  jsx-components    JSX/TSX page whose text sits in components defined in the
                    same file, or in JSX passed as a prop
                    (fallback={<Content />})  -> HTML
  jsx-data          JSX/TSX page that maps arrays of objects defined in the
                    same file into markup ({sections.map(s => <h2>{s.title}
                    </h2> ...)})  -> HTML
  jsx-data-inline   as jsx-data, and also arrays written in place in the
                    markup ({[{title: ..., text: ...}, ...].map(item => ...)})
                    -> HTML
  vue               Vue single-file component: its <template> read as jsx-data
                    reads JSX ({{ }}, v-for, v-if over the file's script
                    data)  -> HTML
  vue-fallback      as vue, but a v-if condition that cannot be read counts as
                    false, so a chain's v-else is written: the static text of
                    a page that loads its content at run time and shows the
                    agreement as its fallback  -> HTML
  ts-data:SEL[+SEL...][;FILL...]
                    TypeScript/JavaScript module holding the text as data
                    (title, summary, sections [{heading, blocks | body}];
                    blocks of kind/type paragraph, callout, p, list, ul,
                    ol, table with columns or headers and rows; an array
                    of such blocks may also be selected directly),
                    SEL a path such as LEGAL_PAGES[slug=dpa].sections;
                    each ";FILL" fills ${...} substitutions: ";NAME" from
                    the file's own top-level binding NAME (${NAME.key}),
                    ";EXPR=VALUE" with VALUE read by hand from another
                    file (an imported constant)  -> Markdown
  ts-sections:SEL[+SEL...][;FILL...]
                    as ts-data, and sections may also hold paragraphs
                    (strings), bullets (one list), a table ({head |
                    headers | columns, rows}) and subsections ({heading,
                    body | content, paragraphs, bullets}), written in that
                    order; the short keys h, p and list stand for heading,
                    paragraphs and bullets; {label, text} items in
                    body/content as "**label** text"  -> Markdown
  jsx-lang:LANG[:COMPONENT]
                    JSX/TSX page read as jsx-components and jsx-data-inline
                    at once, with literal props of same-file components,
                    and a language switch ({de ? "..." : "..."}, lang ===
                    'de' ? ... : ...) resolved to the branch shown in LANG;
                    COMPONENT names a same-file component as the page root
                    (COMPONENT@N: its N-th returned JSX tree, for a page
                    component that returns one tree per sub-page); a
                    translation object, tx({de: "...", en: "..."}) (any
                    function called with one object whose keys are all
                    language codes) or {de: "...", en: "..."}[lang], gives
                    its LANG member  -> HTML
  jsx-props:LANG:SPEC
                    as jsx-lang:LANG, and components imported from other
                    files are written as SPEC says (read from the wrapper
                    by hand): SPEC is a comma-separated list of Comp=tag
                    (the component as that HTML element around its
                    children) and Comp.prop=tag (the component's literal
                    prop written as <tag>, an array of strings as one
                    <tag> per item) and Comp.prop[].field=tag (a literal
                    array of objects: each object's field as <tag>, per
                    object in SPEC order; a field holding an array of
                    strings as Comp.prop=tag writes one), e.g.
                    LegalShell.title=h1,H2=h2, UL.items=li,
                    Page.sections[].heading=h2; a prop written as a name
                    (sections={sections}, title={PAGE_TITLE}) or a path
                    into one (items={content.items}) naming a same-file
                    const/let/var is read as if its literal were written
                    in the tag  -> HTML

  json-locale:SEL[+SEL...]
                    JSON message catalogue (i18n locale file such as
                    locales/de.json or messages/en.json) holding the
                    agreement as keys; SEL a dotted path of keys (and
                    [N] indexes) to an object or string, its last key may
                    end in "*" to take the keys of the parent object that
                    start with it (legal.avv_*), in file order. Keys title
                    and heading (after the prefix) are the object's heading,
                    keys ending in _title / Title / _heading a heading one
                    level down; other strings are paragraphs, arrays of
                    strings bullet lists, nested objects read the same way
                    one level down when their parent has a heading
                    -> Markdown

KINDS js-template, ts-data, ts-sections, json-locale, jsx-lang and jsx-props take their argument after a colon; it is recorded with the
argument in the "conversion" field of sources/<id>.toml, so fetch.sh passes
it on unchanged.

The conversions only remove code and markup. They never reword, shorten or
correct the text: every word of the agreement, its headings, numbering, lists
and tables is kept, in source order. What is dropped is code that produces no
visible text (imports, styles, component props other than titles, expressions
that are evaluated at run time). Each function below says exactly what it
keeps and drops.

Python 3 standard library only; the output depends on the input bytes alone
(no clock, no locale, no environment), so the same RAW always gives the same
OUT.
"""

import json
import re
import sys

HTML_HEAD = '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">\n</head>\n<body>\n'
HTML_FOOT = '\n</body>\n</html>\n'


def _tidy(text):
    """Strip trailing blanks on each line and collapse runs of blank lines."""
    lines = [line.rstrip() for line in text.split('\n')]
    text = '\n'.join(lines)
    text = re.sub(r'\n{3,}', '\n\n', text)
    return text.strip('\n') + '\n'


# --------------------------------------------------------------------------
# LaTeX -> Markdown
# --------------------------------------------------------------------------
#
# Kept: everything between \begin{document} and \end{document}.
# \section/\subsection/\subsubsection become Markdown headings numbered as
# LaTeX numbers them (article class: 1, 1.1, 1.1.1; after \appendix the
# sections are lettered A, B, ...). A \subsection{} with an empty title is a
# run-in number: the paragraph that follows starts with the bold number.
# itemize/enumerate become Markdown lists (nested by indentation);
# tabular/longtable become Markdown tables (the repeated page header of a
# longtable, i.e. the part ended by \endhead, and footers are dropped; a
# tabular nested in a cell is joined with spaces); \textbf -> **..**,
# \textit/\emph -> *..*, \href{url}{text} -> [text](url), \url{u} -> <u>;
# \\ -> line break (a new line); \& \% \_ \# \$ -> the character; ~ -> space;
# --- and -- -> em and en dash (TeX ligatures).
# Dropped: the preamble, comments, \tableofcontents (generated), \today
# (the build date, not in the source), layout commands (\vspace, \newpage,
# font sizes, \includesvg/\includegraphics, \hline, \centering ...).

_LATEX_DROP_WITH_ARGS = [
    'vspace', 'hspace', 'includesvg', 'includegraphics', 'setlength',
    'setcounter', 'addtocounter', 'thispagestyle', 'pagestyle', 'label',
]
_LATEX_DROP_BARE = [
    'tableofcontents', 'today', 'newpage', 'clearpage', 'pagebreak',
    'hline', 'centering', 'noindent', 'huge', 'Huge', 'LARGE', 'Large',
    'large', 'normalsize', 'small', 'footnotesize', 'scriptsize', 'tiny',
    'sffamily', 'rmfamily', 'ttfamily', 'bfseries', 'itshape', 'normalfont',
    'maketitle', 'par', 'medskip', 'bigskip', 'smallskip',
]


def _brace_arg(s, i):
    """s[i] must be '{'. Return (content, index after the closing brace)."""
    assert s[i] == '{'
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c == '\\':
            j += 2
            continue
        if c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
        j += 1
    raise ValueError('unbalanced braces at %d' % i)


def _skip_opt(s, i):
    """Skip an optional [..] argument starting at s[i] (if any)."""
    while i < len(s) and s[i] in ' \t':
        i += 1
    if i < len(s) and s[i] == '[':
        depth = 0
        j = i
        while j < len(s):
            if s[j] == '[':
                depth += 1
            elif s[j] == ']':
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
    return i


def _latex_inline(s):
    """Inline commands and special characters of one piece of LaTeX text."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c == '\\':
            m = re.match(r'\\([A-Za-z]+)\*?', s[i:])
            if not m:
                nxt = s[i + 1:i + 2]
                if nxt == '\\':
                    i = _skip_opt(s, i + 2)
                    # the break itself ends the line: swallow the blanks
                    # and the one source newline that follow it
                    m2 = re.match(r'[ \t]*\n?', s[i:])
                    i += len(m2.group(0))
                    out.append('\n')
                    continue
                if nxt in '&%_#${}':
                    out.append(nxt)
                elif nxt in ' ,;:!':
                    out.append(' ')
                else:
                    out.append(nxt)
                i += 2
                continue
            name = m.group(1)
            j = i + len(m.group(0))
            if name in ('textbf', 'textit', 'emph', 'underline', 'texttt',
                        'textsc', 'mbox', 'text'):
                if j < len(s) and s[j] == '{':
                    arg, j = _brace_arg(s, j)
                    inner = _latex_inline(arg)
                    mark = {'textbf': '**', 'textit': '*', 'emph': '*'}.get(name, '')
                    out.append(mark + inner + mark)
                i = j
                continue
            if name == 'href':
                url, j = _brace_arg(s, j)
                text, j = _brace_arg(s, j)
                out.append('[%s](%s)' % (_latex_inline(text), url))
                i = j
                continue
            if name == 'url':
                url, j = _brace_arg(s, j)
                out.append('<%s>' % url)
                i = j
                continue
            if name == 'textcolor':
                _, j = _brace_arg(s, j)
                arg, j = _brace_arg(s, j)
                out.append(_latex_inline(arg))
                i = j
                continue
            if name in _LATEX_DROP_WITH_ARGS:
                j = _skip_opt(s, j)
                while j < len(s) and s[j] == '{':
                    _, j = _brace_arg(s, j)
                i = j
                continue
            if name in _LATEX_DROP_BARE:
                i = j
                continue
            # unknown command: drop the command name, keep its arguments' text
            i = j
            continue
        if c in '{}':
            i += 1
            continue
        if c == '~':
            out.append(' ')
            i += 1
            continue
        if s.startswith('---', i):
            out.append('\u2014')
            i += 3
            continue
        if s.startswith('--', i):
            out.append('\u2013')
            i += 2
            continue
        out.append(c)
        i += 1
    return ''.join(out)


def _latex_cell(cell):
    """One table cell: a nested tabular is joined with spaces."""
    def nested(m):
        body = m.group(1)
        parts = [p.strip() for p in re.split(r'\\\\', body)]
        return ' '.join(p for p in parts if p)
    cell = re.sub(r'\\begin\{tabular\}(?:\[[^\]]*\])?\{(?:[^{}]|\{[^{}]*\})*\}(.*?)\\end\{tabular\}',
                  nested, cell, flags=re.S)
    text = _latex_inline(cell)
    text = re.sub(r'\s+', ' ', text).strip()
    return text.replace('|', '\\|')


def _latex_table(body):
    """Body of a tabular/longtable (column spec already removed) -> Markdown."""
    # longtable: keep the first head (ended by \endfirsthead); drop the
    # repeated head (\endhead) and the feet (\endfoot, \endlastfoot).
    if '\\endfirsthead' in body or '\\endhead' in body or '\\endlastfoot' in body:
        parts = re.split(r'\\(endfirsthead|endhead|endfoot|endlastfoot)\b', body)
        keep = []
        rest = parts[-1]
        for k in range(0, len(parts) - 1, 2):
            seg, marker = parts[k], parts[k + 1]
            if marker == 'endfirsthead':
                keep.append(seg)
        body = ''.join(keep) + rest
    # split rows on \\ that are not inside a nested tabular
    rows = []
    depth = 0
    cur = []
    i = 0
    while i < len(body):
        if body.startswith('\\begin{tabular}', i):
            depth += 1
        elif body.startswith('\\end{tabular}', i):
            depth -= 1
        if depth == 0 and body.startswith('\\\\', i):
            rows.append(''.join(cur))
            cur = []
            i += 2
            continue
        cur.append(body[i])
        i += 1
    rows.append(''.join(cur))
    table = []
    for row in rows:
        row = re.sub(r'\\hline', '', row)
        if not row.strip():
            continue
        cells = []
        depth = 0
        cur = []
        i = 0
        while i < len(row):
            if row.startswith('\\begin{tabular}', i):
                depth += 1
            elif row.startswith('\\end{tabular}', i):
                depth -= 1
            if depth == 0 and row[i] == '&' and (i == 0 or row[i - 1] != '\\'):
                cells.append(''.join(cur))
                cur = []
                i += 1
                continue
            cur.append(row[i])
            i += 1
        cells.append(''.join(cur))
        table.append([_latex_cell(c) for c in cells])
    if not table:
        return ''
    width = max(len(r) for r in table)
    lines = []
    for n, r in enumerate(table):
        r = r + [''] * (width - len(r))
        lines.append('| ' + ' | '.join(r) + ' |')
        if n == 0:
            lines.append('|' + '---|' * width)
    return '\n\n' + '\n'.join(lines) + '\n\n'


def convert_latex(src):
    m = re.search(r'\\begin\{document\}(.*?)\\end\{document\}', src, re.S)
    body = m.group(1) if m else src
    # comments (an unescaped % to the end of the line)
    body = '\n'.join(re.sub(r'(?<!\\)%.*$', '', line) for line in body.split('\n'))

    # tables first (they contain \\ and & with their own meaning); they are
    # put back after the inline pass through a placeholder
    tables = []

    def table(m):
        inner = m.group(2)
        inner = re.sub(r'^(?:\[[^\]]*\])?\{(?:[^{}]|\{[^{}]*\})*\}', '', inner.lstrip(), count=1)
        tables.append(_latex_table(inner))
        return '\x00%d\x00' % (len(tables) - 1)
    body = re.sub(r'\\begin\{(longtable|tabular)\}(.*?)\\end\{\1\}', table, body, flags=re.S)

    out = []
    counters = [0, 0, 0]
    appendix = False
    list_stack = []
    i = 0
    pending_runin = None
    prev_was_begin = False

    def number(level):
        first = chr(ord('A') + counters[0] - 1) if appendix else str(counters[0])
        return '.'.join([first] + [str(c) for c in counters[1:level + 1]])

    token = re.compile(r'\\(section|subsection|subsubsection)\*?\s*(?=\{)'
                       r'|\\appendix\b'
                       r'|\\begin\{(itemize|enumerate|center|flushleft|flushright|quote|quotation)\}'
                       r'|\\end\{(itemize|enumerate|center|flushleft|flushright|quote|quotation)\}'
                       r'|\\item\b(?:\[[^\]]*\])?')
    while True:
        m = token.search(body, i)
        text = body[i:m.start()] if m else body[i:]
        if text:
            piece = _latex_inline(text)
            if list_stack:
                piece = re.sub(r'\n[ \t]*', '\n' + '  ' * len(list_stack), piece)
            else:
                # source indentation is not Markdown indentation
                piece = re.sub(r'\n[ \t]+', '\n', piece)
                if not out or out[-1].endswith('\n'):
                    piece = piece.lstrip(' \t')
            if pending_runin is not None and piece.strip():
                piece = '**%s** ' % pending_runin + piece.lstrip()
                pending_runin = None
            out.append(piece)
        if not m:
            break
        tok = m.group(0)
        j = m.end()
        just_began = bool(out) and out[-1] in ('\n\n', '\n') and prev_was_begin
        prev_was_begin = tok.startswith('\\begin')
        if m.group(1):
            level = {'section': 0, 'subsection': 1, 'subsubsection': 2}[m.group(1)]
            title, j = _brace_arg(body, j)
            if not tok.startswith('\\' + m.group(1) + '*'):
                counters[level] += 1
                for k in range(level + 1, 3):
                    counters[k] = 0
                num = number(level)
            else:
                num = ''
            title = _latex_inline(title).strip()
            if title:
                out.append('\n\n%s %s%s\n\n' % ('#' * (level + 2), (num + ' ') if num else '', title))
            else:
                out.append('\n\n')
                pending_runin = num
        elif tok.startswith('\\appendix'):
            appendix = True
            counters = [0, 0, 0]
        elif tok.startswith('\\begin'):
            env = m.group(2)
            if env in ('itemize', 'enumerate'):
                list_stack.append(env)
            out.append('\n\n' if not list_stack or len(list_stack) == 1 else '\n')
        elif tok.startswith('\\end'):
            env = m.group(3)
            if env in ('itemize', 'enumerate') and list_stack:
                list_stack.pop()
            out.append('\n\n' if not list_stack else '\n')
        else:  # \item
            if out and not just_began:
                out[-1] = out[-1].rstrip()
            depth = max(len(list_stack), 1)
            kind = list_stack[-1] if list_stack else 'itemize'
            out.append('\n' + '  ' * (depth - 1) + ('1. ' if kind == 'enumerate' else '- '))
            # the item text follows; swallow leading blanks
            while j < len(body) and body[j] in ' \t':
                j += 1
        i = j
    text = ''.join(out)
    text = re.sub(r'\x00(\d+)\x00', lambda mm: tables[int(mm.group(1))], text)
    return _tidy(text)


# --------------------------------------------------------------------------
# PHP template -> HTML
# --------------------------------------------------------------------------
#
# Kept: the literal HTML outside <?php ... ?> blocks, and inside PHP code the
# bodies of heredoc/nowdoc strings (<<<ID ... ID;), in file order, with the
# closing marker's indentation removed from every line (PHP >= 7.3 rule).
# <?= 'literal' ?> / echo 'literal' with a plain string literal are kept, and
# so is the double-quoted string of a `return "...";` statement (a template
# function returning its HTML), with PHP's escapes \" \\ \n \t \$ decoded.
# Interpolated variables ($x, {$x}) are left as written (they are filled in
# at run time). Dropped: all other PHP code.

def convert_php(src):
    out = []
    i = 0
    while i < len(src):
        k = src.find('<?', i)
        if k < 0:
            out.append(src[i:])
            break
        out.append(src[i:k])
        e = src.find('?>', k)
        code = src[k:] if e < 0 else src[k:e]
        i = len(src) if e < 0 else e + 2
        # heredoc / nowdoc bodies
        for hm in re.finditer(r"<<<[ \t]*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1[ \t]*\r?\n(.*?)\r?\n([ \t]*)\2\b",
                              code, re.S):
            indent = hm.group(4)
            lines = hm.group(3).split('\n')
            lines = [ln[len(indent):] if ln.startswith(indent) else ln.lstrip(' \t') for ln in lines]
            out.append('\n'.join(lines) + '\n')
        # return "...";  (double-quoted template string)
        for rm in re.finditer(r'\breturn\s*"', code):
            j = rm.end()
            buf = []
            while j < len(code) and code[j] != '"':
                if code[j] == '\\' and j + 1 < len(code):
                    nxt = code[j + 1]
                    buf.append({'"': '"', '\\': '\\', 'n': '\n', 't': '\t', '$': '$'}.get(nxt, '\\' + nxt))
                    j += 2
                    continue
                buf.append(code[j])
                j += 1
            out.append(''.join(buf) + '\n')
        # short echo / echo with a single string literal
        em = re.match(r"<\?(?:=|php\s+echo)\s*(['\"])(.*?)\1\s*;?\s*$", code, re.S)
        if em:
            out.append(em.group(2))
    html = ''.join(out)
    if not re.search(r'<html', html, re.I):
        html = HTML_HEAD + html.strip('\n') + HTML_FOOT
    return _tidy(html)


# --------------------------------------------------------------------------
# JSX / TSX page component -> HTML
# --------------------------------------------------------------------------
#
# Kept: the JSX tree returned by the page component (the first `return (`
# followed by a JSX element, after `export default function` if there is
# one, else the first such return in the file; failing both, the first
# `return <` or arrow function `=> (<` / `=> <`). Lower-case HTML elements are
# written out with their text; of their attributes only href is kept.
# Capitalised components are dropped as tags but their children are kept;
# a string-literal `title` prop of a component is written as an <h2>
# heading before its children (this is how section components render their
# headings). Text in {'...'}, {"..."} and {`...`} (no ${}) is kept;
# {/* comments */} and every other {expression} are dropped (they are
# evaluated at run time: dates, variables, data tables rendered by other
# components). <style> and <script> elements are dropped.

_VOID = {'br', 'hr', 'img', 'input', 'meta', 'link', 'wbr', 'col', 'source'}


def _js_string_end(s, i):
    q = s[i]
    j = i + 1
    while j < len(s):
        if s[j] == '\\':
            j += 2
            continue
        if s[j] == q:
            return j + 1
        if q == '`' and s.startswith('${', j):
            j = _js_brace_end(s, j + 1)
            continue
        j += 1
    raise ValueError('unterminated string at %d' % i)


def _js_regex_end(s, j):
    """s[j] == '/' opening a regular-expression literal; index after its
    closing '/' and flags, or None if there is none on this line."""
    k = j + 1
    in_class = False
    while k < len(s) and s[k] != '\n':
        c = s[k]
        if c == '\\':
            k += 2
            continue
        if c == '[':
            in_class = True
        elif c == ']':
            in_class = False
        elif c == '/' and not in_class:
            k += 1
            while k < len(s) and (s[k].isalnum() or s[k] == '_'):
                k += 1
            return k
        k += 1
    return None


def _js_brace_end(s, i):
    """s[i] == '{'; return index after the matching '}' (JS-aware). A
    regular-expression literal (a '/' after one of ( , = : [ ! & | ? { ;)
    is skipped whole, so that a '//' or a quote inside it is not read as a
    comment or a string."""
    depth = 0
    j = i
    prev = ''
    while j < len(s):
        c = s[j]
        if c in '\'"`':
            j = _js_string_end(s, j)
            prev = 'x'
            continue
        if c == '/' and prev in ('(', ',', '=', ':', '[', '!', '&', '|', '?', '{', ';') \
                and not s.startswith('/*', j) and not s.startswith('//', j):
            e = _js_regex_end(s, j)
            if e is not None:
                j = e
                prev = 'x'
                continue
        if c not in ' \t\r\n':
            prev = c
        if s.startswith('/*', j):
            j = s.index('*/', j + 2) + 2
            continue
        if s.startswith('//', j):
            nl = s.find('\n', j)
            j = len(s) if nl < 0 else nl
            continue
        if c == '<' and depth >= 1 and re.match(r'<[A-Za-z>]', s[j:j + 2]):
            # JSX inside an expression: skip a balanced element
            _, j = _parse_jsx_element(s, j, emit=False)
            continue
        if c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError('unbalanced { at %d' % i)


def _js_literal_text(expr):
    """Text of an expression that is a single string literal, else None."""
    e = expr.strip()
    if not e:
        return None
    if e[0] in '\'"' and _js_string_end(e, 0) == len(e):
        return _decode_js_escapes(e[1:-1])
    if e[0] == '`' and e[-1] == '`' and '${' not in e:
        return e[1:-1]
    return None


def _parse_attrs(s, i):
    """Parse attributes from s[i] up to '>' or '/>'. Returns (attrs, i, selfclosing)."""
    attrs = {}
    while True:
        while i < len(s) and s[i] in ' \t\r\n':
            i += 1
        if s.startswith('/>', i):
            return attrs, i + 2, True
        if s[i] == '>':
            return attrs, i + 1, False
        if s[i] == '{':  # spread {...props}
            i = _js_brace_end(s, i)
            continue
        m = re.match(r'[A-Za-z_:][-A-Za-z0-9_:.]*', s[i:])
        name = m.group(0)
        i += len(name)
        while i < len(s) and s[i] in ' \t\r\n':
            i += 1
        if i < len(s) and s[i] == '=':
            i += 1
            while s[i] in ' \t\r\n':
                i += 1
            if s[i] in '\'"':
                e = _js_string_end(s, i)
                attrs[name] = ('str', s[i + 1:e - 1])
                i = e
            elif s[i] == '{':
                e = _js_brace_end(s, i)
                attrs[name] = ('expr', s[i + 1:e - 1])
                i = e
            else:
                raise ValueError('attribute value at %d' % i)
        else:
            attrs[name] = ('bool', None)


def _parse_jsx_children(s, i, closing, emit, ctx=None):
    out = []
    while i < len(s):
        if s.startswith('</', i):
            e = s.index('>', i)
            name = s[i + 2:e].strip()
            if name != closing:
                raise ValueError('expected </%s> at %d, found </%s>' % (closing, i, name))
            return ''.join(out), e + 1
        c = s[i]
        if c == '<':
            html, i = _parse_jsx_element(s, i, emit, ctx)
            out.append(html)
            continue
        if c == '{':
            e = _js_brace_end(s, i)
            expr = s[i + 1:e - 1]
            if ctx is not None:
                # jsx-components / jsx-data: expressions resolved in the file
                if emit:
                    out.append(_ctx_expr(expr, ctx))
                i = e
                continue
            lit = _js_literal_text(expr)
            if lit is not None:
                out.append(lit)
            i = e
            continue
        out.append(c)
        i += 1
    raise ValueError('unterminated element %s' % closing)


def _parse_jsx_element(s, i, emit=True, ctx=None):
    """s[i] == '<'. Returns (html, index after the element).

    ctx is None for the jsx and astro modes; jsx-components and jsx-data pass
    the file's context (see _JsxContext) to resolve components and data."""
    if s.startswith('<>', i):
        inner, j = _parse_jsx_children(s, i + 2, '', emit, ctx)
        return inner, j
    m = re.match(r'<([A-Za-z][-A-Za-z0-9_.:]*)', s[i:])
    name = m.group(1)
    attrs, j, selfclosing = _parse_attrs(s, i + len(m.group(0)))
    if selfclosing or name.lower() in _VOID and name[0].islower():
        inner = ''
        if not selfclosing:
            pass
    else:
        inner, j = _parse_jsx_children(s, j, name, emit, ctx)
    if not emit:
        return '', j
    if name in ('style', 'script'):
        return '', j
    if ctx is not None and (name[0].isupper() or '.' in name):
        return _ctx_component(name, attrs, inner, ctx), j
    if name[0].isupper() or '.' in name:
        head = ''
        if 'title' in attrs and attrs['title'][0] == 'str':
            head = '\n<h2>%s</h2>\n' % attrs['title'][1]
        elif 'title' in attrs and attrs['title'][0] == 'expr':
            lit = _js_literal_text(attrs['title'][1])
            if lit is not None:
                head = '\n<h2>%s</h2>\n' % lit
        return head + inner, j
    attr = ''
    if 'href' in attrs:
        kind, val = attrs['href']
        if kind == 'str':
            attr = ' href="%s"' % val
        elif kind == 'expr':
            lit = _js_literal_text(val) if ctx is None else _ctx_string(val, ctx)
            if lit is not None:
                attr = ' href="%s"' % lit
    if name.lower() in _VOID:
        return '<%s%s>' % (name, attr), j
    return '<%s%s>%s</%s>' % (name, attr, inner, name), j


def convert_jsx(src):
    return _jsx_page(src, _jsx_root(src))


def _jsx_root(src):
    """Index of the '<' that opens the page component's returned JSX tree."""
    start = 0
    d = re.search(r'export\s+default\s+(?:async\s+)?function\b', src)
    if d:
        start = d.start()
    m = None
    for cand in re.finditer(r'return\s*\(\s*<', src[start:]):
        m = cand
        break
    if m is None:
        for cand in re.finditer(r'return\s*\(\s*<', src):
            m = cand
            start = 0
            break
    if m is None:
        # A page that returns its markup without parentheses (`return <Shell>…`) or an
        # arrow-function component (`const Page = () => (<Layout>…`): looked for only where no
        # `return (` is found, so pages converted before keep their text.
        for cand in re.finditer(r'(?:\breturn|=>)\s*\(?\s*<(?=[A-Za-z])', src[start:]):
            m = cand
            break
    if m is None:
        raise ValueError('no JSX return found')
    return start + m.end() - 1


def _jsx_page(src, k, ctx=None):
    """The JSX element that opens at src[k], as an HTML page."""
    html, _ = _parse_jsx_element(src, k, True, ctx)
    # JSX whitespace: lines are trimmed and joined (React's rule) -- here we
    # keep line structure but drop the source indentation.
    html = '\n'.join(line.strip() for line in html.split('\n'))
    return _tidy(HTML_HEAD + html.strip('\n') + HTML_FOOT)


# --------------------------------------------------------------------------
# Astro page or component -> HTML
# --------------------------------------------------------------------------
#
# An Astro file is a frontmatter script between `---` lines and a template
# in JSX-like syntax. Dropped: the frontmatter (code) and HTML comments.
# The template is then read exactly as a JSX tree (see convert_jsx): HTML
# elements with their text and href, components as their children (with a
# string `title` prop as an <h2> heading), {expressions} dropped, <style>
# and <script> dropped.

def convert_astro(src):
    m = re.match(r'\s*---\n.*?\n---[ \t]*\n', src, re.S)
    if m:
        src = src[m.end():]
    src = re.sub(r'<!--.*?-->', '', src, flags=re.S)
    return _jsx_page('<Astro>' + src + '</Astro>', 0)


# --------------------------------------------------------------------------
# TypeScript object literal with a legal text -> Markdown
# --------------------------------------------------------------------------
#
# The object has one entry per locale; each holds title, notice, effective
# and sections[] with heading, paragraphs[], list[]. The German locale "de"
# is written out: "# title", the effective value on its own line, the notice,
# then per section "## heading", its paragraphs and its list items. Nothing
# from the renderer (other files) is added.

def _ts_object_to_json(s):
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c in '\'"`':
            e = _js_string_end(s, i)
            body = s[i + 1:e - 1]
            if c != '"':
                body = body.replace('\\' + c, c).replace('"', '\\"')
            out.append('"' + body + '"')
            i = e
            continue
        if s.startswith('//', i):
            nl = s.find('\n', i)
            i = len(s) if nl < 0 else nl
            continue
        if s.startswith('/*', i):
            i = s.index('*/', i) + 2
            continue
        m = re.match(r'[A-Za-z_$][A-Za-z0-9_$]*(?=\s*:)', s[i:])
        if m and (not out or out[-1].rstrip()[-1:] in '{,' or out[-1].strip() == ''):
            out.append('"%s"' % m.group(0))
            i += len(m.group(0))
            continue
        out.append(c)
        i += 1
    text = ''.join(out)
    text = re.sub(r',(\s*[}\]])', r'\1', text)
    return json.loads(text)


def convert_legal_doc_object(src):
    m = re.search(r'=\s*\{', src)
    start = m.end() - 1
    end = _js_brace_end(src, start)
    data = _ts_object_to_json(src[start:end])
    doc = data['de']
    parts = ['# ' + doc['title']]
    if doc.get('effective'):
        parts.append(doc['effective'])
    if doc.get('notice'):
        parts.append(doc['notice'])
    for sec in doc.get('sections', []):
        if sec.get('heading'):
            parts.append('## ' + sec['heading'])
        link = sec.get('link')
        for p in sec.get('paragraphs', []):
            if link and '{link}' in p:
                p = p.replace('{link}', '[%s](%s)' % (link['label'], link['href']), 1)
            parts.append(p)
        if sec.get('list'):
            parts.append('\n'.join('- ' + li for li in sec['list']))
    return _tidy('\n\n'.join(parts))


# --------------------------------------------------------------------------
# EUR-Lex page scraped to Markdown -> the act itself
# --------------------------------------------------------------------------
#
# Kept: from the first line that starts with an Official Journal date
# (d.m.yyyy followed by white space, e.g. "7.6.2021   ") up to the line
# before the first "[Top](#document1)" link; trailing blank lines dropped,
# one final newline. Dropped: the EUR-Lex navigation and document-information
# chrome before, and the page controls after. Lines are not otherwise changed.

def convert_eurlex(src):
    lines = src.split('\n')
    start = next(i for i, l in enumerate(lines) if re.match(r'^\d{1,2}\.\d{1,2}\.\d{4}\s', l))
    end = next((i for i, l in enumerate(lines) if l.startswith('[Top](#document1)')), len(lines))
    body = lines[start:end]
    while body and body[-1].strip() == '':
        body.pop()
    return '\n'.join(body) + '\n'


# --------------------------------------------------------------------------
# Reading JavaScript values (shared by js-template, jsx-components, jsx-data)
# --------------------------------------------------------------------------
#
# These helpers read a few JavaScript forms without running any code:
# string, template, number, boolean and null literals, object and array
# literals made of them, the top-level bindings of a file (const/let/var NAME
# = ..., function NAME(...)) and the values a function returns. Anything
# else (identifiers, calls, operators) is "opaque": it is skipped, and no
# text is taken from it.

class _Opaque(object):
    """A value computed at run time (not readable from the source)."""

    def __repr__(self):
        return 'OPAQUE'


OPAQUE = _Opaque()


class _Html(str):
    """Markup already rendered (JSX passed as a prop, or a component's children)."""


_IDENT = r'[A-Za-z_$][A-Za-z0-9_$]*'


def _skip_ws(s, i):
    """Skip white space and comments from s[i]."""
    while i < len(s):
        if s[i] in ' \t\r\n':
            i += 1
        elif s.startswith('//', i):
            nl = s.find('\n', i)
            i = len(s) if nl < 0 else nl
        elif s.startswith('/*', i):
            i = s.index('*/', i + 2) + 2
        else:
            break
    return i


def _js_top_chars(s, j=0):
    """Yield (index, char) for each character of JS source s from index j on
    that lies outside string literals, comments and JSX elements (each of
    those is skipped whole). The callers track brackets themselves."""
    prev = ''
    while j < len(s):
        c = s[j]
        if c in '\'"`':
            j = _js_string_end(s, j)
            prev = 'x'
            continue
        if s.startswith('//', j) or s.startswith('/*', j):
            j = _skip_ws(s, j)
            continue
        if c == '<' and (prev == '' or prev in '(,:=?[&|{>') and re.match(r'<[A-Za-z>]', s[j:j + 2]):
            _, j = _parse_jsx_element(s, j, emit=False)
            prev = 'x'
            continue
        yield j, c
        if not c.isspace():
            prev = c
        j += 1


def _js_next_item(s, j, close, what, start):
    """The next item of a JS object or array literal (closed by `close`) from
    index j, skipping commas: (index after the closing bracket, 'end'), (index
    after a '...x' spread item, 'spread') or (index of the item, 'item')."""
    while True:
        j = _skip_ws(s, j)
        if j >= len(s):
            raise ValueError('unterminated %s at %d' % (what, start))
        if s[j] == close:
            return j + 1, 'end'
        if s[j] == ',':
            j += 1
            continue
        if s.startswith('...', j):
            return _js_expr_end(s, j + 3), 'spread'
        return j, 'item'


def _js_expr_end(s, i):
    """End of the JS expression that starts at s[i]: the index of the next
    ',' or ';' or unmatched closing bracket outside strings, comments,
    brackets and JSX elements."""
    depth = 0
    for j, c in _js_top_chars(s, i):
        if c in '([{':
            depth += 1
        elif c in ')]}':
            if depth == 0:
                return j
            depth -= 1
        elif c in ',;' and depth == 0:
            return j
    return len(s)


def _paren_end(s, i):
    """s[i] == '('; index after the matching ')' (string aware)."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c in '\'"`':
            j = _js_string_end(s, j)
            continue
        if s.startswith('//', j) or s.startswith('/*', j):
            j = _skip_ws(s, j)
            continue
        if c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError('unbalanced ( at %d' % i)


def _decode_js_escapes(s):
    """JS string escapes: \\n \\t \\r \\uXXXX \\u{X} \\xXX, a backslash before a
    line break (continuation) removes both, any other \\c is c."""
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if c != '\\' or i + 1 >= len(s):
            out.append(c)
            i += 1
            continue
        n = s[i + 1]
        if n == 'u' and s.startswith('{', i + 2):
            e = s.index('}', i + 3)
            out.append(chr(int(s[i + 3:e], 16)))
            i = e + 1
        elif n == 'u' and re.match(r'[0-9A-Fa-f]{4}', s[i + 2:i + 6]):
            out.append(chr(int(s[i + 2:i + 6], 16)))
            i += 6
        elif n == 'x' and re.match(r'[0-9A-Fa-f]{2}', s[i + 2:i + 4]):
            out.append(chr(int(s[i + 2:i + 4], 16)))
            i += 4
        elif n == '\n':
            i += 2
        else:
            out.append({'n': '\n', 't': '\t', 'r': '', 'b': '', 'f': '', 'v': ''}.get(n, n))
            i += 2
    return ''.join(out)


def _template_text(body):
    """Body of a template string: escapes decoded in the literal parts,
    ${...} substitutions kept as written."""
    out = []
    i = 0
    lit_start = 0
    while i < len(body):
        if body[i] == '\\':
            i += 2
            continue
        if body.startswith('${', i):
            out.append(_decode_js_escapes(body[lit_start:i]))
            e = _js_brace_end(body, i + 1)
            out.append(body[i:e])
            i = lit_start = e
            continue
        i += 1
    out.append(_decode_js_escapes(body[lit_start:]))
    return ''.join(out)


def _js_value(s, i, keep_subst=False, jsx_ctx=None):
    """Read the JS value at s[i]. Returns (value, index after it): str, int,
    float, bool, None, list, dict, or OPAQUE. A string literal followed by
    `+` and another string literal is joined (string concatenation); a
    template string with ${...} is OPAQUE, unless keep_subst is set (ts-data
    only): then it is its text with the ${...} substitutions left as written,
    as js-template writes them. jsx_ctx (jsx-lang only): a JSX element
    as a value is rendered with that context (an _Html), and a language
    ternary is read as its chosen branch (see _lang_pick)."""
    i = _skip_ws(s, i)
    start = i
    c = s[i] if i < len(s) else ''
    val = OPAQUE
    if jsx_ctx is not None and i < len(s):
        k = _unparen(s, i)
        if s[k:k + 1] == '<' and re.match(r'<[A-Za-z>]', s[k:k + 2]):
            e = _js_expr_end(s, i)
            return _Html(_jsx_at(s[:e], i, jsx_ctx)), e
        e = _js_expr_end(s, i)
        pick = _lang_pick(s[i:e], jsx_ctx)
        if pick is not None:
            v, _ = _js_value(pick, 0, keep_subst, jsx_ctx)
            return v, e
    if c in '\'"`':
        parts = []
        j = i
        while True:
            e = _js_string_end(s, j)
            body = s[j + 1:e - 1]
            if s[j] == '`':
                if '${' in body and keep_subst:
                    parts.append(_template_text(body))
                elif '${' in body:
                    parts = None
                    j = e
                    break
                else:
                    parts.append(_decode_js_escapes(body))
            else:
                parts.append(_decode_js_escapes(body))
            j = _skip_ws(s, e)
            if s.startswith('+', j) and _skip_ws(s, j + 1) < len(s) and s[_skip_ws(s, j + 1)] in '\'"`':
                j = _skip_ws(s, j + 1)
                continue
            break
        if parts is not None:
            val, i = ''.join(parts), j
        else:
            i = j
    elif c == '{':
        d = {}
        j = i + 1
        while True:
            j, kind = _js_next_item(s, j, '}', 'object', start)
            if kind == 'end':
                break
            if kind == 'spread':
                continue
            key = None
            m = re.match(_IDENT + r'|\d+', s[j:])
            if s[j] in '\'"':
                e = _js_string_end(s, j)
                key = _decode_js_escapes(s[j + 1:e - 1])
                k = e
            elif m:
                key = m.group(0)
                k = j + len(key)
            else:
                k = j
            k = _skip_ws(s, k)
            if key is not None and k < len(s) and s[k] == ':':
                v, j = _js_value(s, k + 1, keep_subst, jsx_ctx)
                d[key] = v
            elif key is not None and k < len(s) and s[k] in ',}':
                d[key] = OPAQUE          # shorthand {name}: a variable
                j = k
            else:                          # method, computed key, getter ...
                j = _js_expr_end(s, j)
        val, i = d, j
    elif c == '[':
        a = []
        j = i + 1
        while True:
            j, kind = _js_next_item(s, j, ']', 'array', start)
            if kind == 'end':
                break
            if kind == 'spread':
                a.append(OPAQUE)
                continue
            v, j = _js_value(s, j, keep_subst, jsx_ctx)
            a.append(v)
        val, i = a, j
    else:
        m = re.match(r'-?\d+(?:\.\d+)?\b|true\b|false\b|null\b', s[i:])
        if m:
            t = m.group(0)
            val = {'true': True, 'false': False, 'null': None}.get(t)
            if t not in ('true', 'false', 'null'):
                val = float(t) if '.' in t else int(t)
            i += len(t)
    # an operator, call or member access after the value makes the whole
    # expression a run-time value (`a + b`, `'x'.trim()`, `list.map(...)`);
    # a type cast (`as const`, `as T`, `satisfies T`) is skipped
    if val is OPAQUE:
        return OPAQUE, _js_expr_end(s, start)
    j = _skip_ws(s, i)
    m = re.match(r'(?:as\s+const\b|(?:as|satisfies)\s+' + _IDENT + r'(?:<[^<>]*>)?(?:\[\])*)', s[j:])
    if m:
        i = j + len(m.group(0))
        j = _skip_ws(s, i)
    if j < len(s) and s[j] in '.([+-*/%?&|<>=' and not s.startswith('=>', j):
        return OPAQUE, _js_expr_end(s, start)
    return val, i


def _binding_pos(src, name):
    """Position of the value bound to a top-level NAME: after `=` of
    `const|let|var NAME[: type] =`, or the `function` keyword of
    `function NAME(`. The first such binding in the file; None if none."""
    best = None
    m = re.search(r'\b(?:const|let|var)\s+' + re.escape(name) + r'\b\s*(?::[^=;]*?)?=(?![=>])', src)
    if m:
        best = _skip_ws(src, m.end())
    m2 = re.search(r'\b(?:async\s+)?function\s*\*?\s*' + re.escape(name) + r'\s*(?:<[^>]*>)?\s*\(', src)
    if m2 and (best is None or m2.start() < best):
        best = m2.start()
    return best


def _function_parts(src, pos, top_level_first=False):
    """If a function starts at src[pos] (`function ...(...) {...}`,
    `(...) => ...`, `x => ...`, optionally async or wrapped in one call such
    as React.memo(...)), return (params text, [positions of the values it
    returns, in source order]); else None. A block body contributes every
    `return` in it (nested functions included), an expression body its one
    expression."""
    j = _skip_ws(src, pos)
    arrow_expr = None
    m = re.match(r'(?:React\.)?(?:memo|forwardRef)\s*\(', src[j:])
    if m:
        j = _skip_ws(src, j + m.end())
    m = re.match(r'(?:async\s+)?function\b\s*\*?\s*(?:' + _IDENT + r')?\s*(?:<[^>]*>)?\s*(?=\()', src[j:])
    m2 = re.match(r'(?:async\s+)?(?=\(|' + _IDENT + r'\s*=>)', src[j:])
    if m:
        k = j + m.end()
        e = _paren_end(src, k)
        params = src[k + 1:e - 1]
        b = src.index('{', e)
    elif m2:
        k = j + m2.end()
        if src[k] == '(':
            e = _paren_end(src, k)
            params = src[k + 1:e - 1]
        else:
            mm = re.match(_IDENT, src[k:])
            e = k + len(mm.group(0))
            params = mm.group(0)
        ma = re.match(r'\s*(?::[^=;{]*?)?=>\s*', src[e:])
        if not ma:
            return None
        b = e + ma.end()
        if src[b] != '{':
            arrow_expr = b
    else:
        return None
    if arrow_expr is not None:
        return params, [arrow_expr]
    end = _js_brace_end(src, b)
    returns = []
    top = []
    depth = 0
    j = b + 1
    while j < end - 1:
        c = src[j]
        if c in '\'"`':
            j = _js_string_end(src, j)
            continue
        if src.startswith('//', j) or src.startswith('/*', j):
            j = _skip_ws(src, j)
            continue
        if c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
        if src.startswith('return', j) and not re.match(r'[A-Za-z0-9_$]', src[j - 1]) \
                and not re.match(r'[A-Za-z0-9_$]', src[j + 6:j + 7]):
            returns.append(_skip_ws(src, j + 6))
            if depth == 0:
                top.append(returns[-1])
            j += 6
            continue
        j += 1
    if top_level_first:
        returns = top + [r for r in returns if r not in top]
    return params, returns


def _unparen(s, i):
    """Skip white space and opening parentheses that wrap an expression."""
    i = _skip_ws(s, i)
    while i < len(s) and s[i] == '(':
        i = _skip_ws(s, i + 1)
    return i


def _object_prop_pos(src, pos, key):
    """src[pos] == '{' (an object literal): position of the value of property
    KEY, or None."""
    j = pos + 1
    while True:
        j = _skip_ws(src, j)
        if j >= len(src) or src[j] == '}':
            return None
        if src[j] == ',':
            j += 1
            continue
        if src.startswith('...', j):
            j = _js_expr_end(src, j + 3)
            continue
        k = j
        name = None
        if src[j] in '\'"':
            e = _js_string_end(src, j)
            name = _decode_js_escapes(src[j + 1:e - 1])
            k = e
        else:
            m = re.match(_IDENT + r'|\d+', src[j:])
            if m:
                name = m.group(0)
                k = j + len(name)
        k = _skip_ws(src, k)
        if name is not None and src[k:k + 1] == ':':
            v = _skip_ws(src, k + 1)
            if name == key:
                return v
            j = _js_expr_end(src, v)
        else:
            j = _js_expr_end(src, j)


# --------------------------------------------------------------------------
# Template string in a JavaScript/TypeScript module -> Markdown / HTML / text
# --------------------------------------------------------------------------
#
# KIND is "js-template:SEL[+SEL...]". Each SEL names one string in the file
# by a dotted path NAME.key.key...: NAME is a top-level binding of the file
# (const/let/var NAME = ..., function NAME(...)); each key is a property of
# an object literal, followed level by level; where the path reaches a
# function (a declaration or an arrow function), the value of its first
# `return` that stands directly in its body (not inside a nested block or
# function; failing one, its first `return` anywhere), or its expression
# body, is taken. The value reached must be a
# string: a template string (backticks) or a '...' / "..." literal
# (wrapping parentheses skipped; a method call after it such as .trim() is
# ignored). A SEL written with a leading "#" (e.g. "#avv.pageTitle.de") is
# written as a level-1 Markdown heading ("# " + the string) -- this is for
# a title that the page renders as its heading from a field next to the
# body.
# Kept: the text of each selected string, in the order of the SELs,
# separated by one blank line; JS escapes are decoded (\n, \t, \`, \$, \\,
# \uXXXX; a backslash at the end of a line joins the lines); ${...}
# substitutions are left as written (they are filled in at run time: the
# expression shows what goes there). The body keeps its own format: Markdown
# stays Markdown, HTML stays HTML, plain text stays plain text (the record's
# file extension says which). Dropped: all other code of the file,
# including the other strings and locales.

def _js_string_at(src, path):
    parts = path.split('.')
    pos = _binding_pos(src, parts[0])
    if pos is None:
        raise ValueError('no binding %r' % parts[0])
    for key in parts[1:] + [None]:
        while True:
            pos = _skip_ws(src, pos)
            fn = _function_parts(src, pos, True) if src[pos] not in '{[\'"`' else None
            if fn is None:
                pos = _unparen(src, pos)
                break
            if not fn[1]:
                raise ValueError('function without return at %d' % pos)
            pos = fn[1][0]
        if key is None:
            break
        if src[pos] != '{':
            raise ValueError('%s: no object literal before key %r' % (path, key))
        nxt = _object_prop_pos(src, pos, key)
        if nxt is None:
            raise ValueError('%s: no key %r' % (path, key))
        pos = nxt
    c = src[pos]
    if c not in '\'"`':
        raise ValueError('%s: not a string literal' % path)
    e = _js_string_end(src, pos)
    body = src[pos + 1:e - 1]
    if c == '`':
        return _template_text(body)
    return _decode_js_escapes(body)


def convert_js_template(src, arg):
    if not arg:
        raise ValueError('js-template needs a selector: js-template:NAME.key...')
    parts = []
    for sel in arg.split('+'):
        heading = sel.startswith('#')
        text = _js_string_at(src, sel.lstrip('#'))
        if heading:
            text = '# ' + text.strip()
        parts.append(text.strip('\n'))
    return _tidy('\n\n'.join(parts))


# --------------------------------------------------------------------------
# JSX / TSX page with its same-file components or data -> HTML
# --------------------------------------------------------------------------
#
# jsx-components: as jsx (same page component, same elements, attributes,
# whitespace and dropped code), and in addition
#   * a capitalised component that is defined in the same file
#     (function Name(...) or const Name = (...) => ..., also wrapped in
#     React.memo/forwardRef) is written as the JSX tree it returns (its
#     first `return` whose value is JSX, or its JSX expression body), in
#     place of the element, recursively (a component is not expanded
#     inside itself). Its props are bound to the parameter names (a
#     destructured {a, b} or props.a): string props, JSX props and the
#     element's children ({children}) are written where the component
#     uses them. A string title prop is then not added as an <h2> (the
#     component renders it, or does not);
#   * a prop whose value is a JSX element (e.g. fallback={<Content />},
#     the content shown while or instead of loading other content) is
#     written at the place of the component that receives it, before its
#     children, when that component is not defined in the file (defined
#     ones use the prop where they render it).
# Imported components are treated as in jsx (children kept, string title
# as <h2>).
#
# jsx-data: as jsx, and in addition the file's own data is read (top-level
# const/let/var bindings holding object, array and string literals; see
# _js_value -- run-time values stay unreadable):
#   * {LIST.map((item, i) => (<jsx>))} (also `item => <jsx>`, a block body
#     with `return (<jsx>)`, a destructured ({title, body}) parameter, and
#     `?.map`) where LIST is a path to an array (a top-level binding or a
#     field of an enclosing item) writes the JSX once per element, in array
#     order, with the parameter bound to the element and the index (if
#     named) to 0, 1, ...;
#   * {PATH} where PATH (a.b.c, a[0]) leads to a string or number writes
#     it as text; {PATH + N} with an integer N and a number at PATH writes
#     the sum (a printed "1.", "2." from an index);
#   * {COND && <jsx>} / {COND && (<jsx>)}, where COND is PATH or PATH OP N
#     (OP one of > >= < <= === !== == !=, N an integer, e.g.
#     list.length > 0), writes the JSX when COND holds (PATH alone: a value
#     that is true in JavaScript, i.e. not '', 0, false or null) and drops
#     it when it does not or when PATH is unreadable;
#   * href and a component's title prop may be such a PATH.
# jsx-data-inline: as jsx-data, and in addition an array literal written in
# the markup and mapped in place, {[ {...}, {...} ].map((item) => (<jsx>))}
# (also an array of strings, and the other parameter forms above), is read
# as _js_value reads a binding's array (string, number and object literals;
# run-time values such as icons or JSX stay unreadable and give no text) and
# written once per element, in array order, exactly as a LIST.map of
# jsx-data. A chained call before .map (.filter, .slice ...) is not
# evaluated: the expression is dropped as in jsx. jsx-data pages convert
# the same in this mode unless they hold such literals.
# In all three modes {'...'}, {"..."} and {`...`} without ${} are text as in jsx;
# every other expression is dropped as in jsx (ternaries, calls other than
# .map, run-time values). jsx-components does not read data bindings (a
# {name} that is not a prop is dropped), jsx-data does not expand
# components. Strings taken from props or data are written as they stand
# (not HTML-escaped, like text in {'...'}).
# Order: the text comes in the order the page renders it -- a same-file
# component's text where the component is used, a JSX prop's where the
# component that receives it stands, array elements in array order -- not in
# the order in which the file defines components and data.

class _JsxContext(object):
    def __init__(self, src, components, data, inline=False, lang=None):
        self.src = src
        self.lang = lang                  # jsx-lang: the language shown
        self.inline = inline              # jsx-data-inline: [literal].map(...)
        self.components = components      # expand same-file components
        self.data = data                  # read same-file data bindings
        self.scope = []                   # innermost last: dicts name -> value
        self.unreadable_is_false = False  # vue-fallback: an unreadable v-if is false
        self.stack = []                   # components being expanded
        self._data_cache = {}

    def bind(self, names):
        c = _JsxContext.__new__(_JsxContext)
        c.__dict__.update(self.__dict__)
        c.scope = self.scope + [names]
        return c

    def lookup_name(self, name):
        for frame in reversed(self.scope):
            if name in frame:
                return frame[name]
        if not self.data:
            return OPAQUE
        if name not in self._data_cache:
            pos = _binding_pos(self.src, name)
            if self.lang is not None:
                pos = _binding_pos_typed(self.src, name)
            val = OPAQUE
            if pos is not None and self.lang is not None:
                try:
                    val, _ = _js_value(self.src, pos, False, self)
                except (ValueError, IndexError):
                    val = OPAQUE
            elif pos is not None and self.src[pos] in '{[\'"`-0123456789tfn':
                try:
                    val, _ = _js_value(self.src, pos)
                except (ValueError, IndexError):
                    val = OPAQUE
            self._data_cache[name] = val
        return self._data_cache[name]


_PATH = _IDENT + r'(?:\??\.' + _IDENT + r'|\[\d+\])*'


def _ctx_lookup(path, ctx):
    """Value at a path like a.b[0].c, or OPAQUE."""
    tokens = re.findall(r'\[(\d+)\]|\??\.?(' + _IDENT + ')', path)
    val = None
    first = True
    for idx, name in tokens:
        if first:
            val = ctx.lookup_name(name)
            first = False
            continue
        if isinstance(val, dict) and name:
            val = val.get(name, OPAQUE)
        elif isinstance(val, list) and idx:
            val = val[int(idx)] if int(idx) < len(val) else OPAQUE
        elif isinstance(val, (list, str)) and name == 'length':
            val = len(val)
        else:
            return OPAQUE
    return val


def _ctx_string(expr, ctx):
    """Text of an attribute expression (string literal or path), or None."""
    if ctx.lang is not None:
        pick = _lang_pick(expr, ctx)
        if pick is not None:
            return _ctx_string(pick, ctx)
    lit = _js_literal_text(expr)
    if lit is not None:
        return lit
    e = expr.strip()
    if re.fullmatch(_PATH, e):
        v = _ctx_lookup(e, ctx)
        if isinstance(v, str):
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)
    return None


def _jsx_at(s, i, ctx):
    """Render the JSX element at s[i] (after wrapping parentheses)."""
    i = _unparen(s, i)
    if i < len(s) and s[i] == '<':
        html, _ = _parse_jsx_element(s, i, True, ctx)
        return html
    return ''


def _bind_params(params, value_for):
    """Names bound by a parameter list: `{a, b: c, d = 1}` -> each name,
    `x` -> the whole value. value_for(None) is the whole value,
    value_for(key) one field."""
    params = params.strip()
    names = {}
    if params.startswith('{'):
        inner = params[1:_js_brace_end(params, 0) - 1]
        for part in inner.split(','):
            part = part.split('=')[0].strip()
            if not part or part.startswith('...'):
                continue
            if ':' in part:
                key, local = [x.strip() for x in part.split(':', 1)]
            else:
                key = local = part
            if re.fullmatch(_IDENT, key) and re.fullmatch(_IDENT, local):
                names[local] = value_for(key)
    else:
        m = re.match(_IDENT, params)
        if m:
            names[m.group(0)] = value_for(None)
    return names


def _split_params(params):
    """Top-level comma split of a parameter list."""
    out, depth, cur = [], 0, []
    for c in params:
        if c in '{[(<':
            depth += 1
        elif c in '}])>':
            depth -= 1
        if c == ',' and depth == 0:
            out.append(''.join(cur))
            cur = []
            continue
        cur.append(c)
    out.append(''.join(cur))
    return [p for p in (x.strip() for x in out) if p]


_MAP_RE = re.compile(r'\s*(' + _PATH + r')\??\.map\(\s*(?:async\s+)?(?:\((.*?)\)|(' + _IDENT + r'))\s*(?::[^=]*?)?=>\s*', re.S)


def _array_literal_end(s, i):
    """s[i] == '['; index after the matching ']' (elements read with
    _js_expr_end, so strings, comments, brackets and JSX are skipped)."""
    j = i + 1
    while True:
        j = _js_expr_end(s, j)
        if j >= len(s):
            raise ValueError('unterminated array at %d' % i)
        if s[j] == ',':
            j += 1
        elif s[j] == ']':
            return j + 1
        else:
            raise ValueError('unexpected %r in array at %d' % (s[j], j))


def _ctx_expr(expr, ctx):
    """Text or markup for a {expression} in jsx-components / jsx-data."""
    if ctx.lang is not None:
        out = _lang_expr(expr, ctx)
        if out is not None:
            return out
    lit = _js_literal_text(expr)
    if lit is not None:
        return lit
    e = expr.strip()
    if not e or e.startswith('/*') or e.startswith('//'):
        return ''
    # JSX given as an expression
    if e[0] in '(<' and e[_unparen(e, 0):_unparen(e, 0) + 1] == '<':
        return _jsx_at(e, 0, ctx)
    if re.fullmatch(_PATH, e):
        v = _ctx_lookup(e, ctx)
        if isinstance(v, _Html):
            return v
        if isinstance(v, str):
            return v
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)
        return ''
    m = re.fullmatch(r'(' + _PATH + r')\s*\+\s*(\d+)', e)
    if m:
        v = _ctx_lookup(m.group(1), ctx)
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v + int(m.group(2)))
        return ''
    m = re.match(r'(' + _PATH + r')\s*(?:(>=|<=|===|!==|==|!=|>|<)\s*(-?\d+)\s*)?&&\s*', e)
    if m:
        v = _ctx_lookup(m.group(1), ctx)
        if v is OPAQUE:
            return ''
        if m.group(2):
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                return ''
            n = int(m.group(3))
            ok = {'>=': v >= n, '<=': v <= n, '===': v == n, '==': v == n,
                  '!==': v != n, '!=': v != n, '>': v > n, '<': v < n}[m.group(2)]
        else:
            # JavaScript truthiness: '', 0, false and null are false; [] and {} true
            ok = not (v is None or v is False or v == '' or (isinstance(v, (int, float)) and v == 0))
        return _ctx_expr(e[m.end():], ctx) if ok else ''
    if ctx.inline and e.startswith('['):
        # jsx-data-inline: bind the literal array to a name no source can
        # use and read the rest (".map(...)") as a LIST.map of jsx-data
        try:
            end = _array_literal_end(e, 0)
            items, k = _js_value(e[:end], 0)
        except (ValueError, IndexError):
            return ''
        if not isinstance(items, list) or _skip_ws(e[:end], k) != end:
            return ''
        name = '__inline_array__'
        return _ctx_expr(name + e[end:], ctx.bind({name: items}))
    m = _MAP_RE.match(e)
    if m:
        items = _ctx_lookup(m.group(1), ctx)
        if not isinstance(items, list):
            return ''
        params = _split_params(m.group(2)) if m.group(2) is not None else [m.group(3)]
        if not params:
            params = ['_']
        k = m.end()
        body_pos = None
        if e[k] == '{':
            fn = _function_parts('() => ' + e[k:], 0)
            for r in (fn[1] if fn else []):
                if ('() => ' + e[k:])[_unparen('() => ' + e[k:], r):][:1] == '<':
                    body_src, body_pos = '() => ' + e[k:], r
                    break
            if body_pos is None:
                return ''
        else:
            body_src, body_pos = e, k
        out = []
        for n, item in enumerate(items):
            names = _bind_params(params[0], lambda key, it=item: it if key is None else (it.get(key, OPAQUE) if isinstance(it, dict) else OPAQUE))
            if ctx.lang is not None and params[0].strip().startswith('['):
                names = _bind_array_params(params[0], item)
            if len(params) > 1 and re.match(_IDENT, params[1]):
                names[re.match(_IDENT, params[1]).group(0)] = n
            out.append(_jsx_at(body_src, body_pos, ctx.bind(names)))
        return ''.join(out)
    return ''


def _local_component(src, name, typed=False, nth=1):
    """(params, position of the returned JSX) of a component defined in the
    file, or None. typed (jsx-lang): also `const Name: React.FC<{...; ...}>
    = ...` (see _binding_pos_typed). nth (jsx-lang COMPONENT@N): the nth
    return whose value is JSX instead of the first."""
    pos = _binding_pos_typed(src, name) if typed else _binding_pos(src, name)
    if pos is None:
        return None
    fn = _function_parts(src, pos)
    if fn is None:
        return None
    params, returns = fn
    for r in returns:
        k = _unparen(src, r)
        if src[k:k + 1] == '<' and re.match(r'<[A-Za-z>]', src[k:k + 2]):
            nth -= 1
            if nth == 0:
                return params, k
    return None


def _ctx_component(name, attrs, inner, ctx, nth=1):
    """A capitalised element in jsx-components / jsx-data."""
    local = _local_component(ctx.src, name, ctx.lang is not None, nth) if ctx.components and name not in ctx.stack else None
    if local is not None:
        props = {'children': _Html(inner)}
        for key, (kind, val) in attrs.items():
            if kind == 'str':
                props[key] = val
            elif kind == 'expr':
                e = val.strip()
                if e[:1] in '(<' and e[_unparen(e, 0):_unparen(e, 0) + 1] == '<':
                    props[key] = _Html(_jsx_at(e, 0, ctx))
                else:
                    s = _ctx_string(val, ctx)
                    props[key] = s if s is not None else (_ctx_lookup(e, ctx) if re.fullmatch(_PATH, e) else OPAQUE)
                    if props[key] is OPAQUE and ctx.lang is not None:
                        props[key] = _lang_literal(e, ctx)
            else:
                props[key] = True
        params = _split_params(local[0])
        names = _bind_params(params[0], lambda key: props if key is None else props.get(key, OPAQUE)) if params else {}
        inner_ctx = ctx.bind(names)
        inner_ctx.stack = ctx.stack + [name]
        # a component's own scope does not see the caller's loop variables
        inner_ctx.scope = [names]
        html, _ = _parse_jsx_element(ctx.src, local[1], True, inner_ctx)
        return html
    spec = getattr(ctx, 'props_spec', None)
    if spec and name in spec:
        return _props_component(name, attrs, inner, ctx, spec[name])
    head = ''
    if 'title' in attrs and attrs['title'][0] == 'str':
        head = '\n<h2>%s</h2>\n' % attrs['title'][1]
    elif 'title' in attrs and attrs['title'][0] == 'expr':
        lit = _ctx_string(attrs['title'][1], ctx)
        if lit is not None:
            head = '\n<h2>%s</h2>\n' % lit
    props_html = ''
    if ctx.components:
        for key, (kind, val) in attrs.items():
            if kind == 'expr' and key != 'title':
                e = val.strip()
                if e[:1] in '(<' and e[_unparen(e, 0):_unparen(e, 0) + 1] == '<':
                    props_html += _jsx_at(e, 0, ctx)
    return head + props_html + inner


def convert_jsx_components(src):
    return _jsx_page(src, _jsx_root(src), _JsxContext(src, components=True, data=False))


def convert_jsx_data(src):
    return _jsx_page(src, _jsx_root(src), _JsxContext(src, components=False, data=True))


def convert_jsx_data_inline(src):
    return _jsx_page(src, _jsx_root(src), _JsxContext(src, components=False, data=True, inline=True))


# --------------------------------------------------------------------------
# JSX / TSX page with components, data and an inline language switch -> HTML
# --------------------------------------------------------------------------
#
# KIND is "jsx-lang:LANG" or "jsx-lang:LANG:COMPONENT", LANG a language code
# (de, en). The page is read as jsx-components and jsx-data-inline read it,
# both at once (same-file components expanded, same-file data and
# in-place array literals mapped), and in addition:
#   * a language switch keeps the branch that the page shows in LANG:
#     {COND ? A : B}, also in props and in data (title={de ? "..." :
#     "..."}, {isEn ? <p>...</p> : <p>...</p>}), and {COND && X}, where
#     COND is a language test: PATH === 'xx' / == / !== / != with a language
#     code 'xx' (or 'xx-YY') and a PATH whose last name contains lang,
#     locale or lng (lang, locale, i18n.language), either way round; or
#     !COND, or a name bound in the file to such a test (const de = lang
#     === "de"). COND holds when its code is LANG. The other branch is
#     dropped. A ternary whose condition is not a language test is dropped
#     as in jsx;
#   * a prop of a same-file component given as a literal (an array or
#     object of strings, numbers, JSX elements, language ternaries:
#     items={['...', '...']}, rows={[['a', 'b']]}) is bound like a string
#     prop and read by the component's markup (items.map(...));
#   * a .map callback parameter written as an array pattern, ([term, def])
#     => ..., binds each name to the element's item at that index;
#   * a top-level binding with a TypeScript type annotation containing
#     braces or semicolons (const sections: { title: string; body:
#     string[] }[] = [...]) is read as data, and a component so declared
#     (const Section: React.FC<{ a: string; b: T }> = (...) => ...) is
#     expanded;
#   * JSX elements inside data (arrays of fragments) are rendered in place;
#   * (COND ? [...] : [...]).map(...) maps the chosen branch's array;
#   * a translation object keeps its LANG member, wherever a language
#     ternary is read (text, props, data): a call NAME({...}) or
#     NAME.NAME({...}) whose one argument is an object literal with at
#     least two keys, all of them language codes ('xx' or 'xx-YY', e.g.
#     tx({ de: '...', en: '...', es: '...' })), and an object literal
#     subscripted by a language path ({ de: '...', en: '...' }[lang], the
#     path as in a language test). The member is then read like any other
#     expression (a string, JSX, a nested switch). An object without a LANG
#     member is dropped as in jsx (the page's fallback is run-time code).
# COMPONENT, when given, names the same-file component that is the page
# (rendered without props, e.g. a document component exported for several
# pages); otherwise the root is found as in jsx. COMPONENT@N (N = 1, 2, ...)
# takes the N-th `return` of that component whose value is JSX, counted in
# source order (nested functions included, as _function_parts lists them):
# a page component that returns one tree per sub-page (if (page ===
# 'avv') return (...)) is read at the tree of that sub-page. COMPONENT
# alone is COMPONENT@1.
# Nothing is reworded: text comes from the source strings and markup in
# the order the page renders them.


def _binding_pos_typed(src, name):
    """As _binding_pos, also past a type annotation with braces, brackets,
    angle brackets or semicolons: `const NAME: { a: string; b: T[] }[] =`."""
    m = re.search(r'\b(?:const|let|var)\s+' + re.escape(name) + r'\b\s*:', src)
    if m is None:
        return _binding_pos(src, name)
    best = _binding_pos(src, name)
    j = m.end()
    depth = 0
    while j < len(src):
        c = src[j]
        if c in '\'"`':
            j = _js_string_end(src, j)
            continue
        if c in '{[(<':
            depth += 1
        elif c in '}])':
            depth -= 1
        elif c == '>' and src[j - 1] != '=':
            depth -= 1
        elif c == '=' and depth == 0 and src[j + 1:j + 2] not in ('=', '>'):
            pos = _skip_ws(src, j + 1)
            return pos if best is None or m.start() <= best else best
        elif c in ';\n' and depth == 0:
            break
        j += 1
    return best


def _lang_top_marks(e):
    """Positions of top-level '?' (ternary), ':' and '&&' in expression e,
    outside strings, comments, brackets and JSX elements."""
    marks = []
    depth = 0
    for j, c in _js_top_chars(e):
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        elif depth == 0 and c == '?' and e[j + 1:j + 2] not in ('.', '?') and e[j - 1:j] != '?':
            marks.append(('?', j))
        elif depth == 0 and c == ':':
            marks.append((':', j))
        elif depth == 0 and e.startswith('&&', j) and e[j - 1:j] != '&':
            marks.append(('&&', j))
    return marks


_LANG_PATH = _IDENT + r'(?:\??\.' + _IDENT + r')*'


def _lang_cond(cond, ctx, depth=0):
    """True/False for a language test (see above), None if COND is not one."""
    c = cond.strip()
    while c.startswith('(') and _paren_end(c, 0) == len(c):
        c = c[1:-1].strip()
    if depth > 5 or not c:
        return None
    if c.startswith('!') and not c.startswith('!='):
        v = _lang_cond(c[1:], ctx, depth + 1)
        return None if v is None else not v
    m = re.fullmatch(r'(' + _LANG_PATH + r''')\s*(===|==|!==|!=)\s*(['"])([a-z]{2}(?:[-_][A-Za-z]{2})?)\3''', c)
    if m:
        path, op, code = m.group(1), m.group(2), m.group(4)
    else:
        m = re.fullmatch(r'''(['"])([a-z]{2}(?:[-_][A-Za-z]{2})?)\1\s*(===|==|!==|!=)\s*(''' + _LANG_PATH + r')', c)
        if not m:
            if re.fullmatch(_IDENT, c) and not any(c in f for f in ctx.scope):
                pos = _binding_pos(ctx.src, c)
                if pos is not None:
                    return _lang_cond(ctx.src[pos:_js_expr_end(ctx.src, pos)], ctx, depth + 1)
            return None
        code, op, path = m.group(2), m.group(3), m.group(4)
    if not re.search(r'lang|locale|lng', path.split('.')[-1], re.I):
        return None
    same = re.split(r'[-_]', code)[0] == ctx.lang
    return same if op in ('===', '==') else not same


_LANG_KEY = r'[a-z]{2}(?:[-_][A-Za-z]{2})?'


def _lang_object_member(s, pos, ctx):
    """s[pos] == '{': if the object literal there is a translation object
    (at least two keys, all language codes), (source of its ctx.lang
    member or None, index after the object); else None."""
    end = _js_brace_end(s, pos)
    keys = {}
    j = pos + 1
    while True:
        j = _skip_ws(s, j)
        if j >= end - 1:
            break
        if s[j] == ',':
            j += 1
            continue
        if s[j] in '\'"':
            e = _js_string_end(s, j)
            key = _decode_js_escapes(s[j + 1:e - 1])
        else:
            m = re.match(_IDENT, s[j:])
            if not m:
                return None
            key = m.group(0)
            e = j + len(key)
        k = _skip_ws(s, e)
        if not re.fullmatch(_LANG_KEY, key) or s[k:k + 1] != ':':
            return None
        v = _skip_ws(s, k + 1)
        j = _js_expr_end(s, v)
        keys[key] = s[v:j]
    if len(keys) < 2:
        return None
    member = None
    for key, val in keys.items():
        if re.split(r'[-_]', key)[0] == ctx.lang:
            member = val
            break
    return member, end


def _lang_translation(e, ctx):
    """Source of the ctx.lang member of a translation object (see above),
    None when e is not one or the object has no such member."""
    m = re.match(_IDENT + r'(?:\.' + _IDENT + r')*\s*\(', e)
    if m:
        if _paren_end(e, m.end() - 1) != len(e):
            return None
        k = _skip_ws(e, m.end())
        if e[k:k + 1] != '{':
            return None
        got = _lang_object_member(e, k, ctx)
        if got is None:
            return None
        k = _skip_ws(e, got[1])
        if e[k:k + 1] == ',':
            k = _skip_ws(e, k + 1)
        if k != len(e) - 1:
            return None
        return got[0]
    k = _unparen(e, 0)
    if e[k:k + 1] != '{':
        return None
    got = _lang_object_member(e, k, ctx)
    if got is None:
        return None
    j = _skip_ws(e, got[1])
    opened = e[:k].count('(')
    for _ in range(opened):
        if e[j:j + 1] != ')':
            return None
        j = _skip_ws(e, j + 1)
    mm = re.fullmatch(r'\[\s*(' + _LANG_PATH + r')\s*\]', e[j:])
    if not mm or not re.search(r'lang|locale|lng', mm.group(1).split('.')[-1], re.I):
        return None
    return got[0]


def _lang_pick(expr, ctx):
    """The source of the branch of `COND ? A : B` that the page shows in
    ctx.lang (or of the ctx.lang member of a translation object), or None
    when expr is neither."""
    e = expr.strip()
    if e[:1] == '{' or re.match(_IDENT + r'(?:\.' + _IDENT + r')*\s*\(\s*\{', e) or re.match(r'\(+\s*\{', e):
        try:
            tr = _lang_translation(e, ctx)
        except (ValueError, IndexError):
            tr = None
        if tr is not None:
            return tr
    marks = _lang_top_marks(e)
    q = next((p for k, p in marks if k == '?'), None)
    if q is None:
        return None
    cond = e[:q]
    if any(k == '&&' and p < q for k, p in marks):
        return None
    v = _lang_cond(cond, ctx)
    if v is None:
        return None
    nest = 0
    for k, p in marks:
        if p <= q:
            continue
        if k == '?':
            nest += 1
        elif k == ':':
            if nest == 0:
                return e[q + 1:p] if v else e[p + 1:]
            nest -= 1
    return None


def _lang_expr(expr, ctx):
    """Markup for a {COND ? A : B} or {COND && X} language switch, or None."""
    pick = _lang_pick(expr, ctx)
    if pick is not None:
        return _ctx_expr(pick, ctx)
    e = expr.strip()
    if e.startswith('('):
        # (COND ? [...] : [...]).map(...): the chosen branch, then the rest
        pe = _paren_end(e, 0)
        pick = _lang_pick(e[1:pe - 1], ctx)
        if pick is not None and e[pe:].strip():
            return _ctx_expr(pick.strip() + e[pe:], ctx)
    marks = _lang_top_marks(e)
    if marks and marks[0][0] == '&&':
        v = _lang_cond(e[:marks[0][1]], ctx)
        if v is not None:
            return _ctx_expr(e[marks[0][1] + 2:], ctx) if v else ''
    return None


def _lang_literal(expr, ctx):
    """A prop's literal value (array, object, string, JSX) read with the
    page's context, or OPAQUE."""
    e = expr.strip()
    try:
        val, k = _js_value(e, 0, False, ctx)
    except (ValueError, IndexError):
        return OPAQUE
    return val if _skip_ws(e, k) == len(e) else OPAQUE


def _bind_array_params(param, item):
    """Names of an array pattern [a, b, , c] bound to item[0], item[1] ..."""
    inner = param.strip()[1:-1]
    names = {}
    for n, part in enumerate(inner.split(',')):
        part = part.split('=')[0].strip()
        if re.fullmatch(_IDENT, part):
            names[part] = item[n] if isinstance(item, list) and n < len(item) else OPAQUE
    return names


def convert_jsx_lang(src, arg):
    lang, _, root = arg.partition(':')
    if not re.fullmatch(r'[a-z]{2}', lang):
        raise ValueError('jsx-lang needs a language code: jsx-lang:de')
    ctx = _JsxContext(src, components=True, data=True, inline=True, lang=lang)
    if root:
        root, _, nth = root.partition('@')
        if nth and not re.fullmatch(r'[1-9][0-9]*', nth):
            raise ValueError('COMPONENT@N needs a number N >= 1')
        nth = int(nth) if nth else 1
        if _local_component(src, root, True, nth) is None:
            raise ValueError('no component %r (JSX return %d) in the file' % (root, nth))
        html = _ctx_component(root, {}, '', ctx, nth)
        html = '\n'.join(line.strip() for line in html.split('\n'))
        return _tidy(HTML_HEAD + html.strip('\n') + HTML_FOOT)
    return _jsx_page(src, _jsx_root(src), ctx)


# --------------------------------------------------------------------------
# JSX / TSX page whose text sits in literal props of imported components
# --------------------------------------------------------------------------
#
# KIND is "jsx-props:LANG:SPEC". The page is read exactly as jsx-lang:LANG
# reads it (the optional COMPONENT is not available), except for the
# components named in SPEC, components imported from other files (a shell
# such as <LegalShell title="..." intro="..."> or a list helper such as
# <UL items={["...", "..."]} />) whose markup convert.py does not read.
# SPEC records, for each such component, what its markup renders, as read
# by hand in the imported file (the record's notes name the file):
#   * Comp=tag       the component is written as <tag>children</tag>
#                    (H2=h2 for `function H2({children}) { return
#                    <h2>{children}</h2> }`);
#   * Comp.prop=tag  the prop's value, when it is written in the page as a
#                    literal (a string, a language switch or translation
#                    object giving one, JSX, or an array of strings or JSX),
#                    is written as <tag>value</tag>, an array as one <tag>
#                    per item in array order (li items inside <ul>), before
#                    the children; a prop that is not a literal gives no
#                    text, as in jsx;
#   * Comp.prop[].field=tag
#                    the prop is a literal array of objects (sections={[
#                    {heading: "...", body: (<p>...</p>)}, ...]}) that the
#                    component maps into markup: for each object, in array
#                    order, its field is written as <tag>value</tag> (a
#                    string, a number, JSX, a language switch or translation
#                    object giving one, or an array of strings written as
#                    Comp.prop=tag writes one); several fields of the same prop
#                    (consecutive entries, e.g. LegalPage.sections[].heading
#                    =h2,LegalPage.sections[].body=div) are written per
#                    object in SPEC order, which must be the order in which
#                    the component renders them; a field that is missing or
#                    not a literal gives no text, as in jsx.
# A prop written as a name or path (sections={sections}, title={PAGE_TITLE},
# items={content.items}) is read as if the literal it names were written in
# the tag: a binding of the same file (const/let/var NAME = literal, the
# first in the file, as jsx-data reads it; its JSX rendered and its
# language switches resolved as in the page), or a name bound where the
# component stands (a prop of the enclosing same-file component, a .map
# parameter). A name that is not bound in the file (an import) gives no
# text, as in jsx.
# Entries are comma-separated; a component's props are written in SPEC
# order, which must be the order in which the component renders them (then
# its children). A component in SPEC is written only as SPEC says: its
# title prop is not added as an <h2> unless SPEC lists it, and its other
# props are not read. Components not in SPEC are read as in jsx-lang.
# Nothing that the imported file adds by itself (a site header, a fixed
# heading, a footer) is in the output: the record's notes list it.

def _props_spec(arg):
    spec = {}
    for entry in arg.split(','):
        entry = entry.strip()
        m = re.fullmatch(r'(' + _IDENT + r'(?:\.' + _IDENT + r')*?)\.(' + _IDENT + r')\[\]\.(' + _IDENT + r')=([a-z][a-z0-9]*)', entry)
        if m and m.group(1)[:1].isupper():
            # Comp.prop[].field=tag: fields of the objects of an array prop
            comp, prop, field, tag = m.groups()
            d = spec.setdefault(comp, {'tag': None, 'props': []})
            if d['props'] and d['props'][-1][0] == prop and isinstance(d['props'][-1][1], list):
                d['props'][-1][1].append((field, tag))
            else:
                d['props'].append((prop, [(field, tag)]))
            continue
        m = re.fullmatch(r'(' + _IDENT + r'(?:\.' + _IDENT + r')*?)(?:\.(' + _IDENT + r'))?=([a-z][a-z0-9]*)', entry)
        if not m or not m.group(1)[:1].isupper():
            raise ValueError('bad jsx-props entry %r (Comp=tag, Comp.prop=tag or Comp.prop[].field=tag)' % entry)
        comp, prop, tag = m.group(1), m.group(2), m.group(3)
        d = spec.setdefault(comp, {'tag': None, 'props': []})
        if prop is None:
            d['tag'] = tag
        else:
            d['props'].append((prop, tag))
    return spec


def _props_literal(expr, ctx):
    """A prop's value read as _lang_literal reads it; a name or path
    (sections={sections}, items={content.items}) is the same-file value it
    names (a top-level const/let/var, or a name bound in the enclosing
    component or .map), read as if the literal were written in the tag."""
    e = expr.strip()
    if re.fullmatch(_PATH, e) and e not in ('true', 'false', 'null', 'undefined'):
        return _ctx_lookup(e, ctx)
    return _lang_literal(e, ctx)


def _props_strings(v):
    """A list of strings (or numbers) as a list of text, else None."""
    if not isinstance(v, list):
        return None
    items = [x if isinstance(x, str) else str(x) for x in v
             if isinstance(x, str) or (isinstance(x, (int, float)) and not isinstance(x, bool))]
    return items if len(items) == len(v) else None


def _props_markup(v, tag):
    """A prop's text (or list of texts) written as <tag> (one per item; li
    items inside <ul>)."""
    if isinstance(v, list):
        rows = ''.join('\n<%s>%s</%s>' % (tag, x, tag) for x in v)
        return '\n<ul>%s\n</ul>\n' % rows if tag == 'li' else rows + '\n'
    return '\n<%s>%s</%s>\n' % (tag, v, tag)


def _props_items(val, fields, ctx):
    """Markup of an array-of-objects prop (Comp.prop[].field=tag), or ''."""
    if val[0] != 'expr':
        return ''
    items = _props_literal(val[1], ctx)
    if not isinstance(items, list):
        return ''
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        for field, tag in fields:
            v = item.get(field, OPAQUE)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(v)
            if isinstance(v, list):
                v = _props_strings(v)
            if isinstance(v, (str, list)):
                out.append(_props_markup(v, tag))
    return ''.join(out)


def _props_value(kind, val, ctx):
    """A literal prop as text, _Html or a list of them; None if unreadable."""
    if kind == 'str':
        return val
    if kind != 'expr':
        return None
    e = val.strip()
    if e[:1] in '(<' and e[_unparen(e, 0):_unparen(e, 0) + 1] == '<':
        return _Html(_jsx_at(e, 0, ctx))
    txt = _ctx_string(e, ctx)
    if txt is not None:
        return txt
    return _props_strings(_props_literal(e, ctx))


def _props_component(name, attrs, inner, ctx, d):
    out = []
    for prop, tag in d['props']:
        if prop not in attrs:
            continue
        if isinstance(tag, list):
            out.append(_props_items(attrs[prop], tag, ctx))
            continue
        v = _props_value(attrs[prop][0], attrs[prop][1], ctx)
        if v is None:
            continue
        out.append(_props_markup(v, tag))
    html = ''.join(out) + inner
    if d['tag']:
        html = '<%s>%s</%s>' % (d['tag'], html, d['tag'])
    return html


def convert_jsx_props(src, arg):
    lang, _, spec = arg.partition(':')
    if not re.fullmatch(r'[a-z]{2}', lang) or not spec:
        raise ValueError('jsx-props needs a language and a SPEC: jsx-props:de:Shell.title=h1,H2=h2')
    ctx = _JsxContext(src, components=True, data=True, inline=True, lang=lang)
    ctx.props_spec = _props_spec(spec)
    return _jsx_page(src, _jsx_root(src), ctx)


# --------------------------------------------------------------------------
# Vue single-file component -> HTML
# --------------------------------------------------------------------------
#
# vue: the component's top-level <template> ... </template> is read as the
# jsx mode reads a JSX tree, with the data of jsx-data taken from the
# file's <script> / <script setup> block (top-level const/let/var bindings
# holding object, array and string literals, read by _js_value; run-time
# values stay unreadable). Dropped: the <script> and <style> blocks, HTML
# comments, and every attribute except href.
#   * lower-case HTML elements are written out with their text; of their
#     attributes only href is kept (a static href="..." or a bound
#     :href / v-bind:href whose value is a string literal or a PATH to a
#     string);
#   * components (a tag name with a capital letter or a hyphen, e.g.
#     <NuxtLink>, <router-link>) and <template> wrappers are dropped as tags
#     but their children are kept; a static title="..." prop of a
#     component is written as an <h2> heading before its children (as in
#     jsx);
#   * {{ EXPR }} interpolations are read as jsx-data reads {EXPR}: a string
#     literal, a PATH to a string or number, or PATH + N for a number;
#     anything else is dropped;
#   * v-for="ITEM in LIST" (also "(ITEM, INDEX) in LIST", "of", and a
#     destructured {a, b}) writes the element once per element of LIST, in
#     array order, with ITEM bound to the element and INDEX to 0, 1, ...;
#     LIST must be a PATH to an array (a top-level binding or a field of an
#     enclosing item), otherwise the element is dropped;
#   * v-if / v-else-if / v-else chains (and v-show): the first branch whose
#     condition is PATH or PATH OP N (as in jsx-data) and holds is written;
#     a condition that cannot be read drops its branch and every later
#     branch of the chain;
#   * v-html="PATH" / v-text="PATH" write the string at PATH as the
#     element's content (v-html as markup, v-text as text).
# vue-fallback reads the same way, except that an unreadable v-if /
# v-else-if condition counts as false: the chain goes on to its later
# branches, so `<div v-if="cmsContent" v-html="cmsContent">` followed by
# `<div v-else>` (the text shown when run-time content is missing) writes
# the v-else branch.
# Character and entity references are written as they stand. Whitespace is
# handled as in jsx (each line trimmed, blank-line runs collapsed).

_VUE_VOID = _VOID | {'area', 'base', 'embed', 'param', 'track'}


class _VueNode(object):
    def __init__(self, tag, attrs):
        self.tag = tag            # original spelling; None for the root
        self.attrs = attrs        # list of (name, value)
        self.children = []        # _VueNode or ('text', str)


def _vue_tree(template):
    from html.parser import HTMLParser

    root = _VueNode(None, [])
    stack = [root]

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            raw = self.get_starttag_text()
            name = re.match(r'<\s*([^\s/>]+)', raw).group(1)
            node = _VueNode(name, attrs)
            stack[-1].children.append(node)
            if name.lower() not in _VUE_VOID:
                stack.append(node)

        def handle_startendtag(self, tag, attrs):
            raw = self.get_starttag_text()
            name = re.match(r'<\s*([^\s/>]+)', raw).group(1)
            stack[-1].children.append(_VueNode(name, attrs))

        def handle_endtag(self, tag):
            if tag.lower() in _VUE_VOID:
                return
            for k in range(len(stack) - 1, 0, -1):
                if stack[k].tag.lower() == tag.lower():
                    del stack[k:]
                    return
            raise ValueError('unmatched </%s>' % tag)

        def handle_data(self, data):
            stack[-1].children.append(('text', data))

        def handle_entityref(self, name):
            stack[-1].children.append(('text', '&%s;' % name))

        def handle_charref(self, name):
            stack[-1].children.append(('text', '&#%s;' % name))

    p = P(convert_charrefs=False)
    p.feed(template)
    p.close()
    return root


def _vue_cond(expr, ctx):
    """True / False for a readable v-if condition, None if unreadable
    (False under vue-fallback)."""
    v = _vue_cond_readable(expr, ctx)
    return False if v is None and ctx.unreadable_is_false else v


def _vue_cond_readable(expr, ctx):
    m = re.fullmatch(r'\s*(' + _PATH + r')\s*(?:(>=|<=|===|!==|==|!=|>|<)\s*(-?\d+)\s*)?', expr)
    if not m:
        return None
    v = _ctx_lookup(m.group(1), ctx)
    if v is OPAQUE:
        return None
    if m.group(2):
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return None
        n = int(m.group(3))
        return {'>=': v >= n, '<=': v <= n, '===': v == n, '==': v == n,
                '!==': v != n, '!=': v != n, '>': v > n, '<': v < n}[m.group(2)]
    return not (v is None or v is False or v == '' or (isinstance(v, (int, float)) and v == 0))


def _vue_text(text, ctx):
    out = []
    i = 0
    while True:
        j = text.find('{{', i)
        if j < 0:
            out.append(text[i:])
            break
        k = text.find('}}', j + 2)
        if k < 0:
            raise ValueError('unterminated {{ in template')
        out.append(text[i:j])
        expr = text[j + 2:k].strip()
        lit = _js_literal_text(expr)
        if lit is not None:
            out.append(lit)
        elif re.fullmatch(_PATH + r'(?:\s*\+\s*\d+)?', expr):
            out.append(_ctx_expr(expr, ctx))
        i = k + 2
    return ''.join(out)


def _vue_render_children(children, ctx):
    out = []
    chain = None          # None: no open v-if chain; True: a branch was taken or unreadable
    for ch in children:
        if isinstance(ch, tuple):
            if chain is not None and ch[1].strip() == '':
                out.append(_vue_text(ch[1], ctx))
                continue
            chain = None
            out.append(_vue_text(ch[1], ctx))
            continue
        a = dict(ch.attrs)
        if 'v-if' in a:
            cond = _vue_cond(a['v-if'] or '', ctx)
            chain = True if cond is not False else False
            if cond:
                out.append(_vue_render(ch, ctx))
            continue
        if 'v-else-if' in a or 'v-else' in a:
            if chain is None:
                raise ValueError('v-else without v-if')
            if chain:
                continue
            if 'v-else-if' in a:
                cond = _vue_cond(a['v-else-if'] or '', ctx)
                chain = True if cond is not False else False
                if cond:
                    out.append(_vue_render(ch, ctx))
            else:
                chain = None
                out.append(_vue_render(ch, ctx))
            continue
        chain = None
        if 'v-show' in a and not _vue_cond(a['v-show'] or '', ctx):
            continue
        out.append(_vue_render(ch, ctx))
    return ''.join(out)


def _vue_render(node, ctx):
    a = dict(node.attrs)
    if 'v-for' in a:
        m = re.fullmatch(r'\s*(?:\((.*)\)|(\{.*\}|' + _IDENT + r'))\s+(?:in|of)\s+(' + _PATH + r')\s*', a['v-for'] or '', re.S)
        if not m:
            return ''
        items = _ctx_lookup(m.group(3), ctx)
        if not isinstance(items, list):
            return ''
        params = _split_params(m.group(1)) if m.group(1) is not None else [m.group(2)]
        attrs = [(k, v) for k, v in node.attrs if k != 'v-for']
        out = []
        for n, item in enumerate(items):
            names = _bind_params(params[0], lambda key, it=item: it if key is None else (it.get(key, OPAQUE) if isinstance(it, dict) else OPAQUE))
            if len(params) > 1 and re.match(_IDENT, params[1]):
                names[re.match(_IDENT, params[1]).group(0)] = n
            copy = _VueNode(node.tag, attrs)
            copy.children = node.children
            out.append(_vue_render(copy, ctx.bind(names)))
        return ''.join(out)
    name = node.tag
    if name.lower() in ('script', 'style'):
        return ''
    if 'v-html' in a or 'v-text' in a:
        v = _ctx_lookup((a.get('v-html') or a.get('v-text') or '').strip(), ctx)
        inner = v if isinstance(v, str) else ''
    else:
        inner = _vue_render_children(node.children, ctx)
    if name == 'template' or any(c.isupper() for c in name) or '-' in name:
        head = ''
        if name != 'template' and a.get('title'):
            head = '\n<h2>%s</h2>\n' % a['title']
        return head + inner
    attr = ''
    if a.get('href') is not None:
        attr = ' href="%s"' % a['href']
    else:
        for key in (':href', 'v-bind:href'):
            if a.get(key):
                s = _ctx_string(a[key], ctx)
                if s is not None:
                    attr = ' href="%s"' % s
    if name.lower() in _VUE_VOID:
        return '<%s%s>' % (name, attr)
    return '<%s%s>%s</%s>' % (name, attr, inner, name)


def convert_vue(src, fallback=False):
    # the top-level <template>: from the first <template ...> at the start
    # of a line to the </template> that closes it (nested <template> tags
    # counted)
    m = re.search(r'^<template(?:\s[^>]*)?>', src, re.M)
    if not m:
        raise ValueError('no <template> block')
    depth = 1
    i = m.end()
    for t in re.finditer(r'<(/?)template\b[^>]*?(/?)>', src[m.end():]):
        if t.group(1):
            depth -= 1
        elif not t.group(2):
            depth += 1
        if depth == 0:
            i = m.end() + t.start()
            break
    else:
        raise ValueError('unterminated <template>')
    template = re.sub(r'<!--.*?-->', '', src[m.end():i], flags=re.S)
    script = ''.join(s.group(1) for s in re.finditer(r'^<script\b[^>]*>(.*?)^</script>', src, re.S | re.M))
    ctx = _JsxContext(script, components=False, data=True)
    ctx.unreadable_is_false = fallback
    html = _vue_render_children(_vue_tree(template).children, ctx)
    html = '\n'.join(line.strip() for line in html.split('\n'))
    return _tidy(HTML_HEAD + html.strip('\n') + HTML_FOOT)


def convert_vue_fallback(src):
    return convert_vue(src, fallback=True)


# --------------------------------------------------------------------------
# Legal text held as data in a TypeScript/JavaScript module -> Markdown
# --------------------------------------------------------------------------
#
# KIND is "ts-data:SEL[+SEL...]". The module holds the document as an object
# or array literal ({title, summary, sections: [{heading, blocks | body}]}),
# which a page component elsewhere renders. Each SEL names one value by a
# path NAME followed by .key, [N] (array element N) or [key=value] (the
# first array element whose field key is the string value), e.g.
# LEGAL_PAGES[slug=dpa].sections; NAME is a top-level const/let/var binding
# of the file. The value is read with _js_value (string, number and object
# literals; a template string is its text with ${...} substitutions left
# as written, as in js-template; other run-time values are unreadable and
# give no text). A SEL written with a leading "#" is written as a level-1
# Markdown heading ("# " + the string), as in js-template.
# Each selected value is written, in the order of the SELs, separated by
# one blank line:
#   * a string or number: as it stands, as one paragraph;
#   * an array of section objects: for each, in array order, its heading
#     (field `heading`, else `title`) as a "## " heading, then its content:
#       - `blocks`: an array of {kind | type, ...}: kind paragraph, callout
#         and p -> `text` as a paragraph; kind list and ul -> each of
#         `items` as a "- " list item; kind ol -> each of `items` as a
#         numbered item "1. ", "2. ", ... (as the browser numbers an <ol>);
#         kind table -> `columns` (else `headers`) and `rows` as a Markdown
#         table (a "|" in a cell written as "\|"); any other kind is an
#         error;
#     an element of the array that is itself such a block (an object whose
#     kind/type is one of those kinds, with no heading, title or blocks:
#     e.g. a selected list of intro blocks) is written as that block;
#       - `body` or `content`: a string, or an array of strings, each one
#         paragraph; a string starting with "- " stays as written, a list
#         item, and consecutive ones form one list (as the page renders
#         them);
#     other fields of a section (id, slug, anchors) are not text and are
#     dropped;
#   * an array of strings: each as one paragraph.
# Dropped: all other code and data of the module (imports, types, other
# documents, fields not selected).
#
# Fill list (optional, ts-data and ts-sections): the argument may end in
# ";FILL;FILL..." after the selectors. A ${EXPR} substitution in any string
# of a selected value (template strings keep them as written) is replaced
#   * for FILL "EXPR=VALUE" (EXPR written exactly as inside ${ }, e.g.
#     L.legalName or COMPANY_NAME): by VALUE, taken as it stands (no quotes;
#     it may not contain ";"). Use it for a constant imported from another
#     file of the same repository, read there by hand at the record's
#     commit; the record's notes name the file and the values;
#   * for FILL "NAME" (no "="): if EXPR is NAME or a path NAME.key...
#     into the file's own top-level binding NAME (read as a selector is),
#     by the string or number found there (e.g. ;DPA_META fills
#     ${DPA_META.effectiveDate} from const DPA_META = {...} of the file).
# Substitutions matched by no FILL, or whose value is not a string or
# number, stay as written. Without a fill list nothing is filled.

def _ts_select(src, path):
    m = re.match(_IDENT, path)
    if not m:
        raise ValueError('bad selector %r' % path)
    pos = _binding_pos(src, m.group(0))
    if pos is None:
        raise ValueError('no binding %r' % m.group(0))
    val, _ = _js_value(src, pos, keep_subst=True)
    rest = path[m.end():]
    for tok in re.findall(r'\.(' + _IDENT + r')|\[(\d+)\]|\[(' + _IDENT + r')=([^\]]*)\]', rest):
        key, idx, fkey, fval = tok
        if key:
            if not isinstance(val, dict) or key not in val:
                raise ValueError('%s: no key %r' % (path, key))
            val = val[key]
        elif idx:
            val = val[int(idx)]
        else:
            hits = [v for v in val if isinstance(v, dict) and v.get(fkey) == fval]
            if not hits:
                raise ValueError('%s: no element with %s=%s' % (path, fkey, fval))
            val = hits[0]
    if ''.join(''.join(t) for t in re.findall(r'(\.)(' + _IDENT + r')|(\[)(\d+)(\])|(\[)(' + _IDENT + r'=[^\]]*)(\])', rest)) != rest:
        raise ValueError('bad selector %r' % path)
    return val


def _ts_text(v):
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    return None


def _ts_texts(vals):
    """The texts (strings and numbers) among vals, in order; anything else
    is skipped."""
    return [t for t in (_ts_text(v) for v in vals) if t is not None]


def _ts_block(b):
    if not isinstance(b, dict):
        t = _ts_text(b)
        return [t] if t is not None else []
    kind = b.get('kind', b.get('type'))
    if kind in ('paragraph', 'callout', 'p'):
        t = _ts_text(b.get('text'))
        return [t] if t is not None else []
    if kind in ('list', 'ul'):
        return ['\n'.join('- ' + x for x in _ts_texts(b.get('items', [])))]
    if kind == 'ol':
        items = _ts_texts(b.get('items', []))
        return ['\n'.join('%d. %s' % (n, x) for n, x in enumerate(items, 1))]
    if kind == 'table':
        return [_ts_table(b.get('columns', b.get('headers', [])), b.get('rows', []))]
    raise ValueError('unknown block kind %r' % (kind,))


def _ts_table(cols, rows):
    """A Markdown table: header row `cols` (empty cells when the page shows
    no header), then `rows`; a "|" in a cell is written as "\\|"."""
    def row(cells):
        return '| ' + ' | '.join((_ts_text(c) or '').replace('|', '\\|') for c in cells) + ' |'
    lines = [row(cols), '|' + '---|' * len(cols)]
    lines += [row(r) for r in rows]
    return '\n'.join(lines)


def _ts_is_block(el):
    """A block written directly in a selected array (a list of intro
    blocks): an object with `type` or `kind` among the block kinds and no
    heading, title or blocks of its own."""
    return (isinstance(el, dict)
            and el.get('kind', el.get('type')) in _TS_BLOCK_KINDS
            and not any(k in el for k in ('heading', 'title', 'blocks')))


_TS_BLOCK_KINDS = ('paragraph', 'callout', 'p', 'list', 'ul', 'ol', 'table')


def _ts_fill(val, fills, src):
    """val with the ${EXPR} substitutions of its strings filled in as the
    FILL list of the selector says (see _ts_convert); others stay."""
    if not fills:
        return val
    if isinstance(val, str):
        def sub(m):
            expr = m.group(1).strip()
            if expr in fills['values']:
                return fills['values'][expr]
            name = re.match(_IDENT, expr)
            if name and name.group(0) in fills['names']:
                try:
                    v = _ts_select(src, expr)
                except (ValueError, IndexError, TypeError):
                    return m.group(0)
                t = _ts_text(v)
                return t if t is not None else m.group(0)
            return m.group(0)
        return re.sub(r'\$\{([^{}]*)\}', sub, val)
    if isinstance(val, list):
        return [_ts_fill(v, fills, src) for v in val]
    if isinstance(val, dict):
        return {k: _ts_fill(v, fills, src) for k, v in val.items()}
    return val


def _ts_fills(spec):
    fills = {'values': {}, 'names': set()}
    for entry in spec.split(';'):
        if not entry:
            continue
        expr, eq, value = entry.partition('=')
        if not re.fullmatch(_IDENT + r'(?:\.' + _IDENT + r')*', expr.strip()):
            raise ValueError('bad fill %r (NAME or EXPR=VALUE)' % entry)
        if eq:
            fills['values'][expr.strip()] = value
        else:
            fills['names'].add(expr.strip())
    return fills


def _ts_render(val):
    t = _ts_text(val)
    if t is not None:
        return [t]
    out = []
    if isinstance(val, list):
        for el in val:
            if _ts_is_block(el):
                out.extend(_ts_block(el))
                continue
            if isinstance(el, dict):
                head = _ts_text(el.get('heading', el.get('title')))
                if head is not None:
                    out.append('## ' + head)
                if 'blocks' in el:
                    for b in el['blocks']:
                        out.extend(_ts_block(b))
                body = el.get('body', el.get('content'))
                if isinstance(body, list):
                    for x in _ts_texts(body):
                        if x.startswith('- ') and out and out[-1].split('\n')[-1].startswith('- '):
                            out[-1] += '\n' + x      # one list, as the page renders it
                        else:
                            out.append(x)
                elif _ts_text(body) is not None:
                    out.append(_ts_text(body))
            elif _ts_text(el) is not None:
                out.append(_ts_text(el))
        return out
    raise ValueError('selected value is not text or a list of sections')


def _ts_convert(src, arg, mode, render):
    """The ts-data and ts-sections modes: each '+'-separated selector's value
    rendered by `render`, a selector starting with '#' as a '# ' heading."""
    if not arg:
        raise ValueError(f'{mode} needs a selector: {mode}:NAME.key...')
    arg, _, spec = arg.partition(';')
    fills = _ts_fills(spec) if spec else None
    parts = []
    for sel in arg.split('+'):
        heading = sel.startswith('#')
        val = _ts_fill(_ts_select(src, sel.lstrip('#')), fills, src)
        if heading:
            parts.append('# ' + _ts_text(val).strip())
        else:
            parts.extend(p.strip('\n') for p in render(val))
    return _tidy('\n\n'.join(parts))


def convert_ts_data(src, arg):
    return _ts_convert(src, arg, 'ts-data', _ts_render)


# --------------------------------------------------------------------------
# ts-sections: ts-data whose sections carry paragraphs / bullets / subsections
# --------------------------------------------------------------------------
#
# KIND is "ts-sections:SEL[+SEL...]". Exactly as ts-data:SEL (same selectors,
# same "#" headings, same handling of strings and of section `blocks` and
# `body`/`content`), and in addition a section object may carry the fields
#   * `paragraphs`: an array of strings, each one paragraph;
#   * `bullets`: an array of strings, written as one list ("- " per item);
#   * `table`: an object {head | headers | columns, rows}, written as a
#     Markdown table as ts-data writes a table block (an all-empty head, for
#     a page that then shows no header row, gives an empty header row);
#   * `subsections`: an array of objects {heading | title, body | content,
#     paragraphs, bullets}, each written as a "### " heading followed by its
#     body/content (as ts-data writes a section's), its paragraphs and then
#     its bullets.
# The short keys `h`, `p` and `list` of a section (and `list` of a
# subsection) are read as `heading`, `paragraphs` and `bullets` when the
# long key (for h: heading or title) is absent; a string `p` is one
# paragraph.
# In a `body`/`content` array (of a section or a subsection) an item that is
# an object {label, text} is written as one paragraph "**label** text" (the
# label bold, as a renderer showing <strong>{label}</strong> {text} on one
# line does; an empty text leaves "**label**").
# Within a section the order written is: heading, blocks/body (as ts-data),
# paragraphs, bullets, table, subsections. That is the order in which a page
# component that renders {s.paragraphs.map(<p>)}{s.bullets && <ul>}
# {s.table && <table>}{s.subsections.map(...)} shows them, whatever the order of the fields in
# the source object; use this kind only for a page whose renderer was read
# and uses that order. Fields id/slug/anchor are not text and are dropped.

def _ts_section_extras(el):
    out = []
    paras = el.get('paragraphs')
    if isinstance(paras, list):
        out.extend(_ts_texts(paras))
    bullets = el.get('bullets')
    if isinstance(bullets, list):
        items = _ts_texts(bullets)
        if items:
            out.append('\n'.join('- ' + x for x in items))
    table = el.get('table')
    if isinstance(table, dict) and isinstance(table.get('rows'), list):
        cols = table.get('head', table.get('headers', table.get('columns', [])))
        out.append(_ts_table(cols if isinstance(cols, list) else [], table['rows']))
    subs = el.get('subsections')
    if isinstance(subs, list):
        for sub in subs:
            if not isinstance(sub, dict):
                continue
            head = _ts_text(sub.get('heading', sub.get('title')))
            if head is not None:
                out.append('### ' + head)
            out.extend(_ts_render([{k: sub[k] for k in ('body', 'content') if k in sub}]))
            out.extend(_ts_section_extras({k: sub.get(k) for k in ('paragraphs', 'bullets')}))
    return out


def _ts_labelled(el):
    """el with {label, text} items of its body/content written as strings."""
    if not isinstance(el, dict):
        return el
    el = dict(el)
    for k in ('body', 'content'):
        if isinstance(el.get(k), list):
            items = []
            for x in el[k]:
                if isinstance(x, dict) and 'label' in x and set(x) <= {'label', 'text'}:
                    lab, txt = _ts_text(x.get('label')), _ts_text(x.get('text', ''))
                    if lab is not None:
                        x = ('**%s** %s' % (lab, txt)).rstrip() if txt else '**%s**' % lab
                items.append(x)
            el[k] = items
    if isinstance(el.get('subsections'), list):
        el['subsections'] = [_ts_labelled(x) for x in el['subsections']]
    return el


def _ts_short_keys(el):
    """el with the short keys h, p and list read as heading, paragraphs
    and bullets (where the long key is absent), in el and its subsections."""
    if not isinstance(el, dict):
        return el
    el = dict(el)
    for short, long_ in (('h', 'heading'), ('p', 'paragraphs'), ('list', 'bullets')):
        if short in el and long_ not in el and not (long_ == 'heading' and 'title' in el):
            v = el.pop(short)
            el[long_] = [v] if long_ == 'paragraphs' and isinstance(v, str) else v
    if isinstance(el.get('subsections'), list):
        el['subsections'] = [_ts_short_keys(x) for x in el['subsections']]
    return el


def _ts_sections_render(val):
    if isinstance(val, list):
        out = []
        for el in val:
            el = _ts_labelled(_ts_short_keys(el))
            out.extend(_ts_render([el]))
            if isinstance(el, dict):
                out.extend(_ts_section_extras(el))
        return out
    return _ts_render(val)


def convert_ts_sections(src, arg):
    return _ts_convert(src, arg, 'ts-sections', _ts_sections_render)


# --------------------------------------------------------------------------
# json-locale: an agreement kept as keys of a JSON message catalogue
# --------------------------------------------------------------------------
#
# KIND is "json-locale:SEL[+SEL...]". The file is parsed as JSON (key order
# kept). SEL is a dotted path of keys, with [N] for an array index
# (terms.dpa, legal); if its last key ends in "*", the keys of the object
# reached so far that start with the rest of that key are taken, in file
# order, as one object, and that prefix is dropped from their names
# (legal.avv_* takes legal.avv_title, legal.avv_intro, legal.avv_1_title, ...
# read as title, intro, 1_title, ...). A selected value is written, in the
# file's key order, as a page that renders every key in turn shows it:
#   * a string under the key "title" or "heading": the object's heading, "#"
#     repeated LEVEL times (LEVEL 1 for a selected object);
#   * a string under a key ending in "_title", "Title" or "_heading": a
#     heading one level down (LEVEL + 1);
#   * any other string: paragraphs (split at blank lines, lines kept);
#   * an array of strings: one bullet list ("- " per item); an array of
#     objects: each object in turn, at the same level;
#   * a nested object: read the same way, at LEVEL + 1 when its parent has
#     a heading key, else at LEVEL;
#   * numbers, booleans and null: no text, dropped.
# Use it only where the page component was read and shows the keys in file
# order (the record's notes say so); keys the page does not show must be
# left out by the selector.

_JSON_OWN_HEADING = ('title', 'heading')


def _json_is_sub_heading(key):
    return key.endswith('_title') or key.endswith('Title') or key.endswith('_heading')


def _json_render(val, level, out):
    if isinstance(val, str):
        out.extend(p.strip('\n') for p in re.split(r'\n[ \t]*\n', val) if p.strip())
        return
    if isinstance(val, list):
        if val and all(isinstance(x, str) for x in val):
            out.append('\n'.join('- ' + x.strip() for x in val))
        else:
            for x in val:
                _json_render(x, level, out)
        return
    if not isinstance(val, dict):
        return
    has_heading = any(k in _JSON_OWN_HEADING or _json_is_sub_heading(k)
                      for k, v in val.items() if isinstance(v, str))
    for k, v in val.items():
        if isinstance(v, str) and k in _JSON_OWN_HEADING:
            out.append('#' * min(level, 6) + ' ' + v.strip())
        elif isinstance(v, str) and _json_is_sub_heading(k):
            out.append('#' * min(level + 1, 6) + ' ' + v.strip())
        elif isinstance(v, (dict, list)):
            _json_render(v, level + 1 if has_heading and isinstance(v, dict) else level, out)
        else:
            _json_render(v, level, out)


def _json_select(data, path):
    toks = re.findall(r'([^.\[\]]+)|\[(\d+)\]', path)
    if ''.join(k or '[%s]' % i for k, i in toks) != path.replace('.', ''):
        raise ValueError('bad selector %r' % path)
    val = data
    for n, (key, idx) in enumerate(toks):
        if idx:
            val = val[int(idx)]
        elif key.endswith('*') and n == len(toks) - 1:
            pre = key[:-1]
            if not isinstance(val, dict):
                raise ValueError('%s: not an object before %r' % (path, key))
            val = {k[len(pre):]: v for k, v in val.items() if k.startswith(pre)}
            if not val:
                raise ValueError('%s: no key starts with %r' % (path, pre))
        else:
            if not isinstance(val, dict) or key not in val:
                raise ValueError('%s: no key %r' % (path, key))
            val = val[key]
    return val


def convert_json_locale(src, arg):
    if not arg:
        raise ValueError('json-locale needs a selector: json-locale:KEY.KEY...')
    data = json.loads(src)
    out = []
    for sel in arg.split('+'):
        _json_render(_json_select(data, sel), 1, out)
    return _tidy('\n\n'.join(out))


KINDS = {
    'latex': convert_latex,
    'php-template': convert_php,
    'jsx': convert_jsx,
    'astro': convert_astro,
    'legal-doc-object': convert_legal_doc_object,
    'eurlex-chrome-stripped': convert_eurlex,
    'jsx-components': convert_jsx_components,
    'jsx-data': convert_jsx_data,
    'jsx-data-inline': convert_jsx_data_inline,
    'vue': convert_vue,
    'vue-fallback': convert_vue_fallback,
}

# kinds that take an argument after a colon: KIND:ARG
KINDS_WITH_ARG = {
    'js-template': convert_js_template,
    'ts-data': convert_ts_data,
    'ts-sections': convert_ts_sections,
    'json-locale': convert_json_locale,
    'jsx-lang': convert_jsx_lang,
    'jsx-props': convert_jsx_props,
}


def main(argv):
    kind, _, arg = argv[1].partition(':') if len(argv) == 4 else ('', '', '')
    if len(argv) != 4 or not ((argv[1] in KINDS) or (kind in KINDS_WITH_ARG and arg)):
        sys.stderr.write('usage: convert.py {%s|%s} RAW OUT\n'
                         % ('|'.join(sorted(KINDS)), '|'.join(k + ':SEL' for k in sorted(KINDS_WITH_ARG))))
        return 2
    with open(argv[2], 'rb') as f:
        src = f.read().decode('utf-8')
    if src.startswith('\ufeff'):
        src = src[1:]
    src = src.replace('\r\n', '\n')
    if argv[1] in KINDS:
        text = KINDS[argv[1]](src)
    else:
        text = KINDS_WITH_ARG[kind](src, arg)
    with open(argv[3], 'wb') as f:
        f.write(text.encode('utf-8'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
