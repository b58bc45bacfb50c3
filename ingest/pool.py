"""Reading many papers at once: parse, describe and chunk them ahead while the caller embeds the ones already read.

`read_documents(config, count, jobs)` yields each job's `ReadDocument` (or the reason it could not be read) in the
order of the jobs, keeping a few papers read ahead. `config.parse_workers` reader threads each own a parse server
(`ingest.sandbox.own_parse_server`), so that many papers are parsed at once, each in its own limited child process,
while the caller's thread embeds (ONNX Runtime does not hold the interpreter lock) and writes. With
`config.parse_workers` 0 it reads in the caller, one paper at a time.

Threads rather than worker processes: a `kill -9` of `council ingest` takes the parse servers and their children
with it (they die with their caller), where a process pool's workers outlived a kill during their start-up.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass

from ingest.config import IngestConfig
from ingest.loaders import LoadError
from ingest.metadata import SidecarError
from ingest.sandbox import own_parse_server
from ingest.sources import ReadDocument, SourceFile, SourceReader
from ingest.tokens import TokenCounter

__all__ = ["ReadFailed", "ReadJob", "read_documents"]

AHEAD_PER_WORKER = 2  # papers read ahead per reader: enough to keep the embedder fed, little memory


@dataclass(frozen=True)
class ReadJob:
    """One file to read, with what the caller already knows of it (its hash covers the file and its sidecar)."""

    src: SourceFile
    file_hash: str
    overrides: dict[str, str]
    record_only: bool = False  # unchanged and live: read again only to derive its inspection record


@dataclass(frozen=True)
class ReadFailed:
    """Why a file could not be read: `unreadable` (a bad file: `LoadError`, `SidecarError`) or `error` (the
    operating system: `OSError`, `MemoryError`, `RecursionError`), with a one-line message."""

    kind: str
    message: str


Outcome = ReadDocument | ReadFailed


def _read(reader: SourceReader, job: ReadJob) -> Outcome:
    try:
        return reader.read(job.src, job.file_hash, job.overrides)
    except (LoadError, SidecarError) as exc:
        return ReadFailed("unreadable", str(exc))
    except (OSError, MemoryError, RecursionError) as exc:
        return ReadFailed("error", f"could not be read ({type(exc).__name__}: {exc})")


def read_documents(
    config: IngestConfig, count: TokenCounter, jobs: Sequence[ReadJob]
) -> Iterator[tuple[ReadJob, Outcome]]:
    """Each job with its outcome, in order; up to `AHEAD_PER_WORKER` papers per reader read ahead."""
    reader = SourceReader(config, count)
    if config.parse_workers <= 0 or len(jobs) <= 1:
        for job in jobs:
            yield job, _read(reader, job)
        return
    with ExitStack() as stack:
        servers: list[ExitStack] = []

        def start() -> None:  # each reader thread parses through a server of its own, stopped at the end
            own = ExitStack()
            own.enter_context(own_parse_server())
            servers.append(own)

        def stop() -> None:  # after the pool's threads have finished
            for own in servers:
                own.close()

        stack.callback(stop)
        pool = stack.enter_context(
            ThreadPoolExecutor(config.parse_workers, thread_name_prefix="ingest-reader", initializer=start)
        )
        pending: deque[tuple[ReadJob, Future[Outcome]]] = deque()
        todo = iter(jobs)
        while True:
            while len(pending) < config.parse_workers * AHEAD_PER_WORKER:
                upcoming = next(todo, None)
                if upcoming is None:
                    break
                pending.append((upcoming, pool.submit(_read, reader, upcoming)))
            if not pending:
                return
            job, future = pending.popleft()
            yield job, future.result()
