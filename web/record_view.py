"""The inspection record as people read it: a comparison table across councils and a timeline per council.

- The comparison: each council's latest ILACS inspection, its five judgements and the next standard inspection
  window (the ILACS rule, with the inspection it rests on).
- The timeline: per council, a chart of the overall effectiveness grade over time, one mark per inspection and
  visit (and per dated event other papers state), with the next window drawn in; under it the same history as a
  table, which is the chart's text equivalent.
- Every cell and every mark is a link to its source below, shown like an answer's sources (document, date, page,
  the quoted words), with a link to the published report at that page and to the paper on this server with the
  quote marked.

The record comes from `Services.record(audience)`: the public audience sees records of open papers only, officers
all. Everything from a paper is HTML-escaped (`web.render`). The chat (`/`) and the officer area show it in a tab;
`/record` is the same view as a plain page, for residents (`web.record_api` adds the route).
"""

# No `from __future__ import annotations`: Gradio reads the hints at run time.

import datetime as dt
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from assistant.answer import Citation as Source
from assistant.errors import CouncilQAError
from assistant.record import GRADE_ORDER, Entry, InspectionRecord
from assistant.record_text import LABELS
from ingest.documents import Classification
from ingest.inspection_record import Citation, Event
from vectorstore.audience import Audience
from vectorstore.catalog import DocumentInfo
from web.render import LinkFor, citation_html
from web.sources import reader_link

FIELD_LABELS = {
    "council": "the council",
    "publication_date": "the publication date",
    "start_date": "the fieldwork dates",
    "end_date": "the fieldwork dates",
    "framework": "the kind of inspection",
    "lead_inspector": "the lead inspector",
    "outcome": "the outcome",
    "window": "the next standard inspection window",
    **{f"judgements.{k}": v.lower() for k, v in LABELS.items()},
}
GRADE_CSS = {grade: f"cqa-grade-{i}" for i, grade in enumerate(GRADE_ORDER)}  # 0 inadequate .. 3 outstanding
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})  # Gradio's HTML template never sees a {{ from a paper
_SQUASH = re.compile(r"[\W_]+")

Docs = Callable[[str], DocumentInfo | None]
Reader = Callable[[DocumentInfo, Citation], str | None]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else "undated"


def grade_text(grade: str) -> str:
    return grade[:1].upper() + grade[1:]


def _fieldwork(entry: Entry) -> str:
    start, end = entry.start_date, entry.end_date
    if start and end and start != end:
        return f"{_day(start)} to {_day(end)}"
    return _day(start or end) if (start or end) else "not stated"


# ------------------------------------------------------------------------------------------------ sources


