"""PDF layout: characters with their boxes and fonts (PDFium) -> lines -> page furniture removed -> blocks.

Long council and inspectorate PDFs repeat a running title, a date and a page number on every page, end with the
publisher's contact and copyright block, put their key judgements in a ruled table, number their paragraphs and
keep footnotes at the foot of the page. This module turns such a file into `Block`s a reader would recognise:

- **furniture** (never a block): lines in the top or bottom band of the page that recur on many pages at the
  same place once digits are ignored (running titles, "9 to 20 June 2025   14"), page-number lines, and the
  publisher's closing colophon (its first lines are listed in `ingest/data/furniture.yaml`; the contact lines
  and the copyright line are recognised by their form);
- **tables**: text inside a grid of ruling lines becomes one table block, one row per line (`cell | cell`);
- **headings** by font size and weight; **numbered paragraphs** ("12. ...") and **bullets** start blocks;
- **footnotes** (small type at the foot of the page) are attached to the block that carries their marker;
- a sentence that runs over a page break stays whole on the page where it starts, so every block has one page
  and a quotation from it is on that page.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ingest.documents import Block, BlockKind

BAND_FRACTION = 0.12  # the top and bottom 12% of a page hold running headers and footers
REPEAT_MIN_FRACTION = 0.3  # a line on this share of pages (at least 2) in the same band is furniture
COLUMN_GAP_EM = 1.2  # a horizontal gap this many font sizes wide separates cells, not words
WORD_GAP_EM = 0.15
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_LINE_END_HYPHEN = "\ufffe"  # PDFium's mark for a hyphen that ends a line
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BULLET = re.compile(r"^[◼■▪●•◦○◆◇➢➤►▸\-–—\uf000-\uf0ff]\s*")  # U+F0xx: symbol-font bullets
_FIELD = re.compile(r"^[A-Z][\w’'()/ -]{1,40}?:\s+\S")
_NUMBERED = re.compile(r"^\d{1,3}(?:\.\d{1,2}){0,2}\.?\s+\S")
_SENTENCE_END = re.compile(r"[.!?:;]['\"’”)]?$")
_FIRST_SENTENCE = re.compile(r"^.*?[.!?]['\"’”)]?(?=\s|$)", re.S)
_CONTACT = re.compile(
    r"@|https?://|www\.|\b\d{3,5}\s?\d{3}\s?\d{3,4}\b|\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|^[TEWF]:\s", re.I
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\b)|\bcrown copyright\b", re.I)


# ---------------------------------------------------------------- geometry


@dataclass
class Run:
    """Characters on one line in one style, with no wide gap inside (top-down coordinates, points)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    superscript: bool = False
    # (offset in text, left edge) of each word after the first
    word_starts: tuple[tuple[int, float], ...] = ()

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    def split_words(self) -> list[Run]:
        """The run cut into one run per word (for finding column edges inside a run)."""
        if not self.word_starts:
            return [self]
        cuts = [(0, self.x0), *self.word_starts, (len(self.text), self.x1)]
        out = []
        for (a, xa), (b, xb) in itertools.pairwise(cuts):
            word = self.text[a:b]
            if word.strip():
                out.append(Run(word, xa, xb, self.top, self.bottom, self.size, self.bold, self.superscript))
        return out


@dataclass
class Line:
    runs: list[Run]
    page: int

    @property
    def top(self) -> float:
        return min(r.top for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.bottom for r in self.runs)

    @property
    def x0(self) -> float:
        return min(r.x0 for r in self.runs)

    @property
    def x1(self) -> float:
        return max(r.x1 for r in self.runs)

    @property
    def size(self) -> float:
        main = [r for r in self.runs if not r.superscript] or self.runs
        return max(main, key=lambda r: len(r.text.strip())).size

    @property
    def bold(self) -> bool:
        words = [r for r in self.runs if r.text.strip() and not r.superscript]
        return bool(words) and all(r.bold for r in words)

    def cell_spans(self) -> list[tuple[float, str]]:
        """(left edge, text) of each cell: the line split where a gap wider than a column gap separates runs."""
        out: list[list[Run]] = [[]]
        prev: Run | None = None
        for run in self.runs:
            if prev is not None and not run.superscript and run.x0 - prev.x1 > COLUMN_GAP_EM * run.size:
                out.append([])
            out[-1].append(run)
            prev = run
        spans = [(group[0].x0, _join_runs(group)) for group in out if group]
        return [(x, t) for x, t in spans if t]

    def cells(self) -> list[str]:
        return [t for _, t in self.cell_spans()]

    @property
    def text(self) -> str:
        return " ".join(self.cells())


