"""Make real-format copies (PDF and DOCX) of the seed Bury Cabinet report.

The seed is a Markdown-ish transcription of a Cabinet paper. Loader and citation
tests need the same content as a genuine multi-page PDF (so page numbers can be
cited) and as a Word document (so heading styles and tables can be read), so this
script renders it both ways:

    python scripts/make_sample_formats.py [--corpus data/corpus] [--check]

Both outputs are deterministic: the PDF is built with reportlab's ``invariant=1``
and the DOCX has fixed core properties and a re-packed zip with fixed timestamps,
so re-running produces byte-identical files. Files are written atomically (temp
file in the same folder, then ``os.replace``). ``--check`` writes nothing and
exits 1 if either output is missing.

Self-contained on purpose: imports only the standard library, reportlab and
python-docx.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT / "data" / "corpus"

STEM = "bury-cabinet-2025-09-10-ofsted-standard-inspection-report"
SEED_REL = Path("seeds") / f"{STEM}.md"
PDF_REL = Path("formats") / f"{STEM}.pdf"
DOCX_REL = Path("formats") / f"{STEM}.docx"

TITLE = "Ofsted Standard Inspection of Children's Services in Bury"
AUTHOR = "Bury Council"
SUBJECT = "Cabinet 10 September 2025"
KEYWORDS = "Ofsted; ILACS; children's services; Bury; Cabinet"
CREATOR = "scripts/make_sample_formats.py"
# Fixed timestamp for DOCX core properties (the meeting date).
FIXED_DATETIME = dt.datetime(2025, 9, 10, 9, 0, 0, tzinfo=dt.UTC)
# Fixed zip member timestamp (the zip format cannot go earlier than 1980).
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)

# Headings (text after stripping ** and a trailing colon) that start a new page.
PAGE_BREAK_BEFORE = ("Next Steps", "Legal Implications")

BODY_FONT_SIZE = 11


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class Run:
    """A stretch of inline text with one formatting."""

    text: str
    bold: bool = False
    underline: bool = False
    superscript: bool = False


@dataclass
class Block:
    """One structural unit of the seed: heading, paragraph, caption or table."""

    kind: str  # "heading" | "paragraph" | "caption" | "table"
    runs: list[Run] = field(default_factory=list)
    level: int = 0  # heading level 1..3
    rows: list[list[list[Run]]] = field(default_factory=list)  # table rows -> cells -> runs
    header_row: bool = False  # table: first row is a header
    label_column: bool = False  # table: first column holds labels

    @property
    def text(self) -> str:
        return runs_text(self.runs)


_INLINE_TOKEN = re.compile(r"(</?(?:b|u|sup)>|\*\*)", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_FIGURE = re.compile(r"^Figure\s+\d+\.")


def runs_text(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)


def parse_inline(text: str) -> list[Run]:
    """Split text with <b>, <u>, <sup> and **bold** markup into formatted runs."""
    bold = underline = sup = False
    md_bold = False
    runs: list[Run] = []
    for part in _INLINE_TOKEN.split(text):
        if not part:
            continue
        token = part.lower()
        if token == "**":
            md_bold = not md_bold
        elif token in ("<b>", "</b>"):
            bold = token == "<b>"
        elif token in ("<u>", "</u>"):
            underline = token == "<u>"
        elif token in ("<sup>", "</sup>"):
            sup = token == "<sup>"
        else:
            run = Run(part, bold=bold or md_bold, underline=underline, superscript=sup)
            if runs and (runs[-1].bold, runs[-1].underline, runs[-1].superscript) == (
                run.bold,
                run.underline,
                run.superscript,
            ):
                runs[-1] = Run(runs[-1].text + part, run.bold, run.underline, run.superscript)
            else:
                runs.append(run)
    # Trim outer whitespace so a stray trailing space does not become an empty run.
    while runs and not runs[-1].text.rstrip():
        runs.pop()
    if runs:
        last = runs[-1]
        runs[-1] = Run(last.text.rstrip(), last.bold, last.underline, last.superscript)
    while runs and not runs[0].text.lstrip():
        runs.pop(0)
    if runs:
        first = runs[0]
        runs[0] = Run(first.text.lstrip(), first.bold, first.underline, first.superscript)
    return runs


def _clean_heading(text: str) -> str:
    return runs_text(parse_inline(text)).strip()


def parse_seed(source: str) -> list[Block]:
    """Turn the seed Markdown into blocks.

    Lines containing tabs are table rows (consecutive rows form one table); ``#``
    lines are headings; other non-blank lines are paragraphs (one per line, as in
    the seed); ``Figure N.`` lines are captions.
    """
    blocks: list[Block] = []
    table_rows: list[list[str]] = []
    seen_heading = False

    def flush_table() -> None:
        if not table_rows:
            return
        width = max(len(r) for r in table_rows)
        rows = [[parse_inline(c) for c in r + [""] * (width - len(r))] for r in table_rows]
        if seen_heading or len(rows) == 2:
            # the glossary ("Term | Meaning") or the cover sheet's label row over value row
            block = Block("table", rows=rows, header_row=True)
        else:
            # cover-sheet "label | value" rows
            block = Block("table", rows=rows, label_column=True)
        blocks.append(block)
        table_rows.clear()

    for raw in source.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush_table()
            continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            while cells and not cells[-1]:
                cells.pop()
            table_rows.append(cells)
            continue
        flush_table()
        heading = _HEADING.match(line)
        if heading:
            level = min(len(heading.group(1)), 3)
            text = _clean_heading(heading.group(2))
            blocks.append(Block("heading", runs=[Run(text)], level=level))
            seen_heading = True
            continue
        runs = parse_inline(line.strip())
        if not runs:
            continue
        kind = "caption" if _FIGURE.match(runs_text(runs)) else "paragraph"
        blocks.append(Block(kind, runs=runs))
    flush_table()
    return blocks


def breaks_page(block: Block) -> bool:
    return block.kind == "heading" and block.text.rstrip(":").strip() in PAGE_BREAK_BEFORE


# --------------------------------------------------------------------------- PDF


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def runs_to_markup(runs: Sequence[Run]) -> str:
    """reportlab paragraph markup for runs (<b>, <u>, <super>)."""
    out: list[str] = []
    for run in runs:
        piece = _xml_escape(run.text)
        if run.superscript:
            piece = f"<super>{piece}</super>"
        if run.underline:
            piece = f"<u>{piece}</u>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        out.append(piece)
    return "".join(out)


def _pdf_styles() -> StyleSheet1:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontName = "Helvetica"
    body.fontSize = BODY_FONT_SIZE
    body.leading = 14.5
    body.spaceBefore = 0
    body.spaceAfter = 7
    styles["Title"].fontName = "Helvetica-Bold"
    styles["Title"].fontSize = 17
    styles["Title"].leading = 21
    for name, size in (("Heading1", 15), ("Heading2", 13), ("Heading3", 12)):
        style = styles[name]
        style.fontName = "Helvetica-Bold"
        style.fontSize = size
        style.leading = size + 3
        style.spaceBefore = 10
        style.spaceAfter = 5
        style.keepWithNext = 1
    styles.add(ParagraphStyle("Caption", parent=body, fontName="Helvetica-Oblique", fontSize=10, leading=13))
    styles.add(ParagraphStyle("Cell", parent=body, fontSize=10, leading=12.5, spaceAfter=0))
    return styles


class _ReportTemplate(SimpleDocTemplate):
    """Adds a PDF outline entry (bookmark) for every heading and a "Page N" footer."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._outline_count = 0
        self._outline_level = -1

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Paragraph):
            return
        name = flowable.style.name
        if not name.startswith("Heading"):
            return
        level = min(int(name[-1]) - 1, self._outline_level + 1)
        key = f"h{self._outline_count}"
        self._outline_count += 1
        self._outline_level = level
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=False)

    def afterPage(self) -> None:
        # Drawn after the page body so text extraction puts "Page N" last, not first.
        canvas = self.canv
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(self.pagesize[0] - self.rightMargin, 12 * mm, f"Page {self.page}")
        canvas.restoreState()


