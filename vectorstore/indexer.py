"""Incremental, crash-safe writing of papers into the index: files -> (ingest) metadata and chunks -> vectors ->
Chroma, then the keyword indexes.

Idempotent by content hash: an unchanged file is skipped, a changed file's chunks are replaced, and with
`prune=True` a file that has gone has its chunks removed. Bad files are skipped with a one-line reason; the rest
of the batch carries on. Reading the files (discovery, sidecars, the sandboxed parse, chunking) is `ingest.sources`;
this module embeds and writes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ingest.config import IngestConfig
from ingest.documents import DocumentMeta, ParsedDocument
from ingest.inspection_record import PaperRecord
from ingest.inspection_record import extract as extract_record
from ingest.loaders import LoadError
from ingest.metadata import SidecarError
from ingest.pool import ReadFailed, ReadJob, read_documents
from ingest.sources import ReadDocument, Skipped, SourceFile, SourceReader, discover
from vectorstore.embeddings import token_counter_of
from vectorstore.keyword import KeywordIndexes
from vectorstore.locks import file_lock
from vectorstore.record_store import RecordStore
from vectorstore.store import DocRecord, Store

INGEST_LOCK_WAIT_S = 600.0
log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    documents_seen: int = 0
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    pages: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    records_derived: int = 0  # unchanged papers whose inspection record was derived again (no re-embedding)
    seconds: float = 0.0
    # where the time went: waiting for parsed papers, embedding, writing (Chroma and the keyword index)
    timings: dict[str, float] = field(
        default_factory=lambda: {"read_wait_s": 0.0, "embed_s": 0.0, "write_s": 0.0}
    )

    @property
    def ok(self) -> bool:
        return not self.skipped

    def summary_lines(self) -> list[str]:
        lines = [
            f"Documents: {self.documents_seen} seen, {len(self.added)} added, {len(self.replaced)} replaced, "
            f"{len(self.unchanged)} unchanged, {len(self.removed)} removed, {len(self.skipped)} skipped.",
            f"Pages: {self.pages} parsed. Chunks: {self.chunks_added} added, {self.chunks_removed} removed. "
            f"Took {self.seconds:.1f} s."
            + (
                f" Inspection record derived again for {self.records_derived}."
                if self.records_derived
                else ""
            ),
        ]
        if self.pages or self.chunks_added:
            busy = {k: v / self.seconds for k, v in self.timings.items()} if self.seconds else {}
            lines.append(
                f"Throughput: {self.pages / max(self.seconds, 1e-9):.1f} pages/s, "
                f"{self.chunks_added / max(self.seconds, 1e-9):.1f} chunks/s (embedding {busy.get('embed_s', 0):.0%}, "
                f"writing {busy.get('write_s', 0):.0%}, waiting for parsed papers {busy.get('read_wait_s', 0):.0%} "
                "of the time)."
            )
        lines += [f"Skipped {s.path}: {s.reason}" for s in self.skipped]
        return lines


def ingest_lock(index_dir: Path) -> contextlib.AbstractContextManager[None]:
    """One writer at a time per embedded index (a second `council ingest` waits, then fails clearly)."""
    path = index_dir / ".ingest.lock"
    return file_lock(path, INGEST_LOCK_WAIT_S, lambda: RuntimeError(f"another ingest holds {path}"))


class Progress(Protocol):
    """How an ingest reports progress, one file at a time (tqdm fits it; so does the officer upload job)."""

    def update(self, n: int = 1) -> None: ...

    def set_postfix_str(self, s: str) -> None: ...

    def close(self) -> None: ...


ProgressFactory = Callable[[int], Progress]


class Journal:
    """Which documents an ingest was writing, kept until it ends cleanly.

    Chroma persists rows at once but can lose the newest vectors of a process that is killed, so a document whose
    record says "complete" may still be missing from dense search. When a run starts and finds the journal of a run
    that died, it writes those documents again (same ids: an idempotent upsert)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.suspect: set[str] = set()
        if path.is_file():
            self.suspect = {
                line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            }
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()

    def writing(self, doc_id: str) -> None:
        self._fh.write(doc_id + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()
        self.path.unlink(missing_ok=True)


class Indexer:
    """Writes papers into one store. `config` gives the chunk sizes and the per-file limits (default: the store's
    chunking with the default limits)."""

    def __init__(self, store: Store, config: IngestConfig | None = None) -> None:
        self.store = store
        self.config = config or IngestConfig(chunking=store.config.chunking)
        if self.config.chunking != store.config.chunking:
            raise ValueError("the ingest chunking must be the store's: it is part of the index name")
        self.reader = SourceReader(self.config, token_counter_of(store.embeddings))
        self.keyword = KeywordIndexes(store)

    def sync(
        self, paths: list[Path], prune: bool = False, progress: ProgressFactory | None = None
    ) -> IngestReport:
        """Bring the index in step with the files under ``paths``. Files are checked first (type, size, content
        hash: an unchanged file costs a read and a hash), then the ones to write are parsed ahead
        (`IngestConfig.parse_workers` at once, `ingest.pool`) while this thread embeds and writes them, one document
        at a time, so a killed run loses at most the documents in flight and the next run resumes where it stopped.
        ``progress(total)`` is told about each of the files to write."""
        started = time.monotonic()
        report = IngestReport()
        files, problems = discover(paths)
        report.skipped.extend(problems)
        report.documents_seen = len(files)
        with ingest_lock(self.store.config.index_dir):
            self._journal = Journal(self.store.config.index_dir / ".ingest-journal")
            self._records = RecordStore.for_store(self.store)
            records = self.store.doc_records()
            self._journal.suspect = {d for d in self._journal.suspect if not self._complete(records.get(d))}
            jobs = [job for src in files if (job := self._plan(src, records, report)) is not None]
            bar = progress(len(jobs)) if progress else None
            outcomes = read_documents(self.config, self.reader.count, jobs)
            with self.keyword.batch():
                while True:
                    waited = time.monotonic()
                    got = next(outcomes, None)
                    report.timings["read_wait_s"] += time.monotonic() - waited
                    if got is None:
                        break
                    job, outcome = got
                    if bar:
                        bar.set_postfix_str(job.src.doc_id[-40:])
                    self._write(job, outcome, records.get(job.src.doc_id), report)
                    if bar:
                        bar.update(1)
                if bar:
                    bar.close()
                # documents left half-deleted by an interrupted prune are finished whatever `prune` says
                seen = {f.doc_id for f in files}
                for doc_id, rec in records.items():
                    if rec.pending_hash == "__deleted__" or (
                        prune and doc_id not in seen and _under(rec, paths)
                    ):
                        report.chunks_removed += int(rec.meta.get("n_chunks", 0))
                        self.store.remove_document(doc_id, rec)
                        self.keyword.remove(doc_id)
                        report.removed.append(doc_id)
            self.keyword.sync()  # anything an earlier, interrupted run left behind
            self._records.prune(
                {d: r.active_hash for d, r in self.store.doc_records().items() if r.active_hash}
            )
            self._journal.close()
        report.seconds = time.monotonic() - started
        return report

    def _complete(self, rec: DocRecord | None) -> bool:
        """A document a killed run was writing is complete if its version is live and dense search finds it (so a
        resumed run writes again only the last few, not everything the killed run wrote)."""
        if rec is None or not rec.clean or not rec.active_hash:
            return False
        classification = str(rec.meta.get("classification") or "open")
        return self.store.vectors_searchable(classification, rec.doc_id, rec.active_hash)

    def _plan(self, src: SourceFile, records: dict[str, DocRecord], report: IngestReport) -> ReadJob | None:
        """A job if the file must be (re)written; None when it is unchanged or cannot be used (reported)."""
        if not src.supported:
            suffix = src.path.suffix.lower()
            report.skipped.append(Skipped(src.doc_id, f"unsupported file type '{suffix or '(none)'}'"))
            return None
        try:
            overrides = self.reader.overrides(src)
            file_hash = self.reader.fingerprint(src, overrides)
        except (LoadError, SidecarError) as exc:
            report.skipped.append(Skipped(src.doc_id, str(exc)))
            return None
        except OSError as exc:
            report.skipped.append(Skipped(src.doc_id, f"could not be read ({type(exc).__name__}: {exc})"))
            return None
        rec = records.get(src.doc_id)
        unchanged = bool(
            rec and rec.clean and rec.active_hash == file_hash and src.doc_id not in self._journal.suspect
        )
        if unchanged and self._records.has(src.doc_id, file_hash):
            report.unchanged.append(src.doc_id)
            return None
        # an unchanged paper without its inspection record is read again for the record only (no embedding)
        return ReadJob(src, file_hash, overrides, record_only=unchanged)

    def _write(
        self, job: ReadJob, doc: ReadDocument | ReadFailed, rec: DocRecord | None, report: IngestReport
    ) -> None:
        """Embed one read document and write it (Chroma, then its keyword index)."""
        src = job.src
        if isinstance(doc, ReadFailed):
            report.skipped.append(Skipped(src.doc_id, doc.message))
            return
        try:
            t0 = time.monotonic()
            record = paper_record(doc.parsed, doc.meta)
            self._records.put(record)  # before the version goes live: record_store
            if job.record_only:
                report.records_derived += 1
                report.unchanged.append(src.doc_id)
                return
            vectors = self.store.embeddings.embed_documents([c.embed_text for c in doc.chunks])
            t1 = time.monotonic()
            extra = {
                "root": str(src.root),
                "pages": doc.parsed.page_count or 0,
                "indexed_at": int(time.time()),
            }
            self._journal.writing(src.doc_id)
            self.store.replace_document(doc.meta, doc.chunks, vectors, rec, extra)
            self.keyword.write(doc.meta, doc.chunks)  # searchable by keyword as soon as it is live
            report.timings["embed_s"] += t1 - t0
            report.timings["write_s"] += time.monotonic() - t1
        except (OSError, MemoryError) as exc:
            report.skipped.append(Skipped(src.doc_id, f"could not be written ({type(exc).__name__}: {exc})"))
            return
        report.pages += doc.parsed.page_count or 0
        report.chunks_added += len(doc.chunks)
        if rec is not None and rec.active_hash:
            report.chunks_removed += int(rec.meta.get("n_chunks", 0))
            report.replaced.append(src.doc_id)
        else:
            report.added.append(src.doc_id)


def paper_record(parsed: ParsedDocument, meta: DocumentMeta) -> PaperRecord:
    """The paper's inspection record; a failure to derive it costs the record, never the paper's ingest."""
    try:
        return extract_record(parsed, meta)
    except Exception:
        log.exception("could not derive the inspection record of %s; it is ingested without one", meta.doc_id)
        return PaperRecord(meta.doc_id, meta.content_hash, meta.classification.value, meta.council)


def _under(rec: DocRecord, paths: list[Path]) -> bool:
    """Prune only documents that came from one of the folders being ingested now."""
    root = str(rec.meta.get("root", ""))
    wanted = {str(p.resolve()) for p in paths}
    return root in wanted or any(root.startswith(w + os.sep) for w in wanted)
