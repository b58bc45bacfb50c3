"""Long PDFs read properly: furniture never in a chunk, judgement tables as rows, numbered paragraphs in the
section path, footnotes with their paragraph, every block and chunk on the page it cites.

Checked on the 22 whole Ofsted reports of the sample corpus against PDFium's plain page text (no layout
analysis), and on a made-up paper of another publisher's layout (reportlab), so nothing here depends on Ofsted's
wording."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.documents import BlockKind
from ingest.loaders import load_pdf
from tests.ofsted import meta, on_page, parsed, raw_pages, report_names, squash

REPORTS = report_names()


def _repeated_lines(name: str) -> set[str]:
    """Lines of PDFium's plain text that recur on at least 30% of the pages (digits ignored): running titles,
    dates and page numbers, found without the product's code."""
    pages = raw_pages(name)
    seen: dict[str, set[int]] = defaultdict(set)
    for n, page in enumerate(pages):
        for line in page.splitlines():
            key = re.sub(r"\d+", "#", " ".join(line.split()).lower())
            if key:
                seen[key].add(n)
    return {k for k, on in seen.items() if len(on) >= max(2, 0.3 * len(pages))}


def test_the_corpus_has_the_22_reports() -> None:
    assert len(REPORTS) == 22


@pytest.mark.parametrize("name", REPORTS)
def test_furniture_never_in_a_chunk(name: str) -> None:
    doc = parsed(name)
    chunks = chunk_document(doc, meta(name))
    repeated = _repeated_lines(name)
    assert repeated, "every report has running furniture (a title, a date or a page number)"
    colophon = (
        "crown copyright",
        "enquiries@ofsted.gov.uk",
        "piccadilly gate",
        "textphone",
        "open government licence",
    )
    for chunk in chunks:
        for line in chunk.text.splitlines():
            key = re.sub(r"\d+", "#", " ".join(line.split()).lower())
            assert key not in repeated, (name, chunk.page_start, line)
            assert not re.fullmatch(r"(page\s*)?\d{1,3}", line.strip(), re.I), (name, line)
        lowered = chunk.text.lower()
        assert not any(marker in lowered for marker in colophon), (name, chunk.text[:200])


@pytest.mark.parametrize("name", REPORTS)
def test_blocks_are_on_the_page_they_say(name: str) -> None:
    """Every block's opening words are on its page in PDFium's own reading of that page (a sentence that runs
    over a page break is kept whole on the page where it starts, so only its opening is checked)."""
    for block in parsed(name).blocks:
        assert block.page is not None
        head = block.text.split("\n")[0][:80]
        if len(squash(head)) >= 8:
            assert on_page(head, name, block.page), (name, block.page, head)


@pytest.mark.parametrize("name", REPORTS)
def test_chunks_never_span_pages(name: str) -> None:
    for chunk in chunk_document(parsed(name), meta(name)):
        assert chunk.page_start == chunk.page_end, (name, chunk.heading_path)


@pytest.mark.parametrize("name", [n for n in REPORTS if "ilacs" in n or "sif" in n])
def test_the_judgement_table_stays_a_table(name: str) -> None:
    """One row per judgement with its grade, all in one block, and that block in one chunk."""
    grades = ("outstanding", "good", "requires improvement", "requires improvement to be good", "inadequate")
    tables = [b for b in parsed(name).blocks if b.kind == BlockKind.TABLE and b.page == 1]
    assert len(tables) == 1, name
    rows = tables[0].text.split("\n")
    graded = [r for r in rows if r.split(" | ")[-1].strip().lower() in grades]
    assert len(graded) >= 4, rows
    for row in graded:
        label, grade = row.rsplit(" | ", 1)
        assert len(label.split()) >= 2 and grade
    chunks = chunk_document(parsed(name), meta(name))
    assert any(tables[0].text in c.text for c in chunks), "the table is split across chunks"


def test_numbered_paragraphs_and_headings_make_the_section_path() -> None:
    name = "bury-ofsted-ilacs-2025-07-29.pdf"
    chunks = chunk_document(parsed(name), meta(name))
    para5 = next(c for c in chunks if c.text.startswith("5. When children are considered to be at risk"))
    assert para5.heading_path[-1] == "paragraph 5"
    assert para5.heading_path[-2].startswith(
        "The experiences and progress of children who need help and protection"
    )
    assert para5.page_start == 3 and on_page(para5.text[:120], name, 3)


