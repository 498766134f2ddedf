#!/usr/bin/env python3
"""Writes the hostile PDFs of tests/hostile/ that need raw PDF syntax (no third-party modules).

Run through make.sh, which adds the qpdf-made files. Output is deterministic: same script,
same bytes (fixed seeds, no timestamps), so regenerating shows no diff.
"""

import os
import random
import sys
import zlib

OUT = os.path.dirname(os.path.abspath(__file__))

# Delivery terms, not a processor contract: analysed files come back as `not_a_dpa` whatever
# rules the pack has. German with umlauts, so the umlaut check has something to see.
TEXT = [
    "Allgemeine Lieferbedingungen der Muster Moebel GmbH",
    "1. Die Lieferung erfolgt innerhalb von vierzehn Tagen nach Bestellung.",
    "2. Der Kaufpreis ist binnen dreißig Tagen ohne Abzug fällig.",
    "3. Für Schäden beim Transport haftet der Spediteur nach den gesetzlichen Vorschriften.",
    "4. Gerichtsstand ist München. Es gilt das Recht der Bundesrepublik Deutschland.",
    "5. Änderungen dieser Bedingungen bedürfen der Schriftform.",
]


def pdf_string(text):
    """A literal string in WinAnsi (Latin-1 covers our umlauts)."""
    raw = text.encode("latin-1")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_content(lines, x=72, y=760, leading=16):
    ops = [b"BT /F1 11 Tf %d TL %d %d Td" % (leading, x, y)]
    for line in lines:
        ops.append(pdf_string(line) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def stream(content, extra=b"", compress=False):
    if compress:
        content = zlib.compress(content, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def write_pdf(name, objects, root=1, trailer_extra=b"", header=b"%PDF-1.7"):
    """objects: list of bytes, object i+1 is objects[i]. Writes a classic xref table."""
    out = bytearray(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        trailer_extra,
        xref,
    )
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(out)
    return bytes(out)


def simple_pages(contents, resources=None, page_extra=b""):
    """Catalog, page tree and one page per content stream; returns the object list."""
    n = len(contents)
    resources = resources or b"<< /Font << /F1 3 0 R >> >>"
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        FONT,
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R%s >>"
            % (resources, first_page + 2 * i + 1, page_extra)
        )
        objects.append(stream(content))
    return objects


def text_pdf():
    return write_pdf("text.pdf", simple_pages([text_content(TEXT)]))


def image_only():
    # A 200×100 grey "scan": an image and nothing else.
    w, h = 200, 100
    pixels = bytes((x * 255 // w) for _ in range(h) for x in range(w))
    image = zlib.compress(pixels, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        stream(b"q 400 0 0 200 100 500 cm /Im1 Do Q"),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (w, h, len(image))
        + image
        + b"\nendstream",
    ]
    write_pdf("image-only.pdf", objects)


def zero_pages():
    write_pdf(
        "zero-pages.pdf",
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"],
    )


def pages_2000():
    # One shared content stream and font: 2,000 pages in a few hundred KB.
    n = 2000
    content = text_content(TEXT[:3])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,
        FONT,
        stream(content, compress=True),
    ]
    kids = []
    for i in range(n):
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), n)
    write_pdf("pages-2000.pdf", objects)


def form_xobject():
    form = stream(
        text_content(TEXT),
        b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>",
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 6 0 R >> >> /Contents 5 0 R >>",
        stream(b"q /X1 Do Q"),
        form,
    ]
    write_pdf("form-xobject.pdf", objects)


def self_recursive_xobject():
    # A form that draws itself: endless recursion in a parser that follows it.
    form = stream(
        text_content(TEXT) + b"\n/X1 Do",
        b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /X1 6 0 R >> >>",
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /X1 6 0 R >> >> /Contents 5 0 R >>",
        stream(text_content(TEXT) + b"\nq /X1 Do Q"),
        form,
    ]
    write_pdf("self-recursive-xobject.pdf", objects)


