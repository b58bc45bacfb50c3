"""The inspection record view in a real browser (issue 18): Playwright drives Debian's Chromium against `council
serve` on 127.0.0.1 over the real MiniLM index of the bundled corpus (the 22 Ofsted reports among it), plus an
exempt monitoring-visit letter that only officers may see.

A councillor opens the "Inspection record" tab of the chat, a resident the `/record` page, an officer the tab in the
officer area. Each sees the comparison table and one timeline per council of the bundled reports; a grade in the
table and a mark on a chart lead to their source (report, date, page, the quoted words), and from there to the paper
with the quote marked. axe-core finds no WCAG 2.2 A/AA violation. Screenshots for the README are saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.metadata import load_sidecar
from tests.system import test_browser
from tests.system.appserver import OFFICER_TOKEN, Server, prepare_index, running_server
from tests.system.test_browser import (
    DESKTOP,
    PHONE,
    axe_violations,
    new_page,
    settled,
    shot,
    sign_in,
)

pytestmark = pytest.mark.integration

from playwright.sync_api import Browser, Locator, Page, expect  # noqa: E402

browser = test_browser.browser  # the same Chromium and fresh-page fixtures as the other browser tests
page = test_browser.page
REPO = Path(__file__).resolve().parents[2]
LETTER = "rochdale-monitoring-visit-2024-10-15.md"
LETTER_TEXT = """---
title: "Monitoring visit to Rochdale children's services (draft, exempt)"
date: 2024-10-15
council: Rochdale Borough Council
doc_type: monitoring/focused-visit letter
classification: exempt
---

# Monitoring visit to Rochdale local authority children's services

This letter summarises the findings of the monitoring visit to Rochdale local authority children's services on 11
and 12 September 2024. The visit was carried out by His Majesty's Inspectors Jane Example and Sam Sample.

Inspectors reviewed the progress made in the help and protection of children since the last inspection.

Yours sincerely

Jane Example
His Majesty's Inspector
"""
VIEW_MS = 60_000  # drawing the view reads every report's chunks once (seconds on a busy 2-core machine)
BURY_OVERALL = "Overall effectiveness | Requires improvement to be good"  # page 1 of Bury's 2025 report


def bundled_councils() -> set[str]:
    """The councils of the bundled Ofsted reports, as the corpus metadata names them."""
    sidecar = load_sidecar(REPO / "data" / "corpus")
    return {v["council"] for k, v in sidecar.items() if k.startswith("ofsted-reports/")}


@pytest.fixture(scope="module")
def server(minilm_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from assistant.factory import store_for
    from vectorstore.indexer import Indexer

    root = tmp_path_factory.mktemp("record-view")
    settings = prepare_index(minilm_settings, root)
    letters = root / "letters"
    letters.mkdir()
    (letters / LETTER).write_text(LETTER_TEXT, encoding="utf-8")
    (
        letters / "metadata.yaml"
    ).write_text(  # the council comes from the sidecar (front matter names no council)
        f'files:\n  {LETTER}:\n    council: "Rochdale Borough Council"\n', encoding="utf-8"
    )
    report = Indexer(store_for(settings)).sync([letters])
    assert report.added == [LETTER], report.summary_lines()
    with running_server(settings, root) as s:
        yield s


def entries(server: Server, audience: str = "public") -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {OFFICER_TOKEN}"} if audience == "officer" else {}
    return list(server.get_json(f"/api/record?audience={audience}", headers))


def check_view(view: Locator, expected: list[dict[str, Any]]) -> None:
    """The comparison has a row per council of the bundled reports, with five linked grades each; there is one
    chart per council with one mark per inspection or visit the audience may see, and each chart's table."""
    councils = bundled_councils()
    table = view.locator("table").first
    expect(table.locator("tbody tr")).to_have_count(len(councils))
    rows = table.locator("tbody th").all_inner_texts()
    assert set(rows) == councils, rows
    assert table.locator("tbody a[href*='-s']").count() >= 5 * len(councils)  # every grade is a link
    charts = view.locator("section.cqa-record-council")
    names = charts.locator("> :is(h3, h4)").all_inner_texts()
    assert councils <= set(names), names  # other papers of the corpus (letters) may add councils
    expect(charts.locator("svg.cqa-timeline-svg")).to_have_count(len(names))
    marks = view.locator("svg circle.cqa-mark, svg path.cqa-mark-visit")
    expect(marks).to_have_count(len(expected))
    for council in councils:
        expect(view.get_by_role("region", name=f"{council}: chart")).to_be_visible()


