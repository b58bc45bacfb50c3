"""End to end in a real browser: Playwright drives Debian's Chromium against `council serve` on 127.0.0.1, with
the real MiniLM index (plus one exempt paper).

One test per numbered problem of issue 14, each doing what failed before and checking what a person sees now:
1 safeguarding refusals, 2 verifying a quote at its original, 3 sources that stay with their answer, 4 whose papers,
5 the officer area's sign-in and `/widget`, 6 rate limits that fit, 7 the residents' widget, 8 follow-ups. axe-core
finds no WCAG 2.2 A/AA violation on `/`, `/widget/`, `/officer/` and `/demo-host.html` before and after answers,
at 390 and 1366 px. Nothing is fetched from anywhere but the app. Screenshots for the docs are saved on the way.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
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
from web.chat import EXAMPLES

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
ACTION_PLAN = (  # the officer names the paper: answered from the Cabinet report, held as .md, .docx and .pdf
    "By what date did the Cabinet report say Bury must submit its post-inspection action plan to Ofsted?"
)
COMPLAINTS = "How many complaints did Bury children's social care get across all stages in 2024/25?"
CARE_CASE = "My son was taken into care in 2024, how do I get him back?"
PRIVATE_PERSON = "Is Jayden Smith from Ramsbottom still in care?"
ANSWER_TIMEOUT_MS = 180_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PUBLIC_PER_MINUTE = 8  # the widget and the public API share it; the chat's own limit is far higher
DONE = re.compile(r"Answer (in part )?ready|do not answer|not answered here|could not be answered")

if not CHROMIUM.exists():  # pragma: no cover - set-up problem, said plainly
    pytest.skip("Debian's Chromium is not installed: run `make browser`", allow_module_level=True)

from playwright.sync_api import Browser, FrameLocator, Locator, Page, expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(minilm_settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("browser")
    settings = prepare_index(minilm_settings, root, widget_rate_limit_per_min=PUBLIC_PER_MINUTE)
    with running_server(settings, root) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_page(
    browser: Browser, server: Server, viewport: dict[str, int], outside: list[str], **kw: Any
) -> Page:
    """A fresh page; any request to anywhere but the app is blocked and recorded (the app works offline)."""
    context = browser.new_context(viewport=viewport, locale="en-GB", **kw)

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
    return pg


@pytest.fixture()
def page(browser: Browser, server: Server) -> Iterator[Page]:
    outside: list[str] = []
    pg = new_page(browser, server, DESKTOP, outside, permissions=["clipboard-read", "clipboard-write"])
    yield pg
    pg.context.close()
    assert not outside, f"requests outside the app: {outside[:10]}"


@pytest.fixture()
def phone(browser: Browser, server: Server) -> Iterator[Page]:
    outside: list[str] = []
    pg = new_page(browser, server, PHONE, outside, has_touch=True, is_mobile=True)
    yield pg
    pg.context.close()
    assert not outside, f"requests outside the app: {outside[:10]}"


def settled(where: Page | FrameLocator) -> None:
    """Wait until no Gradio component is updating (they are drawn faded meanwhile, which axe would measure)."""
    where.locator("body").wait_for()
    expect(where.locator(".pending")).to_have_count(0, timeout=60_000)


def axe_violations(page: Page, frame: Any = None) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A/AA violations, of any impact, once the page has settled."""
    target = frame or page
    if frame is None:
        settled(page)
    target.add_script_tag(path=str(AXE))
    result = target.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:5]]}
        for v in result["violations"]
    ]


