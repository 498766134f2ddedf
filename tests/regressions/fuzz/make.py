#!/usr/bin/env python3
"""Writes the seed inputs of tests/regressions/fuzz/ (no third-party modules).

Each seed is a case that broke, or was fixed in, ampel's history (see `why` in the tables),
written as the fuzz targets see their input: raw bytes whose first byte picks the file name
(extract_scan: 0 → .pdf, 1 → .md, 2 → .txt, 3 → .bin, by the byte modulo 4; rule_pack: even →
a rule file, odd → requirements.toml). Inputs found by `cargo fuzz` are committed next to them
under the name libFuzzer gave them. Output is deterministic: same script, same bytes.
"""

import importlib.util
import io
import os
import zipfile

OUT = os.path.dirname(os.path.abspath(__file__))
HOSTILE = os.path.join(OUT, "..", "..", "hostile", "make.py")

spec = importlib.util.spec_from_file_location("hostile", HOSTILE)
hostile = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hostile)
hostile.OUT = OUT


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def zip_of(entries, flag_bits=0):
    """A zip with fixed timestamps; `flag_bits` are set on every entry (1 = encrypted)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2020, 7, 3, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    data = bytearray(buffer.getvalue())
    if flag_bits:
        # General-purpose flags of local headers (offset 6) and central headers (offset 8).
        for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            at = data.find(signature)
            while at >= 0:
                data[at + offset] |= flag_bits
                at = data.find(signature, at + 4)
    return bytes(data)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def docx(paragraphs):
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<?xml version="1.0"?><w:document {W}><w:body>{body}</w:body></w:document>'
    return [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", document.encode())]


def odt(paragraphs):
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    content = (
        f'<?xml version="1.0"?><office:document-content {ODF}><office:body><office:text>'
        f"{body}</office:text></office:body></office:document-content>"
    )
    return [
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", content.encode()),
    ]


def extract_seeds():
    lines = [hostile.text_content(hostile.TEXT)]
    # Page trees whose /Count or /Kids lie: pages that cannot be reached are corrupt.
    objects = hostile.simple_pages(lines)
    objects[1] = b"<< /Type /Pages /Kids [4 0 R 2 0 R] /Count 2 >>"
    hostile.write_pdf("extract-page-tree-cycle", objects)
    objects = hostile.simple_pages(lines)
    objects[1] = b"<< /Type /Pages /Kids [4 0 R] /Count 40 >>"
    hostile.write_pdf("extract-count-beyond-kids", objects)
    # A content stream that does not inflate.
    objects = hostile.simple_pages(lines)
    objects[4] = b"<< /Length 24 /Filter /FlateDecode >>\nstream\nthis is not deflate data\nendstream"
    hostile.write_pdf("extract-content-not-deflate", objects)
    # Office packages: a zip bomb, a password-protected entry, a package cut in half.
    text = ["Allgemeine Lieferbedingungen", "Die Lieferung erfolgt in vierzehn Tagen."]
    bomb = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b" " * (40 << 20))]
    write("extract-docx-zip-bomb", zip_of(bomb))
    write("extract-docx-encrypted-entry", zip_of(docx(text), flag_bits=1))
    whole = zip_of(odt(text * 200))
    write("extract-odt-cut", whole[: len(whole) // 2])
    # Text: Latin-1 (first byte 'B' % 4 = 2: named .txt), deeply nested Markdown ('-' % 4 = 1:
    # named .md) and HTML ('<' % 4 = 0: named .pdf, recognised by its doctype).
    latin1 = "Bedingungen für Lieferungen. Die Ware wird binnen dreißig Tagen geliefert, Gerichtsstand ist München.\n"
    write("extract-latin1-text", (latin1 * 3).encode("latin-1"))
    write("extract-markdown-nested-lists", ("- " * 20_000 + "Punkt\n").encode())
    deep = "<p>" + " ".join(hostile.TEXT) + "</p>"
    html = "<!DOCTYPE html><html><body>" + "<div>" * 20_000 + deep + "</div>" * 20_000
    write("extract-html-nested-divs", (html + "</body></html>").encode())
    write("extract-empty", b"")


# A valid rule for fuzz/audits.fuzz.toml (the path the rule_pack target loads rule input as).
# It starts with a blank line: an even first byte, so the target reads it as a rule file.
RULE = """
id = "audits.fuzz"
requirement = "audits"
kind = "red_flag"
severity = "yellow"
languages = ["en"]
legal_basis = "Art. 28(3)(h) GDPR"
keywords = ["audit"]
patterns = ['audits?.{0,40}only']
title = { de = "Prüfung", en = "Audit" }
recommendation = { de = "r", en = "r" }
"""


def rule_pack_seeds():
    write("rule-pack-valid-rule", RULE.encode())
    huge = RULE.replace("'audits?.{0,40}only'", r"'\w{1000}\w{1000}\w{1000}'")
    write("rule-pack-huge-repetition", huge.encode())
    nested = RULE.replace("'audits?.{0,40}only'", "'" + "(" * 100 + "a" + ")" * 100 + "'")
    write("rule-pack-nested-groups", nested.encode())
    write("rule-pack-umlaut-in-class", RULE.replace("audits?", "[äa]udits?").encode())
    deadline = RULE.replace('severity = "yellow"', 'severity = "yellow"\ndeadline_over_hours = 72')
    write("rule-pack-deadline-without-groups", deadline.encode())
    write("rule-pack-float-overflow", RULE.replace("\nid", "\ndeadline_over_hours = 1e999\nid").encode())
    keywords = ", ".join(f"'k{i}'" for i in range(101))
    write("rule-pack-many-keywords", RULE.replace('["audit"]', f"[{keywords}]").encode())
    write("rule-pack-nul-byte", RULE.replace("kind", "ki\0nd").encode())
    # Odd first bytes ('#', '['): these replace requirements.toml.
    write("rule-pack-requirements-no-fields", b"# an entry without fields\n[[requirement]]\n")
    write(
        "rule-pack-requirements-bad-pattern",
        b'[[requirement]]\nid = "audits"\nlegal_basis = "x"\nmissing_severity = "yellow"\n'
        b"missing_only_if = ['(']\ntitle = { de = \"t\", en = \"t\" }\n"
        b'explanation = { de = "e", en = "e" }\nrecommendation = { de = "r", en = "r" }\n',
    )


if __name__ == "__main__":
    extract_seeds()
    rule_pack_seeds()
