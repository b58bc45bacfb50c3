"""Reading many papers at once: parse, describe and chunk them in worker processes while the caller embeds.

`read_documents(config, count, jobs)` yields each job's `ReadDocument` (or the reason it could not be read) in the
order of the jobs, keeping a few papers read ahead. With `config.parse_workers` 0 it reads in the caller, one at a
time, and so it does for a batch smaller than `POOL_MIN_JOBS`. Workers are started with `spawn` (never forked from
a caller holding ONNX Runtime's or Chroma's threads) and die with their caller (`kill -9` of `council ingest` leaves
none behind); each parses in its own sandbox (`ingest.sandbox`), under the same limits as a parse in the caller.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from ingest.config import IngestConfig
from ingest.loaders import LoadError
from ingest.metadata import SidecarError
from ingest.sources import ReadDocument, SourceFile, SourceReader
from ingest.tokens import TokenCounter

__all__ = ["ReadFailed", "ReadJob", "read_documents"]

AHEAD_PER_WORKER = 2  # papers read ahead per worker: enough to keep the embedder fed, little memory
POOL_MIN_JOBS = 20  # fewer papers than this are read in the caller: starting workers costs a second or two


@dataclass(frozen=True)
class ReadJob:
    """One file to read, with what the caller already knows of it (its hash covers the file and its sidecar)."""

    src: SourceFile
    file_hash: str
    overrides: dict[str, str]


@dataclass(frozen=True)
class ReadFailed:
    """Why a file could not be read: `unreadable` (a bad file: `LoadError`, `SidecarError`) or `error` (the
    operating system: `OSError`, `MemoryError`, `RecursionError`), with a one-line message."""

    kind: str
    message: str


Outcome = ReadDocument | ReadFailed

_READER: SourceReader | None = None


def _start_worker(config: IngestConfig, count: TokenCounter) -> None:
    from ingest.sandbox import _die_with_parent

    global _READER
    _die_with_parent()
    _READER = SourceReader(config, count)


def _read(reader: SourceReader, job: ReadJob) -> Outcome:
    try:
        return reader.read(job.src, job.file_hash, job.overrides)
    except (LoadError, SidecarError) as exc:
        return ReadFailed("unreadable", str(exc))
    except (OSError, MemoryError, RecursionError) as exc:
        return ReadFailed("error", f"could not be read ({type(exc).__name__}: {exc})")


def _read_in_worker(job: ReadJob) -> Outcome:
    assert _READER is not None, "worker not started"
    return _read(_READER, job)


def read_documents(
    config: IngestConfig, count: TokenCounter, jobs: Sequence[ReadJob], min_jobs: int | None = None
) -> Iterator[tuple[ReadJob, Outcome]]:
    """Each job with its outcome, in order; up to `AHEAD_PER_WORKER` papers per worker read ahead. Fewer than
    ``min_jobs`` jobs (default `POOL_MIN_JOBS`) are read in the caller."""
    if config.parse_workers <= 0 or len(jobs) < (POOL_MIN_JOBS if min_jobs is None else min_jobs):
        reader = SourceReader(config, count)
        for job in jobs:
            yield job, _read(reader, job)
        return
    pool = ProcessPoolExecutor(
        max_workers=config.parse_workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(config, count),
    )
    pending: deque[tuple[ReadJob, Future[Outcome]]] = deque()
    todo = iter(jobs)
    try:
        while True:
            while len(pending) < config.parse_workers * AHEAD_PER_WORKER:
                upcoming = next(todo, None)
                if upcoming is None:
                    break
                pending.append((upcoming, pool.submit(_read_in_worker, upcoming)))
            if not pending:
                return
            job, future = pending.popleft()
            yield job, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
