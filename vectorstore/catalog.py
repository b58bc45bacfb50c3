"""The catalog: which documents the index holds, read from the store's manifest once per index generation.

Everything that needs document metadata asks the catalog — the retriever (which version of each document is live,
and a fingerprint per collection that keys the keyword index), the web layer (titles, files, the library table),
refusals ("the papers cover ... from ... to ..."), `council sources` and the answerer (place names). One cheap read
of the store's generation per call; the manifest is read again only when an ingest has changed it.

    catalog = Catalog(store)
    catalog.documents(Audience.PUBLIC)     # DocumentInfo, newest first
    catalog.get("seeds/report.md")         # one document, any classification (None if not held)
    catalog.summary(Audience.PUBLIC)       # LibrarySummary: counts by type/body, date range, coverage sentence
    catalog.councils(audience), catalog.bodies(audience), catalog.doc_types(audience)
    catalog.places(audience)               # "Bury", "Bexley": council place names in what that audience may read

Per audience means the public audience never sees anything derived from an exempt paper: a council named only in
an exempt paper is not one of the public's places, bodies or councils.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from ingest.councils import place_name
from ingest.documents import Classification, DocType, DocumentMeta
from ingest.text import fmt_date
from vectorstore.audience import Audience
from vectorstore.store import DocRecord, Store, document_metadata

__all__ = ["Catalog", "DocumentInfo", "LibrarySummary", "Snapshot", "versions_digest"]


@dataclass(frozen=True)
class DocumentInfo(DocumentMeta):
    """One live document: its metadata as ingested (`DocumentMeta`), and what the ingest recorded about it."""

    root: str = ""  # the folder it was ingested from
    pages: int = 0
    indexed_at: int = 0  # Unix time of the ingest that wrote it
    chunks: int = 0

    @classmethod
    def from_record(cls, rec: DocRecord) -> DocumentInfo:
        m = rec.meta
        raw_date = str(m.get("date") or "")
        page_count = int(m.get("page_count", -1) or 0) if m.get("page_count") is not None else -1
        return cls(
            doc_id=str(m.get("doc_id") or rec.doc_id),
            title=str(m.get("title", "")),
            council=str(m.get("council", "")),
            body=str(m.get("body", "")),
            doc_type=_member(DocType, m.get("doc_type"), DocType.OTHER),
            date=dt.date.fromisoformat(raw_date) if raw_date else None,
            date_text=str(m.get("date_text", "")),
            source_url=str(m.get("source_url", "")),
            classification=_member(Classification, m.get("classification") or "open", Classification.EXEMPT),
            content_hash=rec.active_hash,
            path=str(m.get("path", "")),
            publisher=str(m.get("publisher", "")),
            file_type=str(m.get("file_type", "")),
            page_count=None if page_count < 0 else page_count,
            root=str(m.get("root", "")),
            pages=int(m.get("pages", 0) or 0),
            indexed_at=int(m.get("indexed_at", 0) or 0),
            chunks=int(m.get("n_chunks", 0) or 0),
        )

    @property
    def is_open(self) -> bool:
        return self.classification == Classification.OPEN

    def visible_to(self, audience: Audience | str) -> bool:
        return self.classification in Audience.parse(audience).classifications

    def to_dict(self) -> dict[str, Any]:
        """The manifest's fields, as `council sources --json` prints them."""
        extra = {
            "root": self.root,
            "pages": self.pages,
            "indexed_at": self.indexed_at,
            "n_chunks": self.chunks,
        }
        return {**document_metadata(self), **extra}


_E = TypeVar("_E", DocType, Classification)
_V = TypeVar("_V")
MEMO_SIZE = 64  # values derived from one snapshot (e.g. one per filter combination searched)
_MISSING = object()


def _member(enum: type[_E], value: Any, default: _E) -> _E:
    """The enum member named by a stored value; `default` for anything else (an exempt default fails closed)."""
    try:
        return enum(str(value))
    except ValueError:
        return default


@dataclass
class LibrarySummary:
    """What one audience can search: documents (newest first), counts, date range."""

    documents: list[DocumentInfo] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)
    by_body: dict[str, int] = field(default_factory=dict)
    by_classification: dict[str, int] = field(default_factory=dict)
    earliest: dt.date | None = None
    latest: dt.date | None = None
    chunks: int = 0

    def coverage_sentence(self) -> str:
        bodies = ", ".join(b for b, _ in Counter(self.by_body).most_common(4) if b) or "council bodies"
        if self.earliest and self.latest:
            span = f"from {fmt_date(self.earliest)} to {fmt_date(self.latest)}"
        else:
            span = "of unknown dates"
        return f"{len(self.documents)} papers {span}, including {bodies}"

    @classmethod
    def of(cls, documents: list[DocumentInfo]) -> LibrarySummary:
        out = cls(documents=sorted(documents, key=lambda d: (d.date.isoformat() if d.date else "", d.title)))
        out.documents.reverse()
        for d in documents:
            out.chunks += d.chunks
            for value, counter in (
                (d.doc_type, out.by_type),
                (d.body, out.by_body),
                (d.classification, out.by_classification),
            ):
                key = value or "(none)"
                counter[key] = counter.get(key, 0) + 1
            if d.date:
                out.earliest = min(out.earliest or d.date, d.date)
                out.latest = max(out.latest or d.date, d.date)
        return out