def test_a_footnote_stays_with_its_paragraph() -> None:
    name = "bury-ofsted-ilacs-2025-07-29.pdf"
    blocks = parsed(name).blocks
    marker = next(b for b in blocks if b.text.startswith("What needs to improve?"))
    assert marker.text.endswith("¹") and marker.page == 2
    note = next(b for b in blocks if "cross-referenced with the outcomes" in b.text)
    assert note.page == 2 and note.text.startswith("¹ The areas for improvement")
    assert blocks.index(note) == blocks.index(marker) + 1  # opens the section it annotates
    chunks = chunk_document(parsed(name), meta(name))
    holding = next(c for c in chunks if "cross-referenced with the outcomes" in c.text)
    assert "The quality of plans and contingency planning" in holding.text  # with the list it explains


def test_footnote_on_a_paragraph_is_appended_to_it() -> None:
    name = "bury-ofsted-sif-2016-05-16.pdf"
    block = next(b for b in parsed(name).blocks if "updated it with local unvalidated data" in b.text)
    assert block.page == 5 and block.text.startswith("² The local authority was given the opportunity")


# ---------------------------------------------------------------- another publisher's layout


def _made_up_paper() -> bytes:
    """Four pages: a running header and a 'Page n of 4' footer on each, a ruled table, numbered paragraphs with a
    footnote, and a sentence that runs over a page break."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    _width, height = A4
    body = [
        f"{n}. The panel reviewed placement number {n} and found that the plan was sound."
        for n in range(1, 9)
    ]
    for page in range(1, 5):
        c.setFont("Helvetica", 9)
        c.drawString(60, height - 40, "Annual report of the Riverside Fostering Panel 2024")
        c.drawString(60, 30, f"Page {page} of 4")
        y = height - 100
        if page == 1:
            c.setFont("Helvetica-Bold", 18)
            c.drawString(60, y, "Riverside Fostering Panel annual report")
            y -= 40
            c.setFont("Helvetica", 11)
            rows = [("Measure", "Result"), ("Carers approved", "Twelve"), ("Reviews held", "Forty")]
            top = y + 14
            for i, (a, b) in enumerate(rows):
                c.drawString(66, y - i * 20, a)
                c.drawString(266, y - i * 20, b)
            bottom = y - 20 * len(rows) + 14
            for x in (60, 260, 460):
                c.line(x, top, x, bottom)
            for k in range(len(rows) + 1):
                c.line(60, top - 20 * k, 460, top - 20 * k)
            y = bottom - 40
        c.setFont("Helvetica", 11)
        for line in body[(page - 1) * 2 : page * 2]:
            c.drawString(60, y, line)
            y -= 30
        if page == 2:
            y -= 20
            c.drawString(60, y, "Members noted that the budget for the year")
            c.setFont("Helvetica", 7)
            c.drawString(282, y + 4, "1")
            c.setFont("Helvetica", 11)
            c.setFont("Helvetica", 8)
            c.drawString(60, 60, "1 The budget is set by the Corporate Parenting Board each spring.")
        if page == 3:
            c.setFont("Helvetica", 11)
            c.drawString(60, height - 70, "was agreed in March 2024. Spending was on plan.")
        c.showPage()
    c.save()
    return buf.getvalue()


def test_another_layout_loses_its_furniture_and_keeps_its_structure(tmp_path: Path) -> None:
    path = tmp_path / "riverside-panel-2024.pdf"
    path.write_bytes(_made_up_paper())
    doc = load_pdf(path)
    text = "\n".join(b.text for b in doc.blocks)
    assert "Annual report of the Riverside Fostering Panel" not in text  # running header
    assert not re.search(r"Page \d of 4", text)  # page numbers
    table = next(b for b in doc.blocks if b.kind == BlockKind.TABLE)
    assert table.text.split("\n") == ["Measure | Result", "Carers approved | Twelve", "Reviews held | Forty"]
    assert any(
        b.kind == BlockKind.HEADING and b.text == "Riverside Fostering Panel annual report"
        for b in doc.blocks
    )
    numbered = [b for b in doc.blocks if re.match(r"\d\. The panel reviewed", b.text)]
    assert [b.page for b in numbered] == [1, 1, 2, 2, 3, 3, 4, 4]
    budget = next(b for b in doc.blocks if "budget for the year" in b.text)
    assert "was agreed in March 2024." in budget.text and budget.page == 2  # the sentence stays whole
    assert "¹ The budget is set by the Corporate Parenting Board" in budget.text  # its footnote with it
    assert any(b.page == 3 and b.text == "Spending was on plan." for b in doc.blocks)


def test_a_two_column_page_is_read_column_by_column(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "newsletter.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    for i in range(20):
        y = 760 - 14 * i
        c.drawString(60, y, f"Left column sentence {i} about foster carers" + ("." if i % 5 == 4 else ""))
        c.drawString(320, y, f"Right column sentence {i} about care leavers" + ("." if i % 5 == 4 else ""))
    c.showPage()
    c.save()
    text = " ".join(b.text for b in load_pdf(path).blocks)
    assert text.index("Left column sentence 19") < text.index("Right column sentence 0")
    assert "about foster carers Right" not in text