def ask(where: Page | FrameLocator, surface: str, question: str) -> Locator:
    """Type a question and press Enter; returns the new turn (question, answer, sources) once it is complete."""
    turns = where.locator(f"#cqa-conversation-{surface} article.cqa-turn")
    before = turns.count()
    box = where.locator(f"#cqa-question-{surface} textarea")
    box.fill(question)
    box.press("Enter")
    expect(turns).to_have_count(before + 1, timeout=ANSWER_TIMEOUT_MS)
    expect(where.locator(f"#cqa-live-{surface}")).to_contain_text(DONE, timeout=ANSWER_TIMEOUT_MS)
    turn = turns.nth(before)  # fixed by position: `.last` would follow later turns
    expect(turn.locator(".cqa-pending")).to_have_count(0)
    return turn


def public_ask(server: Server) -> int:
    """One question to the public API, as a client outside the council would send it; returns the HTTP status."""
    req = urllib.request.Request(
        server.url + "/api/ask",
        data=b'{"question": "What period does Bury\'s SEND Priority Impact Plan cover?"}',
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def sign_in(page: Page, server: Server) -> None:
    page.goto(server.url + "/officer/")
    page.get_by_label("Username").fill(server.settings.officer_username)
    page.get_by_label("Password").fill(server.settings.officer_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Council Q&A: officer area", level=1)).to_be_visible()


def shot(page: Page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


# ------------------------------------------------------------------------------------ 1. safeguarding


def test_1_safeguarding_questions_are_refused_with_where_to_get_help(page: Page, server: Server) -> None:
    page.goto(server.url + "/widget/")
    turn = ask(page, "widget", CARE_CASE)
    note = turn.get_by_role("note", name="Why this is not answered")
    expect(note).to_contain_text("Not answered here")
    expect(note.get_by_role("link", name="999")).to_have_attribute("href", "tel:999")
    expect(note.get_by_role("link", name="0808 800 5000")).to_have_attribute("href", "tel:08088005000")
    expect(turn.locator(".cqa-sources")).to_have_count(0)  # nothing quoted beside a refusal
    expect(turn.locator(".cqa-copy")).to_have_count(0)
    expect(page.locator("#cqa-live-widget")).to_contain_text("where to get help")
    # a named private person: never answered with a quote about someone else
    turn = ask(page, "widget", PRIVATE_PERSON)
    expect(turn.locator(".cqa-answered, .cqa-partial")).to_have_count(0)
    assert axe_violations(page) == []


# ------------------------------------------------------------------------------------ 2. verify a quote


def test_2_an_officer_opens_the_paper_at_the_quote_and_one_paper_is_one_source(
    page: Page, server: Server
) -> None:
    page.goto(server.url + "/")
    turn = ask(page, "chat", ACTION_PLAN)
    expect(turn).to_contain_text("November 5th 2025")
    title = "Ofsted Standard Inspection of Children's Services in Bury"
    sources = turn.locator(".cqa-citation")
    titles = [sources.nth(i).locator(".cqa-cite-title strong").inner_text() for i in range(sources.count())]
    quotes = [sources.nth(i).locator("mark").first.inner_text() for i in range(sources.count())]
    same = [q for t, q in zip(titles, quotes, strict=True) if t == title]
    assert len(same) == len(set(same)) >= 1, (titles, quotes)  # held as .md, .docx and .pdf: cited once
    link = sources.first.get_by_role("link", name=re.compile(r"^Open the original document for source 1"))
    href = link.get_attribute("href") or ""
    assert href.startswith("/papers/") and href.endswith("#cqa-cited"), href  # no published address known
    with page.context.expect_page() as popup:
        link.click()
    paper = popup.value
    paper.wait_for_load_state()
    expect(paper.get_by_role("heading", level=1)).to_have_text(title)
    assert "---" not in paper.locator("main").inner_text()[:200]  # not raw Markdown with its YAML header
    cited = paper.locator("#cqa-cited")
    expect(cited.locator("mark").first).to_be_in_viewport()
    expect(cited).to_contain_text("November 5th 2025")
    assert axe_violations(paper) == []
    shot(paper, "paper.png", full_page=False)  # the view the link opens: the cited passage
    paper.close()


# ------------------------------------------------------------------------------------ 3. sources stay


def test_3_each_answer_keeps_its_sources_with_previews_and_copy(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    first = ask(page, "chat", CANONICAL)
    second = ask(page, "chat", COMPLAINTS)
    expect(first.locator(".cqa-citation")).not_to_have_count(0)  # the first answer's sources are still there
    expect(second.locator(".cqa-citation")).not_to_have_count(0)
    ref = first.locator("a.cqa-ref").first
    ref.hover()
    tip = first.locator(".cqa-tip").first
    expect(tip).to_be_visible()
    first_title = first.locator(".cqa-citation .cqa-cite-title strong").first.inner_text()
    expect(tip).to_contain_text(first_title[:40])  # the preview names source 1
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    ref.click()
    expect(first.locator(".cqa-citation").first).to_be_focused()  # [1] goes to the first answer's source 1
    first.get_by_role("button", name=re.compile("^Copy answer and sources")).click()
    expect(first.locator(".cqa-action-status")).to_contain_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "[1]" in copied and "Sources:" in copied and f"[1] {first_title}" in copied, copied
    second.get_by_role("button", name=re.compile("^Not helpful")).click()
    expect(second.locator(".cqa-action-status")).to_contain_text("saved as not helpful")
    second.get_by_label(re.compile("^Comment on answer 2")).fill("Please say which year.")
    second.get_by_role("button", name="Send comment").click()
    expect(second.locator(".cqa-action-status")).to_contain_text("comment is saved")
    shot(page, "chat.png")
    assert axe_violations(page) == []


def test_3_on_a_phone_the_sources_follow_each_answer(phone: Page, server: Server) -> None:
    phone.goto(server.url + "/")
    turn = ask(phone, "chat", CANONICAL)
    answer_box = turn.locator(".cqa-answer").bounding_box()
    source_box = turn.locator(".cqa-citation").first.bounding_box()
    assert answer_box and source_box
    gap = source_box["y"] - (answer_box["y"] + answer_box["height"])
    assert 0 <= gap < 200, gap  # was about 1,400 px below the answer
    ref = turn.locator("a.cqa-ref").first
    ref.tap()  # the first tap shows the preview
    expect(turn.locator(".cqa-tip").first).to_be_visible()
    shot(phone, "chat-phone.png")


# ------------------------------------------------------------------------------------ 4. whose papers


def test_4_the_header_and_widget_name_whose_papers_and_filters_are_separate(
    page: Page, server: Server
) -> None:
    page.goto(server.url + "/")
    expect(page.locator("#cqa-coverage-chat")).to_contain_text(
        re.compile(r"Answers from \d+ papers of .*Council")
    )
    page.get_by_text("councils whose papers are held").click()
    expect(page.locator("#cqa-coverage-chat")).to_contain_text("Bury Council")
    page.get_by_text("Filters: council, committee, document type, dates").click()
    council = page.get_by_label("Council", exact=True)
    council.click()
    expect(page.get_by_role("option", name="Bury Council")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("option", name="Bury Council")).to_have_count(0)  # closed before the next opens
    committee = page.get_by_label("Committee or body", exact=True)
    committee.click()
    expect(page.get_by_role("option", name="Cabinet")).to_be_visible()
    names = page.get_by_role("option").all_inner_texts()
    assert "Cabinet" in names and not any(n.endswith("Council") for n in names), names
    page.keyboard.press("Escape")
    expect(page.get_by_label("Papers dated from")).to_be_visible()
    page.goto(server.url + "/widget/")
    expect(page.get_by_role("note", name="About this assistant")).to_contain_text(
        re.compile(r"papers of .*Council")
    )


# ------------------------------------------------------------------------------------ 5. officer area


def test_5_the_officer_area_has_a_sign_in_page_and_widget_redirects(page: Page, server: Server) -> None:
    page.goto(server.url + "/officer/")
    expect(page).to_have_url(server.url + "/officer/login")
    expect(page.get_by_role("heading", name="Sign in to the officer area", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Back to the questions")).to_have_attribute("href", "/")
    assert axe_violations(page) == []
    shot(page, "officer-sign-in.png")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    assert axe_violations(page) == []
    sign_in(page, server)
    turn = ask(page, "officer", EXEMPT_QUESTION)
    expect(turn).to_contain_text(EXEMPT_TITLE)  # officers search exempt papers too
    shot(page, "officer.png")
    page.goto(server.url + "/widget")
    expect(page).to_have_url(server.url + "/widget/")
    expect(page.get_by_role("note", name="About this assistant")).to_be_visible()


# ------------------------------------------------------------------------------------ 7. residents


def test_7_the_widget_is_plain_accessible_and_says_what_it_keeps(phone: Page, server: Server) -> None:
    phone.goto(server.url + "/widget/")
    notice = phone.get_by_role("note", name="About this assistant")
    expect(notice).to_contain_text("This is an AI assistant")
    box = notice.bounding_box()
    assert box and box["height"] < 0.45 * PHONE["height"], box  # it filled most of the first screen
    expect(phone.locator("#cqa-question-widget textarea")).to_be_visible()
    settled(phone)
    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name="Skip to the question box")
    expect(skip).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.locator("#cqa-question-widget textarea")).to_be_focused()
    turn = ask(phone, "widget", COMPLAINTS)
    expect(turn.locator(".cqa-short, .cqa-from-papers").first).to_be_visible()  # the plain lead comes first
    expect(turn.locator(".cqa-passage mark")).to_have_count(0)  # quotes, never whole passages
    for text in turn.locator(".cqa-answer li, .cqa-answer p:not(.cqa-from)").all_inner_texts():
        assert "|" not in text and len(re.findall(r"[A-Za-z]{2,}", text)) >= 4, text  # no table debris
    expect(phone.locator("#cqa-live-widget [role='status']")).to_contain_text(
        re.compile(r"sources? below it")
    )
    for target in phone.locator("button:visible, a.cqa-ref:visible, .cqa-footer a:visible").all():
        size = target.bounding_box()
        assert size and size["width"] >= 24 and size["height"] >= 24, (target.inner_text(), size)
    assert axe_violations(phone) == []  # was: scrollable-region-focusable on .bubble-wrap
    shot(phone, "widget-phone.png")
    with phone.context.expect_page() as popup:
        phone.get_by_role("link", name=re.compile("^Privacy notice")).click()
    privacy = popup.value
    expect(privacy.get_by_role("heading", name="Privacy notice", level=1)).to_be_visible()
    expect(privacy.locator("main")).to_contain_text(f"{server.settings.log_retention_days} days")
    assert axe_violations(privacy) == []
    privacy.goto(server.url + "/accessibility")
    expect(privacy.get_by_role("heading", name="Accessibility statement", level=1)).to_be_visible()
    assert axe_violations(privacy) == []


def test_7_the_widget_answers_from_public_papers_only_by_keyboard(page: Page, server: Server) -> None:
    page.goto(server.url + "/widget/")
    # Gradio draws the page after load: tabbing before the box exists would walk an empty page
    expect(page.locator("#cqa-question-widget textarea")).to_be_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#cqa-question-widget') !== null"):
            break
    else:
        pytest.fail("the question box is not reachable by Tab")
    page.keyboard.type(EXEMPT_QUESTION)
    page.keyboard.press("Enter")
    expect(page.locator("#cqa-live-widget")).to_contain_text(DONE, timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("body")).not_to_contain_text("2.4 million")
    expect(page.locator("body")).not_to_contain_text(EXEMPT_TITLE)
    turn = ask(page, "widget", CANONICAL)
    expect(turn).to_contain_text("December 2027")
    shot(page, "widget.png")
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("Open the original document"):
            break
    else:
        pytest.fail("no source link is reachable by Tab")
    page.wait_for_timeout(300)
    outline = page.evaluate("getComputedStyle(document.activeElement).outline")
    assert "solid 3px" in outline, outline  # our visible focus ring
    long_question = "x" * (server.settings.max_question_chars + 50)
    page.locator("#cqa-question-widget textarea").fill(long_question)
    assert (
        len(page.locator("#cqa-question-widget textarea").input_value()) <= server.settings.max_question_chars
    )


# ------------------------------------------------------------------------------------ 8. follow-ups


def test_8_a_follow_up_is_understood_and_says_how(page: Page, server: Server) -> None:
    page.goto(server.url + "/")
    ask(page, "chat", COMPLAINTS)
    turn = ask(page, "chat", "and the year before that?")
    understood = turn.locator(".cqa-understood")
    expect(understood).to_contain_text("2023/24")  # resolved against the previous question, and shown
    expect(turn.locator(".cqa-answered, .cqa-partial")).to_have_count(1)
    page.goto(server.url + "/widget/")
    ask(page, "widget", COMPLAINTS)
    turn = ask(page, "widget", "and the year before that?")
    expect(turn.locator(".cqa-understood")).to_contain_text("2023/24")  # the widget passes history too


def test_8_a_question_sent_while_an_answer_is_on_its_way_waits_for_it_and_is_answered(
    page: Page, server: Server
) -> None:
    """Enter pressed (or an example clicked) before the last answer is done: asked after it, nothing dropped.
    Gradio's default had ignored the second Enter without a word (CI failed on it when the machine was slow), the
    answer's later steps had emptied the box the next question was typed in, and an example clicked meanwhile ran
    alongside and wrote the conversation without the other answer's turn."""
    page.goto(server.url + "/")
    turns = page.locator("#cqa-conversation-chat article.cqa-turn")
    box = page.locator("#cqa-question-chat textarea")
    box.fill(COMPLAINTS)
    box.press("Enter")
    expect(turns).to_have_count(1)  # the question is shown and the box emptied: its answer is on its way
    box.fill(CANONICAL)
    box.press("Enter")
    expect(turns).to_have_count(2, timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#cqa-live-chat")).to_contain_text(DONE, timeout=ANSWER_TIMEOUT_MS)
    expect(turns.nth(0)).to_contain_text("135")
    expect(turns.nth(1)).to_contain_text("December 2027")
    box.fill(ACTION_PLAN)
    box.press("Enter")
    expect(turns).to_have_count(3)
    page.get_by_role("button", name=EXAMPLES[1]).click()  # an example, while that answer is on its way
    expect(turns).to_have_count(4, timeout=ANSWER_TIMEOUT_MS)
    expect(turns.nth(3)).to_contain_text(EXAMPLES[1])
    expect(page.locator("#cqa-live-chat")).to_contain_text(DONE, timeout=ANSWER_TIMEOUT_MS)
    expect(turns).to_have_count(4)  # each answer kept its turn
    expect(turns.nth(2)).to_contain_text("November 5th 2025")
    expect(box).to_have_value("")


# ------------------------------------------------------------------------------------ issue 12's questions

# The questions issue 12 found answered wrongly in a real browser, each with words the right answer must carry and
# the words of the wrong answer it gave then (nothing was tuned on these beyond the general causes they showed).
ISSUE_12 = [
    ("What did Ofsted say about Bury's leadership?", ["leadership", "good"], ["action plan"]),
    ("How many complaints did children's services get last year?", ["135", "Bury"], ["29%", "Lincolnshire"]),
    ("Has Bury's SEND service improved?", ["2024", "widespread"], ["2017"]),
    ("What period does Bury's SEND Priority Impact Plan cover?", ["18-24 months"], []),
    # the newest scrutiny minutes held (13 November 2025), not the 16 September 2025 meeting's summary
    (
        "What happened at the last scrutiny meeting?",
        ["Scrutiny Committee", "13 November 2025"],
        ["Tuesday, 16th"],
    ),
]


@pytest.mark.parametrize(
    ("question", "right", "wrong"), ISSUE_12, ids=["leadership", "complaints", "send", "pip", "last-meeting"]
)
def test_issue_12_questions_are_answered_from_the_right_passage(
    page: Page, server: Server, question: str, right: list[str], wrong: list[str]
) -> None:
    page.goto(server.url + "/")
    turn = ask(page, "chat", question)
    expect(turn.locator(".cqa-answered")).to_have_count(1)
    text = turn.locator(".cqa-answer").inner_text()
    for words in right:
        assert words.lower() in text.lower(), (question, words, text[:600])
    for words in wrong:
        assert words.lower() not in text.lower(), (question, words, text[:600])
    expect(turn.locator(".cqa-citation").first).to_be_visible()  # every answer keeps a source to open


# ------------------------------------------------------------------------------------ axe on every page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1366px"])
def test_axe_finds_nothing_on_any_page_before_and_after_an_answer(
    browser: Browser, server: Server, viewport: dict[str, int]
) -> None:
    outside: list[str] = []
    pg = new_page(browser, server, viewport, outside)
    found: dict[str, Any] = {}
    for path, surface in (("/", "chat"), ("/widget/", "widget")):
        pg.goto(server.url + path)
        expect(pg.locator(f"#cqa-question-{surface} textarea")).to_be_visible()
        found[f"{path} before"] = axe_violations(pg)
        ask(pg, surface, CANONICAL)
        found[f"{path} after"] = axe_violations(pg)
    sign_in(pg, server)
    found["/officer/ before"] = axe_violations(pg)
    ask(pg, "officer", CANONICAL)
    found["/officer/ after"] = axe_violations(pg)
    pg.goto(server.url + "/demo-host.html")
    frame = pg.frame_locator("#cqa-iframe")
    expect(frame.get_by_role("note", name="About this assistant")).to_be_visible()
    expect(pg.locator("#cqa-component")).to_contain_text("This is an AI assistant", timeout=60_000)
    found["/demo-host.html before"] = axe_violations(pg)
    ask(frame, "widget", CANONICAL)
    found["/demo-host.html after"] = axe_violations(pg)
    found["/demo-host.html iframe after"] = axe_violations(pg, pg.frames[1])
    if viewport == DESKTOP:
        shot(pg, "demo-host.png")
    pg.context.close()
    assert not outside, outside[:10]
    bad = {k: v for k, v in found.items() if v}
    assert not bad, json.dumps(bad, indent=1)[:4000]


# ------------------------------------------------------------------------------------ 6. rate limits (last)


def test_6_a_busy_public_client_is_limited_but_the_councillors_chat_is_not(
    page: Page, server: Server
) -> None:
    page.goto(server.url + "/widget/")
    expect(page.locator("#cqa-question-widget textarea")).to_be_visible()
    statuses: list[int] = []
    while 429 not in statuses and len(statuses) < 3 * PUBLIC_PER_MINUTE:  # the public API, as fast as it can
        statuses.append(public_ask(server))
    assert statuses[-1] == 429 and len(statuses) <= PUBLIC_PER_MINUTE + 3, statuses
    # The bucket refills one question every 60/8 s. Wait for that token and take it, so the bucket is empty with
    # a whole refill interval ahead: the widget's question below then meets an empty bucket however slow CI is.
    while (status := public_ask(server)) == 429:
        time.sleep(0.2)
    assert status == 200 and public_ask(server) == 429
    turn = ask(page, "widget", CANONICAL)  # the widget shares the public budget: asked to wait
    expect(turn).to_contain_text("Please wait")
    page.goto(server.url + "/")
    for question in (CANONICAL, COMPLAINTS, CANONICAL):  # the committee room behind the same address
        turn = ask(page, "chat", question)
        expect(turn).not_to_contain_text("Please wait")
