"""Synthetic but realistic papers: sentences drawn from the bundled corpus, arranged as council reports with
numbered sections, paragraphs and tables, and written as PDF, DOCX, HTML or Markdown. Deterministic (seeded).

Each "page" holds about 330 words (a typical A4 page of a committee report with headings and a table now and
then); the PDF has exactly one page per page, the other formats hold the same text.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bench.common import CORPUS
from scripts.paper_render import Block, DocProps, Run, render_docx, render_pdf

WORDS_PER_PAGE = 330
COUNCILS = (
    "Synthshire",
    "Northbridge",
    "Eastmoor",
    "Westvale",
    "Southport Vale",
    "Kingsford",
    "Ashcombe",
    "Brackley Heath",
    "Calder Cross",
    "Dunmore",
)
BODIES = (
    "Cabinet",
    "Children and Young People Scrutiny Committee",
    "Corporate Parenting Board",
    "Overview and Scrutiny Committee",
    "Children's Improvement Board",
)
SECTIONS = (
    "Purpose of the report",
    "Recommendations",
    "Background",
    "Inspection findings",
    "Performance",
    "Quality of practice",
    "Workforce",
    "Finance",
    "Complaints and compliments",
    "Risks",
    "Consultation",
    "Legal implications",
    "Equality impact",
    "Next steps",
)
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass
class Para:
    kind: str  # heading | para | table
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass
class Paper:
    stem: str
    title: str
    pages: list[list[Para]]


@lru_cache(maxsize=1)
def sentence_pool() -> tuple[str, ...]:
    """Sentences of the bundled papers (prose only: no tables, headings or front matter)."""
    out: list[str] = []
    for path in sorted((CORPUS / "public").glob("*.md")) + sorted((CORPUS / "seeds").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("---", 2)[-1]
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith(("#", "|", ">", "-", "*")) or len(line) < 60:
                continue
            for s in _SENT.split(line):
                s = re.sub(r"[*_`]", "", s).strip()
                if 40 <= len(s) <= 320:
                    out.append(s)
    if len(out) < 50:
        raise RuntimeError(f"too few sentences in {CORPUS} to make synthetic papers")
    return tuple(dict.fromkeys(out))


def _table(rng: random.Random) -> Para:
    header = ("Measure", "Target", "Q1", "Q2", "RAG")
    measures = (
        "Re-referrals within 12 months (%)",
        "Assessments within 45 days (%)",
        "Children seen in 10 days (%)",
        "Care leavers in touch (%)",
        "Social worker vacancy rate (%)",
        "Stage 1 complaints answered in time (%)",
    )
    rows = [header] + [
        (
            m,
            f"{rng.randint(60, 95)}",
            f"{rng.randint(50, 99)}",
            f"{rng.randint(50, 99)}",
            rng.choice(("Red", "Amber", "Green")),
        )
        for m in rng.sample(measures, 4)
    ]
    return Para("table", rows=tuple(rows))


def make_paper(index: int, n_pages: int, seed: int = 7) -> Paper:
    rng = random.Random(seed * 100_003 + index)
    pool = sentence_pool()
    council = rng.choice(COUNCILS)
    body = rng.choice(BODIES)
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 7 * 365))
    title = f"{council} Council {body}: children's services report {index + 1}"
    stem = (
        f"{council.lower().replace(' ', '-')}-{body.split()[0].lower()}-{date.isoformat()}-report-{index:04d}"
    )
    pages: list[list[Para]] = []
    section = 0
    para_no = 0
    for page in range(n_pages):
        paras: list[Para] = []
        words = 0
        if page == 0:
            paras.append(Para("heading", f"{title} ({date.strftime('%d %B %Y')})"))
        while words < WORDS_PER_PAGE:
            if para_no == 0 or rng.random() < 0.12:
                section += 1
                para_no = 0
                paras.append(Para("heading", f"{section}. {SECTIONS[(section - 1) % len(SECTIONS)]}"))
            if rng.random() < 0.07:
                t = _table(rng)
                paras.append(t)
                words += 40
                continue
            para_no += 1
            text = f"{section}.{para_no} " + " ".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
            paras.append(Para("para", text))
            words += len(text.split())
        pages.append(paras)
    return Paper(stem, title, pages)


def papers(n_pages_total: int, pages_per_paper: int, seed: int = 7) -> Iterator[Paper]:
    made = 0
    index = 0
    while made < n_pages_total:
        n = min(pages_per_paper, n_pages_total - made)
        yield make_paper(index, n, seed)
        made += n
        index += 1


# ---------------------------------------------------------------- writers


def write(paper: Paper, folder: Path, fmt: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    writer = {"pdf": _pdf, "docx": _docx, "html": _html, "md": _md}[fmt]
    path = folder / f"{paper.stem}.{fmt}"
    writer(paper, path)
    return path


def _md(paper: Paper, path: Path) -> None:
    out: list[str] = []
    for page in paper.pages:
        for p in page:
            if p.kind == "heading":
                out.append(("# " if not out else "## ") + p.text)
            elif p.kind == "table":
                out.append("| " + " | ".join(p.rows[0]) + " |")
                out.append("|" + "|".join("---" for _ in p.rows[0]) + "|")
                out += ["| " + " | ".join(r) + " |" for r in p.rows[1:]]
            else:
                out.append(p.text)
            out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


def _html(paper: Paper, path: Path) -> None:
    out = [
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(paper.title)}</title>"
        "</head><body><main>"
    ]
    first = True
    for page in paper.pages:
        for p in page:
            if p.kind == "heading":
                tag = "h1" if first else "h2"
                first = False
                out.append(f"<{tag}>{html.escape(p.text)}</{tag}>")
            elif p.kind == "table":
                cells = ["<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in p.rows[0]) + "</tr>"]
                cells += [
                    "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in p.rows[1:]
                ]
                out.append("<table>" + "".join(cells) + "</table>")
            else:
                out.append(f"<p>{html.escape(p.text)}</p>")
    out.append("</main></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def _blocks(paper: Paper) -> list[Block]:
    """The paper as renderer blocks: its first heading is the title; each later page starts on a new page."""
    blocks: list[Block] = []
    for n, page in enumerate(paper.pages):
        for i, p in enumerate(page):
            if n == 0 and i == 0 and p.kind == "heading":
                continue  # the title: the renderer writes it
            if p.kind == "heading":
                block = Block("heading", [Run(p.text)], level=2)
            elif p.kind == "table":
                block = Block("table", rows=[[[Run(c)] for c in r] for r in p.rows], header_row=True)
            else:
                block = Block("paragraph", [Run(p.text)])
            block.page_break_before = n > 0 and i == 0
            blocks.append(block)
    return blocks


def _props(paper: Paper) -> DocProps:
    return DocProps(title=paper.title, author="Synthetic", created=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))


def _docx(paper: Paper, path: Path) -> None:
    path.write_bytes(render_docx(_blocks(paper), _props(paper)))


def _pdf(paper: Paper, path: Path) -> None:
    path.write_bytes(render_pdf(_blocks(paper), _props(paper))[0])


# ---------------------------------------------------------------- chunk-sized texts for the retrieval store


def chunk_texts(n: int, seed: int = 11) -> Iterator[str]:
    """Chunk-sized passages (about 120-170 words, like the chunker's) made of corpus sentences."""
    rng = random.Random(seed)
    pool = sentence_pool()
    for i in range(n):
        words = 0
        parts = [f"{rng.randint(1, 12)}.{rng.randint(1, 20)}"]
        while words < rng.randint(110, 170):
            s = rng.choice(pool)
            parts.append(s)
            words += len(s.split())
        if i % 9 == 0:  # now and then a figure that differs between chunks, as real papers have
            parts.append(
                f"In {rng.choice(COUNCILS)} the rate was {rng.randint(10, 99)}.{rng.randint(0, 9)}% "
                f"in {rng.randint(2016, 2026)}."
            )
        yield " ".join(parts)
