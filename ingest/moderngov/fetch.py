"""Polite HTTP for a council's site: one request at a time with a pause between them, a User-Agent naming the
product, conditional requests (ETag / Last-Modified), retries with back-off, and a cap on what is downloaded."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

PRODUCT = "CouncilQA/0.1"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER_S = 120.0


class FetchError(Exception):
    """A request that failed for good. The message is the reason, as the run summary shows it."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Validators:
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    disposition: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


def user_agent(contact: str = "") -> str:
    return f"{PRODUCT} (Modern.Gov paper sync{'; ' + contact if contact else ''})"


class PoliteClient:
    def __init__(
        self,
        *,
        interval_s: float = 1.0,
        timeout_s: float = 60.0,
        attempts: int = 3,
        backoff_s: float = 2.0,
        contact: str = "",
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.attempts = max(1, attempts)
        self.backoff_s = backoff_s
        self._sleep = sleep
        self._clock = clock
        self._next_at = 0.0
        self.requests = 0
        self.bytes = 0
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(contact)},
            timeout=httpx.Timeout(timeout_s),
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self) -> None:
        wait = self._next_at - self._clock()
        if wait > 0:
            self._sleep(wait)
        self._next_at = self._clock() + self.interval_s

    def get(
        self,
        url: str,
        validators: Validators | None = None,
        headers: dict[str, str] | None = None,
        max_bytes: int | None = None,
    ) -> Fetched:
        """GET `url`; 304 when `validators` still hold. Raises FetchError with the reason when every attempt
        failed, or at once for an answer that trying again cannot change (404, 403, too big)."""
        sent = dict(headers or {})
        if validators and validators.etag:
            sent["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            sent["If-Modified-Since"] = validators.last_modified
        reason, status = "", None
        for attempt in range(1, self.attempts + 1):
            self._wait_turn()
            self.requests += 1
            wait = self.backoff_s * 2 ** (attempt - 1)
            try:
                with self._client.stream("GET", url, headers=sent) as resp:
                    status = resp.status_code
                    if status in RETRY_STATUSES:
                        reason = f"HTTP {status} {resp.reason_phrase}".strip()
                        wait = max(wait, _retry_after(resp.headers.get("Retry-After", "")))
                    elif status >= 400:
                        raise FetchError(f"HTTP {status} {resp.reason_phrase}".strip(), status)
                    else:
                        body = b"" if status == 304 else _read_capped(resp, max_bytes)
                        self.bytes += len(body)
                        return Fetched(
                            url=str(resp.url),
                            status=status,
                            body=body,
                            etag=resp.headers.get("ETag", ""),
                            last_modified=resp.headers.get("Last-Modified", ""),
                            content_type=resp.headers.get("Content-Type", ""),
                            disposition=resp.headers.get("Content-Disposition", ""),
                        )
            except httpx.TimeoutException:
                reason, status = f"timed out after {self.timeout_s:g} s", None
            except httpx.TransportError as exc:
                reason, status = f"could not connect ({type(exc).__name__})", None
            if attempt < self.attempts:
                self._sleep(min(wait, MAX_RETRY_AFTER_S))
        tries = f"{self.attempts} attempts" if self.attempts > 1 else "1 attempt"
        raise FetchError(f"{reason} ({tries})", status)


def _read_capped(resp: httpx.Response, max_bytes: int | None) -> bytes:
    declared = resp.headers.get("Content-Length", "")
    if max_bytes is not None and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{int(declared) / 1e6:.0f} MB is over the {max_bytes / 1e6:.0f} MB limit")
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise FetchError(f"over the {max_bytes / 1e6:.0f} MB limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(value: str) -> float:
    """Seconds from a Retry-After header (a number of seconds or an HTTP date); 0 when absent or unreadable."""
    value = value.strip()
    if not value:
        return 0.0
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, when.timestamp() - time.time())
