#!/usr/bin/env bash
# Builds every format of each agreement in this folder from its Markdown source NAME.md:
#
#   NAME.txt       pandoc -t plain (wrapped at 72 columns, as a text export would be)
#   NAME.docx      pandoc (Word numbering for the "(1)" and "1." lists, a pipe table)
#   NAME.odt       pandoc
#   NAME.html      pandoc -s with page.html: a saved web page with header, menu, cookie
#                  banner, scripts, aside and footer around <main>
#   NAME.pdf       LibreOffice from NAME.odt
#   NAME-scan.pdf  the PDF's pages rendered at 200 dpi black and white (pdftoppm) and wrapped into an
#                  image-only PDF (img2pdf): what a scanned, signed copy looks like
#
# Needs pandoc, soffice (libreoffice-writer-nogui), pdftoppm (poppler-utils) and img2pdf
# (Debian package img2pdf, or pip install img2pdf). Usage: bash tests/formats/make.sh
# The generated files are committed; tests/formats.rs checks that all formats of one
# agreement give the same checklist.
set -euo pipefail

cd "$(dirname "$0")"
for tool in pandoc soffice pdftoppm img2pdf; do
  command -v "$tool" >/dev/null || { echo "make.sh: $tool not found" >&2; exit 2; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home"
export SOURCE_DATE_EPOCH=1761955200

for src in *.md; do
  name=${src%.md}
  title=$(grep -m1 '^# ' "$src" | sed 's/^# //')
  pandoc "$src" -t plain -o "$name.txt"
  pandoc "$src" -o "$name.docx"
  pandoc "$src" -o "$name.odt"
  pandoc "$src" -s --template page.html --metadata pagetitle="$title" -o "$name.html"
  HOME="$WORK/home" soffice --headless --convert-to pdf --outdir "$WORK" "$name.odt" \
    >"$WORK/$name.log" 2>&1 || { cat "$WORK/$name.log" >&2; exit 1; }
  mv "$WORK/$name.pdf" "$name.pdf"
  rm -f "$WORK"/page-*.png
  pdftoppm -r 200 -mono -png "$name.pdf" "$WORK/page"
  img2pdf "$WORK"/page-*.png -o "$name-scan.pdf"
  printf '%-28s %s pages, scan %s bytes\n' "$name" \
    "$(pdfinfo "$name.pdf" | awk '/^Pages:/ {print $2}')" "$(stat -c %s "$name-scan.pdf")"
done
