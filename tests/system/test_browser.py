"""End to end in a real browser: Playwright drives Debian's Chromium against `council serve` on 127.0.0.1.

Asks the canonical question in the chat and opens its source, rates the answer, asks in the residents' widget
(public papers only), uses the widget by keyboard alone, loads the demo host page (iframe and web component),
runs axe-core (no serious or critical WCAG 2.2 A/AA violations), checks nothing is fetched from anywhere but the
app, and saves screenshots for the README.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.system.appserver import (
    EXEMPT_QUESTION,
    EXEMPT_TITLE,
    Server,
    prepare_index,
    running_server,
)

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
AXE = REPO / "tests" / "assets" / "axe.min.js"
CANONICAL = "When is Bury's next Ofsted standard inspection window?"
ANSWER_TIMEOUT_MS = 180_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

if not CHROMIUM.exists():  # pragma: no cover - set-up problem, said plainly
    pytest.skip("Debian's Chromium is not installed: run `make browser`", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(minilm_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("browser")
    with running_server(prepare_index(minilm_settings, root), root) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh page; any request to anywhere but the app is blocked and fails the test (offline)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    outside: list[str] = []

    def guard(route: Any) -> None:
        url = route.request.url
        if url.startswith((server.url, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()
    assert not outside, f"requests outside the app: {outside[:10]}"


def axe_violations(page: Page, context: str = "document") -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations with impact serious or critical."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async ([ctx, tags]) => await axe.run(ctx === 'document' ? document : document.querySelector(ctx), "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [context, WCAG_TAGS],
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def ask(page: Page, surface: str, question: str) -> Any:
    """Type a question in the surface's box and press Enter; returns the new answer bubble once it is complete."""
    bubbles = page.locator(f"#cqa-chat-{surface} [data-testid='bot']")
    before = bubbles.count()
    box = page.locator(f"#cqa-question-{surface} textarea")
    box.fill(question)
    box.press("Enter")
    expect(bubbles).to_have_count(before + 1, timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator(f"#cqa-as-at-{surface}")).not_to_contain_text("Searching", timeout=ANSWER_TIMEOUT_MS)
    return bubbles.last


def test_chat_answers_with_a_citation_and_opens_the_source(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    expect(page.get_by_role("heading", name="Council Q&A", level=1)).to_be_visible()
    expect(page.locator("#cqa-coverage-chat")).to_contain_text("The papers held:")
    bot = ask(page, "chat", CANONICAL)
    expect(bot).to_contain_text("December 2027")
    expect(bot).to_contain_text(re.compile(r"\[\d+\]"))
    sources = page.locator("#cqa-sources-chat")
    expect(sources).to_contain_text("Ofsted Standard Inspection of Children's Services in Bury")
    expect(sources.locator("mark").first).to_be_visible()
    expect(page.locator("#cqa-as-at-chat")).to_contain_text("As at")

    links = sources.get_by_role(
        "link", name=re.compile(r"^Open the original document for source \d+: Ofsted")
    )
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert hrefs and all(h.startswith("/files/") for h in hrefs), hrefs
    for href in hrefs:  # every citation's original is served
        original = page.request.get(server.url + href.split("#")[0])
        assert original.status == 200, href
    viewable = [i for i, h in enumerate(hrefs) if not h.split("#")[0].endswith(".docx")]  # .docx downloads
    if viewable:
        with page.context.expect_page() as popup:
            links.nth(viewable[0]).click()
        doc = popup.value
        doc.wait_for_url(re.compile(re.escape(server.url) + r"/files/"))
        doc.close()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chat.png"), full_page=True)
    assert axe_violations(page) == []


def test_chat_feedback_is_stored(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    question = "What overall grade did Ofsted give Bury children's services after the June 2025 inspection?"
    ask(page, "chat", question)
    page.locator("#cqa-chat-chat").get_by_role("button", name="Dislike").last.click()
    status = page.locator("#cqa-feedback-chat [role=status]")
    expect(status).to_contain_text("saved as not helpful")
    page.get_by_label("Comment on an answer (optional)").fill("Please say which inspection this was.")
    page.get_by_role("button", name="Send comment").click()
    expect(status).to_contain_text("comment is saved")
    with sqlite3.connect(server.settings.feedback_db) as db:
        row = db.execute(
            "SELECT a.question, a.citations, f.rating, f.comment FROM feedback f JOIN asks a ON a.id = f.ask_id "
            "WHERE a.question = ?",
            (question,),
        ).fetchone()
    assert row is not None
    assert row[2] == -1 and row[3] == "Please say which inspection this was."
    assert "Ofsted" in row[1]


def test_widget_answers_from_public_papers_only(page: Page, server: Server) -> None:
    page.goto(server.url + "/widget/")
    notice = page.get_by_role("note", name="About this assistant")
    expect(notice).to_contain_text("This is an AI assistant")
    expect(notice).to_contain_text("only from the council's published papers")

    bot = ask(page, "widget", CANONICAL)
    expect(bot).to_contain_text("December 2027")
    expect(bot).to_contain_text("From the council's published papers")
    sources = page.locator("#cqa-sources-widget")
    expect(
        sources.get_by_role("link", name=re.compile(r"^Open the original document for source \d+: "))
    ).not_to_have_count(0)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "widget.png"), full_page=True)
    assert axe_violations(page) == []

    bot = ask(page, "widget", EXEMPT_QUESTION)  # an exempt paper answers this; the widget must not use it
    expect(bot).not_to_contain_text("2.4 million")
    expect(page.locator("body")).not_to_contain_text(EXEMPT_TITLE)

    long_question = "x" * (server.settings.max_question_chars + 50)
    page.locator("#cqa-question-widget textarea").fill(long_question)
    assert (
        len(page.locator("#cqa-question-widget textarea").input_value()) <= server.settings.max_question_chars
    )


def test_widget_works_by_keyboard_alone(page: Page, server: Server) -> None:
    page.goto(server.url + "/widget/")
    expect(page.get_by_role("note", name="About this assistant")).to_be_visible()
    names: list[str] = []
    for _ in range(30):
        page.keyboard.press("Tab")
        names.append(
            page.evaluate(
                "document.activeElement.getAttribute('aria-label') || "
                "document.activeElement.labels?.[0]?.innerText || document.activeElement.tagName"
            )
        )
        if page.evaluate("document.activeElement.closest('#cqa-question-widget') !== null"):
            break
    else:
        pytest.fail(f"the question box is not reachable by Tab: {names}")
    page.keyboard.type(CANONICAL)
    page.keyboard.press("Enter")
    expect(page.locator("#cqa-chat-widget [data-testid='bot']").last).to_contain_text(
        "December 2027", timeout=ANSWER_TIMEOUT_MS
    )
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("Open the original document"):
            break
    else:
        pytest.fail("no citation link is reachable by Tab")
    page.wait_for_timeout(600)  # Gradio animates the focus ring in
    outline = page.evaluate("getComputedStyle(document.activeElement).outline")
    assert "solid 3px" in outline and "29, 78, 216" in outline, outline  # our visible focus ring


def test_demo_host_page_embeds_the_widget(page: Page, server: Server) -> None:
    page.goto(server.url + "/demo-host.html")
    frame = page.frame_locator("#cqa-iframe")
    expect(frame.get_by_role("note", name="About this assistant")).to_contain_text("This is an AI assistant")
    component = page.locator("#cqa-component")
    expect(component).to_contain_text("This is an AI assistant", timeout=60_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "demo-host.png"), full_page=True)
    assert axe_violations(page) == []
