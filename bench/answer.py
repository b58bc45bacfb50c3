"""End-to-end answer latency of the extractive answerer (`Assistant.ask`) on the bundled corpus, with retrieval
alone (`Assistant.search`) on the same questions as the baseline."""

from __future__ import annotations

import collections
import time
from typing import Any

from bench.common import CORPUS, QUESTIONS, TODAY, Context, Section, p50_p95, table


def real_store(ctx: Context) -> Any:
    """The bundled corpus indexed with the default backend (built once per run)."""
    if "corpus_store" not in ctx.shared:
        from vectorstore.config import StoreConfig
        from vectorstore.indexer import Indexer
        from vectorstore.store import Store

        index_dir = ctx.work / "answer-index"
        store = Store(StoreConfig(index_dir=index_dir), ctx.embeddings())
        report = Indexer(store).sync([CORPUS])
        if report.skipped:
            raise RuntimeError(f"corpus ingest skipped files: {report.summary_lines()}")
        ctx.shared["corpus_store"] = (index_dir, store)
    return ctx.shared["corpus_store"]


def run(ctx: Context) -> Section:
    from assistant.service import Assistant
    from evals.questions import load_questions

    sec = Section("answer", "Answer latency")
    index_dir, store = real_store(ctx)
    bot = Assistant.from_settings(ctx.settings(index_dir), store=store, today=TODAY)
    questions = [q for q in load_questions(QUESTIONS) if not q.history]
    questions = questions[:: max(1, len(questions) // (15 if ctx.quick else 80))]
    for q in questions[:3]:
        bot.ask(q.question, audience=q.audience)  # warm caches (BM25 index, model)
    ask_ms: list[float] = []
    search_ms: list[float] = []
    statuses: collections.Counter[str] = collections.Counter()
    answerers: collections.Counter[str] = collections.Counter()
    for q in questions:
        started = time.perf_counter()
        bot.search(q.question, audience=q.audience)
        search_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        answer = bot.ask(q.question, audience=q.audience)
        ask_ms.append((time.perf_counter() - started) * 1000)
        statuses[answer.status.value] += 1
        answerers[answer.answerer] += 1
    a50, a95 = p50_p95(ask_ms)
    s50, s95 = p50_p95(search_ms)
    sec.data = {
        "questions": len(questions),
        "ask_p50_ms": a50,
        "ask_p95_ms": a95,
        "search_p50_ms": s50,
        "search_p95_ms": s95,
        "statuses": dict(statuses),
        "answerers": dict(answerers),
        "max_ms": max(ask_ms),
    }
    sec.lines += [
        f"{len(questions)} dev-set questions (every kind, including ones the papers do not answer and ones the "
        f"guardrails refuse), asked one at a time through `Assistant.ask` with the default `{ctx.backend}` "
        f"embeddings over the bundled corpus; answerer: {', '.join(f'`{k}`' for k in answerers)}. Baseline: "
        "retrieval alone (`Assistant.search`) for the same questions.",
        "",
        *table(
            ["step", "p50 ms", "p95 ms", "p95 vs retrieval"],
            [
                ["retrieval only (baseline)", f"{s50:.0f}", f"{s95:.0f}", "1.00×"],
                ["answer end to end", f"{a50:.0f}", f"{a95:.0f}", f"{a95 / s95:.2f}×"],
            ],
        ),
        "",
        f"Slowest answer {max(ask_ms):.0f} ms (target, issue 12: p95 under 300 ms on 2 cores). Outcomes: "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + ".",
    ]
    return sec
