#!/usr/bin/env python3
"""Sentence-level check of the built-in rule pack against corpus/paraphrases/sentences.tsv.

Each line of the TSV is one clause sentence with the status LEGAL.md gives it for one
requirement (present, flagged or none). The sentences were written by a helper who saw neither
the rules nor the corpora, in the styles of many kinds of vendors; they are rule-author material,
not a held-out set (rules were changed after seeing the misses). For each sentence the probe
example runs the pack on it alone; a red flag of the requirement that costs something (not a
review point, not severity info) makes it "flagged",
else a presence hit "present", else "none". Sentence-level only: document-level logic (headings,
counting specific security measures, partial assistance) cannot show here.

    cargo build --release --locked --examples
    python3 corpus/paraphrases/check.py            # counts per requirement, for each sentences*.tsv
    python3 corpus/paraphrases/check.py --misses   # every sentence where ampel differs
    python3 corpus/paraphrases/check.py sentences-2.tsv   # one file only

held-*.tsv are held out: written in the same batch as a sentences-N.tsv and split from it by a
seeded shuffle before anyone read either half, they are never read while rules change, and
--misses does not print their sentences (only their counts are measured).
"""
import collections, glob, os, subprocess, sys, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "..", "..", "target", "release", "examples", "probe")
PATTERNS = os.path.join(HERE, "..", "..", "patterns")


def info_rules():
    """Red flags of severity info (a cue, not a defect: e.g. "transfer stated"), by id."""
    out = set()
    for path in glob.glob(os.path.join(PATTERNS, "*", "*.toml")):
        rule = tomllib.load(open(path, "rb"))
        if rule.get("severity") == "info":
            out.add(rule["id"])
    return out


INFO = info_rules()


def verdict(requirement, sentence):
    out = subprocess.run([PROBE], input=sentence, capture_output=True, text=True, check=True).stdout
    got = "none"
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[0].startswith(requirement + "."):
            continue
        if parts[1] == "RedFlag" and "(review)" not in line and parts[0] not in INFO:
            return "flagged"
        if parts[1] == "Presence":
            got = "present"
    return got


def check(path):
    """Prints per-requirement agreement for one TSV file (and, with --misses, every miss)."""
    rows = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8")]
    rows = [r for r in rows[1:] if len(r) == 4]
    misses = collections.Counter()
    total = collections.Counter()
    pairs = collections.Counter()
    for requirement, expected, lang, sentence in rows:
        got = verdict(requirement, sentence)
        total[requirement] += 1
        pairs[(expected, got)] += 1
        if got != expected:
            misses[requirement] += 1
            if "--misses" in sys.argv and not os.path.basename(path).startswith("held"):
                print(f"{requirement}\t{expected} -> {got}\t{lang}\t{sentence}")
    print(f"== {os.path.basename(path)}")
    for requirement in sorted(total):
        print(f"{requirement:30} {total[requirement] - misses[requirement]:3}/{total[requirement]}")
    n, m = sum(total.values()), sum(misses.values())
    print(f"{'all':30} {n - m:3}/{n} sentences agree")
    print("expected -> ampel: " + ", ".join(f"{e}->{g} {c}" for (e, g), c in sorted(pairs.items())))


def main():
    if not os.path.exists(PROBE):
        sys.exit("build the probe first: cargo build --release --locked --examples")
    files = sorted(
        f for f in os.listdir(HERE) if f.startswith(("sentences", "held")) and f.endswith(".tsv")
    )
    wanted = [a for a in sys.argv[1:] if not a.startswith("--")]
    for name in files:
        if not wanted or name in wanted:
            check(os.path.join(HERE, name))


if __name__ == "__main__":
    main()