def _pdf_table(block: Block, styles: StyleSheet1, width: float) -> Table:
    cell = styles["Cell"]
    data = []
    for r, row in enumerate(block.rows):
        cells = []
        for c, runs in enumerate(row):
            bold = (block.header_row and r == 0) or (block.label_column and c == 0)
            markup = runs_to_markup([Run(x.text, x.bold or bold, x.underline, x.superscript) for x in runs])
            cells.append(Paragraph(markup, cell))
        data.append(cells)
    ncols = len(block.rows[0])
    first = width * (0.3 if ncols == 2 else 0.25)
    col_widths = [first] + [(width - first) / (ncols - 1)] * (ncols - 1) if ncols > 1 else [width]
    commands: list[tuple[object, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if block.header_row:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8E8E8")))
    if block.label_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")))
    table = Table(data, colWidths=col_widths, repeatRows=1 if block.header_row else 0, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def render_pdf(blocks: Sequence[Block]) -> tuple[bytes, int]:
    """Render blocks to PDF bytes; returns (bytes, page count)."""
    styles = _pdf_styles()
    buffer = io.BytesIO()
    doc = _ReportTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=TITLE,
        author=AUTHOR,
        subject=SUBJECT,
        keywords=KEYWORDS,
        creator=CREATOR,
        lang="en-GB",
        invariant=1,
    )
    story: list[Flowable] = [Paragraph(_xml_escape(TITLE), styles["Title"]), Spacer(1, 4)]
    for block in blocks:
        if breaks_page(block):
            story.append(PageBreak())
        if block.kind == "heading":
            story.append(Paragraph(_xml_escape(block.text), styles[f"Heading{block.level}"]))
        elif block.kind == "caption":
            story.append(Paragraph(runs_to_markup(block.runs), styles["Caption"]))
        elif block.kind == "table":
            story.append(_pdf_table(block, styles, doc.width))
            story.append(Spacer(1, 8))
        else:
            story.append(Paragraph(runs_to_markup(block.runs), styles["BodyText"]))
    doc.build(story)
    return buffer.getvalue(), int(doc.page)


# --------------------------------------------------------------------------- DOCX


def _add_runs(paragraph: DocxParagraph, runs: Sequence[Run], force_bold: bool = False) -> None:
    for item in runs:
        run = paragraph.add_run(item.text)
        if item.bold or force_bold:
            run.bold = True
        if item.underline:
            run.underline = True
        if item.superscript:
            run.font.superscript = True


def _docx_table(document: docx.document.Document, block: Block) -> DocxTable:
    ncols = len(block.rows[0])
    table = document.add_table(rows=len(block.rows), cols=ncols)
    table.style = document.styles["Table Grid"]
    for r, row in enumerate(block.rows):
        for c, runs in enumerate(row):
            bold = (block.header_row and r == 0) or (block.label_column and c == 0)
            _add_runs(table.cell(r, c).paragraphs[0], runs, force_bold=bold)
    return table


def _normalise_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps/attributes so identical content gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 3
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename), compresslevel=9)
    return out.getvalue()


