"""The chat (`/`) and the residents' widget (`/widget/`): Gradio layouts and their event handlers.

Layout and calls only: every answer and rating comes from `web.services.Services`.
"""

# No `from __future__ import annotations`: Gradio reads the `gr.Request`/`gr.LikeData` hints at run time.

import html
import logging
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.answer import Answer, Status
from assistant.errors import BadFilterError, CouncilQAError
from ingest.documents import DocType
from vectorstore.audience import Audience
from vectorstore.filters import FilterError, SearchFilters
from web.render import citations_html, escape_chat, sentence_prefixes
from web.services import Services

log = logging.getLogger("council_qa.web")

TITLE = "Council Q&A"
EXAMPLES = (
    "When is Bury's next Ofsted standard inspection window?",
    "What overall grade did Ofsted give Bury children's services after the June 2025 inspection?",
    "How many complaints did Bury children's social care get across all stages in 2024/25?",
    "What period does Bury's SEND Priority Impact Plan cover?",
)
WIDGET_NOTICE = (
    '<div class="cqa-notice" role="note" aria-label="About this assistant">'
    "<h1>Ask about children's services papers</h1>"
    "<p><strong>This is an AI assistant.</strong> It answers only from the council's published papers, "
    "and it can be wrong: check the linked paper before relying on an answer.</p>"
    "<p>Please do not type names, addresses or other personal details. If you are worried about a child, "
    "contact the council's children's services; in an emergency call 999.</p></div>"
)
# Gradio's default theme with colours that pass WCAG 2.2 AA contrast (4.5:1) for text, info lines and buttons.
PLAIN_LEADS = {
    Status.ANSWERED: "From the council's published papers: ",
    Status.PARTIAL: "The published papers answer part of this: ",
}


def _status(text: str) -> str:
    return f'<p class="cqa-status" role="status">{html.escape(text)}</p>'


def _msg(role: str, text: str) -> dict[str, str]:
    return {"role": role, "content": escape_chat(text)}


def parse_filters(
    date_from: str | None, date_to: str | None, bodies: list[str] | None, doc_types: list[str] | None
) -> SearchFilters | None:
    """The chat's filter inputs, checked by `SearchFilters.parse`; None when nothing is set."""
    try:
        filters = SearchFilters.parse(date_from, date_to, bodies, doc_types)
    except FilterError as exc:
        raise BadFilterError(str(exc)) from None
    return None if filters.empty else filters


def as_at_html(answer: Answer | None, coverage: str = "", notes: bool = True) -> str:
    if answer is None:
        return f'<p class="cqa-coverage">{html.escape(coverage)}</p>' if coverage else ""
    out = f'<p class="cqa-as-at">{html.escape(answer.as_at)}</p>' if answer.as_at else ""
    shown = [n for n in answer.notes if not n.startswith("why:")] if notes else []
    if shown:
        out += '<ul class="cqa-notes">' + "".join(f"<li>{html.escape(n)}</li>" for n in shown) + "</ul>"
    return out


