"""The inspection record view (`web.record_view`) on the record of the 22 real reports: every cell and mark links
to a source that exists and holds the quote, the chart puts grades in order, and the tables are its text."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pytest

from assistant.record import InspectionRecord
from ingest.inspection_record import Citation, extract
from tests.ofsted import meta, parsed, report_names
from web.record_view import GRADE_CSS, LEVELS, _y, distinct, record_html

HREF = re.compile(r'href="#([^"]+)"')


@pytest.fixture(scope="module")
def record() -> InspectionRecord:
    return InspectionRecord(extract(parsed(n), meta(n)) for n in report_names())


def view(record: InspectionRecord, reader_calls: list[Citation] | None = None, **kw: object) -> str:
    def reader(doc: object, cite: Citation) -> str:
        if reader_calls is not None:
            reader_calls.append(cite)
        return "/papers/x#cqa-cited"

    docs = {m.doc_id: m for m in (meta(n) for n in report_names())}
    return record_html(record, "v", docs.get, lambda c: None, reader, **kw)  # type: ignore[arg-type]


def source_items(page: str) -> dict[str, str]:
    return dict(re.findall(r'<li class="cqa-citation" id="([^"]+)"[^>]*>(.*?)</li>', page, flags=re.S))


def test_every_link_goes_to_a_source_on_the_page_and_every_source_is_listed_once(
    record: InspectionRecord,
) -> None:
    page = view(record)
    items = source_items(page)
    targets = set(HREF.findall(page))
    assert targets and targets <= set(items), targets - set(items)
    assert set(items) <= targets  # no source listed that nothing links to
    assert len(re.findall(r'<li class="cqa-citation"', page)) == len(items)


def test_a_grade_cell_leads_to_its_quoted_table_row(record: InspectionRecord) -> None:
    page = view(record)
    items = source_items(page)
    row = re.search(r"<tr><th scope=\"row\">Bury Council</th>(.*?)</tr>", page, flags=re.S)
    assert row
    overall = re.findall(
        r'<a href="#([^"]+)" aria-label="Requires improvement to be good: source \d+, overall', row[1]
    )
    assert overall
    item = html.unescape(items[overall[0]])
    assert "Overall effectiveness | Requires improvement to be good" in item
    assert "page 1" in item and "29 July 2025" in item


def test_the_chart_has_one_mark_per_inspection_and_puts_better_grades_higher(
    record: InspectionRecord,
) -> None:
    page = view(record)
    marks = re.findall(r'<(circle|path) class="cqa-mark ([^"]+)"', page)
    events = sum(len(distinct(record.events(c))) for c in record.councils())
    assert len(marks) == len(record.history()) + events
    graded = sum(1 for e in record.history() if e.overall)
    assert sum(1 for shape, _ in marks if shape == "circle") == graded
    ys = [_y(level) for level in LEVELS]
    assert ys == sorted(ys)  # outstanding first (top), then good, requires improvement, inadequate, no grade
    for grade, css in GRADE_CSS.items():
        for cy in re.findall(rf'class="cqa-mark {css}" cx="[\d.]+" cy="([\d.]+)"', page):
            assert float(cy) == _y(grade)


def test_each_chart_has_its_table_and_every_mark_a_name(record: InspectionRecord) -> None:
    page = view(record)
    charts = page.count('<svg class="cqa-timeline-svg"')
    assert charts == len(record.councils())
    assert page.count("(the chart as a table)</caption>") == charts
    for anchor in re.findall(r"<a href=\"#[^\"]+\"( aria-label=\"[^\"]*\")?><title>", page):
        assert anchor.startswith(' aria-label="')


def test_the_quote_is_read_on_this_site_and_metadata_values_say_so(record: InspectionRecord) -> None:
    calls: list[Citation] = []
    page = view(record, calls)
    assert calls and all(c.file for c in calls)
    assert "How it was read: publication date from the paper&#x27;s metadata" in page
    assert page.count(">Read it here, with the quote marked</a>") == sum(1 for c in calls if c.quote)


def test_the_audience_is_said_and_headings_follow_the_level_asked(record: InspectionRecord) -> None:
    assert "published (open) papers only" in view(record)
    officer = view(record, audience="officer", top=1)
    assert "exempt ones included" in officer
    assert '<h1 id="v-title">Inspection record</h1>' in officer and '<h2 id="v-cmp">' in officer


def test_paper_text_is_escaped(record: InspectionRecord) -> None:
    (entry,) = record.history("Bury")[:1]
    cite = entry.cite("judgements.overall_effectiveness")[0]
    hostile = replace(cite, quote="<script>alert(1)</script> {{x}}")
    entry.citations["judgements.overall_effectiveness"] = (hostile,)
    try:
        page = view(record)
    finally:
        entry.citations["judgements.overall_effectiveness"] = (cite,)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "{{" not in page
