"""The per-client token bucket, driven by a fake clock."""

from __future__ import annotations

import threading

import pytest

from web.ratelimit import RateLimiter, wait_message


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def allowed(rl: RateLimiter, key: str) -> bool:
    return rl.retry_after(key) == 0.0


def test_allows_the_rate_then_blocks_and_says_how_long() -> None:
    clock = Clock()
    rl = RateLimiter(per_minute=3, clock=clock)
    assert [allowed(rl, "a") for _ in range(3)] == [True, True, True]
    wait = rl.retry_after("a")
    assert wait == pytest.approx(20.0)  # one token every 20 s
    clock.t += 19.0
    assert not allowed(rl, "a")
    clock.t += 1.5
    assert allowed(rl, "a")


def test_clients_are_independent() -> None:
    rl = RateLimiter(per_minute=1, clock=Clock())
    assert allowed(rl, "a")
    assert not allowed(rl, "a")
    assert allowed(rl, "b")


def test_refill_is_capped_at_the_burst() -> None:
    clock = Clock()
    rl = RateLimiter(per_minute=2, clock=clock)
    clock.t += 3600
    assert [allowed(rl, "a") for _ in range(3)] == [True, True, False]


def test_memory_is_bounded_by_forgetting_the_oldest_client() -> None:
    rl = RateLimiter(per_minute=1, clock=Clock(), max_clients=2)
    assert allowed(rl, "a") and allowed(rl, "b") and allowed(rl, "c")
    assert len(rl._buckets) == 2
    assert allowed(rl, "a")  # forgotten, so a fresh bucket


def test_threads_never_get_more_than_the_burst() -> None:
    rl = RateLimiter(per_minute=50, clock=Clock())
    results: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            ok = allowed(rl, "same")
            with lock:
                results.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 50


def test_rejects_a_zero_rate() -> None:
    with pytest.raises(ValueError):
        RateLimiter(per_minute=0)


@pytest.mark.parametrize(("seconds", "text"), [(0.2, "1 second."), (1.0, "1 second."), (12.1, "13 seconds.")])
def test_wait_message(seconds: float, text: str) -> None:
    assert wait_message(seconds).endswith(f"Please wait {text}")