class ChatHandlers:
    """The chat's event handlers for one audience and surface (chat, widget or officer)."""

    def __init__(self, services: Services, audience: Audience, surface: str, widget: bool = False) -> None:
        self.services = services
        self.audience = audience
        self.surface = surface
        self.widget = widget

    def coverage(self) -> str:
        try:
            lib = self.services.library(self.audience)
        except CouncilQAError as exc:
            return str(exc)
        if not lib.documents:
            return "Nothing is indexed yet. Run `council ingest data/corpus` or upload papers in the officer area."
        return f"The papers held: {lib.coverage_sentence()}."

    def respond(
        self,
        question: str,
        history: list[dict[str, Any]] | None,
        turns: list[dict[str, Any]] | None,
        date_from: str = "",
        date_to: str = "",
        bodies: list[str] | None = None,
        doc_types: list[str] | None = None,
        request: gr.Request | None = None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer: the question at once, then the answer sentence by sentence, with its sources."""
        history, turns = list(history or []), list(turns or [])
        question = question or ""
        if not question.strip():
            yield [*history], gr.skip(), _status("Please type a question first."), [*turns], question
            return
        history.append(_msg("user", question))
        yield [*history], gr.skip(), _status("Searching the papers…"), [*turns], ""
        try:
            filters = parse_filters(date_from, date_to, bodies, doc_types)
            asked = self.services.ask(
                question,
                audience=self.audience,
                filters=filters,
                history=[{"question": t["question"], "answer": t["answer"]} for t in turns if t["ask_id"]][
                    -3:
                ],
                surface=self.surface,
                client=self._client(request),
                user=self._user(request),
            )
        except CouncilQAError as exc:
            history.append(_msg("assistant", f"Sorry: {exc}"))
            turns.append({"ask_id": None, "question": question, "answer": ""})
            yield [*history], gr.skip(), "", [*turns], question  # keep the question so it can be corrected
            return
        except Exception:
            log.exception("answering %r failed", question[:200])
            history.append(_msg("assistant", "Sorry: something went wrong answering that. Please try again."))
            turns.append({"ask_id": None, "question": question, "answer": ""})
            yield [*history], gr.skip(), "", [*turns], question
            return
        answer = asked.answer
        sources = citations_html(answer, self.services.link_for(self.audience), level=2, compact=self.widget)
        turns.append({"ask_id": asked.ask_id, "question": answer.question, "answer": answer.text})
        lead = PLAIN_LEADS.get(answer.status, "") if self.widget else ""
        history.append(_msg("assistant", ""))
        for prefix in sentence_prefixes(answer.text):
            history[-1] = _msg("assistant", lead + prefix)
            yield [*history], sources, gr.skip(), [*turns], ""
        yield [*history], sources, as_at_html(answer, notes=not self.widget), [*turns], ""

    def like(
        self, history: list[dict[str, Any]] | None, turns: list[dict[str, Any]] | None, data: gr.LikeData
    ) -> tuple[str, int | None]:
        """A thumbs up or down on an answer, stored with that answer's question and citations."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        n = sum(1 for m in (history or [])[:index] if m.get("role") == "assistant")
        turn = (turns or [])[n] if n < len(turns or []) else None
        if not turn or not turn.get("ask_id"):
            return _status("That message cannot be rated."), None
        liked = data.liked
        rating = 1 if liked is True or liked == "Like" else -1 if liked is False or liked == "Dislike" else 0
        self.services.feedback.rate(turn["ask_id"], rating)
        if rating == 0:
            return _status("Your rating is removed."), turn["ask_id"]
        word = "helpful" if rating > 0 else "not helpful"
        return _status(f"Thank you: saved as {word}. You can add a comment below."), turn["ask_id"]

    def comment(self, text: str, turns: list[dict[str, Any]] | None, rated: int | None) -> tuple[str, str]:
        """An optional comment on the answer last rated (or the latest answer)."""
        ask_id = rated or next((t["ask_id"] for t in reversed(turns or []) if t.get("ask_id")), None)
        if not ask_id:
            return _status("Ask a question first, then comment on its answer."), text
        if not (text or "").strip():
            return _status("Type a comment first."), text
        self.services.feedback.comment(ask_id, text)
        return _status("Thank you: your comment is saved."), ""

    def on_load(self) -> tuple[str, Any]:
        """Fresh on every page load: what is indexed, and the committees to filter by."""
        try:
            bodies = sorted(self.services.library(self.audience).by_body)
        except CouncilQAError:
            bodies = []
        return as_at_html(None, self.coverage()), gr.Dropdown(choices=bodies)

    def clear(self) -> tuple[Any, ...]:
        return [], citations_html(None), as_at_html(None, self.coverage()), [], None, ""

    def _client(self, request: gr.Request | None) -> str | None:
        if self.audience != Audience.PUBLIC or request is None:
            return None
        client = getattr(request, "client", None)
        return str(getattr(client, "host", "") or "unknown")

    def _user(self, request: gr.Request | None) -> str:
        if request is None or self.audience == Audience.PUBLIC:
            return ""
        header = getattr(self.services.settings, "officer_auth_header", "")
        name = getattr(request, "username", None) or (request.headers.get(header) if header else "")
        return str(name or "")


# ------------------------------------------------------------------------------------------------ layouts


def chat_panel(services: Services, audience: Audience, surface: str, page: gr.Blocks) -> ChatHandlers:
    """The chat with its sources panel, filters, examples and feedback, inside the current Blocks (`page`)."""
    h = ChatHandlers(services, audience, surface)
    max_chars = services.settings.max_question_chars
    coverage = gr.HTML(as_at_html(None, h.coverage()), elem_id=f"cqa-coverage-{surface}")
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(
                label="Conversation",
                height=480,
                elem_id=f"cqa-chat-{surface}",
                render_markdown=False,
                latex_delimiters=[],
                allow_tags=False,
                buttons=["copy"],
                feedback_options=("Like", "Dislike"),
                placeholder="Ask a question about the council's papers. Answers quote the papers and cite them.",
            )
            question = gr.Textbox(
                label="Your question",
                info=f"Up to {max_chars} characters. Press Enter to ask.",
                placeholder="For example: " + EXAMPLES[0],
                lines=1,
                max_lines=6,
                max_length=max_chars,
                elem_id=f"cqa-question-{surface}",
            )
            with gr.Row():
                ask = gr.Button("Ask", variant="primary", elem_id=f"cqa-ask-{surface}")
                clear = gr.Button("New conversation", variant="secondary")
            as_at = gr.HTML("", label="As at", elem_id=f"cqa-as-at-{surface}")
            gr.HTML('<p class="cqa-examples-label">Example questions</p>')
            with gr.Row():
                example_buttons = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]
            with gr.Accordion("Filters: dates, committee, document type", open=False):
                with gr.Row():
                    date_from = gr.Textbox(label="Papers dated from (YYYY-MM-DD)", max_length=10)
                    date_to = gr.Textbox(label="Papers dated up to (YYYY-MM-DD)", max_length=10)
                bodies = gr.Dropdown(
                    choices=[],
                    multiselect=True,
                    label="Committee or body",
                    info="Leave empty for all.",
                )
                doc_types = gr.CheckboxGroup(
                    choices=[d.value for d in DocType], label="Document type", info="Leave empty for all."
                )
            with gr.Group():
                feedback_text = gr.Textbox(
                    label="Comment on an answer (optional)",
                    info="Rate an answer with the thumbs under it, then add a comment here if you like.",
                    lines=2,
                    max_length=2000,
                )
                send_comment = gr.Button("Send comment", size="sm")
            feedback_status = gr.HTML(_status(""), elem_id=f"cqa-feedback-{surface}")
        with gr.Column(scale=2, min_width=300):
            sources = gr.HTML(citations_html(None), label="Sources", elem_id=f"cqa-sources-{surface}")
    turns = gr.State([])
    rated = gr.State(None)

    inputs = [question, chatbot, turns, date_from, date_to, bodies, doc_types]
    outputs = [chatbot, sources, as_at, turns, question]
    gr.on([question.submit, ask.click], h.respond, inputs, outputs, api_name="ask", concurrency_id="answer")
    for button, text in zip(example_buttons, EXAMPLES, strict=True):
        button.click(lambda t=text: t, None, question, api_visibility="private").then(
            h.respond, inputs, outputs, api_visibility="private", concurrency_id="answer"
        )
    chatbot.like(h.like, [chatbot, turns], [feedback_status, rated], api_visibility="private")
    send_comment.click(
        h.comment, [feedback_text, turns, rated], [feedback_status, feedback_text], api_visibility="private"
    )
    clear.click(h.clear, None, [chatbot, sources, coverage, turns, rated, as_at], api_visibility="private")
    page.load(h.on_load, None, [coverage, bodies], api_visibility="private")
    return h


