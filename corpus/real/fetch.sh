#!/usr/bin/env bash
# Rebuild corpus/real/local/ from the public repositories named in sources/*.toml.
#
#   bash corpus/real/fetch.sh            # every agreement
#   bash corpus/real/fetch.sh de-helpwave en-tailscale   # only these ids
#
# For each sources/<id>.toml it takes the file <path> at <commit> of <repository>:
#   1. from a local mirror, if $MIRROR_DIR/<owner>+<name>/ holds that commit
#      (MIRROR_DIR defaults to /work/.mirror; the git directory is that folder,
#      its repo/ subfolder, or the .git of a work tree in repo/), else
#   2. from a blobless clone of https://github.com/<repository> kept in
#      local/.cache/<owner>+<name>/ (git clone --filter=blob:none --no-checkout,
#      then git show <commit>:<path>; a commit no branch holds any more is
#      fetched by its id).
# It writes the file as published to local/raw/<raw_file>, converts it
# (conversion "none" or "rename": a copy; anything else: convert.py KIND), and
# checks both sha256 sums against the record. Texts that are redistributable
# live in text/ (committed): those are rebuilt into local/.check/ and compared,
# never overwritten.
#
# Output: one line per agreement, "ok", "mismatch" or "unavailable", then a
# summary. Exit status 0 when every agreement is ok, 1 otherwise.
#
# Writes only below corpus/real/local/. Needs bash, git, python3 (>= 3.11 for
# tomllib) and sha256sum; network access to github.com unless mirrors exist.

set -u
export LC_ALL=C GIT_TERMINAL_PROMPT=0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SOURCES="$here/sources"
TEXT="$here/text"
LOCAL="$here/local"
RAW="$LOCAL/raw"
CACHE="$LOCAL/.cache"
CHECK="$LOCAL/.check"
MIRROR_DIR=${MIRROR_DIR:-/work/.mirror}

mkdir -p "$RAW" "$CACHE" "$CHECK" || exit 2

# sources/*.toml -> one tab-separated line per record
list=$(python3 - "$SOURCES" "$@" <<'PY'
import sys, glob, os, tomllib
src, wanted = sys.argv[1], set(sys.argv[2:])
fields = ["id", "repository", "path", "commit", "raw_file", "raw_sha256",
          "file", "sha256", "conversion", "redistributable"]
for f in sorted(glob.glob(os.path.join(src, "*.toml"))):
    with open(f, "rb") as fh:
        d = tomllib.load(fh)
    if wanted and d.get("id") not in wanted:
        continue
    row = [str(d.get(k, "")) for k in fields]
    row[-1] = "true" if d.get("redistributable") is True else "false"
    if any("\t" in v or "\n" in v for v in row):
        sys.stderr.write("skipping %s: tab or newline in a field\n" % f)
        continue
    print("\t".join(row))
PY
) || { echo "cannot read $SOURCES" >&2; exit 2; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

# git directory of a mirror holding <commit>:<path>, if any
mirror_gitdir() { # repo commit path
  local base="$MIRROR_DIR/${1/\//+}" d
  for d in "$base/repo" "$base/repo/.git" "$base"; do
    if [ -d "$d" ] && git --git-dir="$d" cat-file -e "$2:$3" 2>/dev/null; then
      printf '%s\n' "$d"
      return 0
    fi
  done
  return 1
}

# write <repo>@<commit>:<path> to <dest>; 0 on success
get_blob() { # repo commit path dest
  local repo=$1 commit=$2 path=$3 dest=$4 gd dir
  if gd=$(mirror_gitdir "$repo" "$commit" "$path"); then
    git --git-dir="$gd" show "$commit:$path" > "$dest" 2>/dev/null && return 0
  fi
  dir="$CACHE/${repo/\//+}"
  if [ ! -d "$dir/.git" ]; then
    rm -rf "$dir"
    timeout 600 git clone --quiet --filter=blob:none --no-checkout \
      "https://github.com/$repo" "$dir" >/dev/null 2>&1 || { rm -rf "$dir"; return 1; }
  fi
  if ! git -C "$dir" cat-file -e "$commit^{commit}" 2>/dev/null; then
    timeout 600 git -C "$dir" fetch --quiet --filter=blob:none origin "$commit" >/dev/null 2>&1 || return 1
  fi
  timeout 600 git -C "$dir" show "$commit:$path" > "$dest" 2>/dev/null
}

n_ok=0 n_bad=0 n_na=0
while IFS=$'\t' read -r id repo path commit raw_file raw_sha file text_sha conv redis; do
  [ -n "$id" ] || continue
  case "$raw_file$file" in */*|*..*) echo "mismatch     $id (bad file name in record)"; n_bad=$((n_bad+1)); continue;; esac
  tmp="$RAW/.$raw_file.part"
  if ! get_blob "$repo" "$commit" "$path" "$tmp"; then
    rm -f "$tmp"
    note=""
    if [ -f "$RAW/$raw_file" ] && [ "$(sha "$RAW/$raw_file")" = "$raw_sha" ]; then
      note=" (existing local/raw copy matches the recorded sha256)"
    fi
    echo "unavailable  $id ($repo@${commit:0:12}:$path)$note"
    n_na=$((n_na+1))
    continue
  fi
  got=$(sha "$tmp")
  if [ "$got" != "$raw_sha" ]; then
    mv -f "$tmp" "$RAW/$raw_file.mismatch"
    echo "mismatch     $id (raw sha256 $got, recorded $raw_sha; kept as local/raw/$raw_file.mismatch)"
    n_bad=$((n_bad+1))
    continue
  fi
  mv -f "$tmp" "$RAW/$raw_file"

  out="$CHECK/$file"   # converted here first; moved to local/ only when it checks out
  case "$conv" in
    none|rename) cp -f "$RAW/$raw_file" "$out" ;;
    *) if ! python3 "$here/convert.py" "$conv" "$RAW/$raw_file" "$out" 2>"$CHECK/$id.err"; then
         echo "mismatch     $id (convert.py $conv failed: $(head -c 200 "$CHECK/$id.err" | tr '\n' ' '))"
         n_bad=$((n_bad+1))
         continue
       fi
       rm -f "$CHECK/$id.err" ;;
  esac
  got=$(sha "$out")
  if [ "$got" != "$text_sha" ]; then
    echo "mismatch     $id (text sha256 $got, recorded $text_sha; rebuilt copy in local/.check/$file)"
    n_bad=$((n_bad+1))
    continue
  fi
  if [ "$redis" = true ]; then
    if [ ! -f "$TEXT/$file" ]; then
      echo "mismatch     $id (text/$file is missing; rebuilt copy in local/.check/)"
      n_bad=$((n_bad+1))
      continue
    fi
    if [ "$(sha "$TEXT/$file")" != "$text_sha" ]; then
      echo "mismatch     $id (committed text/$file differs from the recorded sha256)"
      n_bad=$((n_bad+1))
      continue
    fi
  else
    mv -f "$out" "$LOCAL/$file"
  fi
  echo "ok           $id"
  n_ok=$((n_ok+1))
done <<< "$list"

echo "-- $n_ok ok, $n_bad mismatch, $n_na unavailable"
[ "$n_bad" -eq 0 ] && [ "$n_na" -eq 0 ]
