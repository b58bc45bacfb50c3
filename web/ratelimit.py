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
