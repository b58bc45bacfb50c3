"""BM25 keyword index (bm25s), one per audience collection, derived from Chroma and kept in step with it.

The index is a cache keyed by the store's generation: it is rebuilt from the collection's text whenever the
generation has moved (after an ingest, or after a crash mid-ingest), written to a temporary folder and renamed into
place, so a reader never sees a half-written index. Chroma stays the single source of truth, which also keeps
several app replicas in step when they share a Chroma server.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from vectorstore.store import Store

_TOKEN = re.compile(r"[a-z0-9]+(?:[./-][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does for from had has have how i if in into is it its
    me my of on or our so than that the their them then there these they this those to was we were what when where
    which who whom why will with would you your about after before between during under over up down out also
    any all each other some such only own same very just should""".split()
)


def _stem(word: str) -> str:
    """A tiny suffix stripper: enough to match 'inspections'/'inspection', 'judged'/'judgement' is left alone."""
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + repl
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, stop words dropped, light stemming; keeps '2022/23', 'stage-1' style tokens whole
    and also their parts, so exact council tokens and their pieces both match."""
    out: list[str] = []
    for tok in _TOKEN.findall(text.lower()):
        parts = re.split(r"[./-]", tok)
        if len(parts) > 1:
            out.append(tok)
        out.extend(_stem(p) for p in parts if p and p not in STOPWORDS)
    return out


@dataclass
class KeywordHit:
    chunk_id: str
    text: str
    meta: dict[str, Any]
    score: float


class KeywordIndex:
    def __init__(self, ids: list[str], texts: list[str], metas: list[dict[str, Any]], bm25: Any) -> None:
        self.ids, self.texts, self.metas, self.bm25 = ids, texts, metas, bm25
        self.vocab: set[str] = set(getattr(bm25, "vocab_dict", {}) or {})

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, rows: list[tuple[str, str, dict[str, Any]]]) -> KeywordIndex:
        import bm25s

        ids = [r[0] for r in rows]
        texts = [r[1] for r in rows]
        metas = [r[2] for r in rows]
        bm25 = bm25s.BM25()
        if rows:
            corpus = [tokenize(f"{m.get('title', '')} {m.get('heading_path', '')} {t}") for t, m in zip(texts, metas, strict=True)]
            bm25.index([c or ["_empty_"] for c in corpus], show_progress=False)
        return cls(ids, texts, metas, bm25)

    def search(self, query: str, k: int, mask: np.ndarray | None = None) -> list[KeywordHit]:
        if not self.ids:
            return []
        tokens = [t for t in tokenize(query) if t in self.vocab]
        if not tokens:
            return []
        k = min(k, len(self.ids))
        idx, scores = self.bm25.retrieve([tokens], k=k, show_progress=False, weight_mask=mask, n_threads=1)
        hits = []
        for i, s in zip(idx[0], scores[0], strict=True):
            if float(s) <= 0:
                continue
            hits.append(KeywordHit(self.ids[int(i)], self.texts[int(i)], self.metas[int(i)], float(s)))
        return hits

    # ------------------------------------------------------------ persistence

    def save(self, folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
        try:
            if self.ids:
                self.bm25.save(str(tmp / "bm25"), show_progress=False)
            with open(tmp / "rows.jsonl", "w", encoding="utf-8") as fh:
                for cid, text, meta in zip(self.ids, self.texts, self.metas, strict=True):
                    fh.write(json.dumps({"id": cid, "text": text, "meta": meta}) + "\n")
            (tmp / "COMPLETE").write_text("ok")
            if folder.exists():
                shutil.rmtree(folder)
            tmp.rename(folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex | None:
        import bm25s

        if not (folder / "COMPLETE").is_file():
            return None
        ids, texts, metas = [], [], []
        with open(folder / "rows.jsonl", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                ids.append(row["id"])
                texts.append(row["text"])
                metas.append(row["meta"])
        bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False) if ids else bm25s.BM25()
        return cls(ids, texts, metas, bm25)


class KeywordIndexes:
    """Per-collection keyword indexes for one store, reloaded or rebuilt when the generation changes."""

    def __init__(self, store: Store, cache_dir: Path | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir or store.config.index_dir / "keyword"
        self._loaded: dict[str, tuple[str, KeywordIndex]] = {}

    def get(self, classification: str, generation: str) -> KeywordIndex:
        cached = self._loaded.get(classification)
        if cached and cached[0] == generation:
            return cached[1]
        folder = self.cache_dir / f"{self.store.name}-{classification}"
        stamp = folder / "GENERATION"
        index = None
        if stamp.is_file() and stamp.read_text() == generation:
            index = KeywordIndex.load(folder)
        if index is None:
            index = KeywordIndex.build(list(self.store.iter_chunks(classification)))
            try:
                index.save(folder)
                (folder / "GENERATION").write_text(generation)
            except OSError:
                pass  # a read-only cache folder only costs a rebuild next time
        self._loaded[classification] = (generation, index)
        return index
