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


def _js_brace_end(s, i):
    """s[i] == '{'; return index after the matching '}' (JS-aware)."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c in '\'"`':
            j = _js_string_end(s, j)
            continue
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
        return _unescape_js(e[1:-1])
    if e[0] == '`' and e[-1] == '`' and '${' not in e:
        return e[1:-1]
    return None


def _unescape_js(s):
    def rep(m):
        c = m.group(1)
        return {'n': '\n', 't': '\t', "'": "'", '"': '"', '\\': '\\'}.get(c, c)
    return re.sub(r'\\(.)', rep, s)


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


def _parse_jsx_children(s, i, closing, emit):
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
            html, i = _parse_jsx_element(s, i, emit)
            out.append(html)
            continue
        if c == '{':
            e = _js_brace_end(s, i)
            expr = s[i + 1:e - 1]
            lit = _js_literal_text(expr)
            if lit is not None:
                out.append(lit)
            i = e
            continue
        out.append(c)
        i += 1
    raise ValueError('unterminated element %s' % closing)


def _parse_jsx_element(s, i, emit=True):
    """s[i] == '<'. Returns (html, index after the element)."""
    if s.startswith('<>', i):
        inner, j = _parse_jsx_children(s, i + 2, '', emit)
        return inner, j
    m = re.match(r'<([A-Za-z][-A-Za-z0-9_.:]*)', s[i:])
    name = m.group(1)
    attrs, j, selfclosing = _parse_attrs(s, i + len(m.group(0)))
    if selfclosing or name.lower() in _VOID and name[0].islower():
        inner = ''
        if not selfclosing:
            pass
    else:
        inner, j = _parse_jsx_children(s, j, name, emit)
    if not emit:
        return '', j
    if name in ('style', 'script'):
        return '', j
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
            lit = _js_literal_text(val)
            if lit is not None:
                attr = ' href="%s"' % lit
    if name.lower() in _VOID:
        return '<%s%s>' % (name, attr), j
    return '<%s%s>%s</%s>' % (name, attr, inner, name), j


def convert_jsx(src):
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
    return _jsx_page(src, start + m.end() - 1)


def _jsx_page(src, k):
    """The JSX element that opens at src[k], as an HTML page."""
    html, _ = _parse_jsx_element(src, k)
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


KINDS = {
    'latex': convert_latex,
    'php-template': convert_php,
    'jsx': convert_jsx,
    'astro': convert_astro,
    'legal-doc-object': convert_legal_doc_object,
    'eurlex-chrome-stripped': convert_eurlex,
}


def main(argv):
    if len(argv) != 4 or argv[1] not in KINDS:
        sys.stderr.write('usage: convert.py {%s} RAW OUT\n' % '|'.join(sorted(KINDS)))
        return 2
    with open(argv[2], 'rb') as f:
        src = f.read().decode('utf-8')
    if src.startswith('\ufeff'):
        src = src[1:]
    src = src.replace('\r\n', '\n')
    text = KINDS[argv[1]](src)
    with open(argv[3], 'wb') as f:
        f.write(text.encode('utf-8'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
