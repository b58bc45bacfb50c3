"""The councillors' chat (`/`) and the chat panel the officer area reuses: Gradio layout and event handlers.

Layout and calls only: every answer and rating comes from `web.services.Services`; the conversation is rendered
by `web.transcript` (each answer with its own sources).
"""

# No `from __future__ import annotations`: Gradio reads the `gr.Request` hints at run time.

import html
import logging
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.errors import BadFilterError, CouncilQAError
from vectorstore.audience import Audience
from vectorstore.filters import FilterError, SearchFilters
from web.edge import client_address
from web.record_view import record_tab
from web.render import sentence_prefixes
from web.services import Services
from web.theme import Brand, councils_phrase
from web.transcript import Turn, announcement, transcript_html, turn_html

log = logging.getLogger("council_qa.web")

TITLE = "Council Q&A"
EXAMPLES = (
    "When is Bury's next Ofsted standard inspection window?",
    "What overall grade did Ofsted give Bury children's services after the June 2025 inspection?",
    "How many complaints did Bury children's social care get across all stages in 2024/25?",
    "What period does Bury's SEND Priority Impact Plan cover?",
)
HISTORY_TURNS = 3

# What the conversation's buttons do in the browser: copy with references, rate, comment, [n] previews.
TRANSCRIPT_JS = """
const root = element;
const say = (turn, text) => {
  const s = turn && turn.querySelector('.cqa-action-status');
  if (s) s.textContent = text;
};
async function copyText(text) {
  try { await navigator.clipboard.writeText(text); return true; } catch (e) {
    const ta = document.createElement('textarea');
    ta.value = text; ta.setAttribute('readonly', ''); ta.style.position = 'fixed'; ta.style.opacity = '0';
    document.body.appendChild(ta); ta.select();
    let ok = false; try { ok = document.execCommand('copy'); } catch (e2) { ok = false; }
    ta.remove(); return ok;
  }
}
root.addEventListener('click', async (event) => {
  const turn = event.target.closest('.cqa-turn');
  const ref = event.target.closest('a.cqa-ref');
  if (ref) {
    const wrap = ref.closest('.cqa-ref-wrap');
    if (event.pointerType === 'touch' && !wrap.classList.contains('cqa-tip-open')) {
      event.preventDefault();
      root.querySelectorAll('.cqa-tip-open').forEach((w) => w.classList.remove('cqa-tip-open'));
      wrap.classList.add('cqa-tip-open');
      return;
    }
    const target = root.querySelector(ref.getAttribute('href'));
    if (target) { event.preventDefault(); target.scrollIntoView({block: 'center'}); target.focus(); }
    return;
  }
  const copy = event.target.closest('button.cqa-copy');
  if (copy) {
    const ok = await copyText(copy.dataset.copy);
    say(turn, ok ? 'Copied the answer and its sources.' : 'Copying failed: select the text and copy it.');
    return;
  }
  const rate = event.target.closest('button.cqa-rate');
  if (rate) {
    const message = await server.rate({token: rate.dataset.token, rating: Number(rate.dataset.rating)});
    turn.querySelectorAll('button.cqa-rate').forEach((b) => b.setAttribute('aria-pressed', String(b === rate)));
    const form = turn.querySelector('.cqa-comment');
    if (form) { form.hidden = false; }
    say(turn, message);
    return;
  }
  const send = event.target.closest('button.cqa-send-comment');
  if (send) {
    const box = turn.querySelector('.cqa-comment textarea');
    const message = await server.comment({token: send.dataset.token, text: box.value});
    say(turn, message);
  }
});
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') {
    root.classList.add('cqa-tips-hidden');
    root.querySelectorAll('.cqa-tip-open').forEach((w) => w.classList.remove('cqa-tip-open'));
  }
});
['focusin', 'pointerover'].forEach((name) => root.addEventListener(name, (event) => {
  if (event.target.closest && event.target.closest('.cqa-ref')) root.classList.remove('cqa-tips-hidden');
}));
"""

SKIP_JS = """
element.querySelector('a').addEventListener('click', (event) => {
  const box = element.getRootNode().querySelector(event.currentTarget.getAttribute('href') + ' textarea');
  if (box) { event.preventDefault(); box.focus(); }
});
"""
LIVE_JS = "element.setAttribute('role', 'status'); element.setAttribute('aria-live', 'polite');"


def _status(text: str) -> str:
    return html.escape(text)


def parse_filters(
    date_from: str | None,
    date_to: str | None,
    bodies: list[str] | None,
    doc_types: list[str] | None,
    councils: list[str] | None = None,
) -> SearchFilters | None:
    """The chat's filter inputs, checked by `SearchFilters.parse`; None when nothing is set."""
    try:
        filters = SearchFilters.parse(_day(date_from), _day(date_to), bodies, doc_types, councils)
    except FilterError as exc:
        raise BadFilterError(str(exc)) from None
    return None if filters.empty else filters


