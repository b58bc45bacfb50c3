"""Seed files for the loader fuzzers and the hostile files (bombs, deep nesting) the loaders must refuse.

Everything is generated in code, deterministically, so the tests need no binary fixtures.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib

SEED_TEXT = [
    ("Ofsted inspection of children's services", 1),
    ("The inspection took place between 2 and 13 June 2025 and judged services good overall.", 0),
    ("Next steps", 2),
    ("Cabinet is asked to note the report and the improvement plan, which runs to March 2026.", 0),
    ("The next standard inspection is due between December 2027 and December 2028.", 0),
]


def pdf_seed() -> bytes:
    """A small uncompressed three-page PDF (so mutations land in readable objects and content streams)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=0, invariant=1)
    c.setTitle("Fuzz seed")
    c.setAuthor("Bury Council")
    for page in range(3):
        y = 800
        for text, level in SEED_TEXT:
            c.setFont("Helvetica-Bold" if level else "Helvetica", 14 if level else 10)
            c.drawString(50, y, f"{text} (page {page + 1})")
            y -= 24
        c.showPage()
    c.save()
    return buf.getvalue()


def docx_seed() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Fuzz seed"
    for text, level in SEED_TEXT:
        if level:
            document.add_heading(text, level)
        else:
            document.add_paragraph(text)
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate(table.rows):
        for col, cell in enumerate(row.cells):
            cell.text = f"cell {r}{col}"
    document.add_page_break()
    document.add_paragraph("A paragraph on page two.", style="List Bullet")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


HTML_SEED = (
    b"<!doctype html><html><head><title>Cabinet 10 September 2025</title>"
    b"<meta name='DC.date' content='2025-09-10'><meta name='classification' content='open'></head>"
    b"<body><nav class='menu'>Home</nav><main><h1>Ofsted inspection</h1><p>The inspection judged services "
    b"<b>good</b> overall.</p><h2>Next steps</h2><ul><li>Note the report</li>"
    b"<li><p>Agree the plan</p></li></ul>"
    b"<table><tr><th>Area</th><th>Grade</th></tr><tr><td>Leadership</td><td>Good</td></tr></table>"
    b"<pre>code</pre><dl><dt>Term</dt><dd>Definition</dd></dl></main><footer>Footer</footer></body></html>"
)

MD_SEED = (
    b"---\ntitle: Cabinet report\ndate: 2025-09-10\nclassification: open\n---\n# Ofsted inspection\n\n"
    b"The inspection judged services **good** overall.\n\n## Next steps\n\n"
    b"- Note the report\n1. Agree the plan\n\n"
    b"| Area | Grade |\n|---|---|\n| Leadership | Good |\n\n"
    b"Short heading\nA much longer paragraph follows the short heading line here.\n"
)


def mutate(data: bytes, rng: random.Random, max_ops: int = 8) -> bytes:
    """Byte-level mutations: flips, deletions, random insertions, copied splices, truncation."""
    b = bytearray(data)
    for _ in range(rng.randint(1, max_ops)):
        if not b:
            break
        i = rng.randrange(len(b))
        op = rng.randrange(6)
        if op == 0:
            b[i] = rng.randrange(256)
        elif op == 1:
            del b[i : i + rng.randint(1, 200)]
        elif op == 2:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        elif op == 3:
            j = rng.randrange(len(b))
            b[i:i] = b[j : j + rng.randint(1, 300)]
        elif op == 4:
            del b[i:]
        else:
            token = rng.choice(
                [
                    b"<",
                    b">",
                    b"<<",
                    b">>",
                    b"[",
                    b"]",
                    b"(",
                    b")",
                    b"0 R",
                    b"-1",
                    b"99999999999",
                    b"/Length",
                    b"stream",
                    b"endobj",
                    b"</p>",
                    b"<w:p>",
                    b"---",
                    b"|",
                    b"\x00",
                    b"\\",
                ]
            )
            b[i:i] = token
    return bytes(b)


def mutate_zip_member(data: bytes, member: str, rng: random.Random) -> bytes:
    """A valid zip whose `member` (e.g. word/document.xml) is mutated, so mutations reach the XML parser
    instead of failing the zip's CRC check."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == member:
                content = mutate(content, rng)
            dst.writestr(info.filename, content)
    return out.getvalue()


def pdf_bomb(decompressed_mb: int = 100) -> bytes:
    """A one-page PDF whose small Flate content stream inflates to `decompressed_mb`."""
    block = b" " * (1024 * 1024)
    comp = zlib.compressobj(1)
    stream = b"".join(comp.compress(block) for _ in range(decompressed_mb)) + comp.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _assemble_pdf(objects)


def _assemble_pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def many_pages_pdf(pages: int) -> bytes:
    """A PDF whose page tree claims `pages` pages, all sharing one tiny page object."""
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    return _assemble_pdf(objects)


def docx_bomb(uncompressed_mb: int = 50) -> bytes:
    """A DOCX whose word/document.xml inflates to `uncompressed_mb` of whitespace-padded XML."""
    base = zipfile.ZipFile(io.BytesIO(docx_seed()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in base.infolist():
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, base.read(info.filename))
                continue
            head, _, tail = base.read(info.filename).partition(b"<w:body>")
            with dst.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write(head + b"<w:body>")
                block = b" " * (1024 * 1024)
                for _ in range(uncompressed_mb):
                    fh.write(block)
                fh.write(tail)
    return out.getvalue()


def deep_html(depth: int = 100_000) -> bytes:
    return (
        b"<html><body><main>" + b"<div>" * depth + b"deep text" + b"</div>" * depth + b"</main></body></html>"
    )


def yaml_laughs(levels: int = 10) -> bytes:
    """Front matter whose YAML aliases expand exponentially when made into text (billion laughs)."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    header = "\n".join(lines)
    return f"---\n{header}\n---\n# Title\n\nBody text of the paper.\n".encode()
