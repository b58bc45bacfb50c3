"""Hybrid retrieval: dense (Chroma) + keyword (BM25), fused by reciprocal rank, then recency and de-duplication.

Audience scoping happens here and only here: the public audience searches the `open` collection and its keyword
index; nothing in a question can widen that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.dedup import dedupe
from vectorstore.dense import ActiveVersions, dense_search
from vectorstore.fusion import fuse_passages
from vectorstore.glossary import expand_query
from vectorstore.keyword import KeywordIndexes
from vectorstore.models import Passage
from vectorstore.querydates import Period, parse_period
from vectorstore.recency import apply_recency
from vectorstore.store import AUDIENCE_COLLECTIONS, Store

Mode = Literal["dense", "keyword", "hybrid", "hybrid+recency"]
MODES: tuple[Mode, ...] = ("dense", "keyword", "hybrid", "hybrid+recency")


@dataclass(frozen=True)
class SearchFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    bodies: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.date_from or self.date_to or self.bodies or self.doc_types or self.councils)

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.date_from:
            clauses.append({"date_ord": {"$gte": _ord(self.date_from)}})
        if self.date_to:
            clauses.append({"date_ord": {"$lte": _ord(self.date_to)}})
        for key, values in (("body", self.bodies), ("doc_type", self.doc_types), ("council", self.councils)):
            if values:
                clauses.append({key: {"$in": list(values)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, meta: dict[str, Any]) -> bool:
        date_ord = int(meta.get("date_ord") or 0)
        if self.date_from and date_ord < _ord(self.date_from):
            return False
        if self.date_to and (date_ord == 0 or date_ord > _ord(self.date_to)):
            return False
        if self.bodies and meta.get("body") not in self.bodies:
            return False
        if self.doc_types and meta.get("doc_type") not in self.doc_types:
            return False
        return not (self.councils and meta.get("council") not in self.councils)


def _ord(d: dt.date) -> int:
    return int(d.strftime("%Y%m%d"))


@dataclass
class SearchResult:
    passages: list[Passage]
    period: Period | None = None
    expanded_query: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)


class HybridSearcher:
    def __init__(self, store: Store, today: dt.date | None = None, candidate_k: int = 40) -> None:
        self.store = store
        self.active = ActiveVersions(store)
        self.keyword = KeywordIndexes(store)
        self.today = today
        self.candidate_k = candidate_k
        self._mask_cache: dict[tuple[str, str, SearchFilters], np.ndarray] = {}

    def search(self, query: str, audience: str = "public", k: int = 5, filters: SearchFilters | None = None,
               mode: Mode = "hybrid+recency", use_period: bool = True) -> SearchResult:
        import time

        if audience not in AUDIENCE_COLLECTIONS:
            raise ValueError(f"unknown audience {audience!r}; use 'public' or 'officer'")
        filters = filters or SearchFilters()
        today = self.today or dt.date.today()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        active = self.active.get()
        generation = self.active.generation
        expanded = expand_query(query)
        period = parse_period(query, today) if use_period else None
        dense: list[Passage] = []
        keyword: list[Passage] = []
        n = max(self.candidate_k, k)
        if mode != "keyword":
            t = time.perf_counter()
            vector = self.store.embeddings.embed_query(query)
            timings["embed_ms"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            dense = dense_search(self.store, vector, audience, n, filters.chroma_where(), active)
            timings["dense_ms"] = (time.perf_counter() - t) * 1000
        if mode != "dense":
            t = time.perf_counter()
            keyword = self._keyword(expanded, audience, n, filters, generation, active)
            timings["keyword_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        if mode == "dense":
            fused = dense
        elif mode == "keyword":
            fused = keyword
        else:
            fused = fuse_passages(dense, keyword)
            if mode == "hybrid+recency":
                fused = apply_recency(fused, period, today)
        result = dedupe(fused)[:k]
        timings["fuse_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = (time.perf_counter() - t0) * 1000
        return SearchResult(result, period, expanded, timings)

    def _keyword(self, query: str, audience: str, k: int, filters: SearchFilters, generation: str,
                 active: dict[str, str]) -> list[Passage]:
        hits: list[Passage] = []
        for cls in AUDIENCE_COLLECTIONS[audience]:
            index = self.keyword.get(cls.value, generation)
            if not len(index):
                continue
            mask = None if filters.empty else self._mask(cls.value, generation, filters, index.metas)
            for hit in index.search(query, k, mask):
                if active.get(str(hit.meta.get("doc_id"))) != hit.meta.get("content_hash"):
                    continue
                if not filters.empty and not filters.accepts(hit.meta):
                    continue
                p = Passage.from_metadata(hit.chunk_id, hit.text, hit.meta, score=hit.score)
                p.scores["keyword"] = hit.score
                hits.append(p)
        hits.sort(key=lambda p: p.score, reverse=True)
        return hits[:k]

    def _mask(self, cls: str, generation: str, filters: SearchFilters, metas: list[dict[str, Any]]) -> np.ndarray:
        key = (cls, generation, filters)
        if key not in self._mask_cache:
            if len(self._mask_cache) > 64:
                self._mask_cache.clear()
            self._mask_cache[key] = np.array([1.0 if filters.accepts(m) else 0.0 for m in metas], dtype=np.float32)
        return self._mask_cache[key]


def passage_to_document(p: Passage) -> Document:
    return Document(
        page_content=p.text,
        metadata={
            "chunk_id": p.chunk_id, "doc_id": p.doc_id, "title": p.title,
            "date": p.date.isoformat() if p.date else "", "body": p.body, "doc_type": p.doc_type,
            "council": p.council, "source_url": p.source_url, "classification": p.classification,
            "path": p.path, "heading_path": p.section, "page_start": p.page_start if p.page_start else -1,
            "page_end": p.page_end if p.page_end else -1, "score": p.score,
        },
    )


class CouncilRetriever(BaseRetriever):
    """The LangChain face of `HybridSearcher`, bound to one audience and optional filters."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    audience: str = "public"
    k: int = 5
    filters: Any = None
    mode: str = "hybrid+recency"

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.searcher.search(query, self.audience, self.k, self.filters, self.mode)
        return [passage_to_document(p) for p in result.passages]
