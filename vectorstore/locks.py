"""One writer at a time: an exclusive `flock` on a file, waited for up to a limit, then a clear error."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def file_lock(
    path: Path, wait_s: float, on_timeout: Callable[[], Exception], poll_s: float = 0.5
) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing); raise `on_timeout()` after `wait_s` of waiting."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise on_timeout() from None
                time.sleep(poll_s)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