@dataclass
class Table:
    """A grid of ruling lines: column edges and row edges, top-down."""

    xs: list[float]
    ys: list[float]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, run: Run) -> bool:
        x0, top, x1, bottom = self.bbox
        cx = (run.x0 + run.x1) / 2
        return x0 - 1 <= cx <= x1 + 1 and top - 1 <= run.middle <= bottom + 1

    def cell_of(self, run: Run) -> tuple[int, int]:
        cx = (run.x0 + run.x1) / 2
        col = max(0, min(len(self.xs) - 2, sum(1 for x in self.xs[1:-1] if cx > x)))
        row = max(0, min(len(self.ys) - 2, sum(1 for y in self.ys[1:-1] if run.middle > y)))
        return row, col


@dataclass
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def _join_runs(runs: Sequence[Run]) -> str:
    parts: list[str] = []
    prev: Run | None = None
    for run in runs:
        text = (
            run.text.translate(_SUPERSCRIPT) if run.superscript and run.text.strip().isdigit() else run.text
        )
        if run.superscript:
            text = text.strip()
        elif prev is not None and parts:
            gap = run.x0 - prev.x1
            if gap > WORD_GAP_EM * run.size and not parts[-1].endswith(" ") and not text.startswith(" "):
                parts.append(" ")
        parts.append(text)
        prev = run
    return " ".join("".join(parts).split())


# ---------------------------------------------------------------- reading a page with PDFium


def read_page(pdf: Any, index: int) -> PageLayout:
    """The runs of one page (grouped into lines) and the ruled tables drawn on it."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    page = pdf[index]
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        text = textpage.get_text_range(0, n) if n > 0 else ""
        exact = len(text) == n
        box = pdfium_c.FS_RECTF()
        runs: list[Run] = []
        cur: dict[str, Any] | None = None
        space = False
        for i in range(n):
            ch = text[i] if exact else chr(pdfium_c.FPDFText_GetUnicode(raw, i))
            if ch == _LINE_END_HYPHEN:
                ch = "-"
            if ch in "\r\n\x02" or pdfium_c.FPDFText_IsGenerated(raw, i):
                if ch in "\r\n" and cur is not None:
                    runs.append(_finish(cur))
                    cur = None
                space = space or ch == " "
                continue
            if ch.isspace():
                space = True
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(box)):
                continue
            size = float(pdfium_c.FPDFText_GetFontSize(raw, i)) or (box.top - box.bottom)
            bold = pdfium_c.FPDFText_GetFontWeight(raw, i) >= 600
            x0, x1 = box.left, box.right
            t, b = height - box.top, height - box.bottom
            if cur is not None and _continues(cur, x0, t, b, size, bold):
                if space or x0 - cur["x1"] > WORD_GAP_EM * size:
                    cur["chars"].append(" ")
                    cur["words"].append((len(cur["chars"]), x0))
                cur["chars"].append(ch)
                cur["x1"] = max(cur["x1"], x1)
                cur["top"], cur["bottom"] = min(cur["top"], t), max(cur["bottom"], b)
            else:
                if cur is not None:
                    runs.append(_finish(cur))
                cur = {"chars": [ch], "x0": x0, "x1": x1, "top": t, "bottom": b, "size": size, "bold": bold}
                cur["words"] = []
            space = False
        if cur is not None:
            runs.append(_finish(cur))
        layout = PageLayout(index + 1, width, height, _lines(runs, index + 1), _tables(page, height))
    finally:
        textpage.close()
        page.close()
    return layout


def _continues(cur: dict[str, Any], x0: float, top: float, bottom: float, size: float, bold: bool) -> bool:
    if abs(size - cur["size"]) > 0.6 or bold != cur["bold"]:
        return False
    middle = (top + bottom) / 2
    if not (cur["top"] - 0.3 * size <= middle <= cur["bottom"] + 0.3 * size):
        return False
    return -0.5 * size <= x0 - cur["x1"] <= COLUMN_GAP_EM * size


def _finish(cur: dict[str, Any]) -> Run:
    return Run(
        "".join(cur["chars"]),
        cur["x0"],
        cur["x1"],
        cur["top"],
        cur["bottom"],
        cur["size"],
        cur["bold"],
        word_starts=tuple(cur["words"]),
    )


def _lines(runs: list[Run], page: int) -> list[Line]:
    """Runs sharing a baseline form a line; small raised runs beside larger ones are superscripts."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.top, r.x0)):
        for line in reversed(lines[-3:]):
            ref = max(line, key=lambda r: r.size)
            overlap = min(ref.bottom, run.bottom) - max(ref.top, run.top)
            if overlap > 0.5 * min(ref.bottom - ref.top, run.bottom - run.top):
                line.append(run)
                break
        else:
            lines.append([run])
    out = []
    for group in lines:
        group.sort(key=lambda r: r.x0)
        main = max(group, key=lambda r: (r.size, len(r.text)))
        for run in group:
            if run.size <= 0.8 * main.size and run.bottom < main.bottom - 0.15 * main.size:
                run.superscript = True
        out.append(Line(group, page))
    out.sort(key=lambda ln: ln.top)
    return out


