#!/usr/bin/env python3
"""Drafts settled labels from two readings: cells both readers agree on are taken over (reader
a's clause and quote); every disagreement is listed for an adjudicator, who reads the agreement
and writes the decision and why. The light is then derived from the settled cells by the
worst-defect rule of LABELLING.md.

    python3 corpus/real/settle.py draft ID...     # writes labels/ID.toml with TODO markers
    python3 corpus/real/settle.py finish ID...    # checks no TODO is left, derives the light
"""
import os, re, sys, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
IDS = """dpa_present processing_details instructions unlawful_instruction_notice confidentiality
security_measures subprocessors data_subject_rights controller_assistance breach_notification
deletion_return audits own_purposes contract_changes precedence transfer_mechanism
transfer_locations government_access""".split()
MISSING_COSTS = IDS[:12]


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def load(reader, doc):
    return tomllib.load(open(os.path.join(HERE, "readings", reader, doc + ".toml"), "rb"))


def key(cell):
    return (cell["status"], cell.get("severity"))


def show(cell):
    s = cell["status"]
    if cell.get("severity"):
        s += " " + cell["severity"]
    return s


def cell_toml(req, cell):
    out = [f"[checklist.{req}]", f"status = {q(cell['status'])}"]
    if cell.get("severity"):
        out.append(f"severity = {q(cell['severity'])}")
    for k in ("clause", "quote", "note"):
        out.append(f"{k} = {q(cell.get(k, ''))}")
    return "\n".join(out)


def draft(doc):
    a, b = load("a", doc), load("b", doc)
    lines = [f"id = {q(doc)}", 'readers = ["a", "b"]']
    dis = []
    for k in ("is_dpa", "transfers_stated"):
        if a[k] == b[k]:
            lines.append(f"{k} = {'true' if a[k] else 'false'}")
        else:
            lines.append(f"{k} = \"TODO\"  # a: {a[k]}, b: {b[k]}")
            dis.append((k, str(a[k]).lower(), str(b[k]).lower()))
    lines.append('ampel = "derived"  # filled in by `settle.py finish` from the settled cells')
    lines.append(f"# reader a's light: {a['ampel']}; reader b's light: {b['ampel']}")
    if a["ampel"] != b["ampel"]:
        dis.append(("ampel", a["ampel"], b["ampel"]))
    lines.append(f"summary = {q(a.get('summary', ''))}")
    lines.append(f"# reader b's summary: {b.get('summary', '')}")
    lines.append("")
    for req in IDS:
        ca, cb = a["checklist"][req], b["checklist"][req]
        if key(ca) == key(cb):
            lines.append(cell_toml(req, ca))
        else:
            dis.append((req, show(ca), show(cb)))
            lines.append(f"# DISAGREEMENT — reader a: {show(ca)} | {ca.get('clause','')} | {ca.get('quote','')} | {ca.get('note','')}")
            lines.append(f"# DISAGREEMENT — reader b: {show(cb)} | {cb.get('clause','')} | {cb.get('quote','')} | {cb.get('note','')}")
            lines.append(f"[checklist.{req}]\nstatus = \"TODO\"\nclause = \"\"\nquote = \"\"\nnote = \"\"")
        lines.append("")
    for point, va, vb in dis:
        lines.append("[[disagreement]]")
        lines.append(f"point = {q(point)}\na = {q(va)}\nb = {q(vb)}\nsettled = \"TODO\"\nwhy = \"TODO\"\n")
    path = os.path.join(HERE, "labels", doc + ".toml")
    open(path, "w").write("\n".join(lines) + "\n")
    return len(dis)


def defect(label, req):
    cell = label["checklist"][req]
    if cell["status"] == "flagged":
        return cell["severity"]
    if cell["status"] == "missing":
        if req == "transfer_mechanism":
            return "yellow" if label["transfers_stated"] else None
        return "yellow" if req in MISSING_COSTS else None
    return None


def finish(doc):
    path = os.path.join(HERE, "labels", doc + ".toml")
    text = open(path).read()
    data = tomllib.loads(text)
    todo = [k for k, v in data.items() if v == "TODO"]
    todo += [r for r, c in data["checklist"].items() if c["status"] == "TODO"]
    todo += [d["point"] for d in data.get("disagreement", []) if "TODO" in (d["settled"], d["why"])]
    if todo:
        print(f"{doc}: still TODO: {', '.join(todo)}")
        return False
    worst = {defect(data, r) for r in IDS}
    ampel = "red" if "red" in worst else "yellow" if "yellow" in worst else "green"
    text = re.sub(r'^ampel = .*$', f'ampel = "{ampel}"', text, count=1, flags=re.M)
    text = re.sub(r"^# DISAGREEMENT — .*\n", "", text, flags=re.M)
    open(path, "w").write(text)
    return True


def main():
    cmd, docs = sys.argv[1], sys.argv[2:]
    if cmd == "draft":
        for d in docs:
            print(f"{d}: {draft(d)} disagreements")
    elif cmd == "finish":
        ok = all([finish(d) for d in docs])
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