@dataclass
class Sources:
    """The citations a view links to, numbered in order of first use; one source per (file, page, quote)."""

    prefix: str
    docs: Docs
    canonical: Callable[[str], str] = str  # a council's name as the record names it
    items: list[tuple[Citation, list[str], str]] = field(default_factory=list)  # citation, what, council
    _index: dict[tuple[str, int | None, str, str], int] = field(default_factory=dict)

    def anchor(self, n: int) -> str:
        return f"{self.prefix}-s{n}"

    def ref(self, cite: Citation, what: str, council: str = "") -> int:
        """The number of `cite`'s source, adding it the first time; `what` says what it supports."""
        key = (cite.file, cite.page, cite.quote, "" if cite.quote else cite.note)
        council = self.canonical(council) if council else ""
        n = self._index.get(key)
        if n is None:
            self.items.append((cite, [], council))
            n = self._index[key] = len(self.items)
        supports = self.items[n - 1][1]
        if what not in supports:
            supports.append(what)
        return n

    def link(self, cites: Sequence[Citation], what: str, text: str, council: str, grade: str = "") -> str:
        """`text` as a link to the first of `cites` (plain text when there is none), after a grade's chip."""
        chip = f'<span class="cqa-chip {GRADE_CSS[grade]}" aria-hidden="true"></span>' if grade else ""
        if not cites:
            return chip + _e(text)
        n = self.ref(cites[0], what, council)
        label = f"{text}: source {n}, {what}"
        return f'<a href="#{self.anchor(n)}" aria-label="{_e(label)}">{chip}{_e(text)}</a>'

    def html(self, council: str, link_for: LinkFor, reader: Reader) -> tuple[int, str]:
        """How many sources a council's values rest on, and those sources as an answer's sources are shown."""
        out = []
        for n, (cite, supports, whose) in enumerate(self.items, 1):
            if whose != self.canonical(council):
                continue
            doc = self.docs(cite.file)
            source = Source(
                n=n,
                doc_id=cite.file,
                chunk_id="",
                title=doc.title if doc else cite.file,
                date=doc.date if doc else None,
                body=doc.body if doc else "",
                doc_type=str(doc.doc_type) if doc else "",
                page=cite.page,
                section="",
                quote=cite.quote,
                passage_text=cite.quote,
                source_url=doc.source_url if doc else "",
            )
            item = citation_html(source, link_for, anchor=self.anchor(n))
            extra = f'<p class="cqa-record-supports">The source of {_e(", ".join(supports))}.</p>'
            if cite.note:
                extra += f'<p class="cqa-record-note">How it was read: {_e(cite.note)}.</p>'
            if doc is not None and doc.classification != Classification.OPEN:
                extra += '<p class="cqa-exempt"><strong>Exempt: not for publication.</strong></p>'
            here = reader(doc, cite) if doc is not None else None
            if here:
                text = "Read it here, with the quote marked" if cite.quote else "Read it here"
                name = f"{text}: source {n}, on this site (opens in a new tab)"
                extra += (
                    f'<p class="cqa-open"><a href="{_e(here)}" target="_blank" rel="noopener" '
                    f'aria-label="{_e(name)}">{text}</a></p>'
                )
            out.append(item[: -len("</li>")] + extra + "</li>")
        return len(out), "".join(out)


# ------------------------------------------------------------------------------------------------ the chart

WIDTH, LEFT, RIGHT, TOP, LEVEL_H, AXIS_H = 860, 178, 16, 12, 24, 26
# outstanding at the top; no grade at the bottom
LEVELS: tuple[str | None, ...] = (*reversed(GRADE_ORDER), None)
LEVEL_NAMES: dict[str | None, str] = {g: grade_text(g).replace(" to be good", "") for g in GRADE_ORDER}
LEVEL_NAMES[None] = "Visit or other"


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, dates: Sequence[dt.date]) -> "Span":
        years = [d.year for d in dates] or [dt.date.today().year]
        return cls(dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1))

    def x(self, day: dt.date) -> float:
        share = (day - self.start).days / max(1, (self.end - self.start).days)
        return round(LEFT + share * (WIDTH - LEFT - RIGHT), 1)


def _y(level: str | None) -> float:
    return TOP + LEVELS.index(level) * LEVEL_H + LEVEL_H / 2


def _mark(x: float, y: float, grade: str | None, hollow: bool = False) -> str:
    if grade is not None:
        return f'<circle class="cqa-mark {GRADE_CSS[grade]}" cx="{x}" cy="{y}" r="7"></circle>'
    d = f"M{x} {y - 8}L{x + 8} {y}L{x} {y + 8}L{x - 8} {y}Z"
    return f'<path class="cqa-mark {"cqa-mark-event" if hollow else "cqa-mark-visit"}" d="{d}"></path>'


def _point(href: str, label: str, shape: str) -> str:
    return f'<a href="#{href}" aria-label="{_e(label)}"><title>{_e(label)}</title>{shape}</a>'


