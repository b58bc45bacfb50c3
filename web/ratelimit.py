"""A per-client token bucket: `per_minute` questions a minute, with bursts up to the same number.

In memory and per process (several replicas each allow the rate; put a shared limit in the reverse proxy if
that matters). Memory is bounded: the least recently seen clients are forgotten first.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        per_minute: int,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.rate_per_s = per_minute / 60.0
        self.capacity = float(burst if burst is not None else per_minute)
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, last time)
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> float:
        """Take one token for `key`: 0.0 when allowed, else the seconds to wait before trying again."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate_per_s)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / self.rate_per_s
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        return wait


def wait_message(seconds: float) -> str:
    """What to tell someone who has asked too often."""
    s = max(1, math.ceil(seconds))
    return (
        f"You have asked a lot of questions in a short time. Please wait {s} second{'s' if s != 1 else ''}."
    )


class Backoff:
    """Brakes on guessing a secret (the officer password, the bearer token), per client: `free` wrong tries, then
    each further one makes the client wait twice as long as the last (from `base_s`, at most `max_s`). A right
    answer clears the client's record. Bounded memory, like `RateLimiter`."""

    def __init__(
        self,
        free: int = 5,
        base_s: float = 1.0,
        max_s: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 10_000,
    ) -> None:
        self.free, self.base_s, self.max_s = free, base_s, max_s
        self.clock = clock
        self.max_clients = max_clients
        self._failures: OrderedDict[str, tuple[int, float]] = (
            OrderedDict()
        )  # key -> (wrong tries, locked until)
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds before `key` may try again (0.0: now)."""
        with self._lock:
            _, until = self._failures.get(key, (0, 0.0))
        return max(0.0, until - self.clock())

    def failed(self, key: str) -> float:
        """Record a wrong try; returns the seconds the client must now wait."""
        now = self.clock()
        with self._lock:
            count, _ = self._failures.pop(key, (0, 0.0))
            count += 1
            wait = 0.0 if count <= self.free else min(self.max_s, self.base_s * 2 ** (count - self.free - 1))
            self._failures[key] = (count, now + wait)
            while len(self._failures) > self.max_clients:
                self._failures.popitem(last=False)
        return wait

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def guess_message(seconds: float) -> str:
    s = max(1, math.ceil(seconds))
    return f"Too many wrong attempts from your address. Try again in {s} second{'s' if s != 1 else ''}."
