"""Answers quoting the whole Ofsted reports cite the right page: the quote is checked against PDFium's own text of
the cited page of the PDF (no layout analysis), with the real MiniLM over the whole bundled corpus."""

from __future__ import annotations

import pytest

from assistant.answer import Status
from assistant.service import Assistant
from tests.ofsted import on_page

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("question", "report", "page"),
    [
        (
            "In Bury's 2025 inspection, what happens when children aged 16 to 17 present as homeless?",
            "bury-ofsted-ilacs-2025-07-29.pdf",
            5,
        ),
        (
            # page 1 says it too ("the creation of 40 additional social work posts"); the answer quotes the
            # sentence with the verb asked ("Forty additional social work posts have been created")
            "How many additional social work posts did Wigan create, according to Ofsted in 2022?",
            "wigan-ofsted-ilacs-2022-07-05.pdf",
            9,
        ),
        (
            "When will Ofsted carry out a monitoring inspection of the Bury local area SEND partnership?",
            "bury-ofsted-cqc-area-send-2024-05-07.pdf",
            1,
        ),
        (
            "What did Ofsted find about the Stockport multi-agency safeguarding and support hub (MASSH) in 2025?",
            "stockport-ofsted-ilacs-2025-07-15.pdf",
            1,
        ),
    ],
)
def test_answers_cite_the_page_their_quote_is_on(
    real_assistant: Assistant, question: str, report: str, page: int
) -> None:
    answer = real_assistant.ask(question)
    assert answer.status in (Status.ANSWERED, Status.PARTIAL), answer.to_dict()
    pdf_citations = [c for c in answer.citations if c.doc_id.startswith("ofsted-reports/")]
    assert any(c.doc_id == f"ofsted-reports/{report}" and c.page == page for c in pdf_citations), [
        (c.doc_id, c.page, c.quote) for c in answer.citations
    ]
    for c in pdf_citations:
        assert c.page is not None and c.quote
        for part in c.quote.split(" … "):  # a citation may join two quotes from its passage
            assert on_page(part, c.doc_id.split("/", 1)[1], c.page), (c.doc_id, c.page, part)