def _day(value: Any) -> str | None:
    """A date input's value: "YYYY-MM-DD" (Gradio's DateTime may add a time, which a paper's date does not have)."""
    text = str(value or "").strip()
    return text[:10] if len(text) > 10 and text[10] in " T" else text or None


DATE_TEMPLATE = (
    '<div class="cqa-date-field"><label for="${input_id}">${label}</label>'
    '<input class="cqa-date" type="date" id="${input_id}" value="${value}" min="1990-01-01" max="2100-12-31"></div>'
)
# The value is sent when the person leaves the field (a re-render while typing would move the cursor).
DATE_JS = """
element.addEventListener('focusout', (event) => {
  const input = event.target;
  if (input.matches && input.matches('input.cqa-date') && props.value !== input.value) props.value = input.value;
});
"""


def date_input(label: str, elem_id: str) -> gr.HTML:
    """A native date input with its label (Gradio's DateTime has an unlabelled box and an unnamed button)."""
    return gr.HTML(
        "",
        html_template=DATE_TEMPLATE,
        js_on_load=DATE_JS,
        elem_id=elem_id,
        input_id=f"{elem_id}-input",
        label=label,
        apply_default_css=False,
    )


def skip_link(target: str, text: str = "Skip to the question box") -> gr.HTML:
    return gr.HTML(
        f'<a class="cqa-skip" href="#{target}">{html.escape(text)}</a>',
        js_on_load=SKIP_JS,
        elem_classes=["cqa-skip-wrap"],
    )


def held_sentence(services: Services, audience: Audience) -> str:
    """Whose papers are held, for a header: "Papers held: Bury Council's, from 2012 to 2026 (95 papers)."."""
    try:
        councils = services.councils(audience)
        lib = services.library(audience)
    except CouncilQAError as exc:
        return str(exc)
    if not lib.documents:
        return (
            "Nothing is indexed yet. Run `council ingest data/corpus` or upload papers in the officer area."
        )
    years = ""
    if lib.earliest and lib.latest:
        years = f", dated {lib.earliest.year} to {lib.latest.year}"
    n = len(lib.documents)
    return f"Answers from {n} paper{'s' if n != 1 else ''} of {councils_phrase(councils)}{years}."


def councils_html(services: Services, audience: Audience) -> str:
    """The councils whose papers are held, named in full in a disclosure."""
    try:
        councils = services.councils(audience)
    except CouncilQAError:
        councils = []
    sentence = html.escape(held_sentence(services, audience))
    if len(councils) <= 1:
        return f'<p class="cqa-coverage">{sentence}</p>'
    items = "".join(f"<li>{html.escape(c)}</li>" for c in councils)
    return (
        f'<p class="cqa-coverage">{sentence}</p><details class="cqa-councils"><summary>The {len(councils)} '
        f"councils whose papers are held</summary><ul>{items}</ul></details>"
    )