@dataclass(frozen=True)
class Snapshot:
    """One consistent reading of the manifest at one generation."""

    generation: str
    documents: dict[str, DocumentInfo]  # live documents (a version is active) by doc id
    active: dict[str, str]  # doc id -> live content hash (what search checks each hit against)
    digests: dict[str, str]  # classification -> fingerprint of its live versions
    _memo: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key: Hashable, build: Callable[[], _V]) -> _V:
        """``build()``, worked out once per snapshot and ``key``: what is derived from the documents alone (the
        documents a filter passes) holds exactly as long as this snapshot does. At most `MEMO_SIZE` keys are kept
        (then the memo starts again); two threads may build the same value at once, and either is kept."""
        value = self._memo.get(key, _MISSING)  # one read: another thread may clear the memo meanwhile
        if value is not _MISSING:
            return cast(_V, value)
        value = build()
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = value
        return value

    def digest(self, classification: str) -> str:
        """A fingerprint of the live document versions in one collection ("empty" when it has none).

        The keyword index of a collection is a pure function of it (chunk ids carry the content hash, so a version's
        chunks never change), which is why the keyword cache is keyed by it rather than by the generation alone."""
        return self.digests.get(classification, "empty")


_EMPTY = Snapshot("", {}, {}, {})


class Catalog:
    """The documents one store holds, cached per index generation. Thread-safe; share one per store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._current = _EMPTY
        self._derived: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """The manifest now: one cheap read of the generation; the manifest only when it has moved. Nothing is
        created in the store: before the first ingest the catalog is empty."""
        if not self._current.generation and not self.store.exists():
            return _EMPTY
        gen = self.store.generation()
        with self._lock:
            if gen != self._current.generation:
                self._current = _read(self.store, gen)
                self._derived.clear()
            return self._current

    def _per_audience(self, name: str, audience: Audience | str, build: Any) -> Any:
        snap = self.snapshot()
        key = (name, Audience.parse(audience).value)
        with self._lock:
            if snap is self._current and key in self._derived:
                return self._derived[key]
        value = build(snap, Audience.parse(audience))
        with self._lock:
            if snap is self._current:
                self._derived[key] = value
        return value

    # ------------------------------------------------------------ documents

    def get(self, doc_id: str) -> DocumentInfo | None:
        """One live document of any classification (callers check `visible_to` before showing it)."""
        return self.snapshot().documents.get(doc_id)

    def __len__(self) -> int:
        return len(self.snapshot().documents)

    def documents(self, audience: Audience | str) -> list[DocumentInfo]:
        """The documents `audience` may read, newest first."""
        return list(self.summary(audience).documents)

    def summary(self, audience: Audience | str) -> LibrarySummary:
        """Counts by type, body and classification, the date range and a coverage sentence, for `audience`."""

        def build(snap: Snapshot, aud: Audience) -> LibrarySummary:
            return LibrarySummary.of([d for d in snap.documents.values() if d.visible_to(aud)])

        result: LibrarySummary = self._per_audience("summary", audience, build)
        return result

    # ------------------------------------------------------------ distinct values

    def councils(self, audience: Audience | str) -> list[str]:
        return sorted({d.council for d in self.documents(audience) if d.council})

    def bodies(self, audience: Audience | str) -> list[str]:
        return sorted(b for b in self.summary(audience).by_body if b != "(none)")

    def doc_types(self, audience: Audience | str) -> list[str]:
        return sorted(t for t in self.summary(audience).by_type if t != "(none)")

    def places(self, audience: Audience | str) -> list[str]:
        """Council place names in the papers `audience` may read ("Bury", "Bath and North East Somerset"), longest
        first, so a question naming one is answered only from papers about it."""

        def build(snap: Snapshot, aud: Audience) -> list[str]:
            names = {place_name(d.council) for d in snap.documents.values() if d.visible_to(aud)}
            return sorted(names - {""}, key=len, reverse=True)

        result: list[str] = self._per_audience("places", audience, build)
        return list(result)


def versions_digest(versions: dict[str, str]) -> str:
    """A fingerprint of document versions (doc id -> content hash): `Snapshot.digest` for one collection, and what
    the keyword index records of what it holds, so the two compare with one string ("empty" for none)."""
    if not versions:
        return "empty"
    rows = "\n".join(f"{doc_id}\t{h}" for doc_id, h in sorted(versions.items()))
    return hashlib.sha256(rows.encode()).hexdigest()[:16]


def _read(store: Store, generation: str) -> Snapshot:
    documents: dict[str, DocumentInfo] = {}
    by_class: dict[str, dict[str, str]] = {}
    for doc_id, rec in sorted(store.doc_records().items()):
        if not rec.active_hash:
            continue
        info = DocumentInfo.from_record(rec)
        documents[doc_id] = info
        by_class.setdefault(info.classification, {})[doc_id] = rec.active_hash
    digests = {cls: versions_digest(versions) for cls, versions in by_class.items()}
    active = {d: info.content_hash for d, info in documents.items()}
    return Snapshot(generation, documents, active, digests)
