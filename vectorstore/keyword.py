"""BM25 keyword index (bm25s), one per audience collection, derived from Chroma and kept in step with it.

The index is a cache keyed by a fingerprint of the collection's live document versions (doc id -> active content
hash, read from the manifest) and the tokenizer's version: it is rebuilt from the collection whenever a version was
activated or removed (after an ingest, or after a crash mid-ingest), written to a temporary folder and renamed into
place, so a reader never sees a half-written index. Only chunks of each document's active version are indexed, so a
half-written version (a crash mid-ingest) is never searchable, and a version activated just before a crash is.
Chroma stays the single source of truth, which also keeps several app replicas in step when they share a Chroma
server.

`build_keyword_indexes(store)` is what an ingest calls when it has finished, so the first question after an
ingest does not pay for the rebuild; a reader that finds a stale cache rebuilds it itself.

Scoring uses bm25s' precomputed sparse matrix directly, so each query term can carry a weight (glossary expansions
count less than the words asked) and a filter is a multiplicative mask over the corpus.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ingest.text import fmt_date, stem
from vectorstore.catalog import Catalog, Snapshot
from vectorstore.store import Store

__all__ = [
    "TOKENIZER_VERSION",
    "KeywordHit",
    "KeywordIndex",
    "KeywordIndexes",
    "build_keyword_indexes",
    "stem",
    "tokenize",
]

TOKENIZER_VERSION = "4"  # bump when tokenize() or the indexed text changes: it invalidates cached indexes

_TOKEN = re.compile(r"[a-z0-9]+(?:['’]s\b)?(?:[./-][a-z0-9]+)*")
_FY = re.compile(r"^((?:19|20)\d\d)[/-]((?:19|20)?\d\d)$")
_TAG = re.compile(r"</?[a-z]+[^>]*>")
_STOPWORDS_TEXT = """a an and are as at be been but by can could did do does for from had has have how i if in into
is it its me my of on or our so than that the their them then there these they this those to was we were what when
where which who whom why will with would you your about after before between during under over up down out also any
all each other some such only own same very just should many much whose tell please s"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def _fy_token(token: str) -> list[str] | None:
    """'2022/23', '2022-23', '2022/2023' -> ['2022/23', '2022', '2023']; None if it is not a year pair."""
    m = _FY.match(token)
    if not m:
        return None
    first, second = int(m[1]), int(m[2])
    if second != (first + 1 if len(m[2]) == 4 else (first + 1) % 100):
        return None
    return [f"{first}/{(first + 1) % 100:02d}", str(first), str(first + 1)]


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, stop words dropped, stemmed with `ingest.text.stem` (the verifier's stemmer too).

    Compound tokens ('2022/23', 'stage-1', '5/11/2025') are kept whole and also split into their parts; year pairs
    are written one way ('2022-23', '2022/2023' and '2022/23' all give '2022/23') with both years beside them;
    possessives lose their "'s"; HTML tags left by converters ('<sup>') are ignored.
    """
    out: list[str] = []
    for tok in _TOKEN.findall(_TAG.sub(" ", text.lower())):
        tok = re.sub(r"['’]s\b", "", tok)
        years = _fy_token(tok)
        if years is not None:
            out.extend(years)
            continue
        parts = re.split(r"[./-]", tok)
        if len(parts) > 1:
            out.append(tok)
        out.extend(stem(p) for p in parts if p and p not in STOPWORDS)
    return out


def indexed_text(text: str, meta: dict[str, Any]) -> str:
    """What BM25 sees for a chunk: its words plus the paper's title, council, body, section and date."""
    date = str(meta.get("date") or "")
    when = ""
    if date:
        try:
            day = dt.date.fromisoformat(date)
            when = fmt_date(day)
        except ValueError:
            when = ""
    fields = (meta.get("title"), meta.get("council"), meta.get("body"), meta.get("heading_path"), when)
    return " ".join(str(f) for f in fields if f) + "\n" + text


@dataclass
class KeywordHit:
    chunk_id: str
    text: str
    meta: dict[str, Any]
    score: float


def _bm25s() -> Any:
    """bm25s, imported lazily; it sets its own logger to DEBUG on import, which printed "Building index from
    tokens" at people running `council ingest`."""
    import logging

    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


class KeywordIndex:
    """BM25 over one collection's active chunks, with per-chunk metadata columns for fast filter masks."""

    def __init__(self, ids: list[str], texts: list[str], metas: list[dict[str, Any]], bm25: Any) -> None:
        self.ids, self.texts, self.metas, self.bm25 = ids, texts, metas, bm25
        self.vocab: dict[str, int] = dict(getattr(bm25, "vocab_dict", {}) or {})
        self.date_ords = np.array([int(m.get("date_ord") or 0) for m in metas], dtype=np.int64)
        self._codes: dict[str, tuple[np.ndarray, dict[str, int]]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, rows: Iterable[tuple[str, str, dict[str, Any]]]) -> KeywordIndex:
        bm25s = _bm25s()

        rows = list(rows)
        ids = [r[0] for r in rows]
        texts = [r[1] for r in rows]
        metas = [r[2] for r in rows]
        bm25 = bm25s.BM25()
        if rows:
            corpus = [tokenize(indexed_text(t, m)) for t, m in zip(texts, metas, strict=True)]
            bm25.index([c or ["_empty_"] for c in corpus], show_progress=False)
        return cls(ids, texts, metas, bm25)

    # ------------------------------------------------------------ filter columns

    def codes(self, field: str) -> tuple[np.ndarray, dict[str, int]]:
        """(code per chunk, value -> code) for a metadata field; built once per index."""
        if field not in self._codes:
            values: dict[str, int] = {}
            codes = np.array(
                [values.setdefault(str(m.get(field) or ""), len(values)) for m in self.metas], dtype=np.int32
            )
            self._codes[field] = (codes, values)
        return self._codes[field]

    def values(self, field: str) -> list[str]:
        """Distinct non-empty values of a metadata field (council, body, doc_type), sorted."""
        return sorted(v for v in self.codes(field)[1] if v)

    # ------------------------------------------------------------ term statistics

    def document_frequency(self, token: str) -> int:
        """How many chunks contain `token` (a `tokenize` token); 0 when it is not in the vocabulary."""
        tid = self.vocab.get(token)
        if tid is None or not self.ids:
            return 0
        indptr = self.bm25.scores["indptr"]
        return int(indptr[tid + 1]) - int(indptr[tid])

    # ------------------------------------------------------------ search

    def scores(self, terms: Sequence[tuple[str, float]]) -> np.ndarray | None:
        """BM25 score of every chunk for weighted query terms (None if no term is in the vocabulary)."""
        weights: dict[int, float] = {}
        for term, weight in terms:
            tid = self.vocab.get(term)
            if tid is not None and weight > 0:
                weights[tid] = max(weights.get(tid, 0.0), weight)
        if not weights or not self.ids:
            return None
        matrix = self.bm25.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        out = np.zeros(len(self.ids), dtype=np.float32)
        for tid, weight in weights.items():
            start, end = int(indptr[tid]), int(indptr[tid + 1])
            # one posting list holds each chunk at most once, so a fancy-indexed add is exact
            out[indices[start:end]] += np.float32(weight) * data[start:end]
        return out

    def search(
        self, query: str | Sequence[tuple[str, float]], k: int, mask: np.ndarray | None = None
    ) -> list[KeywordHit]:
        """The ``k`` best chunks for ``query`` (text, or weighted terms) among those ``mask`` leaves in."""
        terms = [(t, 1.0) for t in tokenize(query)] if isinstance(query, str) else list(query)
        scores = self.scores(terms)
        if scores is None or k <= 0:
            return []
        if mask is not None:
            scores = scores * mask
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        return [
            KeywordHit(self.ids[i], self.texts[i], self.metas[i], float(scores[i]))
            for i in (int(j) for j in top)
            if scores[i] > 0
        ]

    # ------------------------------------------------------------ persistence

    def save(self, folder: Path, stamp: str) -> None:
        """Write the index to ``folder`` atomically (temporary folder, then rename), tagged with ``stamp``."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
        old = folder.parent / f".old-{folder.name}-{tmp.name}"
        try:
            if self.ids:
                self.bm25.save(str(tmp / "bm25"), show_progress=False)
            with open(tmp / "rows.jsonl", "w", encoding="utf-8") as fh:
                for cid, text, meta in zip(self.ids, self.texts, self.metas, strict=True):
                    fh.write(json.dumps({"id": cid, "text": text, "meta": meta}) + "\n")
            (tmp / "STAMP").write_text(stamp)
            if folder.exists():
                folder.rename(old)
            tmp.rename(folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, stamp: str) -> KeywordIndex | None:
        """The index saved in ``folder`` if it carries ``stamp``; None if absent, stale or unreadable."""
        bm25s = _bm25s()

        try:
            if (folder / "STAMP").read_text() != stamp:
                return None
            ids, texts, metas = [], [], []
            with open(folder / "rows.jsonl", encoding="utf-8") as fh:
                for line in fh:
                    row = json.loads(line)
                    ids.append(row["id"])
                    texts.append(row["text"])
                    metas.append(row["meta"])
            bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if ids else bm25s.BM25()
            if ids and int(bm25.scores["num_docs"]) != len(ids):
                return None
            if (folder / "STAMP").read_text() != stamp:  # replaced by another process while being read
                return None
        except Exception:  # any damage to a cache means "rebuild it", never a failed search
            return None
        return cls(ids, texts, metas, bm25)


class KeywordIndexes:
    """Per-collection keyword indexes for one store, reloaded or rebuilt when the live document versions change."""

    def __init__(self, store: Store, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir or store.config.index_dir / "keyword"
        self._loaded: dict[str, tuple[str, KeywordIndex]] = {}
        self._lock = threading.Lock()  # one build at a time; readers of a loaded index do not wait

    def folder(self, classification: str) -> Path:
        return self.cache_dir / f"{self.store.name}-{classification}"

    def get(self, classification: str, versions: Snapshot | Catalog) -> KeywordIndex:
        """The index of ``classification`` for the live versions: from memory, from disk, or rebuilt from Chroma.

        Only chunks of each document's active version are indexed.
        """
        if isinstance(versions, Catalog):
            versions = versions.snapshot()
        active = versions.active
        stamp = f"{versions.digest(classification)}|tokenizer-{TOKENIZER_VERSION}"
        cached = self._loaded.get(classification)
        if cached and cached[0] == stamp:
            return cached[1]
        with self._lock:
            return self._load_or_build(classification, stamp, active)

    def _load_or_build(self, classification: str, stamp: str, active: dict[str, str]) -> KeywordIndex:
        cached = self._loaded.get(classification)
        if cached and cached[0] == stamp:  # another thread built it while this one waited
            return cached[1]
        folder = self.folder(classification)
        index = KeywordIndex.load(folder, stamp)
        if index is None:
            rows = (
                row
                for row in self.store.iter_chunks(classification)
                if active.get(str(row[2].get("doc_id"))) == row[2].get("content_hash")
            )
            index = KeywordIndex.build(rows)
            with contextlib.suppress(OSError):  # a read-only cache folder only costs a rebuild next time
                index.save(folder, stamp)
        self._loaded[classification] = (stamp, index)
        return index


def build_keyword_indexes(store: Store, cache_dir: Path | None = None) -> dict[str, int]:
    """Bring every collection's keyword index up to date with the store; returns chunks indexed per collection.

    An ingest calls this when it has finished writing (under its lock), so readers find a ready index.
    """
    from ingest.documents import Classification

    indexes = KeywordIndexes(store, cache_dir)
    versions = Catalog(store).snapshot()
    return {cls.value: len(indexes.get(cls.value, versions)) for cls in Classification}