def render_docx(blocks: Sequence[Block]) -> bytes:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_FONT_SIZE)

    props = document.core_properties
    props.title = TITLE
    props.author = AUTHOR
    props.subject = SUBJECT
    props.keywords = KEYWORDS
    props.last_modified_by = AUTHOR
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.revision = 1
    props.language = "en-GB"
    props.comments = f"Generated by {CREATOR} from {SEED_REL.as_posix()}"

    document.add_paragraph(TITLE, style="Title")
    for block in blocks:
        if block.kind == "heading":
            heading = document.add_heading(block.text, level=block.level)
            if breaks_page(block):
                heading.paragraph_format.page_break_before = True
        elif block.kind == "table":
            _docx_table(document, block)
            document.add_paragraph()
        elif block.kind == "caption":
            _add_runs(document.add_paragraph(style="Caption"), block.runs)
        else:
            _add_runs(document.add_paragraph(), block.runs)

    buffer = io.BytesIO()
    document.save(buffer)
    return _normalise_zip(buffer.getvalue())


# --------------------------------------------------------------------------- I/O + CLI


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to a temp file beside ``path`` and os.replace it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Outputs:
    pdf: bytes
    pdf_pages: int
    docx: bytes


def generate(corpus: Path) -> Outputs:
    """Build both outputs in memory from ``corpus/seeds``; writes nothing."""
    blocks = parse_seed((corpus / SEED_REL).read_text(encoding="utf-8"))
    pdf_bytes, pages = render_pdf(blocks)
    return Outputs(pdf=pdf_bytes, pdf_pages=pages, docx=render_docx(blocks))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="corpus folder holding seeds/ (default: data/corpus in the repo)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if either output file is missing",
    )
    args = parser.parse_args(argv)
    corpus: Path = args.corpus

    targets = [corpus / PDF_REL, corpus / DOCX_REL]
    if args.check:
        missing = [t for t in targets if not t.is_file()]
        for target in targets:
            print(f"{'MISSING' if target in missing else 'ok'}: {target}")
        return 1 if missing else 0

    seed = corpus / SEED_REL
    if not seed.is_file():
        print(f"error: seed not found: {seed}", file=sys.stderr)
        return 2
    outputs = generate(corpus)
    for target, data, note in (
        (corpus / PDF_REL, outputs.pdf, f"PDF, {outputs.pdf_pages} pages"),
        (corpus / DOCX_REL, outputs.docx, "DOCX"),
    ):
        write_atomic(target, data)
        digest = hashlib.sha256(data).hexdigest()
        print(f"wrote {target} ({note}, {len(data)} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