def _tables(page: Any, height: float) -> list[Table]:
    """Ruled tables: connected thin rectangles (ruling lines) with at least two columns and two rows."""
    import pypdfium2.raw as pdfium_c

    rules: list[tuple[float, float, float, float]] = []
    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,)):
        try:
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # a path without bounds draws nothing we can use
            continue
        w, h = right - left, top - bottom
        if (w <= 2.5 and h >= 4) or (h <= 2.5 and w >= 4):
            rules.append((left, height - top, right, height - bottom))
    if len(rules) < 4:
        return []
    groups = _connected(rules)
    tables = []
    for group in groups:
        verticals = [r for r in group if r[2] - r[0] <= 2.5]
        horizontals = [r for r in group if r[3] - r[1] <= 2.5]
        xs = _merge_positions([(r[0] + r[2]) / 2 for r in verticals])
        ys = _merge_positions([(r[1] + r[3]) / 2 for r in horizontals])
        if len(xs) >= 3 and len(ys) >= 3:
            tables.append(Table(xs, ys))
    return tables


def _connected(
    rules: list[tuple[float, float, float, float]],
) -> list[list[tuple[float, float, float, float]]]:
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            b = rules[j]
            if a[0] - 2 <= b[2] and b[0] - 2 <= a[2] and a[1] - 2 <= b[3] and b[1] - 2 <= a[3]:
                parent[find(i)] = find(j)
    groups: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
    for i, rule in enumerate(rules):
        groups[find(i)].append(rule)
    return list(groups.values())


