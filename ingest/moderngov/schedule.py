"""Run a job now and then every so often in one background thread, never overlapping itself and never in the way
of the caller: `council serve` syncs the council's site this way while it answers questions."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("council.sync")


class Schedule:
    def __init__(
        self,
        job: Callable[[threading.Event], Any],
        interval_s: float,
        first_delay_s: float = 0.0,
        nice: int = 10,
        name: str = "moderngov-sync",
    ) -> None:
        """`job(stop)` runs after `first_delay_s`, then `interval_s` after each run ends; it should return soon
        after `stop` is set. `nice` lowers the thread's CPU priority (Linux; best effort)."""
        self.job = job
        self.interval_s = interval_s
        self.first_delay_s = first_delay_s
        self.nice = nice
        self.runs = 0
        self.last_result: Any = None
        self.last_error = ""
        self.finished = threading.Event()  # set after each run (tests wait on it)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> Schedule:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def _loop(self) -> None:
        if self.nice > 0 and hasattr(os, "setpriority"):
            with contextlib.suppress(OSError):  # Linux: lowers this thread only
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), self.nice)
        wait = self.first_delay_s
        while not self._stop.wait(wait):
            try:
                self.last_result = self.job(self._stop)
                self.last_error = ""
            except Exception as exc:  # a failed run is logged; the next one tries again
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("scheduled sync failed: %s", self.last_error)
            self.runs += 1
            self.finished.set()
            wait = self.interval_s
