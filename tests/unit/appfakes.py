"""Helpers for the web app's unit tests: a small indexed corpus (hashing embedding) and a scripted answerer.

`ScriptedBot.ask` answers from the real `Assistant.search` (so audiences and filters really apply) but builds
the Answer itself, so these tests check the web layer, not the answer chain.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.answer import Answer, Citation, Status
from assistant.sentences import split_sentences
from assistant.service import Assistant
from assistant.settings import Settings, load_settings
from vectorstore.retriever import SearchFilters

TODAY = dt.date(2026, 11, 23)

EXEMPT_PAPER = """---
title: "Part B: Children's placements budget pressures (exempt)"
date: 2025-10-01
classification: exempt
---

# Placements budget

The placements budget is forecast to overspend by 2.4 million pounds in 2025/26 because of residential costs.
Officers propose a sufficiency strategy to open two council-run children's homes by March 2027.
"""

HOSTILE_PAPER = """---
title: "<script>alert('title')</script> Hostile [paper](javascript:alert(1))"
date: 2025-08-01
classification: open
---

# Hostile section <img src=x onerror=alert(1)>

The foster carer recruitment campaign recruited 14 new fostering households <script>alert(1)</script> in 2024/25.
See [the campaign page](javascript:alert(2)) for more about foster carer recruitment.
"""


def app_settings(tmp_path: Path, corpus: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "index_dir": tmp_path / "index",
        "embedding_backend": "hashing",
        "feedback_db": tmp_path / "feedback.sqlite3",
        "corpus_dir": corpus,
        "officer_token": "officer-secret-token",
        "officer_password": "officer-password",
        "widget_rate_limit_per_min": 1000,
    }
    values.update(overrides)
    return load_settings(**values)


SEED_FILES = (
    "seeds/bury-cabinet-2025-09-10-ofsted-standard-inspection-report.md",
    "seeds/bury-cyp-scrutiny-2025-09-16-opencouncil-summary.md",
)
REPO = Path(__file__).resolve().parents[2]


def indexed_corpus(root: Path, **overrides: Any) -> Settings:
    """A private corpus (two bundled papers, an exempt paper, a hostile paper) indexed with the hashing embedding."""
    import shutil

    from assistant.factory import store_for
    from vectorstore.indexer import Indexer

    corpus = root / "corpus"
    for rel in SEED_FILES:
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "data" / "corpus" / rel, corpus / rel)
    shutil.copy(REPO / "data" / "corpus" / "metadata.yaml", corpus / "metadata.yaml")
    add_papers(corpus)
    settings = app_settings(root, corpus, **overrides)
    report = Indexer(store_for(settings)).sync([corpus])
    assert not report.skipped, report.summary_lines()
    return settings


def add_papers(corpus: Path) -> None:
    (corpus / "private").mkdir(exist_ok=True)
    (corpus / "private" / "placements-budget-part-b.md").write_text(EXEMPT_PAPER, encoding="utf-8")
    (corpus / "public").mkdir(exist_ok=True)
    (corpus / "public" / "hostile-paper.md").write_text(HOSTILE_PAPER, encoding="utf-8")


@dataclass
class ScriptedBot:
    real: Assistant
    calls: list[dict[str, Any]] = field(default_factory=list)
    status: Status = Status.ANSWERED

    @property
    def store(self) -> Any:
        return self.real.store

    def ask(
        self,
        question: str,
        audience: str = "public",
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
        return Answer(question, text, self.status, citations, as_at, notes=["A scripted note."])


def scripted_bot(settings: Settings) -> ScriptedBot:
    return ScriptedBot(Assistant.from_settings(settings, today=TODAY))
