"""Render a paper (headings, paragraphs with bold/underline/superscript runs, captions, tables) to PDF and DOCX,
deterministically: reportlab's ``invariant=1`` for the PDF; fixed core properties and a re-packed zip with fixed
timestamps for the DOCX, so the same blocks give byte-identical files.

Used by ``scripts/make_sample_formats.py`` (the bundled sample paper) and ``bench/synth.py`` (synthetic papers).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

import docx
from docx.shared import Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Fixed zip member timestamp (the zip format cannot go earlier than 1980).
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class DocProps:
    """A document's title (also its first paragraph) and the properties written into both files."""

    title: str
    author: str
    created: dt.datetime  # fixed, so the DOCX is byte-identical
    subject: str = ""
    keywords: str = ""
    creator: str = ""
    comments: str = ""
    lang: str = "en-GB"
    body_font_size: float = 11


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
    page_break_before: bool = False

    @property
    def text(self) -> str:
        return runs_text(self.runs)


def runs_text(runs: Sequence[Run]) -> str:
    return "".join(r.text for r in runs)


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


def _pdf_styles(body_font_size: float) -> StyleSheet1:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontName = "Helvetica"
    body.fontSize = body_font_size
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


def render_pdf(blocks: Sequence[Block], props: DocProps) -> tuple[bytes, int]:
    """Render blocks to PDF bytes under a title paragraph; returns (bytes, page count). Deterministic."""
    styles = _pdf_styles(props.body_font_size)
    buffer = io.BytesIO()
    doc = _ReportTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=22 * mm,
        title=props.title,
        author=props.author,
        subject=props.subject,
        keywords=props.keywords,
        creator=props.creator,
        lang=props.lang,
        invariant=1,
    )
    story: list[Flowable] = [Paragraph(_xml_escape(props.title), styles["Title"]), Spacer(1, 4)]
    for block in blocks:
        if block.page_break_before:
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


def render_docx(blocks: Sequence[Block], props: DocProps) -> bytes:
    """Render blocks to DOCX bytes under a title paragraph; byte-identical for the same input."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(props.body_font_size)

    core = document.core_properties
    core.title = props.title
    core.author = props.author
    core.subject = props.subject
    core.keywords = props.keywords
    core.last_modified_by = props.author
    core.created = props.created
    core.modified = props.created
    core.revision = 1
    core.language = props.lang
    core.comments = props.comments

    document.add_paragraph(props.title, style="Title")
    for block in blocks:
        if block.page_break_before and block.kind != "heading":
            document.add_page_break()
        if block.kind == "heading":
            heading = document.add_heading(block.text, level=block.level)
            if block.page_break_before:
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
