#!/usr/bin/env python3
"""Sentence-level check of the built-in rule pack against corpus/paraphrases/sentences.tsv.

Each line of the TSV is one clause sentence with the status LEGAL.md gives it for one
requirement (present, flagged or none). The sentences were written by a helper who saw neither
the rules nor the corpora, in the styles of many kinds of vendors; they are rule-author material,
not a held-out set (rules were changed after seeing the misses). For each sentence the probe
example runs the pack on it alone; a non-review red flag of the requirement makes it "flagged",
else a presence hit "present", else "none". Sentence-level only: document-level logic (headings,
counting specific security measures, partial assistance) cannot show here.

    cargo build --release --locked --examples
    python3 corpus/paraphrases/check.py            # counts per requirement and expectation
    python3 corpus/paraphrases/check.py --misses   # every sentence where ampel differs
"""
import collections, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE = os.path.join(HERE, "..", "..", "target", "release", "examples", "probe")


def verdict(requirement, sentence):
    out = subprocess.run([PROBE], input=sentence, capture_output=True, text=True, check=True).stdout
    got = "none"
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[0].startswith(requirement + "."):
            continue
        if parts[1] == "RedFlag" and "(review)" not in line:
            return "flagged"
        if parts[1] == "Presence":
            got = "present"
    return got


def main():
    if not os.path.exists(PROBE):
        sys.exit("build the probe first: cargo build --release --locked --examples")
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(HERE, "sentences.tsv"), encoding="utf-8")]
    rows = [r for r in rows[1:] if len(r) == 4]
    misses = collections.Counter()
    total = collections.Counter()
    for requirement, expected, lang, sentence in rows:
        got = verdict(requirement, sentence)
        total[requirement] += 1
        if got != expected:
            misses[requirement] += 1
            if "--misses" in sys.argv:
                print(f"{requirement}\t{expected} -> {got}\t{lang}\t{sentence}")
    for requirement in sorted(total):
        print(f"{requirement:30} {total[requirement] - misses[requirement]:3}/{total[requirement]}")
    n, m = sum(total.values()), sum(misses.values())
    print(f"{'all':30} {n - m:3}/{n} sentences agree")


if __name__ == "__main__":
    main()
