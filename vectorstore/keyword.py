"""The keyword index: BM25 over each audience collection's live chunks, on disk (tantivy), updated by every write.

One index per collection (`open`, `exempt`), in `index_dir/keyword/<store name>-<classification>/`: a tantivy index
(the tokens BM25 scores, the chunk's text and metadata stored on disk, filter fields) and `state.sqlite3`, which
records the document versions the index holds (doc id -> content hash) and their digest, computed as the catalog
computes `Snapshot.digest`. Nothing of the corpus is held in memory: tantivy reads its files through the page cache.

Kept in step with Chroma, never rebuilt whole:

* **the writer** (`Indexer`: `council ingest`, an officer upload, a prune) calls `KeywordIndexes.write` after
  `Store.replace_document` has made a version live, and `remove` after `Store.remove_document`: the document's chunks
  are replaced in a tantivy commit (during an ingest, one commit every `COMMIT_EVERY_S` for the papers written
  since, in `KeywordIndexes.batch`), then the versions are recorded. A crash between the two only leaves the state
  behind the index, and the next reconciliation redoes those documents (the same rows again);
* **a reader** (`get`) compares the state's digest with the catalog's for the generation it searches. When they
  differ (another process wrote: a replica beside a `chroma run` server, or a writer that died) it reconciles:
  versions no longer live are deleted, live versions it lacks are read from Chroma document by document. A small
  difference is applied before the query; a large one (a fresh replica of a big archive) in a background thread,
  while queries search what the index holds. No query waits for another process's write or for a rebuild.

Hits are checked against the live versions of the snapshot searched (as dense hits are), so a version the index
holds but the snapshot does not (just replaced, or half-written by a crash) is never returned.

Scoring is BM25 over `tokenize`d text: tantivy's (k1 1.2, b 0.75, block-max WAND) picks the candidates, which are
re-scored with k1 1.5 from their stored tokens (the ranking the index had before; tantivy's own lost a question on
each eval set). Each query term carries a weight (glossary expansions count less than the words asked) and filters
are required clauses (dates as a range, names exactly).
The candidates measured against this one (bm25s, SQLite FTS5) and the numbers are in BENCHMARKS.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import math
import re
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.text import fmt_date, stem
from vectorstore.catalog import Catalog, Snapshot, versions_digest
from vectorstore.locks import file_lock
from vectorstore.store import Store, chunk_base_metadata, chunk_metadata

if TYPE_CHECKING:
    from ingest.documents import Chunk, DocumentMeta
    from vectorstore.filters import SearchFilters

log = logging.getLogger(__name__)

__all__ = [
    "FORMAT",
    "TOKENIZER_VERSION",
    "KeywordHit",
    "KeywordIndex",
    "KeywordIndexes",
    "build_keyword_indexes",
    "stem",
    "tokenize",
]

Row = tuple[str, str, dict[str, Any]]  # chunk id, text, metadata (as Chroma holds them)
Held = tuple[str, int]  # a document version the index holds: content hash, tokens of its chunks
INLINE_CHUNKS = 5_000  # a reader this far behind (in chunks to read from Chroma) catches up in the background
COMMIT_EVERY_DOCS = 50  # a long reconciliation commits (and records) this often, so a kill loses little
RETRY_S = 0.5  # a reader that found the index locked by a writer looks again after this long
COMMIT_EVERY_S = (
    2.0  # during a bulk ingest, the keyword index commits this often (readers see papers that late)
)
WRITER_HEAP_BYTES = 32_000_000
K1, B = 1.5, 0.75  # BM25 as the index before tantivy scored (bm25s' defaults): measured better on the dev set
RESCORE_MIN = 80  # tantivy's own BM25 (k1 1.2) picks this many candidates (or 2k), re-scored with K1 and B
WRITE_LOCK_WAIT_S = 600.0
_MAX_DATE_ORD = 99_991_231

TOKENIZER_VERSION = (
    "6"  # bump when tokenize() or the indexed text changes: it invalidates the indexes on disk
)
FORMAT = f"tantivy-2|tokenizer-{TOKENIZER_VERSION}"  # what an index folder must carry to be used as it is

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


def _tantivy() -> Any:
    import tantivy

    return tantivy


def _schema() -> Any:
    tv = _tantivy()
    sb = tv.SchemaBuilder()
    sb.add_text_field("chunk_id", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("doc_id", stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("tokens", stored=True, tokenizer_name="whitespace", index_option="freq")
    for name in ("body", "doc_type", "council"):
        sb.add_text_field(name, stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_integer_field("date_ord", stored=False, indexed=True, fast=True)
    sb.add_bytes_field("text", stored=True, indexed=False)  # on disk, read for the k hits only
    sb.add_bytes_field("meta", stored=True, indexed=False)
    return sb.build()


def _document(row: Row) -> tuple[Any, int]:
    """The tantivy document of a chunk, and its length in tokens (for BM25's average)."""
    chunk_id, text, meta = row
    tokens = tokenize(indexed_text(text, meta)) or ["_empty_"]
    doc = _tantivy().Document(
        chunk_id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        tokens=" ".join(tokens),
        body=str(meta.get("body") or ""),
        doc_type=str(meta.get("doc_type") or ""),
        council=str(meta.get("council") or ""),
        date_ord=int(meta.get("date_ord") or 0),
        text=text.encode("utf-8"),
        meta=json.dumps(meta, default=str).encode("utf-8"),
    )
    return doc, len(tokens)


def _filter_clauses(filters: SearchFilters | None, schema: Any) -> list[tuple[Any, Any]]:
    """`SearchFilters` as required clauses: the same rules as `SearchFilters.accepts` (a test holds them equal)."""
    if filters is None or filters.empty:
        return []
    tv = _tantivy()
    q, must = tv.Query, tv.Occur.Must
    out: list[tuple[Any, Any]] = []
    lo, hi = filters.date_ords()
    if lo is not None or hi is not None:
        low = lo if lo is not None else 0
        if hi is not None:
            low = max(low, 1)  # undated papers are not "before" anything
        high = hi if hi is not None else _MAX_DATE_ORD
        out.append((must, q.range_query(schema, "date_ord", tv.FieldType.Integer, low, high)))
    for key, values in filters.categorical():
        if values:
            out.append((must, q.term_set_query(schema, key, list(values))))
    return out


class KeywordIndex:
    """BM25 over one collection's chunks: a tantivy index on disk (or in memory), searched with weighted terms."""

    def __init__(self, index: Any, schema: Any) -> None:
        self.index, self.schema = index, schema
        self.total_tokens = 0  # of the chunks held (kept by `KeywordIndexes` in the state; by `build` here)

    @classmethod
    def create(cls, folder: Path | None) -> KeywordIndex:
        """Open the index in ``folder`` (created if missing); in memory when ``folder`` is None."""
        tv = _tantivy()
        schema = _schema()
        if folder is None:
            index = tv.Index(schema)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            index = tv.Index(schema, path=str(folder), reuse=True)
        index.config_reader("Manual")
        return cls(index, schema)

    @classmethod
    def build(cls, rows: Iterable[Row], folder: Path | None = None) -> KeywordIndex:
        """An index of ``rows`` (tests and benchmarks; the product writes through `KeywordIndexes`)."""
        index = cls.create(folder)
        with index.writer() as writer:
            for row in rows:
                doc, n = _document(row)
                writer.add_document(doc)
                index.total_tokens += n
        return index

    @contextlib.contextmanager
    def writer(self) -> Iterator[Any]:
        """A tantivy writer, committed on success and rolled back on an error, then released. Callers other than
        `build` hold the folder's write lock (`KeywordIndexes`)."""
        writer = self.index.writer(WRITER_HEAP_BYTES, 1)
        try:
            yield writer
            writer.commit()
        except BaseException:
            with contextlib.suppress(Exception):
                writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()  # finishes merges, releases tantivy's own writer lock
        self.index.reload()

    def replace(self, writer: Any, doc_id: str, rows: Iterable[Row]) -> int:
        """Within one commit: drop every chunk of ``doc_id``, add ``rows``; returns their tokens."""
        writer.delete_documents_by_term("doc_id", doc_id)
        tokens = 0
        for row in rows:
            doc, n = _document(row)
            writer.add_document(doc)
            tokens += n
        return tokens

    def reload(self) -> None:
        self.index.reload()

    def __len__(self) -> int:
        return int(self.index.searcher().num_docs)

    # ------------------------------------------------------------ term statistics

    def document_frequency(self, token: str) -> int:
        """How many chunks contain `token` (a `tokenize` token); 0 when none does. Chunks deleted since the last
        segment merge may still count (as they do in tantivy's own BM25 statistics)."""
        if not token:
            return 0
        return int(self.index.searcher().doc_freq("tokens", token))

    # ------------------------------------------------------------ search

    def search(
        self,
        query: str | Sequence[tuple[str, float]],
        k: int,
        filters: SearchFilters | None = None,
    ) -> list[KeywordHit]:
        """The ``k`` best chunks for ``query`` (text, or weighted terms) among those ``filters`` accept."""
        tv = _tantivy()
        q, occur = tv.Query, tv.Occur
        terms = [(t, 1.0) for t in tokenize(query)] if isinstance(query, str) else list(query)
        weights: dict[str, float] = {}
        for term, weight in terms:
            if weight > 0 and term:
                weights[term] = max(weights.get(term, 0.0), weight)
        if not weights or k <= 0:
            return []
        should = [
            (occur.Should, q.boost_query(q.term_query(self.schema, "tokens", t), w))
            for t, w in weights.items()
        ]
        clauses = [(occur.Must, q.boolean_query(should)), *_filter_clauses(filters, self.schema)]
        searcher = self.index.searcher()
        found = searcher.search(q.boolean_query(clauses), max(2 * k, RESCORE_MIN)).hits
        docs = [searcher.doc(address) for _, address in found]
        n = int(searcher.num_docs)
        avg = self.total_tokens / n if n and self.total_tokens else 0.0
        scores = _bm25(docs, weights, searcher, n, avg) if avg else [float(s) for s, _ in found]
        order = sorted(range(len(docs)), key=lambda i: -scores[i])[:k]
        return [KeywordHit(docs[i]["chunk_id"][0], *_text_and_meta(docs[i]), scores[i]) for i in order]

    def stored(self, chunk_ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """The text and metadata (as Chroma holds them) of those of ``chunk_ids`` the index holds, by id: the
        dense search reads its hits' texts here, cheaper than from Chroma."""
        if not chunk_ids:
            return {}
        tv = _tantivy()
        searcher = self.index.searcher()
        found = searcher.search(
            tv.Query.term_set_query(self.schema, "chunk_id", list(chunk_ids)), len(chunk_ids)
        )
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for _, address in found.hits:
            doc = searcher.doc(address)
            out[doc["chunk_id"][0]] = _text_and_meta(doc)
        return out


def _text_and_meta(doc: Any) -> tuple[str, dict[str, Any]]:
    """A stored chunk's text and metadata, as Chroma holds them."""
    return doc["text"][0].decode("utf-8"), json.loads(doc["meta"][0])


def _bm25(docs: list[Any], weights: dict[str, float], searcher: Any, n: int, avg: float) -> list[float]:
    """BM25 with `K1` and `B` (idf log(1 + (N - df + 0.5) / (df + 0.5))) of tantivy's candidates, from their stored
    tokens: tantivy fixes k1 at 1.2, which lost a question on the dev set and one on the validation set against
    the 1.5 the index used before; re-scoring its top candidates gives back the same ranking as before."""
    idf = {}
    for term in weights:
        df = int(searcher.doc_freq("tokens", term))
        idf[term] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
    out = []
    for doc in docs:
        tokens = doc["tokens"][0].split()
        norm = K1 * (1.0 - B + B * len(tokens) / avg)
        tf = Counter(t for t in tokens if t in weights)
        out.append(sum(weights[t] * idf[t] * c * (K1 + 1.0) / (c + norm) for t, c in tf.items()))
    return out


class _State:
    """What one index folder holds: document versions (doc id -> content hash) and their digest, in SQLite (WAL),
    so a writer records one document without rewriting the rest, and a reader checks the digest in microseconds."""

    def __init__(self, path: Path | None) -> None:
        target = ":memory:" if path is None else str(path)
        self.db = sqlite3.connect(target, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            if path is not None:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS versions "
                "(doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, tokens INTEGER NOT NULL DEFAULT 0)"
            )

    def get(self, key: str) -> str:
        with self._lock:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else ""

    def digest(self) -> str:
        return self.get("digest") or "empty"

    def holds(self, doc_id: str) -> bool:
        with self._lock:
            return (
                self.db.execute("SELECT 1 FROM versions WHERE doc_id = ?", (doc_id,)).fetchone() is not None
            )

    def versions(self) -> dict[str, str]:
        with self._lock:
            return dict(self.db.execute("SELECT doc_id, content_hash FROM versions"))

    def tokens(self) -> int:
        """Tokens of every chunk held (BM25's average length is this over the chunks)."""
        return int(self.get("tokens") or 0)

    def record(self, changes: dict[str, Held | None], reset: bool = False) -> None:
        """Apply ``changes`` (doc id -> (hash, tokens), or None for gone) and the new totals in one transaction."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if reset:
                    self.db.execute("DELETE FROM versions")
                for doc_id, h in changes.items():
                    if h is None:
                        self.db.execute("DELETE FROM versions WHERE doc_id = ?", (doc_id,))
                    else:
                        self.db.execute("INSERT OR REPLACE INTO versions VALUES (?, ?, ?)", (doc_id, *h))
                versions = dict(self.db.execute("SELECT doc_id, content_hash FROM versions"))
                tokens = self.db.execute("SELECT coalesce(sum(tokens), 0) FROM versions").fetchone()[0]
                for key, value in (
                    ("digest", versions_digest(versions)),
                    ("format", FORMAT),
                    ("tokens", str(tokens)),
                ):
                    self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self.db.close()


@dataclass
class _Collection:
    """One collection's index as this process has it open."""

    index: KeywordIndex
    state: _State
    folder: Path | None  # None: in memory (the cache folder could not be written)
    lock: threading.Lock
    seen_digest: str = ""  # the state digest the reader was last reloaded at
    checked_at: float = 0.0
    catching_up: bool = False

    def reload(self) -> None:
        """See the last commit, with BM25's token total as recorded with it."""
        self.index.reload()
        self.index.total_tokens = self.state.tokens()


class _Session:
    """One collection's writer during `KeywordIndexes.batch`: opened on first use, committed in steps."""

    def __init__(self, coll: _Collection) -> None:
        self.coll = coll
        self._writer: Any = None
        # doc id -> version written (None: removed), not yet recorded
        self.pending: dict[str, Held | None] = {}

    def writer(self) -> Any:
        if self._writer is None:
            self._writer = self.coll.index.index.writer(WRITER_HEAP_BYTES, 1)
        return self._writer

    def holds(self, doc_id: str) -> bool:
        if doc_id in self.pending:
            return self.pending[doc_id] is not None
        return self.coll.state.holds(doc_id)

    def commit(self) -> None:
        if self._writer is None or not self.pending:
            return
        self._writer.commit()
        self.coll.state.record(self.pending)  # after the commit: a crash between the two redoes these papers
        self.pending = {}
        self.coll.reload()

    def close(self, commit: bool) -> None:
        if self._writer is None:
            return
        try:
            if commit:
                self.commit()
            else:
                with contextlib.suppress(Exception):
                    self._writer.rollback()
        finally:
            self._writer.wait_merging_threads()  # finishes merges, releases tantivy's own writer lock
            self._writer = None
            self.coll.reload()


class KeywordIndexes:
    """The keyword indexes of one store: opened on first use, reconciled with the catalog, written by the writer."""

    def __init__(self, store: Store, cache_dir: Path | None = None, catalog: Catalog | None = None) -> None:
        self.store = store
        self.cache_dir = cache_dir or store.config.index_dir / "keyword"
        self.catalog = catalog or Catalog(store)
        self._open: dict[str, _Collection] = {}
        self._lock = threading.Lock()
        self._sessions: dict[str, _Session] | None = None  # inside `batch`
        self._commit_every_s = 0.0
        self._committed_at = 0.0

    def folder(self, classification: str) -> Path:
        return self.cache_dir / f"{self.store.name}-{classification}"

    # ------------------------------------------------------------ opening

    def _collection(self, classification: str) -> _Collection:
        with self._lock:
            got = self._open.get(classification)
            if got is None:
                got = self._open[classification] = self._open_folder(classification)
            return got

    def _open_folder(self, classification: str) -> _Collection:
        folder = self.folder(classification)
        try:
            with self._write_lock(folder, WRITE_LOCK_WAIT_S):
                folder.mkdir(parents=True, exist_ok=True)
                state = _State(folder / "state.sqlite3")
                if state.get("format") not in ("", FORMAT):  # another tokenizer or schema: start again
                    state.close()
                    shutil.rmtree(folder)
                    folder.mkdir(parents=True)
                    state = _State(folder / "state.sqlite3")
                try:
                    index = KeywordIndex.create(folder)
                except (OSError, ValueError) as exc:  # damaged: the versions it held mean nothing now
                    log.warning("keyword index %s unreadable (%s); rebuilding it", folder, exc)
                    state.close()
                    shutil.rmtree(folder, ignore_errors=True)
                    folder.mkdir(parents=True)
                    state = _State(folder / "state.sqlite3")
                    index = KeywordIndex.create(folder)
            index.total_tokens = state.tokens()
            return _Collection(index, state, folder, threading.Lock())
        except (OSError, sqlite3.Error) as exc:  # a read-only or missing cache folder: search from memory
            log.warning("keyword index folder %s not writable (%s); keeping it in memory", folder, exc)
            return _Collection(KeywordIndex.create(None), _State(None), None, threading.Lock())

    @contextlib.contextmanager
    def _write_lock(self, folder: Path, wait_s: float) -> Iterator[None]:
        with file_lock(folder.parent / f".{folder.name}.lock", wait_s, lambda: TimeoutError(folder), 0.05):
            yield

    @contextlib.contextmanager
    def _writing(self, coll: _Collection, wait: bool) -> Iterator[bool]:
        """Hold this collection's write lock (threads, then processes); yields False if busy and not ``wait``."""
        if not coll.lock.acquire(blocking=wait):
            yield False
            return
        try:
            if coll.folder is None:
                yield True
                return
            try:
                with self._write_lock(coll.folder, WRITE_LOCK_WAIT_S if wait else 0.0):
                    yield True
            except TimeoutError:
                if wait:
                    raise
                yield False
        finally:
            coll.lock.release()

    # ------------------------------------------------------------ reading

    def get(self, classification: str, versions: Snapshot | Catalog) -> KeywordIndex:
        """The index of ``classification`` brought in step with ``versions`` when that is quick; when it is far
        behind, a background thread catches it up and this returns it as it is (hits are checked against the live
        versions by the searcher, so nothing superseded is shown)."""
        if isinstance(versions, Catalog):
            versions = versions.snapshot()
        want = versions.digest(classification)
        coll = self._collection(classification)
        if coll.seen_digest == want:
            return coll.index
        digest = coll.state.digest()
        # behind: catch up, unless a writer (an ingest committing every few seconds) or a background catch-up
        # holds the index, in which case look again at most every RETRY_S
        if digest != want and not coll.catching_up and time.monotonic() - coll.checked_at >= RETRY_S:
            if self._behind(coll, classification, versions) > INLINE_CHUNKS:
                self._catch_up_in_background(classification)
            elif self._reconcile(classification, wait=False):
                coll.checked_at = 0.0
            else:
                coll.checked_at = time.monotonic()
            digest = coll.state.digest()
        if digest != coll.seen_digest:
            coll.reload()
            coll.seen_digest = digest
        return coll.index

    def stored(self, classification: str, chunk_ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """`KeywordIndex.stored` of the collection's index as it is now, if a search has opened it: never waiting to
        open it (opening takes the folder's write lock) or to catch up. What it lacks, the caller reads from Chroma."""
        with self._lock:
            coll = self._open.get(classification)
        return coll.index.stored(chunk_ids) if coll is not None else {}

    def _behind(self, coll: _Collection, classification: str, versions: Snapshot) -> int:
        held = coll.state.versions()
        return sum(
            max(1, d.chunks)
            for doc_id, d in versions.documents.items()
            if d.classification == classification and held.get(doc_id) != d.content_hash
        )

    def _catch_up_in_background(self, classification: str) -> None:
        coll = self._collection(classification)
        if coll.catching_up:
            return
        coll.catching_up = True

        def run() -> None:
            try:
                self._reconcile(classification, wait=True)
            except Exception:
                log.exception("keyword index %s: catching up failed", classification)
            finally:
                coll.catching_up = False

        threading.Thread(target=run, name=f"keyword-catch-up-{classification}", daemon=True).start()

    def _reconcile(self, classification: str, wait: bool) -> bool:
        """Make the index hold exactly the live versions of ``classification``: delete what is no longer live, read
        what it lacks from Chroma. The snapshot is read after taking the lock, so the index only moves forward."""
        coll = self._collection(classification)
        with self._writing(coll, wait) as ok:
            if not ok:
                return False
            snap = self.catalog.snapshot()
            live = {
                d: info.content_hash
                for d, info in snap.documents.items()
                if info.classification == classification
            }
            held = coll.state.versions()
            stale = [d for d, h in held.items() if live.get(d) != h]
            missing = {d: h for d, h in live.items() if held.get(d) != h}
            if stale or missing:
                if missing and len(missing) > max(20, len(live) // 2):
                    self._load_all(coll, classification, stale, missing)
                else:
                    self._load_each(coll, classification, stale, missing)
        return True

    def _load_each(
        self, coll: _Collection, classification: str, stale: list[str], missing: dict[str, str]
    ) -> None:
        """A few documents: each version's chunks by a `where` read, committed (and recorded) every few."""
        gone: dict[str, Held | None] = {d: None for d in stale if d not in missing}
        pending = list(missing.items())
        first = True
        while first or pending:
            first = False
            batch, pending = pending[:COMMIT_EVERY_DOCS], pending[COMMIT_EVERY_DOCS:]
            done: dict[str, Held | None] = dict(gone)
            with coll.index.writer() as writer:
                for doc_id in gone:
                    writer.delete_documents_by_term("doc_id", doc_id)
                for doc_id, h in batch:
                    rows = self.store.chunks_of(classification, doc_id, h)
                    done[doc_id] = (h, coll.index.replace(writer, doc_id, rows))
            coll.state.record(done)
            coll.reload()
            gone = {}

    def _load_all(
        self, coll: _Collection, classification: str, stale: list[str], missing: dict[str, str]
    ) -> None:
        """Most of the collection (a fresh replica, a new tokenizer): one pass over Chroma, one commit."""
        tokens = dict.fromkeys(missing, 0)
        with coll.index.writer() as writer:
            for doc_id in {*stale, *missing}:
                writer.delete_documents_by_term("doc_id", doc_id)
            for row in self.store.iter_chunks(classification):
                meta = row[2] or {}
                doc_id = str(meta.get("doc_id"))
                if missing.get(doc_id) == meta.get("content_hash"):
                    doc, n = _document((row[0], row[1] or "", meta))
                    writer.add_document(doc)
                    tokens[doc_id] += n
        changes: dict[str, Held | None] = {d: None for d in stale}
        changes.update({d: (h, tokens[d]) for d, h in missing.items()})
        coll.state.record(changes)
        coll.reload()

    # ------------------------------------------------------------ writing (the writer's side)

    @contextlib.contextmanager
    def batch(self, commit_every_s: float = COMMIT_EVERY_S) -> Iterator[None]:
        """Writes within this block share one writer per collection, committed (then recorded) every
        ``commit_every_s`` and at the end: a bulk ingest pays one commit per few seconds, not one per paper, and
        readers see its papers at most that much later. The write locks are held throughout (a reader never
        waits for them: it searches what is committed). An error rolls back what was not committed; the state
        then lags the index, and the next reconciliation redoes those papers."""
        with contextlib.ExitStack() as stack:
            sessions = {}
            for classification in self._classifications():
                coll = self._collection(classification)
                stack.enter_context(self._writing(coll, wait=True))
                sessions[classification] = _Session(coll)
            self._sessions, self._commit_every_s, self._committed_at = (
                sessions,
                commit_every_s,
                time.monotonic(),
            )
            ok = False
            try:
                yield
                ok = True
            finally:
                self._sessions = None
                for session in sessions.values():
                    session.close(commit=ok)

    def write(self, meta: DocumentMeta, chunks: Sequence[Chunk]) -> None:
        """A version just made live by `Store.replace_document`: its chunks replace the document's in its
        collection's index, and any copy in another collection (a reclassified paper) goes. Outside `batch`,
        committed before this returns."""
        if self._sessions is None:
            with self.batch(0.0):
                self.write(meta, chunks)
            return
        base = chunk_base_metadata(meta)
        rows = [(c.chunk_id, c.text, {**base, **chunk_metadata(c)}) for c in chunks]
        for classification, session in self._sessions.items():
            if classification == meta.classification.value:
                tokens = session.coll.index.replace(session.writer(), meta.doc_id, rows)
                session.pending[meta.doc_id] = (meta.content_hash, tokens)
            elif session.holds(meta.doc_id):
                session.writer().delete_documents_by_term("doc_id", meta.doc_id)
                session.pending[meta.doc_id] = None
        self._maybe_commit()

    def remove(self, doc_id: str) -> None:
        """A document `Store.remove_document` removed: its chunks leave every collection's index."""
        if self._sessions is None:
            with self.batch(0.0):
                self.remove(doc_id)
            return
        for session in self._sessions.values():
            if session.holds(doc_id):
                session.writer().delete_documents_by_term("doc_id", doc_id)
                session.pending[doc_id] = None
        self._maybe_commit()

    def _maybe_commit(self) -> None:
        if self._sessions is not None and time.monotonic() - self._committed_at >= self._commit_every_s:
            for session in self._sessions.values():
                session.commit()
            self._committed_at = time.monotonic()

    def sync(self) -> dict[str, int]:
        """Reconcile every collection now, waiting for the lock (the end of an ingest); chunks held per collection."""
        out = {}
        for classification in self._classifications():
            self._reconcile(classification, wait=True)
            coll = self._collection(classification)
            coll.reload()
            coll.seen_digest = coll.state.digest()
            out[classification] = len(coll.index)
        return out

    @staticmethod
    def _classifications() -> list[str]:
        from ingest.documents import Classification

        return [c.value for c in Classification]

    def close(self) -> None:
        with self._lock:
            for coll in self._open.values():
                coll.state.close()
            self._open.clear()


def build_keyword_indexes(store: Store, cache_dir: Path | None = None) -> dict[str, int]:
    """Bring every collection's keyword index in step with the store; returns chunks indexed per collection."""
    indexes = KeywordIndexes(store, cache_dir)
    try:
        return indexes.sync()
    finally:
        indexes.close()
