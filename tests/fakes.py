"""Typed fakes and test-data builders, injected through constructors (never patched into vendor code).

- `HashingEmbeddings` (in `vectorstore.fake_embeddings`): the weightless embedding the unit tier injects with
  `fake_store(settings)`; texts sharing words land close.
- `ScriptedBot`: an assistant whose `ask` searches for real but builds the Answer itself, for web-layer tests.
- `make_passage`, `make_document`: retrieved passages and catalog entries with harmless defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.answer import Answer, Citation, Status
from assistant.factory import store_for
from assistant.sentences import split_sentences
from assistant.service import Assistant
from assistant.settings import Settings
from vectorstore.audience import Audience
from vectorstore.catalog import Catalog, DocumentInfo
from vectorstore.fake_embeddings import HashingEmbeddings
from vectorstore.filters import SearchFilters
from vectorstore.passage import Passage
from vectorstore.store import Store

TODAY = dt.date(2026, 11, 23)

_PASSAGE_DEFAULTS: dict[str, Any] = {
    "chunk_id": "c",
    "doc_id": "d",
    "title": "Paper",
    "date": None,
    "body": "Cabinet",
    "doc_type": "cabinet report",
    "council": "Bury",
    "source_url": "",
    "classification": "open",
    "path": "p",
}


def make_passage(text: str, **fields: Any) -> Passage:
    """A retrieved passage with harmless defaults; any field can be given."""
    return Passage(text=text, **{**_PASSAGE_DEFAULTS, **fields})


def make_document(doc_id: str, **fields: Any) -> DocumentInfo:
    """A catalog entry for `doc_id` (an open Cabinet report of Bury Council, undated) unless fields say otherwise."""
    values: dict[str, Any] = {
        "doc_id": doc_id,
        "title": "Paper",
        "council": "Bury Council",
        "body": "Cabinet",
        "doc_type": "cabinet report",
        "date": None,
        "date_text": "",
        "source_url": "",
        "classification": "open",
        "content_hash": "0" * 64,
        "path": doc_id,
    }
    return DocumentInfo(**{**values, **fields})


def fake_store(settings: Settings) -> Store:
    """The store the settings name, with the weightless hashing embedding injected (no weights, no network)."""
    return store_for(settings, HashingEmbeddings())


def fake_assistant(settings: Settings, today: dt.date = TODAY) -> Assistant:
    """The real assistant (real Chroma, real chain) over `fake_store(settings)`."""
    return Assistant.from_settings(settings, store=fake_store(settings), today=today)


@dataclass
class ScriptedBot:
    """Stands in for `Assistant` in web-layer tests: searches for real (so audiences and filters really apply) but
    builds the Answer itself, so those tests check the web layer, not the answer chain."""

    real: Assistant
    calls: list[dict[str, Any]] = field(default_factory=list)
    status: Status = Status.ANSWERED
    notes: list[str] = field(default_factory=lambda: ["A scripted note."])
    short_answer: str = ""  # set on the Answer by name (the answer step adds the field)

    @property
    def store(self) -> Store:
        return self.real.store

    @property
    def catalog(self) -> Catalog:
        return self.real.catalog

    def ask(
        self,
        question: str,
        audience: Audience | str = Audience.PUBLIC,
        filters: SearchFilters | None = None,
        k: int | None = None,
        history: list[dict[str, str]] | None = None,
    ) -> Answer:
        self.calls.append(
            {"question": question, "audience": audience, "filters": filters, "history": history}
        )
        passages = self.real.search(question, audience=audience, filters=filters, k=2).passages
        if not passages:
            return Answer(question, "The papers held do not answer this.", Status.NOT_FOUND)
        citations = []
        for n, p in enumerate(passages, 1):
            quote = next((s for s in split_sentences(p.text) if len(s) > 30), p.text[:80])
            citations.append(
                Citation(
                    n,
                    p.doc_id,
                    p.chunk_id,
                    p.title,
                    p.date,
                    p.body,
                    p.doc_type,
                    p.page_start,
                    p.section,
                    quote,
                    p.text,
                    p.source_url,
                    p.score,
                )
            )
        text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        newest = max((c.date for c in citations if c.date), default=None)
        as_at = f"As at {newest:%d %B %Y}." if newest else ""
        answer = Answer(question, text, self.status, citations, as_at, notes=list(self.notes))
        if self.short_answer:
            answer.short_answer = self.short_answer  # type: ignore[attr-defined,unused-ignore]
        return answer


def scripted_bot(settings: Settings) -> ScriptedBot:
    return ScriptedBot(fake_assistant(settings))


def fake_pipeline(search: Callable[..., Any], home_council: str, **kw: Any) -> Any:
    """An answer pipeline over a fake `search(query, audience, filters, k)`: the councils of the passages it can
    return are its places, no embeddings, no answerability threshold; `kw` go to `AnswerPipeline`."""
    from assistant.pipeline import AnswerPipeline, Coverage, PipelineConfig
    from assistant.scope import Places

    places = Places.from_councils([home_council, *kw.pop("councils", ())])
    return AnswerPipeline(
        search=search,
        embed=None,
        places=lambda audience: places,
        coverage=lambda audience: Coverage(["Cabinet"], dt.date(2022, 1, 1), dt.date(2025, 9, 1)),
        config=PipelineConfig(home_council=home_council, min_answerability=0.0),
        **kw,
    )
