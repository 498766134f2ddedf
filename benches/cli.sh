#!/usr/bin/env bash
# Whole-program measurements of the `ampel` binary: start-up, whole scans of the corpus PDFs
# against poppler's pdftotext, and peak memory of large batches and of one huge document.
#
#   benches/cli.sh [startup] [scan] [memory]     (default: all three)
#
# Builds the release binary and the agreement generator (examples/agreements.rs), then prints
# one line per figure next to its target. Wall times are medians (hyperfine, or paired runs for
# the scan comparison); peak RSS comes from GNU time and includes the extraction workers. Set
# AMPEL=/path/to/ampel to measure another build (e.g. an older commit), PAIRS=N for the number
# of A/B pairs. Needs hyperfine and GNU time (Debian: apt-get install hyperfine time); the
# comparison with pdftotext is skipped where poppler-utils is not installed. Timings are never
# test assertions: this script reports, it does not fail on a slow machine.
set -euo pipefail
cd "$(dirname "$0")/.."

sections=("$@")
[ ${#sections[@]} -eq 0 ] && sections=(startup scan memory)

cargo build --release --locked --quiet --bin ampel --example agreements
AMPEL=${AMPEL:-target/release/ampel}
GENERATE=target/release/examples/agreements
PAIRS=${PAIRS:-10}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "benches/cli.sh: $tool is missing" >&2; exit 2; }
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1e6}' /proc/meminfo), $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary:  $AMPEL ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"

# Largest peak RSS (MB, 10^6 bytes) of three runs of a command, its output discarded.
peak_rss() {
  local best=0 kb
  for _ in 1 2 3; do
    kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
    [ "$kb" -gt "$best" ] && best=$kb
  done
  awk -v kb="$best" 'BEGIN { printf "%.1f", kb * 1024 / 1e6 }'
}

# Median wall time (ms) of a hyperfine run of one command.
median_ms() {
  hyperfine -N --style none --warmup 3 --runs 30 --export-csv "$WORK/h.csv" "$1" >/dev/null
  awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$WORK/h.csv"
}

now_ns() { date +%s%N; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

startup() {
  local doc=tests/formats/de-avv-aktenablage.txt
  echo "== start-up (target: <= 30 ms wall, <= 40 MB peak RSS)"
  echo "rules list:              $(median_ms "$AMPEL rules list") ms median, $(peak_rss "$AMPEL" rules list) MB peak RSS"
  echo "scan of $doc ($(wc -c <"$doc") bytes, two pages):"
  echo "                         $(median_ms "$AMPEL scan $doc") ms median, $(peak_rss "$AMPEL" scan "$doc") MB peak RSS"
}

scan() {
  local pdfs=(corpus/pdf/*.pdf)
  echo "== whole scans: ampel scan --format jsonl -j2 of ${#pdfs[@]} corpus PDFs against pdftotext, 2 processes (target: <= 1.2x)"
  if ! command -v pdftotext >/dev/null; then
    echo "skipped: pdftotext is not installed (Debian: apt-get install poppler-utils)"
    return
  fi
  local a b t
  : >"$WORK/a"
  : >"$WORK/b"
  "$AMPEL" scan --format jsonl -q -j2 "${pdfs[@]}" >/dev/null # warm the page cache
  for _ in $(seq "$PAIRS"); do
    t=$(now_ns)
    "$AMPEL" scan --format jsonl -q -j2 "${pdfs[@]}" >/dev/null
    a=$(($(now_ns) - t))
    t=$(now_ns)
    printf '%s\0' "${pdfs[@]}" | xargs -0 -P2 -I{} pdftotext -q -enc UTF-8 {} - >/dev/null
    b=$(($(now_ns) - t))
    echo "$a" >>"$WORK/a"
    echo "$b" >>"$WORK/b"
    echo "  pair: ampel $((a / 1000000)) ms, pdftotext $((b / 1000000)) ms"
  done
  a=$(median <"$WORK/a")
  b=$(median <"$WORK/b")
  awk -v a="$a" -v b="$b" -v n="$PAIRS" 'BEGIN {
    printf "median of %d pairs: ampel %.0f ms, pdftotext %.0f ms, ratio %.2fx\n", n, a / 1e6, b / 1e6, a / b }'
}

memory() {
  echo "== memory (target: <= 150 MB for 1,000 agreements, flat in the number of files; <= 2x the text of one huge document)"
  "$GENERATE" "$WORK/b1000" 1000
  mkdir -p "$WORK/b100"
  cp "$WORK"/b1000/agreement-000[0-9][0-9].txt "$WORK/b100/"
  echo "100 text agreements ($(du -sm "$WORK/b100" | cut -f1) MB):    $(peak_rss "$AMPEL" scan --format jsonl -q "$WORK/b100") MB peak RSS"
  echo "1,000 text agreements ($(du -sm "$WORK/b1000" | cut -f1) MB): $(peak_rss "$AMPEL" scan --format jsonl -q "$WORK/b1000") MB peak RSS"
  mkdir -p "$WORK/p1000"
  local i=0 f
  while [ "$i" -lt 1000 ]; do
    for f in corpus/pdf/*.pdf; do
      [ "$i" -lt 1000 ] && cp "$f" "$WORK/p1000/$(printf %04d $i)-$(basename "$f")"
      i=$((i + 1))
    done
  done
  echo "1,000 PDF agreements ($(du -sm "$WORK/p1000" | cut -f1) MB):  $(peak_rss "$AMPEL" scan --format jsonl -q "$WORK/p1000") MB peak RSS"
  rm -rf "$WORK/b100" "$WORK/b1000" "$WORK/p1000"
  "$GENERATE" --huge "$WORK/huge.txt" 50
  local bytes rss
  bytes=$(wc -c <"$WORK/huge.txt")
  rss=$(peak_rss "$AMPEL" scan --format jsonl -q "$WORK/huge.txt")
  awk -v b="$bytes" -v r="$rss" 'BEGIN {
    printf "one huge agreement (%.1f MB of text): %.1f MB peak RSS, %.2fx its text\n", b / 1e6, r, r * 1e6 / b }'
}

for section in "${sections[@]}"; do
  case "$section" in
    startup | scan | memory) "$section" ;;
    *)
      echo "benches/cli.sh: unknown section $section (startup, scan, memory)" >&2
      exit 2
      ;;
  esac
done
