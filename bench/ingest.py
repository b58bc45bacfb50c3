"""Ingestion, end to end through the real `Indexer`: pages/s and chunks/s for PDF, DOCX, HTML and Markdown, and
where the time goes (parse, metadata, chunking, embedding, writing to Chroma)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from bench import synth
from bench.common import BASELINE, Context, Section, table

FORMATS = ("pdf", "docx", "html", "md")
PAGES_PER_PAPER = 50
STAGES = ("parse", "metadata", "chunk", "embed", "write", "other")


class TimedEmbeddings(Embeddings):
    def __init__(self, inner: Any, clock: dict[str, float]) -> None:
        self.inner, self.clock = inner, clock
        self.model_id = getattr(inner, "model_id", "timed")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        try:
            return list(self.inner.embed_documents(texts))
        finally:
            self.clock["embed"] += time.perf_counter() - started

    def embed_query(self, text: str) -> list[float]:
        return list(self.inner.embed_query(text))

    def token_counter(self) -> Any:
        return self.inner.token_counter()


def _timed(fn: Callable[..., Any], clock: dict[str, float], stage: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            clock[stage] += time.perf_counter() - started

    return wrapper


@contextlib.contextmanager
def instrumented(clock: dict[str, float]) -> Iterator[None]:
    """Time the ingest stages by wrapping the functions `ingest.sources` calls (restored afterwards)."""
    import ingest.sources as ix

    stages = {"safe_load": "parse", "load_file": "parse", "build_meta": "metadata", "chunk_document": "chunk"}
    saved = {name: getattr(ix, name) for name in stages if hasattr(ix, name)}
    try:
        for name, fn in saved.items():
            setattr(ix, name, _timed(fn, clock, stages[name]))
        yield
    finally:
        for name, fn in saved.items():
            setattr(ix, name, fn)


def ingest_once(ctx: Context, folder: Path, backend: str, name: str) -> dict[str, Any]:
    from ingest.config import IngestConfig
    from vectorstore.config import StoreConfig
    from vectorstore.indexer import Indexer
    from vectorstore.store import Store

    clock = dict.fromkeys(STAGES, 0.0)
    index_dir = ctx.work / f"ingest-{name}"
    store = Store(
        StoreConfig(index_dir=index_dir),
        TimedEmbeddings(ctx.embeddings(backend), clock),
    )
    store.replace_document = _timed(store.replace_document, clock, "write")  # type: ignore[method-assign]
    with instrumented(clock):
        # parsing in this process, so that the stages can be timed (the archive section measures the worker pool)
        report = Indexer(store, IngestConfig(parse_workers=0)).sync([folder])
    if report.skipped:
        raise RuntimeError(f"ingest of {folder} skipped files: {report.summary_lines()}")
    clock["other"] = max(0.0, report.seconds - sum(clock[s] for s in STAGES if s != "other"))
    return {
        "seconds": report.seconds,
        "pages": report.pages,
        "chunks": report.chunks_added,
        "documents": len(report.added),
        "stages": clock,
        "bytes": sum(p.stat().st_size for p in folder.iterdir()),
    }


def run(ctx: Context) -> Section:
    sec = Section("ingest", "Ingestion")
    pdf_pages = 40 if ctx.quick else 1000
    other_pages = 20 if ctx.quick else 60
    baseline_pages = 20 if ctx.quick else 60
    per_paper = 20 if ctx.quick else PAGES_PER_PAPER
    src = ctx.work / "ingest-src"
    made: dict[str, Path] = {}
    gen_s: dict[str, float] = {}
    for fmt in FORMATS:
        started = time.perf_counter()
        n = pdf_pages if fmt == "pdf" else other_pages
        for paper in synth.papers(n, per_paper):
            synth.write(paper, src / fmt, fmt)
        made[fmt] = src / fmt
        gen_s[fmt] = time.perf_counter() - started
    base_dir = src / "pdf-baseline"
    for paper in synth.papers(baseline_pages, per_paper):
        synth.write(paper, base_dir, "pdf")

    ctx.embeddings(ctx.backend)
    ctx.embeddings(BASELINE)
    results: dict[str, dict[str, Any]] = {}
    results["pdf-baseline"] = ingest_once(ctx, base_dir, BASELINE, "pdf-baseline")
    for fmt in FORMATS:
        results[fmt] = ingest_once(ctx, made[fmt], ctx.backend, fmt)
    sec.data = {
        "results": results,
        "default": ctx.backend,
        "pdf_pages": pdf_pages,
        "other_pages": other_pages,
    }

    base = results["pdf-baseline"]
    base_cps = base["chunks"] / base["seconds"]
    rows = []
    for key, label, backend in [
        ("pdf-baseline", "PDF (baseline)", BASELINE),
        *[(f, f.upper() if f != "md" else "Markdown", ctx.backend) for f in FORMATS],
    ]:
        r = results[key]
        paged = key.startswith("pdf")
        pages = r["pages"] if paged else other_pages
        cps = r["chunks"] / r["seconds"]
        rows.append(
            [
                label,
                f"`{backend}`",
                f"{pages}" + ("" if paged else " (page-equiv.)"),
                r["chunks"],
                f"{r['seconds']:.1f}",
                f"{pages / r['seconds']:.2f}",
                f"{cps:.1f}",
                f"{cps / base_cps:.2f}×",
            ]
        )
    stage_rows = []
    for key in ("pdf-baseline", *FORMATS):
        st = results[key]["stages"]
        total = results[key]["seconds"] or 1.0
        stage_rows.append([key] + [f"{100 * st[s] / total:.0f}%" for s in STAGES])
    pdf = results["pdf"]
    per_1000 = 1000 * pdf["seconds"] / max(1, pdf["pages"])
    extrapolated = "" if pdf["pages"] >= 1000 else f"; at this rate 1,000 pages take {per_1000:.0f} s"
    sec.lines += [
        f"Synthetic council reports ({per_paper} pages each, about {synth.WORDS_PER_PAGE} words a page, numbered "
        "sections, paragraphs and tables, sentences drawn from the bundled corpus; `bench/synth.py`) ingested with "
        "`Indexer.sync` into a fresh embedded index: parse, metadata, chunking, embedding and Chroma writes, end "
        f"to end. DOCX, HTML and Markdown hold the same text as {other_pages} PDF pages (they have no pages of their "
        f"own). The baseline is the same PDF pipeline with fp32 `torch` embeddings ({baseline_pages} pages).",
        "",
        *table(
            [
                "format",
                "embedding",
                "pages",
                "chunks",
                "seconds",
                "pages/s",
                "chunks/s",
                "chunks/s vs baseline",
            ],
            rows,
        ),
        "",
        f"**{pdf['pages']} PDF pages took {pdf['seconds']:.0f} s** with the default backend (target: 1,000 pages "
        f"in under 120 s){extrapolated}.",
        "",
        "Where the time goes (share of each run's wall time):",
        "",
        *table(["run", *STAGES], stage_rows),
        "",
        "`parse` runs in the sandboxed parser process (time and memory limits) and includes handing the parsed "
        "document back; `write` is Chroma's upsert and the crash-safe manifest updates; `other` is discovery, "
        "hashing and sidecars.",
    ]
    return sec