def follow_bury_grade(page: Page, view: Locator) -> Page:
    """Bury's overall effectiveness in the comparison leads to its source (the report, date, page 1, the quoted
    table row), and the source's "Read it here" link to the report with that row marked. Returns the paper."""
    row = view.locator("table").first.locator("tbody tr", has_text="Bury Council")
    cell = row.get_by_role("link", name=re.compile(r"^Requires improvement to be good: source \d+, overall"))
    cell.click()
    anchor = (cell.get_attribute("href") or "").lstrip("#")
    source = view.locator(f"[id='{anchor}']")
    expect(source).to_be_visible()
    expect(source).to_contain_text(BURY_OVERALL)
    expect(source).to_contain_text("29 July 2025")
    expect(source).to_contain_text("page 1")
    expect(source.locator("mark")).to_have_text(BURY_OVERALL)
    published = source.get_by_role("link", name=re.compile("^Open the original document"))
    # the published report (Ofsted's file addresses do not end in .pdf, so no #page is added, as in the chat)
    assert (published.get_attribute("href") or "").startswith("https://files.ofsted.gov.uk/")
    with page.context.expect_page() as popup:
        source.get_by_role("link", name=re.compile("^Read it here")).click()
    paper = popup.value
    paper.wait_for_load_state()
    expect(paper.get_by_role("heading", level=1)).to_contain_text("Bury")
    mark = paper.locator("#cqa-cited mark").first
    expect(mark).to_be_in_viewport()
    assert " ".join(mark.inner_text().split()) == BURY_OVERALL
    return paper


def test_a_councillor_opens_the_record_in_the_chat(page: Page, server: Server) -> None:
    public = entries(server)
    reports = {e["source_file"] for e in public if e["source_file"].startswith("ofsted-reports/")}
    assert len(reports) == 22 and not any(e["source_file"] == LETTER for e in public)
    page.goto(server.url + "/")
    page.get_by_role("tab", name="Inspection record").click()
    view = page.locator("#cqa-record-chat-view")
    expect(view.get_by_role("heading", name="Inspection record", level=2)).to_be_visible(timeout=VIEW_MS)
    check_view(view, public)
    expect(view).not_to_contain_text("Jane Example")  # the exempt letter's lead inspector: the officers' only
    expect(view).to_contain_text("published (open) papers only")
    settled(page)
    page.set_viewport_size({"width": 1366, "height": 1500})
    view.get_by_role("heading", name="Inspection record", level=2).scroll_into_view_if_needed()
    shot(page, "record.png", full_page=False)
    bury = view.locator("section.cqa-record-council", has_text="Bury Council").first
    bury.scroll_into_view_if_needed()
    bury.screenshot(path=str(REPO / "docs" / "screenshots" / "record-timeline.png"))
    page.set_viewport_size(DESKTOP)
    assert axe_violations(page) == []
    # a chart's mark by keyboard: Tab reaches it, Enter goes to its source
    for _ in range(400):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('svg.cqa-timeline-svg')"):
            break
    else:
        pytest.fail("no mark on a chart is reachable by Tab")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.className + ' ' + document.activeElement.textContent")
    assert "cqa-citation" in focused and "The source of" in focused, (label, focused[:300])
    paper = follow_bury_grade(page, view)
    assert axe_violations(paper) == []
    paper.close()


def test_a_resident_opens_the_record_page_from_the_widget(browser: Browser, server: Server) -> None:
    outside: list[str] = []
    pg = new_page(browser, server, PHONE, outside, has_touch=True, is_mobile=True)
    pg.goto(server.url + "/widget/")
    link = pg.get_by_role("link", name=re.compile("^Councils' inspection record"))
    expect(link).to_have_attribute("href", "/record")
    pg.goto(server.url + "/record")
    view = pg.locator("main")
    expect(pg.get_by_role("heading", name="Inspection record", level=1)).to_be_visible()
    check_view(view, entries(server))
    expect(view).not_to_contain_text("Jane Example")
    assert axe_violations(pg) == []
    shot(pg, "record-phone.png", full_page=False)
    pg.set_viewport_size(DESKTOP)
    paper = follow_bury_grade(pg, view)  # plain links: the browser opens the sources list at the fragment
    paper.close()
    pg.context.close()
    assert not outside, outside[:10]


def test_an_officer_sees_exempt_records_too(page: Page, server: Server) -> None:
    officer = entries(server, "officer")
    letter = [e for e in officer if e["source_file"] == LETTER]
    assert len(officer) == len(entries(server)) + 1 and letter[0]["framework"] == "monitoring-visit", letter
    expect.set_options(timeout=VIEW_MS)  # the officer area loads slowly on a busy machine
    try:
        sign_in(page, server)
    finally:
        expect.set_options(timeout=5_000)
    page.get_by_role("tab", name="Inspection record (all papers)").click()
    view = page.locator("#cqa-record-officer-view")
    expect(view.get_by_role("heading", name="Inspection record", level=2)).to_be_visible(timeout=VIEW_MS)
    check_view(view, officer)
    expect(view).to_contain_text("exempt ones included")
    mark = view.get_by_role(
        "link", name=re.compile(r"^Rochdale Borough Council: monitoring visit, published")
    )
    mark.click()
    source = view.locator(".cqa-citation:focus")
    expect(source).to_contain_text("11 and 12 September 2024")
    expect(source).to_contain_text("Exempt: not for publication")
    here = source.get_by_role("link", name=re.compile("^Read it here")).get_attribute("href") or ""
    assert "sig=" in here, here  # an exempt paper opens only by a signed link
    assert axe_violations(page) == []
