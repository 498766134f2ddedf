#!/usr/bin/env python3
"""Checks readings and labels of the real corpus: the format of corpus/real/LABELLING.md, and
that every quote occurs in the agreement's text (markup and whitespace ignored; a PDF is read
with poppler's pdftotext, and its quotes are not checked where pdftotext is missing).

    python3 corpus/real/check_readings.py readings/a/de-example.toml ...
    python3 corpus/real/check_readings.py            # every reading and label
"""
import glob, html, os, re, shutil, subprocess, sys, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
IDS = """dpa_present processing_details instructions unlawful_instruction_notice confidentiality
security_measures subprocessors data_subject_rights controller_assistance breach_notification
deletion_return audits own_purposes contract_changes precedence transfer_mechanism
transfer_locations government_access""".split()
TOP = {"id", "reader", "readers", "is_dpa", "ampel", "transfers_stated", "summary", "checklist",
       "disagreement"}
CELL = {"status", "severity", "clause", "quote", "note"}


def plain(text):
    """The visible words of a text: tags, entities, Markdown emphasis and whitespace folded."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text)
    text = re.sub(r"[*_`\\#>|]", "", text)
    text = text.replace("\u00ad", "")
    text = re.sub(r"[\u2018\u2019\u201a\u201b]", "'", text)
    text = re.sub(r"[\u201c\u201d\u201e\u201f\u00ab\u00bb]", '"', text)
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def text_of(doc_id):
    src = tomllib.load(open(os.path.join(HERE, "sources", doc_id + ".toml"), "rb"))
    folder = "text" if src["redistributable"] else "local"
    path = os.path.join(HERE, folder, src["file"])
    if not os.path.exists(path):
        return None
    if path.lower().endswith(".pdf"):
        if shutil.which("pdftotext") is None:
            return None
        out = subprocess.run(["pdftotext", path, "-"], capture_output=True)
        return plain(out.stdout.decode("utf-8", errors="replace"))
    return plain(open(path, encoding="utf-8", errors="replace").read())


def check(path):
    problems = []
    try:
        data = tomllib.load(open(path, "rb"))
    except Exception as e:  # noqa: BLE001
        return [f"not valid TOML: {e}"]
    for key in data:
        if key not in TOP:
            problems.append(f"unknown key {key}")
    stem = os.path.splitext(os.path.basename(path))[0]
    if data.get("id") != stem:
        problems.append(f"id {data.get('id')!r} is not the file stem {stem!r}")
    if data.get("ampel") not in ("red", "yellow", "green"):
        problems.append("ampel must be red, yellow or green")
    for key in ("is_dpa", "transfers_stated"):
        if not isinstance(data.get(key), bool):
            problems.append(f"{key} must be true or false")
    checklist = data.get("checklist", {})
    for req in IDS:
        if req not in checklist:
            problems.append(f"checklist.{req} is missing")
    text = text_of(stem) if os.path.exists(os.path.join(HERE, "sources", stem + ".toml")) else None
    for req, cell in checklist.items():
        if req not in IDS:
            problems.append(f"unknown requirement {req}")
            continue
        for key in cell:
            if key not in CELL:
                problems.append(f"{req}: unknown key {key}")
        status = cell.get("status")
        if status not in ("present", "missing", "flagged"):
            problems.append(f"{req}: status must be present, missing or flagged")
        if status == "flagged" and cell.get("severity") not in ("red", "yellow"):
            problems.append(f"{req}: flagged needs severity red or yellow")
        if status != "flagged" and "severity" in cell:
            problems.append(f"{req}: severity only for flagged")
        quote = cell.get("quote", "")
        if status in ("present", "flagged") and not quote.strip():
            problems.append(f"{req}: {status} needs a quote")
        if len(quote) > 320:
            problems.append(f"{req}: quote has {len(quote)} characters (at most about 300)")
        if quote and text is not None:
            parts = [p for p in re.split(r"\s*(?:…|\.\.\.)\s*", quote) if p.strip()]
            for part in parts:
                if plain(part) not in text:
                    problems.append(f"{req}: quote not found in the text: {part[:80]!r}")
    return problems


def main():
    paths = sys.argv[1:] or sorted(
        glob.glob(os.path.join(HERE, "readings", "*", "*.toml"))
        + glob.glob(os.path.join(HERE, "labels", "*.toml")))
    bad = 0
    for path in paths:
        problems = check(path)
        if problems:
            bad += 1
            print(f"{path}:")
            for p in problems:
                print(f"  {p}")
    print(f"{len(paths)} files checked, {bad} with problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
