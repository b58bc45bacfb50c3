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

The rendering is `scripts/paper_render.py` (shared with the benchmarks' synthetic
papers); this script reads the seed and writes the files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or loaded by path (tests)

from paper_render import Block, DocProps, Run, render_docx, render_pdf, runs_text

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

# Headings (text after stripping ** and a trailing colon) that start a new page.
PAGE_BREAK_BEFORE = ("Next Steps", "Legal Implications")

BODY_FONT_SIZE = 11


# --------------------------------------------------------------------------- parsing


_INLINE_TOKEN = re.compile(r"(</?(?:b|u|sup)>|\*\*)", re.IGNORECASE)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_FIGURE = re.compile(r"^Figure\s+\d+\.")


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


PROPS = DocProps(
    title=TITLE,
    author=AUTHOR,
    created=FIXED_DATETIME,
    subject=SUBJECT,
    keywords=KEYWORDS,
    creator=CREATOR,
    comments=f"Generated by {CREATOR} from {SEED_REL.as_posix()}",
    body_font_size=BODY_FONT_SIZE,
)


def generate(corpus: Path) -> Outputs:
    """Build both outputs in memory from ``corpus/seeds``; writes nothing."""
    blocks = parse_seed((corpus / SEED_REL).read_text(encoding="utf-8"))
    for block in blocks:
        block.page_break_before = breaks_page(block)
    pdf_bytes, pages = render_pdf(blocks, PROPS)
    return Outputs(pdf=pdf_bytes, pdf_pages=pages, docx=render_docx(blocks, PROPS))


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
