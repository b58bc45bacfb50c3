"""Hybrid retrieval: dense (Chroma) + keyword (BM25), fused by reciprocal rank, then dates and de-duplication.

Audience scoping happens here and only here: the public audience searches the `open` collection and its keyword
index; nothing in a question can widen that.

Steps of ``HybridSearcher.search`` (mode ``hybrid+recency``, the default):

1. the question's keywords are expanded with the glossary (acronyms both ways, a few everyday words to the
   papers' words); expansions count for less than the words asked (``Tuning.expansion_weight``); the dense
   side embeds the question as asked (expanding it measured worse);
2. a period named in the question is read ("in 2023/24", "last September", "since June 2025");
3. dense: the question's embedding against the audience's Chroma collections (filters as a ``where`` clause);
   keyword: BM25 over the same collections' keyword indexes (filters as a mask over the corpus);
4. weighted reciprocal-rank fusion of the two candidate lists;
5. dates: with no period named, newer papers get a small boost; with a period named, passages that mention it
   ("2022/23", "2022-23", "April 2022 to March 2023") and papers dated inside it go up, papers dated before it
   starts go down (see ``vectorstore.recency``);
6. near-duplicates (the same text in another format, or in an agenda, a report and its minutes) are folded
   into the best-scored copy, until ``k`` distinct passages are found.

Modes ``dense`` and ``keyword`` stop after step 3 (then de-duplicate); ``hybrid`` skips step 5.
No filter costs nothing: the common case sends no ``where`` clause and applies no mask.

In the hybrid modes the keyword search of step 3 runs on a small thread pool of the searcher's while the calling
thread, the question embedded, searches Chroma: Chroma's search and tantivy's let go of the GIL and use one core
each, so on two cores much of the keyword side is hidden (ONNX Runtime embeds on both cores, which is why the
keyword search waits for the embedding). The result is the same as one after the other: the two lists are fused
only once both are in.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from langchain_core.documents import Document

from vectorstore.audience import Audience
from vectorstore.catalog import Catalog, Snapshot
from vectorstore.dedup import dedupe
from vectorstore.dense import dense_search
from vectorstore.filters import SearchFilters
from vectorstore.fusion import fuse_passages
from vectorstore.glossary import expansions, plain_word_expansions
from vectorstore.keyword import KeywordIndexes, tokenize
from vectorstore.passage import Passage
from vectorstore.querydates import Period, parse_period
from vectorstore.recency import apply_recency
from vectorstore.store import Store

__all__ = [
    "MODES",
    "HybridSearcher",
    "Mode",
    "SearchFilters",
    "SearchResult",
    "Tuning",
    "passage_to_document",
]

Mode = Literal["dense", "keyword", "hybrid", "hybrid+recency"]
MODES: tuple[Mode, ...] = ("dense", "keyword", "hybrid", "hybrid+recency")
_T = TypeVar("_T")
MIN_CHUNK_WORDS = 3  # a chunk with fewer words is furniture, never a passage
_WORDS = re.compile(r"\w+")


@dataclass
class SearchResult:
    """The passages found, the period read from the question, the keywords searched, and where the time went.

    ``timings_ms``: ``embed_ms``, ``dense_ms``, ``keyword_ms`` and ``fuse_ms`` are each stage's own time;
    ``keyword_wait_ms`` is how long the dense side then waited for a keyword search run beside it (the part of
    ``keyword_ms`` not hidden), and ``total_ms`` the wall time of the search, which the stages overlap within.
    """

    passages: list[Passage]
    period: Period | None = None
    expanded_query: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Tuning:
    """Retrieval knobs, chosen on the dev question set with `evals.retrieval` (`council eval --retrieval`).

    A small ``rrf_k`` lets the top of each list count; the dense list weighs less than the keyword list because
    on council papers (names, years, committee words) BM25 is the stronger retriever, and dense adds recall for
    paraphrases.  The recency weights act on RRF scores, so they were tuned together with ``rrf_k``.
    """

    rrf_k: float = 5.0
    dense_weight: float = 0.5
    keyword_weight: float = 1.0
    expansion_weight: float = 0.5  # a glossary expansion's BM25 weight relative to a word of the question
    recency_weight: float = 0.3  # newest paper's boost with no period named (see recency.recency_factor)
    recency_half_life_days: float = 730.0
    period_weight: float = 0.15  # inside a named period +, dated before it -
    mention_weight: float = 0.3  # the passage names the period asked about
    dedup_threshold: float = 0.8
    family_dedup_threshold: float = 0.5  # same title and date: the same paper in another file
    max_per_doc: int | None = 3  # at most this many of the k passages from one document, while others remain


def without_furniture(passages: list[Passage]) -> list[Passage]:
    """The passages without chunks of a word or two ("Newsroom", a page's furniture cut off by a heading): they
    answer nothing, yet their paper's title can rank them first and take one of the paper's `max_per_doc` places
    from its text."""
    return [p for p in passages if len(_WORDS.findall(p.text)) >= MIN_CHUNK_WORDS]


class HybridSearcher:
    def __init__(
        self,
        store: Store,
        today: dt.date | None = None,
        candidate_k: int = 40,
        tuning: Tuning | None = None,
        query_cache_size: int = 256,
        catalog: Catalog | None = None,
        keyword_threads: int = 2,
    ) -> None:
        """``keyword_threads``: the pool that runs keyword searches beside the dense side (0: one after the other,
        in the calling thread). A search whose keyword job has not started by the time its dense side is done
        runs the job itself, so a busy pool (many users at once) never makes a search wait in a queue."""
        self.store = store
        self.catalog = catalog or Catalog(store)
        self.keyword = KeywordIndexes(store, catalog=self.catalog)
        self.today = today
        self.candidate_k = candidate_k
        self.tuning = tuning or Tuning()
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = query_cache_size
        self._lock = threading.Lock()
        self._pool = (
            ThreadPoolExecutor(keyword_threads, thread_name_prefix="keyword-search")
            if keyword_threads > 0
            else None
        )

    def search(
        self,
        query: str,
        audience: Audience | str = Audience.PUBLIC,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid+recency",
        use_period: bool = True,
    ) -> SearchResult:
        """The ``k`` best passages ``audience`` may read (the one place an audience becomes collections)."""
        audience = Audience.parse(audience)
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
        filters = filters or SearchFilters()
        tune = self.tuning
        today = self.today or dt.date.today()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        versions = self.catalog.snapshot()
        extra = expansions(query) + plain_word_expansions(query)
        expanded = f"{query.rstrip()} {' '.join(extra)}" if extra else query
        period = parse_period(query, today) if use_period else None
        n = max(self.candidate_k, k)
        job: _Job[list[Passage]] | None = None
        if mode != "dense":
            terms = query_terms(query, extra, tune.expansion_weight)
            job = _Job(lambda: self._keyword(terms, audience, n, filters, versions))
        dense: list[Passage] = []
        if mode != "keyword":
            dense = self._dense(query, audience, n, filters, versions, timings, beside=job)
        keyword = self._finish(job, timings) if job is not None else []
        t = time.perf_counter()
        if mode == "dense":
            fused = dense
        elif mode == "keyword":
            fused = keyword
        else:
            fused = fuse_passages(
                dense, keyword, k=tune.rrf_k, weights=(tune.dense_weight, tune.keyword_weight)
            )
            if mode == "hybrid+recency":
                fused = apply_recency(
                    fused,
                    period,
                    today,
                    half_life_days=tune.recency_half_life_days,
                    weight=tune.recency_weight,
                    period_weight=tune.period_weight,
                    mention_weight=tune.mention_weight,
                )
        fused = without_furniture(fused)
        result = dedupe(
            fused,
            tune.dedup_threshold,
            family_threshold=tune.family_dedup_threshold,
            limit=k,
            max_per_doc=tune.max_per_doc,
        )
        timings["fuse_ms"] = _ms(t)
        timings["total_ms"] = _ms(t0)
        return SearchResult(result, period, expanded, timings)

    def idf(self, words: Sequence[str], audience: Audience | str = Audience.PUBLIC) -> dict[str, float]:
        """Inverse document frequency of each word (by the keyword index's tokens) over the audience's chunks:
        log((N - df + 0.5) / (df + 0.5) + 1). Rare words say more about what a question is about; a word no chunk
        contains gets the highest weight. A word of several tokens takes its rarest token's."""
        total, frequency = self._frequencies(words, audience)
        return {word: math.log((total - df + 0.5) / (df + 0.5) + 1.0) for word, df in frequency.items()}

    def frequencies(self, words: Sequence[str], audience: Audience | str = Audience.PUBLIC) -> dict[str, int]:
        """How many of the audience's chunks use each word (by the keyword index's tokens; a word of several
        tokens counts its rarest token's); 0 for a word no paper uses."""
        return self._frequencies(words, audience)[1]

    def _frequencies(self, words: Sequence[str], audience: Audience | str) -> tuple[int, dict[str, int]]:
        versions = self.catalog.snapshot()
        indexes = [self.keyword.get(cls.value, versions) for cls in Audience.parse(audience).classifications]
        total = sum(len(ix) for ix in indexes)
        out: dict[str, int] = {}
        for word in words:
            tokens = tokenize(word) or [word.lower()]
            out[word] = min(sum(ix.document_frequency(t) for ix in indexes) for t in tokens)
        return total, out

    def _dense(
        self,
        query: str,
        audience: Audience,
        k: int,
        filters: SearchFilters,
        versions: Snapshot,
        timings: dict[str, float],
        beside: _Job[list[Passage]] | None,
    ) -> list[Passage]:
        """Embed the question and search Chroma, starting ``beside`` (the keyword search) on the pool in between:
        ONNX Runtime embeds on both cores, while Chroma's search runs on one and leaves the other to tantivy."""
        try:
            t = time.perf_counter()
            vector = self._embed(query)
            timings["embed_ms"] = _ms(t)
            if beside is not None and self._pool is not None:
                beside.start(self._pool)
            t = time.perf_counter()
            dense = dense_search(self.store, vector, audience, k, filters, versions, self.keyword.stored)
            timings["dense_ms"] = _ms(t)
            return dense
        except BaseException:
            if beside is not None:
                beside.abandon()
            raise

    @staticmethod
    def _finish(job: _Job[list[Passage]], timings: dict[str, float]) -> list[Passage]:
        """The keyword job's passages (running it here if the pool has not started it), and its timings."""
        t = time.perf_counter()
        passages = job.result()
        if job.ran_beside:
            timings["keyword_wait_ms"] = _ms(t)
        timings["keyword_ms"] = job.ms
        return passages

    def _embed(self, query: str) -> list[float]:
        """The query's vector, remembered for the last few distinct queries (modes, retries, popular questions)."""
        with self._lock:
            vector = self._vectors.get(query)
            if vector is not None:
                self._vectors.move_to_end(query)
                return vector
        vector = self.store.embeddings.embed_query(query)
        with self._lock:
            self._vectors[query] = vector
            while len(self._vectors) > self._cache_size:
                self._vectors.popitem(last=False)
        return vector

    def _keyword(
        self,
        terms: list[tuple[str, float]],
        audience: Audience,
        k: int,
        filters: SearchFilters,
        versions: Snapshot,
    ) -> list[Passage]:
        """BM25 hits over the audience's collections, best first (for officers, the open and exempt indexes'
        scores are merged as they are: each index's IDF is its own, close enough for a small exempt set). Hits of
        versions not live in ``versions`` are dropped, as dense hits are."""
        hits: list[Passage] = []
        for cls in audience.classifications:
            index = self.keyword.get(cls.value, versions)
            if not len(index):
                continue
            for hit in index.search(terms, k, filters):
                if versions.active.get(str(hit.meta.get("doc_id"))) != hit.meta.get("content_hash"):
                    continue
                p = Passage.from_metadata(hit.chunk_id, hit.text, hit.meta, score=hit.score)
                p.scores["keyword"] = hit.score
                hits.append(p)
        hits.sort(key=lambda p: p.score, reverse=True)
        return hits[:k]


class _Job(Generic[_T]):
    """One stage's work, run on a pool beside the caller's or, if the pool has not started it when the caller
    wants it, by the caller: nothing waits in a queue behind other users' searches, and nothing waits forever on a
    pool that cannot run (a forked child). Its exception, if any, is raised where the result is asked for."""

    def __init__(self, work: Callable[[], _T]) -> None:
        self._work = work
        self._future: Future[_T] | None = None
        self.ms = 0.0  # the work's own time, wherever it ran
        self.ran_beside = False  # whether the pool ran it (while the caller did something else)

    def start(self, pool: ThreadPoolExecutor) -> None:
        self._future = pool.submit(self._timed)

    def result(self) -> _T:
        if self._future is not None and not self._future.cancel():
            self.ran_beside = True
            return self._future.result()
        return self._timed()

    def abandon(self) -> None:
        """The caller failed: run nothing that has not started (what has, finishes unread)."""
        if self._future is not None:
            self._future.cancel()

    def _timed(self) -> _T:
        started = time.perf_counter()
        try:
            return self._work()
        finally:
            self.ms = _ms(started)


def query_terms(query: str, extra: list[str], expansion_weight: float) -> list[tuple[str, float]]:
    """BM25 terms: the question's words at weight 1; each glossary expansion shares ``expansion_weight`` among
    its new words (by the square root of their number), so a long form ("inspection of local authority children's
    services") counts about as much as the one acronym it stands for, not five times as much."""
    terms: dict[str, float] = {}
    for token in tokenize(query):
        terms[token] = 1.0
    for phrase in extra:
        new = [t for t in dict.fromkeys(tokenize(phrase)) if t not in terms]
        for token in new:
            terms[token] = max(terms.get(token, 0.0), expansion_weight / math.sqrt(len(new)))
    return list(terms.items())


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def passage_to_document(p: Passage) -> Document:
    return Document(
        page_content=p.text,
        metadata={
            "chunk_id": p.chunk_id,
            "doc_id": p.doc_id,
            "title": p.title,
            "date": p.date.isoformat() if p.date else "",
            "body": p.body,
            "doc_type": p.doc_type,
            "council": p.council,
            "source_url": p.source_url,
            "classification": p.classification,
            "path": p.path,
            "heading_path": p.section,
            "page_start": p.page_start if p.page_start else -1,
            "page_end": p.page_end if p.page_end else -1,
            "score": p.score,
        },
    )