def build_chat(services: Services) -> gr.Blocks:
    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.HTML(
            f'<header class="cqa-header"><h1>{TITLE}</h1><p>Answers about children\'s services papers, quoting '
            "the published papers they come from.</p></header>"
        )
        chat_panel(services, Audience.PUBLIC, "chat", demo)
    return demo


def build_widget(services: Services) -> gr.Blocks:
    h = ChatHandlers(services, Audience.PUBLIC, "widget", widget=True)
    max_chars = services.settings.max_question_chars
    with gr.Blocks(title="Ask about children's services papers (AI assistant)", analytics_enabled=False) as w:
        gr.HTML(WIDGET_NOTICE)
        chatbot = gr.Chatbot(
            label="Conversation with the AI assistant",
            height=340,
            elem_id="cqa-chat-widget",
            render_markdown=False,
            latex_delimiters=[],
            allow_tags=False,
            buttons=[],
            feedback_options=None,
            placeholder="Ask about the council's published children's services papers.",
        )
        question = gr.Textbox(
            label="Your question",
            info=f"Up to {max_chars} characters. Press Enter to ask.",
            lines=1,
            max_lines=4,
            max_length=max_chars,
            elem_id="cqa-question-widget",
        )
        with gr.Row():
            ask = gr.Button("Ask", variant="primary", elem_id="cqa-ask-widget")
            clear = gr.Button("Start again", variant="secondary")
        as_at = gr.HTML("", label="As at", elem_id="cqa-as-at-widget")
        sources = gr.HTML(citations_html(None), label="Sources", elem_id="cqa-sources-widget")
        turns = gr.State([])
        outputs = [chatbot, sources, as_at, turns, question]
        gr.on(
            [question.submit, ask.click],
            h.respond,
            [question, chatbot, turns],
            outputs,
            api_name="ask",
            concurrency_id="answer",
        )
        clear.click(lambda: ([], citations_html(None), "", [], ""), None, outputs, api_visibility="private")
    return w