def xobject_fanout(levels=28):
    # Form i draws form i+1 twice: 2^28 draws of the innermost text, in a few KB.
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> /XObject << /X 6 0 R >> >> /Contents 5 0 R >>",
        stream(text_content(TEXT) + b"\n/X Do"),
    ]
    first = len(objects) + 1
    for level in range(levels):
        this = first + level
        if level + 1 < levels:
            body = b"/X Do /X Do"
            res = b"<< /XObject << /X %d 0 R >> >>" % (this + 1)
        else:
            body = text_content(TEXT[:1])
            res = b"<< /Font << /F1 3 0 R >> >>"
        objects.append(
            stream(body, b" /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + res)
        )
    write_pdf("xobject-fanout.pdf", objects)


def deeply_nested(depth=100_000):
    # A page dictionary entry nested 100,000 arrays deep: recursion in a recursive-descent
    # parser.
    nested = b"[" * depth + b"]" * depth
    objects = simple_pages([text_content(TEXT)], page_extra=b" /Nested " + nested)
    write_pdf("deeply-nested.pdf", objects)


def huge_object_count():
    # The trailer and the page tree claim billions of objects and pages; the file has six.
    objects = simple_pages([text_content(TEXT)])
    objects[1] = b"<< /Type /Pages /Kids [4 0 R] /Count 2147483647 >>"
    data = bytearray(write_pdf("huge-object-count.pdf", objects))
    data = data.replace(b"/Size 6 ", b"/Size 4294967295 ")
    with open(os.path.join(OUT, "huge-object-count.pdf"), "wb") as f:
        f.write(data)


def decompression_bomb(gib=4):
    # 4 GiB of zeros, deflated twice (/Filter [/FlateDecode /FlateDecode]): a few KB on disk.
    inner = zlib.compressobj(9)
    chunk = bytes(64 * 1024 * 1024)
    parts = [inner.compress(chunk) for _ in range(gib * 16)]
    parts.append(inner.flush())
    once = b"".join(parts)
    twice = zlib.compress(once, 9)
    bomb = b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(twice)
    bomb += twice + b"\nendstream"
    objects = simple_pages([text_content(TEXT)])
    objects[4] = bomb
    write_pdf("decompression-bomb.pdf", objects)


def page_without_mediabox():
    objects = simple_pages([text_content(TEXT)])
    objects[3] = objects[3].replace(b" /MediaBox [0 0 595 842]", b"")
    write_pdf("no-mediabox.pdf", objects)


def garbled_font():
    # Every character code maps to the private-use area: text no extractor can read.
    cmap = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Garbled def 1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <20> <FF> <E020> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""
    objects = simple_pages([text_content(TEXT * 3)])
    objects[2] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    objects.append(stream(cmap))
    write_pdf("garbled-font.pdf", objects)


def mutants(base):
    # Truncated in the middle, the end cut (startxref and %%EOF lost), and 40 bits flipped
    # after the header (fixed seed).
    with open(os.path.join(OUT, "truncated-half.pdf"), "wb") as f:
        f.write(base[: len(base) // 2])
    with open(os.path.join(OUT, "truncated-tail.pdf"), "wb") as f:
        f.write(base[:-20])
    rng = random.Random(5)
    flipped = bytearray(base)
    for _ in range(40):
        i = rng.randrange(16, len(flipped))
        flipped[i] ^= 1 << rng.randrange(8)
    with open(os.path.join(OUT, "bit-flipped.pdf"), "wb") as f:
        f.write(flipped)


def junk_before_header(base):
    # 700 bytes of an HTTP response before the header, as a broken download leaves them;
    # readers accept the header within the first 1,024 bytes.
    junk = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n" + b"X-Padding: " + b"x" * 630 + b"\r\n\r\n"
    with open(os.path.join(OUT, "junk-before-header.pdf"), "wb") as f:
        f.write(junk[:700] + base)


def damaged_pages():
    # Three pages, each with its own compressed content stream; the streams of pages 2 and 3
    # are damaged (bytes overwritten in the middle), as bit rot or a bad transfer leaves them.
    # pdf-extract reads page 1 only, pdftotext reports syntax errors: partly read, and since
    # page 1 alone is no agreement, `corrupt`, never `not_a_dpa`.
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R 6 0 R 8 0 R] /Count 3 >>",
        FONT,
    ]
    for i in range(3):
        content = zlib.compress(text_content(TEXT * 2), 9)
        if i > 0:
            middle = len(content) // 3
            content = content[:middle] + bytes(40) + content[middle + 40 :]
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
            % (len(objects) + 2)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream"
        )
    write_pdf("damaged-pages.pdf", objects)


def gibberish_text():
    # An intact PDF whose text is letter salad, like what a fallback extractor returns from a
    # damaged file: words, but no German or English among them.
    rng = random.Random(11)
    letters = "bcdfghjklmnpqrstvwxz"
    lines = []
    for _ in range(12):
        words = ["".join(rng.choice(letters) for _ in range(rng.randrange(3, 9))) for _ in range(8)]
        lines.append(" ".join(words))
    write_pdf("gibberish-text.pdf", simple_pages([text_content(lines)]))


def zip_bomb_docx():
    # A Word file whose document.xml is 50 MiB of one repeated byte: it deflates about 1000:1.
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("word/document.xml", date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, b"<w:document>" + b" " * (50 * 1024 * 1024) + b"</w:document>")
    with open(os.path.join(OUT, "zip-bomb.docx"), "wb") as f:
        f.write(buf.getvalue())


def others():
    with open(os.path.join(OUT, "empty.pdf"), "wb"):
        pass
    rng = random.Random(7)
    with open(os.path.join(OUT, "not-a-pdf.pdf"), "wb") as f:
        f.write(bytes([0x00, 0xFF, 0xFE]) + bytes(rng.randrange(256) for _ in range(2048)))
    with open(os.path.join(OUT, "text-named.pdf"), "w", encoding="utf-8") as f:
        f.write("\n".join(TEXT) + "\n")
    # The 8-byte PNG signature and an IHDR chunk: an image, not a document.
    with open(os.path.join(OUT, "scan.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU")


def main():
    base = text_pdf()
    image_only()
    zero_pages()
    pages_2000()
    form_xobject()
    self_recursive_xobject()
    xobject_fanout()
    deeply_nested()
    huge_object_count()
    decompression_bomb()
    page_without_mediabox()
    garbled_font()
    mutants(base)
    junk_before_header(base)
    damaged_pages()
    gibberish_text()
    zip_bomb_docx()
    others()
    return 0


if __name__ == "__main__":
    sys.exit(main())
