#!/usr/bin/env bash
# Builds corpus/pdf/<name>.pdf from every corpus/src/<name>.md (or <name>.tex, see below).
#
# Two producers, on purpose (their PDFs differ in fonts, encodings and text layout):
#   - LibreOffice Writer: pandoc MD -> ODT, then soffice --headless --convert-to pdf
#     (TrueType fonts, WinAnsi; default for every document not listed below)
#   - pdflatex: pandoc MD -> PDF with --pdf-engine=pdflatex, lmodern + T1
#     (Type 1 fonts with ToUnicode; LaTeX hyphenation splits words at line ends)
# One pdflatex document (de-green-lohnabrechnung) gets running headers and footers with
# page numbers (fancyhdr), so extraction must cope with header text between pages.
# Two-column sources: a corpus/src/<name>.tex (instead of .md) is typeset directly with
# pdflatex (build_twocol, two passes): bilingual contracts, German left and English right,
# one longtable row per parallel paragraph, column header repeated on every page.
#
# Needs: pandoc, soffice (libreoffice-writer-nogui), pdflatex (texlive-latex-recommended,
# texlive-lang-german, lmodern). Usage: bash corpus/make-pdfs.sh [name ...]
# The generated PDFs are committed; regenerating with other tool versions changes bytes.
set -euo pipefail

cd "$(dirname "$0")"
SRC=src
OUT=pdf
mkdir -p "$OUT"

for tool in pandoc soffice pdflatex; do
  command -v "$tool" >/dev/null || { echo "make-pdfs: $tool not found" >&2; exit 2; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home"

# Reproducible dates/IDs in pdflatex output.
export SOURCE_DATE_EPOCH=1761955200 FORCE_SOURCE_DATE=1

# Documents produced with pdflatex; all others go through LibreOffice.
PDFLATEX_DOCS=" de-green-lohnabrechnung de-red-newsletter en-green-payrollhub en-red-insightcrm en-notadpa-invoice "
# Documents with running headers/footers and page numbers (pdflatex + fancyhdr).
HEADER_DOCS=" de-green-lohnabrechnung "
PDFLATEX_DOCS+="en-red-learnbridge en-green-transcribe "
PDFLATEX_DOCS+="de-yellow-itbetreuung de-red-contactcenter "
PDFLATEX_DOCS+="bi-red-signaturportal "
# Documents produced with lualatex (OpenType Latin Modern via fontspec; language from the YAML header).
LUALATEX_DOCS=" de-green-terminbuchung "

cat > "$WORK/header-lohn.tex" <<'EOF'
\usepackage{fancyhdr}
\setlength{\headheight}{14pt}
\pagestyle{fancy}
\fancyhf{}
\fancyhead[L]{\small AVV Lohn- und Gehaltsabrechnung}
\fancyhead[R]{\small Vertraulich -- Fassung 1.3}
\fancyfoot[L]{\small Bäckerei Kornblume GmbH \& Co.\ KG / Nordlicht Lohn \& Gehalt GmbH}
\fancyfoot[R]{\small Seite \thepage}
\renewcommand{\headrulewidth}{0.4pt}
\renewcommand{\footrulewidth}{0.4pt}
EOF

build_libreoffice() {
  local name=$1
  pandoc "$SRC/$name.md" -o "$WORK/$name.odt"
  HOME="$WORK/home" soffice --headless --convert-to pdf --outdir "$WORK" "$WORK/$name.odt" \
    >"$WORK/$name.soffice.log" 2>&1 || { cat "$WORK/$name.soffice.log" >&2; return 1; }
  mv "$WORK/$name.pdf" "$OUT/$name.pdf"
}

build_pdflatex() {
  local name=$1
  local lang=de
  case $name in en-*) lang=en-GB ;; esac
  local extra=()
  case $HEADER_DOCS in *" $name "*) extra+=(-H "$WORK/header-lohn.tex") ;; esac
  pandoc "$SRC/$name.md" -o "$OUT/$name.pdf" \
    --pdf-engine=pdflatex \
    -V lang="$lang" -V papersize=a4 -V geometry:margin=25mm -V fontsize=11pt \
    -V fontfamily=lmodern -V fontenc=T1 \
    "${extra[@]}"
}

# lualatex: fontspec + OpenType Latin Modern (CID fonts, Identity-H); no -V lang, so babel takes
# the source's YAML `lang` (de-CH for Swiss-German hyphenation). Needs texlive-luatex.
build_lualatex() {
  local name=$1
  command -v lualatex >/dev/null || { echo "make-pdfs: lualatex not found" >&2; return 1; }
  pandoc "$SRC/$name.md" -o "$OUT/$name.pdf" \
    --pdf-engine=lualatex \
    -V papersize=a4 -V geometry:margin=25mm -V fontsize=11pt
}

# Raw LaTeX source (two-column bilingual layout): pdflatex twice (longtable widths).
build_twocol() {
  local name=$1
  mkdir -p "$WORK/$name"
  local pass
  for pass in 1 2; do
    # run inside WORK/NAME so that pdfTeX's /ID (hash of date + output name) is reproducible
    (cd "$WORK/$name" && pdflatex -interaction=nonstopmode -halt-on-error "$OLDPWD/$SRC/$name.tex") \
      >"$WORK/$name.latex.log" 2>&1 \
      || { cat "$WORK/$name.latex.log" >&2; return 1; }
  done
  mv "$WORK/$name/$name.pdf" "$OUT/$name.pdf"
}

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for f in "$SRC"/*.md; do names+=("$(basename "$f" .md)"); done
  for f in "$SRC"/*.tex; do if [ -e "$f" ]; then names+=("$(basename "$f" .tex)"); fi; done
fi

for name in "${names[@]}"; do
  if [ -f "$SRC/$name.tex" ]; then
    producer=pdflatex-2col; build_twocol "$name"
  else
  [ -f "$SRC/$name.md" ] || { echo "make-pdfs: no source $SRC/$name.md" >&2; exit 2; }
  if [[ $LUALATEX_DOCS == *" $name "* ]]; then producer=lualatex; build_lualatex "$name"; else
  case $PDFLATEX_DOCS in
    *" $name "*) producer=pdflatex;    build_pdflatex "$name" ;;
    *)           producer=libreoffice; build_libreoffice "$name" ;;
  esac
  fi
  fi
  pages=$(pdfinfo "$OUT/$name.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
  printf '%-36s %-12s %s pages\n' "$name" "$producer" "${pages:-?}"
done