def timeline_svg(
    council: str,
    entries: list[Entry],
    events: list[Event],
    window: Any,
    span: Span,
    sources: Sources,
    key: str,
) -> str:
    """One council's chart: overall effectiveness over time as a step line, a mark per inspection, visit and
    dated event, and the next standard inspection window as a band; every mark a link to its source."""
    height = TOP + len(LEVELS) * LEVEL_H + AXIS_H
    bottom = TOP + len(LEVELS) * LEVEL_H
    parts = [
        f'<svg class="cqa-timeline-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="group" aria-labelledby="{key}-h" aria-describedby="{key}-d">'
    ]
    for level in LEVELS:
        y = _y(level)
        parts.append(f'<line class="cqa-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"></line>')
        parts.append(
            f'<text class="cqa-axis" x="{LEFT - 10}" y="{y + 4}" text-anchor="end">{_e(LEVEL_NAMES[level])}</text>'
        )
    for year in range(span.start.year, span.end.year + 1):
        x = span.x(dt.date(year, 1, 1))
        parts.append(f'<line class="cqa-tick" x1="{x}" x2="{x}" y1="{TOP}" y2="{bottom}"></line>')
        if year < span.end.year:
            mid = span.x(dt.date(year, 7, 1))
            parts.append(
                f'<text class="cqa-axis" x="{mid}" y="{bottom + 18}" text-anchor="middle">{year}</text>'
            )
    if window is not None:
        x1, x2 = span.x(window.window.start), span.x(window.window.end)
        label = (
            f"next window for {council} (the next standard inspection): {window.window.text}; {window.note}"
        )
        n = (
            sources.ref(window.citations[0], "the next standard inspection window", council)
            if window.citations
            else 0
        )
        band = (
            f'<rect class="cqa-window" x="{x1}" y="{TOP}" width="{round(x2 - x1, 1)}" '
            f'height="{bottom - TOP}"></rect><text class="cqa-window-label" x="{(x1 + x2) / 2}" '
            f'y="{TOP + 14}" text-anchor="middle">next window</text>'
        )
        parts.append(_point(sources.anchor(n), label, band) if n else band)
    graded = [e for e in reversed(entries) if e.overall]
    if graded:
        points: list[str] = []
        for a, b in zip(graded, [*graded[1:], None], strict=True):
            xa, ya = span.x(a.when), _y(a.overall)
            points.append(f"{xa},{ya}")
            if b is not None:
                points.append(f"{span.x(b.when)},{ya}")
        parts.append(f'<polyline class="cqa-step" points="{" ".join(points)}"></polyline>')
    for entry in entries:
        cites = _mark_cites(entry)
        published = _day(entry.publication_date)
        label = f"{council}: {entry.framework_label}, published {published}: {_mark_text(entry)}"
        what = f"the {entry.framework_label} published {published}"
        shape = _mark(span.x(entry.when), _y(entry.overall), entry.overall)
        parts.append(
            _point(sources.anchor(sources.ref(cites[0], what, council)), label, shape) if cites else shape
        )
    for event in events:
        day = dt.date.fromisoformat(event.date)
        kind = event.kind.replace("-", " ")
        when = f"{day:%B %Y}" if event.precision == "month" else _day(day)
        label = f"{council}: {kind}, {when}{' (planned)' if event.planned else ''}, as another paper states"
        n = sources.ref(event.citation, f"the {kind} of {when}", council)
        parts.append(_point(sources.anchor(n), label, _mark(span.x(day), _y(None), None, hollow=True)))
    parts.append("</svg>")
    return "".join(parts)


def _mark_text(entry: Entry) -> str:
    if entry.overall:
        return f"overall effectiveness {entry.overall}"
    if entry.outcome:
        return f"outcome: {entry.outcome}"
    return "no grade given"


def _mark_cites(entry: Entry) -> tuple[Citation, ...]:
    return (
        entry.cite("judgements.overall_effectiveness")
        or entry.cite("outcome")
        or entry.cite("start_date")
        or entry.cite("framework")
    )


# ------------------------------------------------------------------------------------------------ tables


def _grade_cell(entry: Entry, name: str, sources: Sources) -> str:
    grade = entry.judgements.get(name)
    cites = entry.cite(f"judgements.{name}")
    what = f"{LABELS[name].lower()} ({entry.council}, {_day(entry.publication_date)})"
    if grade:
        return f"<td>{sources.link(cites, what, grade_text(grade), entry.council, grade)}</td>"
    if cites:
        return f"<td>{sources.link(cites, what, 'Not graded separately', entry.council)}</td>"
    return '<td><span class="cqa-none">Not judged</span></td>'