def _merge_positions(values: Iterable[float], tolerance: float = 3.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


# ---------------------------------------------------------------- furniture


@dataclass(frozen=True)
class FurnitureRules:
    colophon_starts: tuple[str, ...]


@lru_cache(maxsize=1)
def furniture_rules() -> FurnitureRules:
    data = yaml.safe_load(resources.files("ingest").joinpath("data/furniture.yaml").read_text("utf-8")) or {}
    return FurnitureRules(tuple(" ".join(str(s).split()).lower() for s in data.get("colophon_starts", [])))


def _norm(text: str) -> str:
    """Digits (and spaces between them) stand for any number: "Page 9", "9 to 20 June 2025  11"."""
    return re.sub(r"\d(?:[\d\s]*\d)?", "#", " ".join(text.translate(_PLAIN_DIGITS).lower().split()))


def _band(line: Line, page: PageLayout) -> str:
    if line.bottom <= page.height * BAND_FRACTION:
        return "top"
    if line.top >= page.height * (1 - BAND_FRACTION):
        return "bottom"
    return ""


def furniture(pages: Sequence[PageLayout], rules: FurnitureRules | None = None) -> set[tuple[int, int]]:
    """(page number, line index) of every line that is page furniture."""
    rules = rules or furniture_rules()
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for page in pages:
        for line in page.lines:
            band = _band(line, page)
            if band:
                seen[(band, _norm(line.text))].add(page.number)
    need = max(2, round(REPEAT_MIN_FRACTION * len(pages)))
    repeated = {key for key, on in seen.items() if len(on) >= need}
    out: set[tuple[int, int]] = set()
    for page in pages:
        for i, line in enumerate(page.lines):
            band = _band(line, page)
            if band and ((band, _norm(line.text)) in repeated or _PAGE_NUMBER.match(line.text.strip())):
                out.add((page.number, i))
    out |= _colophon(pages, rules)
    return out


def _colophon(pages: Sequence[PageLayout], rules: FurnitureRules) -> set[tuple[int, int]]:
    """The publisher's closing block: from a listed opening line on the last two pages to the end, when a
    copyright line follows; otherwise the copyright line and the contact lines just above it."""
    tail = [(p.number, i, ln) for p in pages[-2:] for i, ln in enumerate(p.lines)]
    copyright_at = [k for k, (_, _, ln) in enumerate(tail) if _COPYRIGHT.search(ln.text.strip())]
    if not copyright_at:
        return set()
    last = copyright_at[-1]
    for k, (_, _, ln) in enumerate(tail[: last + 1]):
        text = " ".join(ln.text.lower().split())
        if any(
            text.startswith(start[: max(20, min(len(start), len(text)))]) for start in rules.colophon_starts
        ):
            return {(p, i) for p, i, _ in tail[k:]}
    start = last
    while start > 0:
        ln = tail[start - 1][2]
        if len(ln.text) <= 40 or _CONTACT.search(ln.text):
            start -= 1
            continue
        break
    return {(p, i) for p, i, _ in tail[start:]}


# ---------------------------------------------------------------- blocks


@dataclass
class _Draft:
    kind: BlockKind
    page: int
    lines: list[Line]
    level: int = 0
    text_override: str | None = None
    footnotes: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        body = self.text_override if self.text_override is not None else _join_lines(self.lines)
        return _BULLET.sub("", body, count=1) if self.kind == BlockKind.LIST else body

    @property
    def text(self) -> str:
        return "\n".join([self.body, *self.footnotes]) if self.footnotes else self.body


def _join_lines(lines: Sequence[Line]) -> str:
    out = ""
    for line in lines:
        text = line.text
        if not out:
            out = text
        elif out.endswith("-") and text[:1].islower() and not out.endswith(" -"):
            out += text  # "multi-" + "agency" -> "multi-agency"
        else:
            out += " " + text
    return out


def body_size(pages: Sequence[PageLayout]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def to_blocks(pages: Sequence[PageLayout], rules: FurnitureRules | None = None) -> list[Block]:
    """Blocks in reading order, each on one page, furniture left out."""
    drop = furniture(pages, rules)
    body = body_size(pages)
    heading_sizes = sorted(
        {round(ln.size, 1) for p in pages for ln in p.lines if ln.size >= body * 1.15}, reverse=True
    )
    drafts: list[_Draft] = []
    for page in pages:
        kept = [ln for i, ln in enumerate(page.lines) if (page.number, i) not in drop]
        if _is_contents_page(kept, len(pages)):
            continue
        drafts.extend(_page_drafts(page, kept, body, heading_sizes))
    _keep_sentences_whole(drafts)
    return [
        Block(d.text, d.kind, d.level, d.page)
        for d in drafts
        if d.text.strip() and (d.kind != BlockKind.TABLE or d.text_override)
    ]


def _page_drafts(
    page: PageLayout, lines: list[Line], body: float, heading_sizes: list[float]
) -> list[_Draft]:
    in_table: dict[int, list[Line]] = defaultdict(list)
    flow: list[Line] = []
    for line in lines:
        for t, table in enumerate(page.tables):
            if all(table.contains(r) for r in line.runs):
                in_table[t].append(line)
                break
        else:
            flow.append(line)
    footnote_lines = _footnote_lines(flow, body)
    flow = [ln for ln in flow if ln not in footnote_lines]
    flow = _by_columns(flow)
    grids = _unruled_tables(flow)
    in_grid = {id(ln) for grid in grids for ln in grid}
    flow = [ln for ln in flow if id(ln) not in in_grid]

    def position(top: float) -> float:  # a table goes before the first line (in reading order) below its top
        return next((i - 0.5 for i, ln in enumerate(flow) if ln.top >= top), len(flow) + top / 1e6)

    items: list[tuple[float, Any]] = [(float(i), ln) for i, ln in enumerate(flow)]
    items += [(position(page.tables[t].bbox[1]), ("table", t)) for t in in_table]
    items += [(position(grid[0].top), ("grid", g)) for g, grid in enumerate(grids)]
    items.sort(key=lambda item: item[0])
    drafts: list[_Draft] = []
    cur: _Draft | None = None
    prev: Line | None = None
    pitch = _line_pitch(flow)
    right_edge = max((ln.x1 for ln in flow), default=page.width)
    for _, item in items:
        if isinstance(item, tuple) and item[0] == "grid":
            grid = grids[item[1]]
            rows = "\n".join(" | ".join(cells) for cells in grid_rows(grid))
            drafts.append(_Draft(BlockKind.TABLE, page.number, list(grid), text_override=rows))
            cur, prev = None, None
            continue
        if isinstance(item, tuple):
            table_text = _table_text(page.tables[item[1]], in_table[item[1]])
            if table_text.count("\n") == 0 and " | " not in table_text:  # a framed box, not a table
                cur = _Draft(BlockKind.PARAGRAPH, page.number, in_table[item[1]])
            else:
                cur = _Draft(BlockKind.TABLE, page.number, in_table[item[1]], text_override=table_text)
            drafts.append(cur)
            cur, prev = None, None
            continue
        line = item
        text = line.text
        if not text:
            continue
        heading_level = _heading_level(line, body, heading_sizes)
        if heading_level:
            same_heading = cur is not None and cur.kind == BlockKind.HEADING and cur.level == heading_level
            if same_heading and cur is not None and prev is not None and line.top - prev.bottom < pitch * 0.9:
                cur.lines.append(line)
                prev = line
                continue
            cur = _Draft(BlockKind.HEADING, page.number, [line], heading_level)
            drafts.append(cur)
            prev = line
            continue
        starts_new = (
            cur is None
            or cur.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST)
            or prev is None
            or line.top - prev.bottom > pitch * 0.9
            or bool(_BULLET.match(text) and len(text) > 2)
            or bool(_NUMBERED.match(text) and line.x0 <= min(ln.x0 for ln in cur.lines) + 1)
            or _is_field_line(line)
            or _is_field_line(prev)
            or (_SENTENCE_END.search(prev.text) is not None and prev.x1 < right_edge - 4 * line.size)
        )
        if starts_new:
            kind = BlockKind.LIST if _BULLET.match(text) and len(text) > 2 else BlockKind.PARAGRAPH
            cur = _Draft(kind, page.number, [line])
            drafts.append(cur)
        else:
            assert cur is not None
            cur.lines.append(line)
        prev = line
    _attach_footnotes(drafts, footnote_lines, page.number)
    return drafts


def _by_columns(lines: list[Line]) -> list[Line]:
    """A page set in two columns (most lines split at one gutter) is read column by column, not across."""
    starts: Counter[int] = Counter()
    for line in lines:
        spans = line.cell_spans()
        if len(spans) == 2:
            starts[round(spans[1][0] / 4)] += 1
    if not starts or len(lines) < 10:
        return lines
    key, count = starts.most_common(1)[0]
    if count < 0.6 * len(lines):
        return lines
    gutter = key * 4 - 4
    left: list[Line] = []
    right: list[Line] = []
    for line in lines:
        words = [w for run in line.runs for w in run.split_words()]
        a = [w for w in words if w.x0 < gutter]
        b = [w for w in words if w.x0 >= gutter]
        if a:
            left.append(Line(a, line.page))
        if b:
            right.append(Line(b, line.page))
    return left + right


def _unruled_tables(lines: Sequence[Line]) -> list[list[Line]]:
    """Tables without rules: two or more consecutive lines split into the same number (2+) of cells at the
    same left edges, widened to the neighbouring lines whose runs also start at those edges."""
    spans = [line.cell_spans() for line in lines]
    grids: list[tuple[int, int]] = []
    i = 0
    while i < len(lines) - 1:
        starts = [x for x, _ in spans[i]]
        j = i + 1
        while j < len(lines) and len(starts) >= 2 and _aligned(starts, [x for x, _ in spans[j]]):
            j += 1
        if j - i >= 2:
            grids.append((i, j))
            i = j
        else:
            i += 1
    out: list[list[Line]] = []
    for start, end in grids:
        edges = [x for x, _ in spans[start]]
        while start > 0 and _split_at(lines[start - 1], edges) is not None:
            start -= 1
        while end < len(lines) and _split_at(lines[end], edges) is not None:
            end += 1
        out.append(list(lines[start:end]))
    return out


def _aligned(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 4 for x, y in zip(a, b, strict=True))


def _split_at(line: Line, edges: Sequence[float]) -> list[str] | None:
    """The line's text cut at the column edges, if a run starts at every edge (None otherwise)."""
    groups: list[list[Run]] = [[] for _ in edges]
    for run in (word for r in line.runs for word in r.split_words()):
        col = max((k for k, x in enumerate(edges) if run.x0 >= x - 4), default=-1)
        if col < 0:
            return None
        groups[col].append(run)
    if any(not g or abs(g[0].x0 - edges[k]) > 4 for k, g in enumerate(groups)):
        return None
    return [_join_runs(g) for g in groups]


def grid_rows(grid: Sequence[Line]) -> list[list[str]]:
    edges = [x for x, _ in grid[0].cell_spans()]
    for line in grid:
        spans = line.cell_spans()
        if len(spans) == len(edges):
            edges = [x for x, _ in spans]
            break
    return [_split_at(line, edges) or line.cells() for line in grid]


def _is_contents_page(lines: Sequence[Line], n_pages: int) -> bool:
    """A table of contents: most lines end with a page number of this paper."""
    ends = [m for ln in lines if (m := re.search(r"\s(\d{1,4})$", ln.text)) and int(m.group(1)) <= n_pages]
    return len(ends) >= 4 and len(ends) >= 0.6 * (len(lines) - 1)


def _line_pitch(lines: Sequence[Line]) -> float:
    gaps = [b.top - a.bottom for a, b in itertools.pairwise(lines) if 0 <= b.top - a.bottom < 30]
    typical = statistics.median(gaps) if gaps else 3.0
    size = statistics.median([ln.size for ln in lines]) if lines else 10.0
    return max(typical * 1.8, typical + 0.35 * size, 2.0)


def _heading_level(line: Line, body: float, heading_sizes: list[float]) -> int:
    size = round(line.size, 1)
    text = line.text
    if _is_field_line(line):
        return 0
    if size >= body * 1.15 and len(text) < 200:
        return heading_sizes.index(size) + 1 if size in heading_sizes else 1
    if line.bold and len(text) < 160 and not text.endswith((".", ",", ";")):
        if _BULLET.match(text) or _PAGE_NUMBER.match(text):
            return 0
        return len(heading_sizes) + 1
    return 0


def _is_field_line(line: Line) -> bool:
    """'Inspection dates: 9 to 20 June 2025' - a short label with a colon, then its value, on one line."""
    m = _FIELD.match(line.text)
    return m is not None and len(m.group(0).split()) <= 6


def _table_text(table: Table, lines: Sequence[Line]) -> str:
    cells: dict[tuple[int, int], list[Run]] = defaultdict(list)
    for line in lines:
        for run in line.runs:
            cells[table.cell_of(run)].append(run)
    rows = []
    for r in range(len(table.ys) - 1):
        texts = []
        for c in range(len(table.xs) - 1):
            runs = sorted(cells.get((r, c), []), key=lambda run: (round(run.top), run.x0))
            grouped = _lines(runs, 0) if runs else []
            text = " ".join(ln.text for ln in grouped).strip()
            if text:
                texts.append(text)
        if texts:
            rows.append(" | ".join(texts))
    return "\n".join(rows)


def _footnote_lines(flow: list[Line], body: float) -> list[Line]:
    """Small-type lines below the last body-size line of the page, the first starting with a number."""
    last_body = max((i for i, ln in enumerate(flow) if ln.size > body * 0.9), default=-1)
    tail = flow[last_body + 1 :]
    if not tail or not re.match(r"^[\d⁰¹²³⁴⁵⁶⁷⁸⁹]", tail[0].text) or any(ln.size > body * 0.9 for ln in tail):
        return []
    return tail


def _attach_footnotes(drafts: list[_Draft], lines: list[Line], page: int) -> None:
    """Each footnote goes with the block that carries its marker (a heading passes it to the next block)."""
    notes: list[tuple[str, list[Line]]] = []
    for line in lines:
        m = re.match(r"^\s*(\d{1,3})\s", line.text.translate(_PLAIN_DIGITS) + " ")
        first = line.runs[0]
        if m and (first.superscript or first.text.strip() == m.group(1) or len(notes) == 0 or line.x0 < 80):
            notes.append((m.group(1), [line]))
        elif notes:
            notes[-1][1].append(line)
    for number, note_lines in notes:
        body = _join_lines(note_lines)
        body = re.sub(r"^\s*[\d⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}\s*", "", body)
        marker = number.translate(_SUPERSCRIPT)
        text = f"{marker} {body}"
        target = next((i for i, d in enumerate(drafts) if marker in d.text), len(drafts) - 1)
        if target >= 0 and drafts[target].kind in (BlockKind.PARAGRAPH, BlockKind.LIST):
            drafts[target].footnotes.append(text)
        else:  # a note on a heading or a table opens the section (or follows the table) as its own paragraph
            drafts.insert(target + 1, _Draft(BlockKind.PARAGRAPH, page, note_lines, text_override=text))


def _keep_sentences_whole(drafts: list[_Draft]) -> None:
    """A paragraph that runs over a page break: the rest of its unfinished sentence joins the page it began on."""
    for i in range(len(drafts) - 1):
        a, b = drafts[i], drafts[i + 1]
        if a.page == b.page or a.kind not in (BlockKind.PARAGRAPH, BlockKind.LIST):
            continue
        if b.kind != BlockKind.PARAGRAPH or b.footnotes or _NUMBERED.match(b.text) or _BULLET.match(b.text):
            continue
        head = a.body
        if _SENTENCE_END.search(head) or (not b.text[:1].islower() and not b.text[:1].isdigit()):
            continue
        rest = b.body
        m = _FIRST_SENTENCE.match(rest)
        moved = m.group(0) if m else rest
        a.text_override = _join_text(head, moved)
        remainder = rest[len(moved) :].strip()
        b.text_override = remainder


def _join_text(a: str, b: str) -> str:
    if a.endswith("-") and b[:1].islower():
        return a + b
    return f"{a} {b}"


def page_texts(blocks: Iterable[Block]) -> dict[int, str]:
    """The text of each page as blocks hold it (joined by blank lines)."""
    out: dict[int, list[str]] = defaultdict(list)
    for block in blocks:
        if block.page is not None:
            out[block.page].append(block.text)
    return {page: "\n\n".join(parts) for page, parts in out.items()}