class ChatHandlers:
    """The conversation's event handlers for one audience and surface (chat, widget or officer)."""

    def __init__(self, services: Services, audience: Audience, surface: str, plain: bool = False) -> None:
        self.services = services
        self.audience = audience
        self.surface = surface
        self.plain = plain  # residents: short answer first, quotes only, no ratings

    def empty_text(self) -> str:
        return "Ask a question: each answer quotes the papers, with its sources below it."

    def render(self, turns: list[dict[str, Any]]) -> str:
        if not turns:
            return transcript_html([], self.surface, empty=self.empty_text())
        return '<div class="cqa-transcript">' + "".join(t["html"] for t in turns) + "</div>"

    def respond(
        self,
        question: str,
        turns: list[dict[str, Any]] | None,
        date_from: str | None = None,
        date_to: str | None = None,
        councils: list[str] | None = None,
        bodies: list[str] | None = None,
        doc_types: list[str] | None = None,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer: the question at once, then the answer sentence by sentence, then its sources.
        Yields (conversation, announcement, turns, question box)."""
        turns = list(turns or [])
        question = question or ""
        if not question.strip():
            yield gr.skip(), _status("Please type a question first."), turns, question
            return
        index = len(turns) + 1
        turn = Turn(question)
        pending: dict[str, Any] = {
            "ask_id": None,
            "question": question,
            "answer": "",
            "html": self._html(turn, index),
        }
        # the box is cleared once, here: later steps leave it alone, so a next question typed while this answer
        # streams is kept (and asked when this one is done: see ANSWER_EVENT)
        yield self.render([*turns, pending]), _status("Searching the papers…"), turns, ""
        try:
            filters = parse_filters(date_from, date_to, bodies, doc_types, councils)
            asked = self.services.ask(
                question,
                audience=self.audience,
                filters=filters,
                history=[t for t in turns if t["ask_id"]][-HISTORY_TURNS:],
                surface=self.surface,
                client=client_address(request) if self.audience == Audience.PUBLIC else None,
                user=self._user(request),
            )
        except CouncilQAError as exc:
            turn.error = f"Sorry: {exc}"
        except Exception:
            log.exception("answering %r failed", question[:200])
            turn.error = "Sorry: something went wrong answering that. Please try again."
        if turn.error:
            done: dict[str, Any] = {
                "ask_id": None,
                "question": question,
                "answer": "",
                "html": self._html(turn, index),
            }
            yield self.render([*turns, done]), _status(announcement(turn)), turns, question  # kept to correct
            return
        answer = asked.answer
        turn.answer, turn.ask_id = answer, asked.ask_id
        turn.rating_token = self.services.rating_token(asked.ask_id)
        for prefix in sentence_prefixes(answer.text):
            turn.shown_text = prefix
            if prefix == answer.text:
                break
            streaming = {**pending, "html": self._html(turn, index)}
            yield self.render([*turns, streaming]), gr.skip(), turns, gr.skip()
        turn.shown_text = answer.text
        turns.append(
            {
                "ask_id": asked.ask_id,
                "question": answer.question,
                "answer": answer.text,
                "html": self._html(turn, index),
            }
        )
        yield self.render(turns), _status(announcement(turn)), turns, gr.skip()

    def _html(self, turn: Turn, index: int) -> str:
        link = self.services.link_for(self.audience)
        return turn_html(turn, index, self.surface, link, plain=self.plain).translate(
            {ord("{"): "&#123;", ord("}"): "&#125;"}
        )

    # ------------------------------------------------------------------------------------ feedback

    def rate(self, token: str, rating: int) -> str:
        """A rating from the conversation's buttons: 1 helpful, -1 not helpful."""
        ask_id = self.services.ask_id_of(token)
        if ask_id is None or rating not in (1, -1):
            return "That answer cannot be rated."
        self.services.feedback.rate(ask_id, int(rating))
        word = "helpful" if rating > 0 else "not helpful"
        return f"Thank you: saved as {word}. You can add a comment."

    def comment(self, token: str, text: str) -> str:
        ask_id = self.services.ask_id_of(token)
        if ask_id is None:
            return "That answer cannot be commented on."
        if not str(text or "").strip():
            return "Type a comment first."
        self.services.feedback.comment(ask_id, str(text))
        return "Thank you: your comment is saved."

    # ------------------------------------------------------------------------------------ page

    def on_load(self) -> tuple[Any, ...]:
        """Fresh on every page load: whose papers are held, and the councils, committees and types to filter by."""
        try:
            catalog = self.services.catalog()
            councils = catalog.councils(self.audience)
            bodies = [b for b in catalog.bodies(self.audience) if b not in set(councils)]
            types = catalog.doc_types(self.audience)
        except CouncilQAError:
            councils, bodies, types = [], [], []
        return (
            councils_html(self.services, self.audience),
            gr.Dropdown(choices=councils),
            gr.Dropdown(choices=bodies),
            gr.CheckboxGroup(choices=types),
        )

    def clear(self) -> tuple[Any, ...]:
        return self.render([]), _status("Started a new conversation."), [], ""

    def _user(self, request: gr.Request | None) -> str:
        if request is None or self.audience == Audience.PUBLIC:
            return ""
        return str(getattr(request, "username", None) or "")


# ------------------------------------------------------------------------------------------------ layouts


def conversation(h: ChatHandlers) -> tuple[gr.HTML, gr.HTML]:
    """The conversation and its live region (what a screen reader hears when an answer arrives)."""

    # Gradio hands a server function one argument: what the page sent ({"token", "rating"} or {"token", "text"}).
    def rate(data: Any) -> str:
        data = data if isinstance(data, dict) else {}
        rating = data.get("rating")
        return h.rate(str(data.get("token", "")), int(rating) if isinstance(rating, int | float) else 0)

    def comment(data: Any) -> str:
        data = data if isinstance(data, dict) else {}
        return h.comment(str(data.get("token", "")), str(data.get("text", ""))[:4000])

    transcript = gr.HTML(
        h.render([]),
        elem_id=f"cqa-conversation-{h.surface}",
        js_on_load=TRANSCRIPT_JS,
        server_functions=[rate, comment],  # plain functions: Gradio marks them
        apply_default_css=False,
    )
    live = gr.HTML("", elem_id=f"cqa-live-{h.surface}", js_on_load=LIVE_JS, elem_classes=["cqa-live"])
    return transcript, live


def question_box(services: Services, surface: str, placeholder: str = "") -> gr.Textbox:
    max_chars = services.settings.max_question_chars
    return gr.Textbox(
        label="Your question",
        info=f"Up to {max_chars} characters. Press Enter to ask.",
        placeholder=placeholder,
        lines=1,
        max_lines=6,
        max_length=max_chars,
        elem_id=f"cqa-question-{surface}",
    )


# One answer at a time in a conversation: a question sent while the last answer is still on its way (Enter, Ask or an
# example) waits for it and is then asked with the conversation as it stands. Gradio's default ("once") dropped it
# without a word; the box is cleared only when an answer starts, so the question waiting is still there to be asked.
# show_progress="hidden": the conversation says "Searching the papers…" itself; Gradio's progress would fade the
# page to 20% opacity (unreadable, and failing contrast) while an answer or the page's details load
QUIET: dict[str, Any] = {"show_progress": "hidden"}
ANSWER_EVENT: dict[str, Any] = {"trigger_mode": "always_last", "concurrency_id": "answer", **QUIET}


def chat_panel(services: Services, audience: Audience, surface: str, page: gr.Blocks) -> ChatHandlers:
    """The conversation with its filters and examples, inside the current Blocks (`page`)."""
    h = ChatHandlers(services, audience, surface)
    coverage = gr.HTML(councils_html(services, audience), elem_id=f"cqa-coverage-{surface}")
    transcript, live = conversation(h)
    question = question_box(services, surface, "For example: " + EXAMPLES[0])
    with gr.Row():
        ask = gr.Button("Ask", variant="primary", elem_id=f"cqa-ask-{surface}")
        clear = gr.Button("New conversation", variant="secondary")
    with gr.Accordion("Filters: council, committee, document type, dates", open=False):
        with gr.Row():
            councils = gr.Dropdown(choices=[], multiselect=True, label="Council", info="Leave empty for all.")
            bodies = gr.Dropdown(
                choices=[], multiselect=True, label="Committee or body", info="Leave empty for all."
            )
        doc_types = gr.CheckboxGroup(choices=[], label="Document type", info="Leave empty for all.")
        with gr.Row():
            date_from = date_input("Papers dated from", f"cqa-from-{surface}")
            date_to = date_input("Papers dated up to", f"cqa-to-{surface}")
    gr.HTML('<h2 class="cqa-examples-label">Example questions</h2>')
    with gr.Row():
        example_buttons = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]
    turns = gr.State([])

    inputs = [question, turns, date_from, date_to, councils, bodies, doc_types]
    outputs = [transcript, live, turns, question]
    gr.on([question.submit, ask.click], h.respond, inputs, outputs, api_name="ask", **ANSWER_EVENT)
    for button, text in zip(example_buttons, EXAMPLES, strict=True):
        # an example is put in the box and asked through the Ask button, so it waits for an answer still streaming
        # like any question (as an event of its own it ran alongside, and the later answer dropped the other's turn)
        button.click(lambda t=text: t, None, question, api_visibility="private", **QUIET).then(
            None, js=f"() => document.getElementById('cqa-ask-{surface}').click()", api_visibility="private"
        )
    clear.click(h.clear, None, outputs, api_visibility="private", **QUIET)
    page.load(h.on_load, None, [coverage, councils, bodies, doc_types], api_visibility="private", **QUIET)
    return h


