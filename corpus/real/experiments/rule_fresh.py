#!/usr/bin/env python3
"""Which rules misfire on agreements they have never seen? A measurement, dev split only.

Every batch of the real corpus was measured with the rules of the day before any rule saw it
(README, "Accuracy on real agreements"). This script repeats that first look rule by rule: for
each batch it runs the ampel that predates the batch on the batch's **dev** agreements, and
attributes every defect ampel reports (a finding of severity red or yellow) to the rule that
made it. A rule's finding is confirmed when the settled label makes the same requirement a
defect, and false when the label has the clause present. Requirements the label leaves out are
skipped. The test split is never read: only dev ids are scanned and only their labels opened.

The result is a per-rule "fresh precision": how often a rule's word is right on text that did
not shape it. A rule that is right on dev today but often wrong when first meeting an agreement
fits the agreements it was tuned on. `--current BIN` runs one binary over the same agreements
instead (training accuracy, for comparison).

    python3 corpus/real/experiments/rule_fresh.py --build      # builds the old ampels (minutes)
    python3 corpus/real/experiments/rule_fresh.py              # prints the table
    python3 corpus/real/experiments/rule_fresh.py --current target/release/ampel
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
REAL = os.path.join(ROOT, "corpus", "real")
BINS = os.path.join(ROOT, "target", "fresh-bins")

# (commit that added the batch's sources, commit whose rules measured the batch first), from the
# README's batch tables: the tenth to the nineteenth batch.
BATCHES = [
    ("fafc6d4", "6c220c8"),
    ("e06cdc3", "2702d84"),
    ("ac1a327", "c1417c8"),
    ("8fe4cac", "eadb019"),
    ("9db5c12", "6a5cb46"),
    ("023b6a8", "5661e7f"),
    ("5a7cabe", "b9a34ab"),
    ("06dbabc", "cb82286"),
    ("9198ca5", "3b28e8b"),
    ("67620d0", "48a763b"),
]

# Requirements whose "missing" costs something (tests/common/real.rs, MISSING_COSTS).
MISSING_COSTS = {
    "dpa_present", "processing_details", "instructions", "unlawful_instruction_notice",
    "confidentiality", "security_measures", "subprocessors", "data_subject_rights",
    "controller_assistance", "breach_notification", "deletion_return", "audits",
}


def git(*args):
    return subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True, check=True).stdout


def batch_ids(commit):
    names = git("show", "--name-only", "--format=", "--diff-filter=A", commit, "--", "corpus/real/sources")
    return [os.path.basename(p)[: -len(".toml")] for p in names.split()]


def label_defect(label, requirement):
    """The label's defect verdict for a requirement, None when the label leaves it out."""
    cell = label["checklist"].get(requirement)
    if cell is None:
        return None
    if cell["status"] == "flagged":
        return True
    if cell["status"] == "missing":
        if requirement == "transfer_mechanism":
            return label["transfers_stated"]
        return requirement in MISSING_COSTS
    return False


def text_path(doc_id):
    for folder in ("text", "local"):
        found = glob.glob(os.path.join(REAL, folder, doc_id + ".*"))
        if found:
            return found[0]
    return None


def build():
    """Builds the ampel of each rules commit in a scratch worktree (target/fresh-bins)."""
    os.makedirs(BINS, exist_ok=True)
    tree = os.path.join(BINS, "worktree")
    if not os.path.isdir(tree):
        git("worktree", "add", "--detach", tree, BATCHES[0][1])
    for _, rules in BATCHES:
        out = os.path.join(BINS, "ampel." + rules)
        if os.path.exists(out):
            continue
        subprocess.run(["git", "-C", tree, "checkout", "-q", "--detach", rules], check=True)
        env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(BINS, "target"))
        subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "ampel"], cwd=tree, env=env, check=True)
        subprocess.run(["cp", os.path.join(BINS, "target", "release", "ampel"), out], check=True)
        print("built", out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", action="store_true", help="build the old ampels first")
    parser.add_argument("--current", help="run this binary on every batch instead")
    args = parser.parse_args()
    if args.build:
        build()
    with open(os.path.join(REAL, "split.toml"), "rb") as f:
        dev = set(tomllib.load(f)["dev"])
    per_rule = collections.defaultdict(lambda: [0, 0, []])  # confirmed, false, false ids
    missed = collections.Counter()
    agreements = 0
    for batch, rules in BATCHES:
        binary = args.current or os.path.join(BINS, "ampel." + rules)
        if not os.path.exists(binary):
            raise SystemExit(f"{binary} is missing: run with --build")
        for doc_id in (i for i in batch_ids(batch) if i in dev):
            path = text_path(doc_id)
            with open(os.path.join(REAL, "labels", doc_id + ".toml"), "rb") as f:
                label = tomllib.load(f)
            if path is None or not label.get("is_dpa", True):
                continue
            agreements += 1
            out = subprocess.run([binary, "scan", "--format", "json", path], capture_output=True, text=True).stdout
            record = json.loads(out)["documents"][0]
            reported = collections.defaultdict(set)
            for finding in record.get("findings", []):
                if finding["severity"] != "info":
                    reported[finding["requirement"]].add(finding["rule"])
            for requirement, rule_ids in reported.items():
                verdict = label_defect(label, requirement)
                if verdict is None:
                    continue
                for rule in rule_ids:
                    entry = per_rule[rule]
                    if verdict:
                        entry[0] += 1
                    else:
                        entry[1] += 1
                        entry[2].append(doc_id)
            for requirement in label["checklist"]:
                if label_defect(label, requirement) and requirement not in reported:
                    missed[requirement] += 1
    what = "one binary (" + args.current + ")" if args.current else "the ampel of the day before each batch"
    print(f"{agreements} dev agreements of {len(BATCHES)} batches, {what}\n")
    print(f"{'rule':58} confirmed  false  agreements where false")
    rows = sorted(per_rule.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
    for rule, (confirmed, false, ids) in rows:
        print(f"{rule:58} {confirmed:9} {false:6}  {' '.join(ids)}")
    confirmed = sum(v[0] for v in per_rule.values())
    false = sum(v[1] for v in per_rule.values())
    print(f"\nall rules: {confirmed} confirmed, {false} false (precision {confirmed / max(1, confirmed + false):.2f})")
    print("defects no rule reported, by requirement:", dict(missed.most_common()))


if __name__ == "__main__":
    main()
