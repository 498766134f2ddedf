#!/usr/bin/env python3
"""Can a word model tell a deficient clause from a sufficient one? A measurement, dev split only.

Most defects ampel misses on agreements it never saw are clauses the readers rated deficient
(status "flagged": an audit right cut down to documents, SCCs named generically, a deletion
duty full of exceptions), which ampel takes as present. This asks whether a word model, trained
on the readers' dev labels, could flag those clauses.

For every agreement of the dev split it reads ampel's sentences (`ampel extract --normalised`)
and ampel's verdict (`ampel scan --format jsonl`). One example per (agreement, requirement) cell
where the readers found the clause (present or flagged) and ampel quotes evidence for it: the
words of every section ampel quotes for that requirement, each word also joined to the
requirement id, and the target "the readers flagged it". A logistic regression over hashed
unigrams and bigrams is scored by 5-fold cross-validation over agreements (no agreement is
scored by a model that saw it).

Printed: the ranking quality (AUC) on the cells ampel reports as present, and the defect
precision/recall of the rules alone and with the model turning "present" into "flagged" above a
threshold. The test split is never read.

    cargo build --release --locked
    pip install numpy scikit-learn
    python3 corpus/real/experiments/deficiency_classifier.py
"""
import os
import sys

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import normalize

sys.path.insert(0, os.path.dirname(__file__))
from clause_classifier import defect, fold, load_dev  # noqa: E402


def load_cells():
    """One example per found (agreement, requirement) cell that ampel quotes evidence for, from
    the sentences, verdicts and labels `clause_classifier.load_dev` reads."""
    cells = []
    for doc_id, doc in load_dev().items():
        sections = {}
        for heading, sentence in doc["sentences"]:
            sections.setdefault(heading, []).append(sentence)
        label, record = doc["label"], doc["record"]
        reported = {f["requirement"] for f in record["findings"] if f["severity"] != "info"}
        for entry in record["checklist"]:
            req = entry["requirement"]
            cell = label["checklist"].get(req)
            if not cell or not entry.get("evidence"):
                continue
            text = []
            for ev in entry["evidence"]:
                text += sections.get(ev.get("section") or "", [ev["quote"]])
                text.append(ev["quote"])
            cells.append(dict(doc=doc_id, req=req, text=" ".join(text),
                              ampel=entry["status"], reported=req in reported,
                              label=cell["status"], defect=defect(label, req)))
    return cells


def features(req, text):
    words = fold(text).split()
    grams = words + [a + "_" + b for a, b in zip(words, words[1:])]
    return grams + [req + ":" + g for g in grams] + ["req:" + req]


def main():
    cells = load_cells()
    x = FeatureHasher(n_features=2**19, input_type="string", alternate_sign=False).transform(
        [features(c["req"], c["text"]) for c in cells])
    x.data = np.log1p(x.data)
    x = normalize(x)
    trainable = np.array([c["label"] in ("present", "flagged") for c in cells])
    y = np.array([c["label"] == "flagged" for c in cells])
    docs = sorted({c["doc"] for c in cells})
    np.random.RandomState(7).shuffle(docs)
    score = np.zeros(len(cells))
    for k in range(5):
        held = set(docs[k::5])
        fold_of = np.array([c["doc"] in held for c in cells])
        train = trainable & ~fold_of
        model = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced")
        model.fit(x[train], y[train])
        score[fold_of] = model.predict_proba(x[fold_of])[:, 1]

    present = np.array([c["ampel"] == "present" and c["label"] in ("present", "flagged")
                        for c in cells])
    print(f"{len(docs)} dev agreements, {len(cells)} cells with evidence, "
          f"{int(trainable.sum())} of them found by the readers ({int(y.sum())} flagged)")
    print(f"AUC, flagged vs present, all found cells (5-fold CV): "
          f"{roc_auc_score(y[trainable], score[trainable]):.3f}")
    print(f"AUC on the cells ampel reports present ({int(present.sum())}, "
          f"{int(y[present].sum())} flagged by the readers): "
          f"{roc_auc_score(y[present], score[present]):.3f}")

    def pr(reported):
        truth = [c["defect"] for c in cells]
        tp = sum(t and r for t, r in zip(truth, reported))
        fp = sum(r and not t for t, r in zip(truth, reported))
        fn = sum(t and not r for t, r in zip(truth, reported))
        return (f"TP {tp} FP {fp} FN {fn}, precision {tp / max(1, tp + fp):.2f}, "
                f"recall {tp / max(1, tp + fn):.2f}")

    print("defects among these cells, rules alone (training: tuned on dev):",
          pr([c["reported"] for c in cells]))
    for t in (0.5, 0.7, 0.8, 0.9):
        flip = [c["reported"] or (c["ampel"] == "present" and s >= t)
                for c, s in zip(cells, score)]
        print(f"  with the model flagging 'present' cells at {t}:", pr(flip))
    by_req = {}
    for c, s in zip(cells, score):
        if c["ampel"] == "present" and c["label"] in ("present", "flagged"):
            by_req.setdefault(c["req"], []).append((c["label"] == "flagged", s))
    print("per requirement, cells ampel reports present: flagged / all, AUC")
    for req, pairs in sorted(by_req.items()):
        ys, ss = [p[0] for p in pairs], [p[1] for p in pairs]
        auc = roc_auc_score(ys, ss) if 0 < sum(ys) < len(ys) else float("nan")
        print(f"  {req:28} {sum(ys):3} / {len(ys):3}  {auc:.2f}")


if __name__ == "__main__":
    main()