def header(brand: Brand, title: str, intro: str) -> str:
    return (
        f'<header class="cqa-header">{brand.logo_html()}<h1>{html.escape(title)}</h1><p>{intro}</p></header>'
    )


def footer() -> str:
    return (
        '<footer class="cqa-footer"><a href="/record" target="_blank" rel="noopener">Councils\' inspection '
        'record (opens in a new tab)</a> · <a href="/accessibility" target="_blank" rel="noopener">Accessibility '
        'statement (opens in a new tab)</a> · <a href="/privacy" target="_blank" rel="noopener">Privacy notice '
        "(opens in a new tab)</a></footer>"
    )


def build_chat(services: Services, brand: Brand | None = None) -> gr.Blocks:
    brand = brand or Brand.of(services.settings)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        skip_link("cqa-question-chat")
        gr.HTML(
            header(
                brand,
                TITLE,
                "Answers about children's services papers, quoting the published papers they come from. "
                "Each answer lists its sources; select a number like [1] to see the quote. The inspection "
                "record compares councils' Ofsted inspections, every grade linked to its quote.",
            )
        )
        with gr.Tabs():
            with gr.Tab("Ask", elem_id="cqa-tab-ask-chat"):
                chat_panel(services, Audience.PUBLIC, "chat", demo)
            with gr.Tab("Inspection record", elem_id="cqa-tab-record-chat") as record:
                record_tab(services, Audience.PUBLIC, "chat", record)
        gr.HTML(footer())
    return demo
