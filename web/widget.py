"""The residents' widget (`/widget/`): published papers only, the short answer first, then the quote; a compact
notice naming whose papers it answers from; the accessibility statement and privacy notice one link away."""

# No `from __future__ import annotations`: Gradio reads the hints at run time.

import html

import gradio as gr

from vectorstore.audience import Audience
from web.chat import ANSWER_EVENT, QUIET, ChatHandlers, conversation, footer, question_box, skip_link
from web.services import Services
from web.theme import Brand, councils_phrase

WIDGET_TITLE = "Ask about children's services papers"


def notice_html(services: Services, brand: Brand) -> str:
    """The compact notice: an AI assistant, whose published papers, can be wrong, no personal details, where to go."""
    try:
        whose = brand.name or councils_phrase(services.councils(Audience.PUBLIC), limit=2)
    except Exception:  # nothing indexed yet: the notice still says what this is
        whose = brand.name or "the council"
    return (
        '<div class="cqa-notice" role="note" aria-label="About this assistant">'
        f"{brand.logo_html()}<h1>{WIDGET_TITLE}</h1>"
        f"<p><strong>This is an AI assistant.</strong> It answers only from the published papers of "
        f"{html.escape(whose)} and can be wrong: check the linked paper. Do not type names or other personal "
        "details. Worried about a child? Contact the council's children's services; in an emergency call 999.</p></div>"
    )


class WidgetHandlers(ChatHandlers):
    def empty_text(self) -> str:
        return "Ask a question about the council's published children's services papers."

    def on_load_notice(self) -> str:
        return notice_html(self.services, Brand.of(self.services.settings))


def build_widget(services: Services, brand: Brand | None = None) -> gr.Blocks:
    brand = brand or Brand.of(services.settings)
    h = WidgetHandlers(services, Audience.PUBLIC, "widget", plain=True)
    with gr.Blocks(title=f"{WIDGET_TITLE} (AI assistant)", analytics_enabled=False) as w:
        skip_link("cqa-question-widget")
        notice = gr.HTML(notice_html(services, brand), elem_id="cqa-notice-widget")
        transcript, live = conversation(h)
        question = question_box(services, "widget")
        with gr.Row():
            ask = gr.Button("Ask", variant="primary", elem_id="cqa-ask-widget")
            clear = gr.Button("Start again", variant="secondary")
        gr.HTML(footer())
        turns = gr.State([])
        outputs = [transcript, live, turns, question]
        gr.on(
            [question.submit, ask.click],
            h.respond,
            [question, turns],
            outputs,
            api_name="ask",
            **ANSWER_EVENT,
        )
        clear.click(h.clear, None, outputs, api_visibility="private", **QUIET)
        w.load(h.on_load_notice, None, notice, api_visibility="private", **QUIET)
    return w
