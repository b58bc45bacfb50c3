"""Dense search over the audience's collections, hiding chunks of document versions that are not active."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from vectorstore.passage import Passage
from vectorstore.store import Store

__all__ = ["ActiveVersions", "Versions", "dense_search"]


@dataclass(frozen=True)
class Versions:
    """One consistent reading of the manifest: doc id -> live content hash, and a fingerprint per collection."""

    generation: str
    active: dict[str, str]
    digests: dict[str, str]

    def digest(self, classification: str) -> str:
        """A fingerprint of the live document versions in one collection ("empty" when it has none)."""
        return self.digests.get(classification, "empty")


class ActiveVersions:
    """Which content hash is live for each document, re-read from the manifest when the store's generation changes.

    A collection's digest fingerprints the live versions of its documents: the keyword index of that collection is
    a pure function of it (chunk ids carry the content hash, so a version's chunks never change), which is why the
    keyword cache is keyed by it rather than by the generation alone.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._current = Versions("", {}, {})
        self._lock = threading.Lock()

    def snapshot(self) -> Versions:
        """The live versions now (one cheap read of the generation; the manifest only when it has moved)."""
        gen = self.store.generation()
        with self._lock:
            if gen != self._current.generation or not self._current.generation:
                records = self.store.doc_records()
                by_class: dict[str, list[str]] = {}
                for d, r in sorted(records.items()):
                    if r.active_hash:
                        cls = str(r.meta.get("classification") or "open")
                        by_class.setdefault(cls, []).append(f"{d}\t{r.active_hash}")
                self._current = Versions(
                    generation=gen,
                    active={d: r.active_hash for d, r in records.items() if r.active_hash},
                    digests={
                        cls: hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
                        for cls, rows in by_class.items()
                    },
                )
            return self._current

    def get(self) -> dict[str, str]:
        """doc id -> live content hash."""
        return self.snapshot().active

    @property
    def generation(self) -> str:
        return self.snapshot().generation


def dense_search(
    store: Store,
    query_vector: list[float],
    audience: str,
    k: int,
    where: dict[str, Any] | None,
    active: dict[str, str],
) -> list[Passage]:
    out: list[Passage] = []
    for coll in store.collections_for(audience):
        # no count() first: it costs as much as the search at 100k chunks, and Chroma returns fewer (or no)
        # results by itself when the collection holds fewer than k
        res = coll.query(
            query_embeddings=[query_vector],
            n_results=k,
            where=where or None,
            include=["documents", "metadatas", "distances"],
        )
        for cid, text, meta, dist in zip(
            res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=False
        ):
            meta = meta or {}
            if active.get(str(meta.get("doc_id"))) != meta.get("content_hash"):
                continue  # a half-written or superseded version
            p = Passage.from_metadata(cid, text or "", meta, score=1.0 - float(dist))
            p.scores["dense"] = p.score
            out.append(p)
    out.sort(key=lambda p: p.score, reverse=True)
    return out[:k]