def _inspection_cell(entry: Entry, sources: Sources) -> str:
    c = entry.council
    kind = sources.link(entry.cite("framework"), f"the kind of inspection ({c})", entry.framework_label, c)
    cites = entry.cite("start_date") or entry.cite("publication_date")
    fieldwork = sources.link(cites, f"the fieldwork dates ({c})", _fieldwork(entry), c)
    published = sources.link(
        entry.cite("publication_date"), f"the publication date ({c})", _day(entry.publication_date), c
    )
    return f'<td>{kind}<br><span class="cqa-small">fieldwork {fieldwork}<br>published {published}</span></td>'


def _rests_on(window: Any) -> dt.date:
    return window.based_on.start_date or window.based_on.when


def comparison_html(record: InspectionRecord, sources: Sources) -> str:
    """Councils by their latest ILACS inspection: its date, the five judgements and the next window."""
    rows = []
    for entry in record.compare():
        window = record.next_standard_window(entry.council)
        cells = "".join(_grade_cell(entry, name, sources) for name in LABELS)
        due = (
            sources.link(
                window.citations, "the next standard inspection window", window.window.text, entry.council
            )
            + f'<br><span class="cqa-small">from the inspection of {_rests_on(window):%B %Y}</span>'
            if window is not None
            else "Not known"
        )
        rows.append(
            f'<tr><th scope="row">{_e(entry.council)}</th>{_inspection_cell(entry, sources)}{cells}<td>{due}</td></tr>'
        )
    if not rows:
        return "<p>No ILACS inspection report is held, so there is nothing to compare yet.</p>"
    heads = "".join(f'<th scope="col">{_e(v)}</th>' for v in LABELS.values())
    return (
        '<div class="cqa-table-wrap" role="region" aria-labelledby="{p}-cmp-cap" tabindex="0">'
        '<table class="cqa-record-table"><caption id="{p}-cmp-cap">Each council\'s latest ILACS inspection and '
        "its judgements. Select a grade to see where the report says it.</caption>"
        f'<thead><tr><th scope="col">Council</th><th scope="col">Inspection</th>{heads}'
        '<th scope="col">Next standard inspection window</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    ).replace("{p}", sources.prefix)


def history_table(council: str, entries: list[Entry], events: list[Event], key: str, sources: Sources) -> str:
    """The council's timeline as a table (the chart's text equivalent), newest first."""
    rows = []
    for entry in entries:
        if entry.overall:
            what = f"overall effectiveness ({council}, {_day(entry.publication_date)})"
            grade = sources.link(
                entry.cite("judgements.overall_effectiveness"),
                what,
                grade_text(entry.overall),
                council,
                entry.overall,
            )
        elif entry.outcome:
            grade = sources.link(
                entry.cite("outcome"), f"the outcome ({council})", grade_text(entry.outcome), council
            )
        else:
            grade = '<span class="cqa-none">No grade given</span>'
        lead = sources.link(
            entry.cite("lead_inspector"),
            f"the lead inspector ({council})",
            entry.lead_inspector or "",
            council,
        )
        rows.append(
            f"<tr>{_inspection_cell(entry, sources)}<td>{grade}</td><td>{lead or 'Not stated'}</td></tr>"
        )
    for event in events:
        day = dt.date.fromisoformat(event.date)
        when = f"{day:%B %Y}" if event.precision == "month" else _day(day)
        kind = event.kind.replace("-", " ")
        text = f"{grade_text(kind)}, {when}{' (planned)' if event.planned else ''}"
        cell = sources.link((event.citation,), f"the {kind} of {when}", text, council)
        rows.append(
            f'<tr><td>{cell}<br><span class="cqa-small">stated in another paper</span></td><td></td><td></td></tr>'
        )
    return (
        f'<div class="cqa-table-wrap" role="region" aria-labelledby="{key}-cap" tabindex="0">'
        f'<table class="cqa-record-table"><caption id="{key}-cap">{_e(council)}: every inspection and visit, '
        'newest first (the chart as a table)</caption><thead><tr><th scope="col">Inspection</th>'
        '<th scope="col">Overall effectiveness or outcome</th><th scope="col">Lead inspector</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


LEGEND = (
    '<ul class="cqa-legend" aria-label="How to read the charts">'
    '<li><span class="cqa-chip cqa-grade-3" aria-hidden="true"></span>Circle: an inspection\'s overall '
    "effectiveness, higher is better (outstanding, good, requires improvement, inadequate); the line holds a grade "
    "until the next graded inspection</li>"
    '<li><span class="cqa-chip cqa-chip-visit" aria-hidden="true"></span>Filled diamond: a visit or inspection '
    "without an overall grade (monitoring or focused visit, area SEND)</li>"
    '<li><span class="cqa-chip cqa-chip-event" aria-hidden="true"></span>Hollow diamond: a dated event another '
    "paper states</li>"
    '<li><span class="cqa-chip cqa-chip-window" aria-hidden="true"></span>Shaded band: the next standard '
    "inspection window (3 years, plus or minus 6 months, from the latest standard or short inspection)</li></ul>"
)


def distinct(events: list[Event]) -> list[Event]:
    """One event per kind and date (several papers often state the same visit): the first, newest first."""
    seen: set[tuple[str, str, bool]] = set()
    out = []
    for event in events:
        key = (event.kind, event.date, event.planned)
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out


def record_html(
    record: InspectionRecord,
    prefix: str,
    docs: Docs,
    link_for: LinkFor,
    reader: Reader,
    audience: Audience | str = Audience.PUBLIC,
    top: int = 2,
) -> str:
    """The whole view: intro, comparison table, then per council its chart, its table and its sources. `top` is
    the level of its heading (1 on a page of its own, 2 under a page's title)."""
    h1, h2, h3 = (f"h{min(6, top + i)}" for i in range(3))
    councils = record.councils()
    whose = (
        "all papers held, exempt ones included (their sources say so)"
        if str(audience) == str(Audience.OFFICER)
        else "published (open) papers only"
    )
    intro = (
        f'<p class="cqa-record-intro">From the inspection reports and letters held: {len(councils)} '
        f"council{'s' if len(councils) != 1 else ''}, {whose}. Every grade, date and mark links to the words it "
        "comes from: the report, its date and page, and the quote.</p>"
    )
    if not councils:
        return (
            f'<section class="cqa-record" id="{prefix}"><{h1}>Inspection record</{h1}>{intro}'
            "<p>No inspection report is held yet.</p></section>"
        ).translate(_BRACES)
    sources = Sources(prefix, docs, record.name)
    out = [
        f'<section class="cqa-record" id="{prefix}" aria-labelledby="{prefix}-title">',
        f'<{h1} id="{prefix}-title">Inspection record</{h1}>',
        intro,
        f'<{h2} id="{prefix}-cmp">Comparison: the latest inspection of each council</{h2}>',
        comparison_html(record, sources),
        f'<{h2} id="{prefix}-tl">Timeline of each council</{h2}>',
        LEGEND,
    ]
    entries_by = {c: record.history(c) for c in councils}
    dates = [e.when for es in entries_by.values() for e in es if e.when != dt.date.min]
    dates += [dt.date.fromisoformat(ev.date) for c in councils for ev in record.events(c)]
    windows = {c: record.next_standard_window(c) for c in councils}
    dates += [w.window.end for w in windows.values() if w is not None]
    span = Span.of(dates)
    sections = []
    for i, council in enumerate(councils, 1):
        key = f"{prefix}-c{i}"
        events = distinct(record.events(council))
        window = windows[council]
        svg = timeline_svg(council, entries_by[council], events, window, span, sources, key)
        table = history_table(council, entries_by[council], events, key, sources)
        due = (
            f"<p>Next standard inspection window: <strong>{_e(window.window.text)}</strong> "
            f"({_e(window.note)}).</p>"
            if window is not None
            else ""
        )
        sections.append(
            f'<section class="cqa-record-council" aria-labelledby="{key}-h"><{h3} id="{key}-h">{_e(council)}</{h3}>'
            f'<p class="cqa-vh" id="{key}-d">Chart of {_e(council)}\'s inspections over time; the same history '
            "is in the table below it.</p>"
            f'<div class="cqa-chart-wrap" role="region" aria-label="{_e(council)}: chart" tabindex="0">{svg}</div>'
            f"{due}{table}"
        )
    for council, section in zip(councils, sections, strict=True):
        count, listed = sources.html(
            council, link_for, reader
        )  # after every table: all its sources are known
        if count:
            section += (
                f'<details class="cqa-record-sources"><summary>Where {_e(council)}\'s values are written '
                f'({count} source{"s" if count != 1 else ""})</summary><ol class="cqa-citations">{listed}</ol>'
                "</details>"
            )
        out.append(section + "</section>")
    out.append("</section>")
    return "".join(out).translate(_BRACES)


# ------------------------------------------------------------------------------------------------ wiring

_PARTS_KEPT = 256
_parts: dict[tuple[str, str], list[tuple[str, int | None, str]]] = {}  # (doc id, content hash) -> its chunks


def _squash(text: str) -> str:
    return _SQUASH.sub("", text.casefold())


def quote_chunk(services: Any, doc: DocumentInfo, cite: Citation) -> str:
    """The id of the chunk of `doc` (as its readable page shows it) that holds `cite`'s quote, preferring one on
    the cited page; "" when none does (the page then opens at the top)."""
    key = (doc.doc_id, doc.content_hash)
    if key not in _parts:
        if len(_parts) >= _PARTS_KEPT:
            _parts.clear()
        _parts[key] = [(p.chunk_id, p.page, _squash(p.text)) for p in services.paper_parts(doc)]
    wanted = _squash(cite.quote)
    if not wanted:
        return ""
    found = [(chunk, page) for chunk, page, text in _parts[key] if wanted in text]
    before = [
        chunk for chunk, page in found if page is not None and cite.page is not None and page <= cite.page
    ]
    return (before[-1] if before else found[0][0]) if found else ""


def view_html(services: Any, audience: Audience | str, prefix: str, top: int = 2) -> str:
    """The view for an audience, from the live index; a sentence saying why when there is nothing to show."""
    try:
        record = services.record(audience)
        catalog = services.catalog()
    except CouncilQAError as exc:
        h = f"h{top}"
        return f'<section class="cqa-record" id="{prefix}"><{h}>Inspection record</{h}><p>{_e(exc)}</p></section>'

    def reader(doc: DocumentInfo, cite: Citation) -> str | None:
        if not doc.visible_to(audience):
            return None
        return reader_link(doc, quote_chunk(services, doc, cite), cite.quote, services.signer)

    link_for = services.link_for(Audience.parse(audience))
    return record_html(record, prefix, catalog.get, link_for, reader, audience, top)


# Cell and mark links go to their source in the page (opening its list) and move the focus there, as [n] does.
RECORD_JS = """
element.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#"]');
  if (!link) return;
  const target = element.querySelector(link.getAttribute('href'));
  if (!target) return;
  event.preventDefault();
  const list = target.closest('details');
  if (list) list.open = true;
  target.scrollIntoView({block: 'center'});
  target.focus();
});
"""


def record_tab(services: Any, audience: Audience, surface: str, tab: gr.Tab) -> gr.HTML:
    """The view inside a Gradio tab, drawn when the tab is opened (fresh each time: the index may have changed)."""
    prefix = f"cqa-record-{surface}"
    view = gr.HTML(
        '<p class="cqa-record-intro">Opening the inspection record…</p>',
        elem_id=prefix + "-view",
        js_on_load=RECORD_JS,
        apply_default_css=False,
    )
    tab.select(
        lambda: view_html(services, audience, prefix),
        None,
        view,
        api_visibility="private",
        show_progress="hidden",
    )
    return view
