#!/usr/bin/env python3
"""Would a learned clause finder generalise better than the rules? A measurement, dev split only.

For every agreement of the real corpus's dev split this reads ampel's sentences (`ampel extract
--normalised`) and ampel's verdict (`ampel scan --format jsonl`). A sentence is a positive example
of a requirement when the reading's quote for that requirement (status present or flagged)
covers it. Per requirement a logistic regression over hashed word unigrams, bigrams and the
words of the sentence's heading scores every sentence; an agreement's score for a requirement is
its best sentence's. Scores come from 5-fold cross-validation over agreements (no agreement is
scored by a model that saw it), so they estimate how the model does on agreements it never saw.

Printed: the "clause absent" claim (the claim behind a "missing" finding) of the rules and of the
model at several thresholds, and defect precision/recall when the model may overrule a "missing"
finding of the rules. The test split is never read.

    cargo build --release --locked
    pip install numpy scikit-learn
    python3 corpus/real/experiments/clause_classifier.py
"""
import json
import os
import re
import subprocess
import tomllib
import unicodedata
from collections import defaultdict

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
REAL = os.path.join(ROOT, "corpus", "real")
AMPEL = os.path.join(ROOT, "target", "release", "ampel")
MISSING_COSTS = {"dpa_present", "processing_details", "instructions",
                 "unlawful_instruction_notice", "confidentiality", "security_measures",
                 "subprocessors", "data_subject_rights", "controller_assistance",
                 "breach_notification", "deletion_return", "audits"}


def fold(s):
    s = unicodedata.normalize("NFKD", s.lower()).replace("ß", "ss")
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def defect(label, req):
    cell = label["checklist"].get(req)
    if not cell:
        return False
    if cell["status"] == "flagged":
        return True
    if cell["status"] == "missing":
        if req == "transfer_mechanism":
            return label.get("transfers_stated", False)
        return req in MISSING_COSTS
    return False


def covered(sentence, quote):
    """True when the quote (or one of its pieces around an ellipsis) covers the sentence."""
    fs = fold(sentence)
    ts = set(fs.split())
    if len(ts) < 3:
        return False
    for piece in re.split(r"…|\.\.\.|\[\.\.\.\]", quote):
        fq = fold(piece)
        if len(fq) < 12:
            continue
        if fq in fs or (fs in fq and len(fs) > 25):
            return True
        tq = set(fq.split())
        if min(len(ts), len(tq)) >= 5 and len(ts & tq) >= 0.7 * min(len(ts), len(tq)):
            return True
    return False


def features(heading, sentence):
    words = fold(sentence).split()
    return (words + [a + "_" + b for a, b in zip(words, words[1:])]
            + ["h:" + w for w in fold(heading).split()])


def load_dev():
    split = tomllib.load(open(os.path.join(REAL, "split.toml"), "rb"))
    docs = {}
    for doc_id in split["dev"]:
        source = tomllib.load(open(os.path.join(REAL, "sources", doc_id + ".toml"), "rb"))
        folder = "text" if source.get("redistributable") else "local"
        path = os.path.join(REAL, folder, source["file"])
        if not os.path.exists(path):
            print("no text here (run corpus/real/fetch.sh):", doc_id)
            continue
        out = subprocess.run([AMPEL, "extract", "--normalised", path],
                             capture_output=True, text=True).stdout
        sentences, heading = [], ""
        for line in out.split("\n"):
            if line.startswith("## "):
                heading = line[3:]
            elif line.startswith("- "):
                sentences.append((heading, line[2:]))
        scan = subprocess.run([AMPEL, "scan", "--format", "jsonl", "--fail-on", "never", path],
                              capture_output=True, text=True).stdout
        label = tomllib.load(open(os.path.join(REAL, "labels", doc_id + ".toml"), "rb"))
        docs[doc_id] = dict(sentences=sentences, record=json.loads(scan.splitlines()[0]),
                            label=label)
    return docs


def main():
    docs = load_dev()
    reqs = sorted({r for d in docs.values() for r in d["label"]["checklist"]})
    rows, ys = [], defaultdict(list)
    for d in docs.values():
        d["rows"] = (len(rows), len(rows) + len(d["sentences"]))
        for heading, sentence in d["sentences"]:
            rows.append(features(heading, sentence))
            for req in reqs:
                cell = d["label"]["checklist"].get(req)
                ys[req].append(bool(cell) and cell["status"] in ("present", "flagged")
                               and covered(sentence, cell.get("quote", "")))
    x = FeatureHasher(n_features=2**18, input_type="string", alternate_sign=False).transform(rows)
    x.data = np.log1p(x.data)
    x = normalize(x)
    ys = {r: np.array(v) for r, v in ys.items()}

    ids = sorted(docs)
    np.random.RandomState(7).shuffle(ids)
    score = {}
    for k in range(5):
        held = ids[k::5]
        train = np.concatenate([np.arange(*docs[i]["rows"]) for i in ids if i not in held])
        for req in reqs:
            if ys[req][train].sum() < 3:
                continue
            model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
            model.fit(x[train], ys[req][train])
            for i in held:
                a, b = docs[i]["rows"]
                score[(i, req)] = float(model.predict_proba(x[a:b])[:, 1].max()) if b > a else 0.0

    def pr(pairs):
        tp = sum(w and g for w, g in pairs)
        fp = sum(g and not w for w, g in pairs)
        fn = sum(w and not g for w, g in pairs)
        return f"TP {tp} FP {fp} FN {fn}, precision {tp / max(1, tp + fp):.2f}, recall {tp / max(1, tp + fn):.2f}"

    def exists(label, req):
        cell = label["checklist"].get(req)
        return bool(cell) and cell["status"] in ("present", "flagged")

    cells = [(i, r) for i in ids for r in docs[i]["label"]["checklist"]]
    status = {i: {c["requirement"]: c["status"] for c in docs[i]["record"]["checklist"]} for i in ids}
    print(f"{len(ids)} dev agreements, {len(rows)} sentences")
    print('"clause absent", rules (training: tuned on dev):',
          pr([(not exists(docs[i]["label"], r), status[i].get(r) not in ("present", "flagged"))
              for i, r in cells]))
    for t in (0.5, 0.7, 0.9):
        print(f'"clause absent", model (5-fold CV), threshold {t}:',
              pr([(not exists(docs[i]["label"], r), score.get((i, r), 0) < t) for i, r in cells]))
    for t in (None, 0.5, 0.9, 0.98):
        pairs = []
        for i, r in cells:
            findings = docs[i]["record"]["findings"]
            got = {f["requirement"] for f in findings if f["severity"] != "info"}
            only_missing = {f["requirement"] for f in findings
                            if f["severity"] != "info" and f["kind"] == "missing"}
            other = {f["requirement"] for f in findings
                     if f["severity"] != "info" and f["kind"] != "missing"}
            reported = r in got
            if t is not None and r in only_missing and r not in other and score.get((i, r), 0) >= t:
                reported = False
            pairs.append((defect(docs[i]["label"], r), reported))
        what = "rules alone" if t is None else f"model overrules 'missing' at {t}"
        print(f"defects, {what}:", pr(pairs))


if __name__ == "__main__":
    main()
