"""Retrieval latency at 1k, 10k and 100k chunks (and 1M with `--large`), the first query after a write, and
memory and disk per 100k chunks.

The chunks are synthetic passages made of corpus sentences (so BM25 sees realistic text); their stored vectors
are random unit vectors of dimension 384, which keeps building 100k chunks quick (embedding 100k chunks would
take hours on two cores). Every query is embedded for real with the default backend, and goes through the
production `HybridSearcher` (dense + BM25, fused, recency, de-duplication) on the public audience.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import synth
from bench.common import QUESTIONS, TODAY, Context, Section, du_mb, p50_p95, rss_mb, table

CHUNKS_PER_DOC = 250
DIM = 384


def _meta(i: int, rng: random.Random) -> Any:
    from ingest.documents import Classification, DocType, DocumentMeta

    council = rng.choice(synth.COUNCILS)
    body = rng.choice(synth.BODIES)
    date = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 10 * 365))
    doc_id = f"synthetic/{council.lower().replace(' ', '-')}-{date.isoformat()}-{i:05d}.pdf"
    return DocumentMeta(
        doc_id=doc_id,
        title=f"{council} Council {body}: children's services report {i}",
        council=council,
        body=body,
        doc_type=rng.choice(list(DocType)),
        date=date,
        date_text=date.isoformat(),
        source_url="",
        classification=Classification.OPEN if rng.random() < 0.9 else Classification.EXEMPT,
        content_hash=hashlib.sha256(doc_id.encode()).hexdigest(),
        path=doc_id,
        file_type="pdf",
        page_count=CHUNKS_PER_DOC // 2,
    )


def grow(
    store: Any,
    keyword: Any,
    start: int,
    stop: int,
    texts: Any,
    rng: random.Random,
    nrng: np.random.Generator,
) -> None:
    """Add synthetic documents (CHUNKS_PER_DOC chunks each) until the store holds `stop` chunks, each written as
    the indexer writes it: Chroma (crash-safe order), then its keyword index."""
    doc = start // CHUNKS_PER_DOC
    n = start
    while n < stop:
        size = min(CHUNKS_PER_DOC, stop - n)
        write_document(store, keyword, doc, size, texts, rng, nrng)
        n += size
        doc += 1


def write_document(
    store: Any, keyword: Any, doc: int, size: int, texts: Any, rng: random.Random, nrng: np.random.Generator
) -> Any:
    from ingest.chunking import chunk_id
    from ingest.documents import Chunk

    meta = _meta(doc, rng)
    chunks = []
    for k in range(size):
        text = next(texts)
        page = 1 + k // 2
        section = (synth.SECTIONS[k % len(synth.SECTIONS)],)
        chunks.append(
            Chunk(
                chunk_id(meta.doc_id, meta.content_hash, k),
                meta.doc_id,
                k,
                text,
                text,  # embedded as it is: no context prefix in the synthetic store
                section,
                page,
                page,
                len(text.split()),
            )
        )
    vecs = nrng.standard_normal((size, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    store.replace_document(meta, chunks, vecs.tolist(), None, {"root": "synthetic", "pages": meta.page_count})
    keyword.write(meta, chunks)
    return meta


FILTERS = {"bodies": (synth.BODIES[0],), "date_from": "2019-01-01", "date_to": "2023-12-31"}


def latencies(
    searcher: Any, queries: list[str], filters: Any = None
) -> tuple[list[float], dict[str, list[float]]]:
    totals: list[float] = []
    parts: dict[str, list[float]] = {
        "embed_ms": [],
        "dense_ms": [],
        "keyword_ms": [],
        "keyword_wait_ms": [],  # the part of the keyword search, run beside the dense one, not hidden by it
        "fuse_ms": [],
    }
    for q in queries:
        started = time.perf_counter()
        res = searcher.search(q, "public", 5, filters=filters)
        totals.append((time.perf_counter() - started) * 1000)
        for k in parts:
            parts[k].append(float(res.timings_ms.get(k, 0.0)))
    return totals, parts


def serving_memory(index_dir: Path, backend: str, model_cache: Path, queries: int) -> dict[str, float]:
    """A fresh process that opens the index and answers `queries` searches, as an app replica would: its memory
    before opening the index (model loaded) and after the searches."""
    import json
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "bench.retrieval", str(index_dir), backend, str(model_cache), str(queries)],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"memory probe failed: {proc.stderr[-800:]}")
    out: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def _probe(index_dir: str, backend: str, model_cache: str, n_queries: str) -> None:
    import json

    import chromadb  # noqa: F401 - modules loaded before the baseline: code, not index
    import tantivy  # noqa: F401

    from evals.questions import load_questions
    from vectorstore.config import StoreConfig
    from vectorstore.embeddings import make_embeddings
    from vectorstore.retriever import HybridSearcher
    from vectorstore.store import Store

    emb = make_embeddings(backend, "", 32, Path(model_cache))
    emb.embed_query("warm up")
    questions = [q.question for q in load_questions(QUESTIONS) if q.audience == "public"]
    before = rss_mb()
    searcher = HybridSearcher(Store(StoreConfig(index_dir=Path(index_dir)), emb), today=TODAY, candidate_k=40)
    started = time.perf_counter()
    searcher.search(questions[0], "public", 5)
    first = time.perf_counter() - started
    for q in (questions * 10)[: int(n_queries)]:
        searcher.search(q, "public", 5)
    print(json.dumps({"before_mb": before, "after_mb": rss_mb(), "first_query_s": first}))


def run(ctx: Context) -> Section:
    from evals.questions import load_questions
    from vectorstore.config import StoreConfig
    from vectorstore.filters import SearchFilters
    from vectorstore.keyword import KeywordIndexes
    from vectorstore.retriever import HybridSearcher
    from vectorstore.store import Store

    sec = Section("retrieval", "Retrieval latency")
    sizes: tuple[int, ...] = (1_000, 5_000) if ctx.quick else (1_000, 10_000, 100_000)
    if ctx.large:
        sizes = (*sizes, 1_000_000)
    n_queries = 30 if ctx.quick else 100
    questions = [q.question for q in load_questions(QUESTIONS) if q.audience == "public"]
    queries = (questions * (1 + n_queries // max(1, len(questions))))[:n_queries]
    filters = SearchFilters.parse(**FILTERS)  # type: ignore[arg-type]
    emb = ctx.embeddings()
    index_dir = ctx.work / "retrieval"
    store = Store(StoreConfig(index_dir=index_dir), emb)
    writer_keyword = KeywordIndexes(store)  # the ingest's: same index folder as the app
    texts = synth.chunk_texts(sizes[-1] + 2 * CHUNKS_PER_DOC * len(sizes))
    rng, nrng = random.Random(5), np.random.default_rng(5)
    app = HybridSearcher(store, today=TODAY, candidate_k=40)  # a long-running app over the same index
    rows: list[list[Any]] = []
    results: dict[int, dict[str, Any]] = {}
    have, next_doc = 0, 10_000_000
    for size in sizes:
        started = time.perf_counter()
        grow(store, writer_keyword, have, size, texts, rng, nrng)
        build_s = time.perf_counter() - started
        grown_by, have = size - have, size
        started = time.perf_counter()
        app.search(queries[0], "public", 5)  # the first query after the growth
        after_growth_s = time.perf_counter() - started
        for q in queries[1:4]:
            app.search(q, "public", 5)
        app._vectors.clear()  # every query embedded for real, as a question never asked before
        totals, parts = latencies(app, queries)
        app._vectors.clear()
        ftotals, fparts = latencies(app, queries, filters)
        # one more paper written (an officer upload), then the app's next query at once
        write_document(store, writer_keyword, next_doc, CHUNKS_PER_DOC, texts, rng, nrng)
        next_doc += 1
        started = time.perf_counter()
        app.search(queries[5], "public", 5)
        after_write_ms = (time.perf_counter() - started) * 1000
        # a new replica with its own keyword index fills it from Chroma (timed), then sees a paper another
        # process wrote: it reads that one paper's chunks from Chroma before its next query
        replica = HybridSearcher(store, today=TODAY, candidate_k=40)
        replica_dir = ctx.work / f"replica-keyword-{size}"
        replica.keyword = KeywordIndexes(store, replica_dir, replica.catalog)
        started = time.perf_counter()
        replica.keyword.sync()
        fill_s = time.perf_counter() - started
        replica.search(queries[6], "public", 5)
        write_document(
            store, KeywordIndexes(store, ctx.work / "elsewhere"), next_doc, CHUNKS_PER_DOC, texts, rng, nrng
        )
        next_doc += 1
        started = time.perf_counter()
        replica.search(queries[7], "public", 5)
        replica_ms = (time.perf_counter() - started) * 1000
        replica.keyword.close()
        shutil.rmtree(replica_dir, ignore_errors=True)
        have += 2 * CHUNKS_PER_DOC
        app.search(queries[8], "public", 5)  # the app catches up with the second paper too
        memory = serving_memory(index_dir, ctx.backend, ctx.model_cache, n_queries)
        p50, p95 = p50_p95(totals)
        fp50, fp95 = p50_p95(ftotals)
        results[size] = {
            "p50_ms": p50,
            "p95_ms": p95,
            "filtered_p50_ms": fp50,
            "filtered_p95_ms": fp95,
            "build_s": build_s,
            "grown_by": grown_by,
            "first_query_after_growth_s": after_growth_s,
            "first_query_after_write_ms": after_write_ms,
            "replica_first_query_after_write_ms": replica_ms,
            "replica_fill_s": fill_s,
            "parts_p50": {k: p50_p95(v)[0] for k, v in parts.items()},
            "filtered_parts_p50": {k: p50_p95(v)[0] for k, v in fparts.items()},
            "chunks_held": have,
            "serving_memory": memory,
        }
        rows.append(
            [
                f"{size:,}",
                f"{p50:.1f}",
                f"{p95:.1f}",
                f"{fp95:.1f}",
                *(f"{p50_p95(parts[k])[0]:.1f}" for k in parts),
                f"{after_write_ms:.0f}",
                f"{replica_ms:.0f}",
                f"{fill_s:.0f}",
                f"{memory['after_mb'] - memory['before_mb']:,.0f}",
                f"{grown_by / build_s:,.0f}",
            ]
        )
    writer_keyword.close()
    disk = du_mb(index_dir)
    keyword_disk = du_mb(index_dir / "keyword")
    held = have
    scale = 100_000 / held
    first, last = results[sizes[0]], results[sizes[-1]]
    grown = lambda r: r["serving_memory"]["after_mb"] - r["serving_memory"]["before_mb"]  # noqa: E731
    per_100k = (grown(last) - grown(first)) * 100_000 / (last["chunks_held"] - first["chunks_held"])
    memory = last["serving_memory"]
    smallest = results[sizes[0]]
    sec.data = {
        "sizes": results,
        "rss_growth_mb_per_100k": per_100k,
        "disk_mb_per_100k": disk * scale,
        "keyword_disk_mb_per_100k": keyword_disk * scale,
        "chunks_held": held,
        "queries": n_queries,
        "backend": ctx.backend,
        "filters": FILTERS,
    }
    sec.lines += [
        f"Production `HybridSearcher.search` (dense via Chroma HNSW + BM25 via the tantivy keyword index, fused, "
        f"recency, de-duplication; public audience, k=5, 40 candidates each; the keyword search runs beside the "
        "dense one, and *keyword wait* is the part of it the dense side did not hide) over "
        f"{n_queries} dev-set questions, "
        f"each embedded for real with `{ctx.backend}`; the filtered column adds a committee and a date range "
        f"({FILTERS['bodies'][0]}, {FILTERS['date_from']} to {FILTERS['date_to']}). Stored chunks are synthetic "
        "passages of corpus sentences (~150 words) with **random unit vectors** (dim 384) in place of embeddings, "
        "written document by document as the indexer writes them (Chroma, then the keyword index); HNSW search "
        "cost does not depend on where the vectors came from. One long-running searcher (the app) serves every size.",
        "",
        "After each size: one more paper (250 chunks) is written by the ingest's path and the app's next query is "
        "timed (**first query after a write**, the same index folder); then a new replica with its own keyword "
        "index fills it from Chroma (timed) and sees a paper written by another process: its first query reads "
        "that paper's chunks from Chroma into its index before searching.",
        "",
        *table(
            [
                "chunks",
                "p50 ms",
                "p95 ms",
                "p95 ms, filtered",
                "embed p50",
                "dense p50",
                "keyword p50",
                "keyword wait p50",
                "fuse p50",
                "first query after a write, ms",
                "replica's first query after another process's write, ms",
                "new replica fills its keyword index from Chroma, s",
                "serving process memory, MB",
                "build chunks/s",
            ],
            rows,
        ),
        "",
        *table(
            ["chunks", "p95 vs 1k"],
            [[f"{s:,}", f"{r['p95_ms'] / smallest['p95_ms']:.2f}×"] for s, r in results.items()],
        ),
        "",
        "Serving process memory: a fresh process (an app replica) loads the model and the libraries, then opens "
        f"the index and answers {n_queries} questions; the column is what opening and searching added. Per 100k "
        f"chunks it grows by **{per_100k:,.0f} MB** (the slope from {first['chunks_held']:,} to "
        f"{last['chunks_held']:,} chunks: Chroma's HNSW index and caches; the keyword index is read from disk "
        "through the page cache and holds no text in memory). On disk, per 100k chunks: "
        f"**{disk * scale:,.0f} MB** for the index folder, of which the keyword index {keyword_disk * scale:,.0f} MB. "
        f"The replica's first query at {last['chunks_held']:,} chunks took {memory['first_query_s'] * 1000:.0f} ms.",
    ]
    return sec


if __name__ == "__main__":
    import sys

    _probe(*sys.argv[1:5])
