"""Loaders that misbehave on purpose, to prove the parse sandbox holds. Module-level so the parse server can
import them by name."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from ingest.documents import ParsedDocument


def sleepy_loader(path: Path, max_bytes: int | None = None) -> ParsedDocument:
    time.sleep(600)
    raise AssertionError("unreachable")


def spinning_loader(path: Path, max_bytes: int | None = None) -> ParsedDocument:
    while True:  # burns CPU: only the watchdog or RLIMIT_CPU stops it
        pass


def greedy_loader(path: Path, max_bytes: int | None = None) -> ParsedDocument:
    hoard = []
    for _ in range(64):
        hoard.append(bytearray(64 * 1024 * 1024))  # touch 4 GB in total, 64 MB at a time
    raise AssertionError(f"unreachable: {len(hoard)}")


def segfault_loader(path: Path, max_bytes: int | None = None) -> ParsedDocument:
    os.kill(os.getpid(), signal.SIGSEGV)
    raise AssertionError("unreachable")


def buggy_loader(path: Path, max_bytes: int | None = None) -> ParsedDocument:
    raise ZeroDivisionError("a bug in a parser")
