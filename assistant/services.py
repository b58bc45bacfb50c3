"""What the web surfaces (chat, widget, officer area, JSON API) call: one object built from settings.

It owns the assistant (built lazily, so the server starts before anything is indexed), the feedback and audit
store, the per-client rate limit, links to original papers and officer uploads. The Gradio layout in `app.py` and
the routes in `assistant.api` only translate between their formats and these calls.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import BadFilterError, BadQuestionError, CouncilQAError, NoIndexError
from assistant.feedback import FeedbackStore
from assistant.files import LinkSigner, Original, file_url, locate, open_original
from assistant.guardrails import clean_question
from assistant.library import LibrarySummary, summarise
from assistant.models import Answer, Citation
from assistant.ratelimit import RateLimiter, wait_message
from assistant.render import LinkFor, safe_href
from assistant.settings import Settings
from assistant.uploads import Uploads
from vectorstore.retriever import SearchFilters

SURFACES = ("chat", "widget", "api", "officer")


class RateLimitedError(CouncilQAError):
    def __init__(self, retry_after_s: float) -> None:
        super().__init__(wait_message(retry_after_s))
        self.retry_after_s = retry_after_s


@dataclass
class Asked:
    answer: Answer
    ask_id: int
    duration_ms: float


def filters_dict(f: SearchFilters | None) -> dict[str, Any]:
    if f is None or f.empty:
        return {}
    out: dict[str, Any] = {}
    if f.date_from:
        out["date_from"] = f.date_from.isoformat()
    if f.date_to:
        out["date_to"] = f.date_to.isoformat()
    for key in ("bodies", "doc_types", "councils"):
        if getattr(f, key):
            out[key] = list(getattr(f, key))
    return out


class Services:
    def __init__(self, settings: Settings, bot: Any | None = None, today: dt.date | None = None) -> None:
        self.settings = settings
        self.today = today
        self.feedback = FeedbackStore(settings.feedback_db)
        self.limiter = RateLimiter(settings.widget_rate_limit_per_min)
        self.signer = LinkSigner.from_secrets(settings.officer_token, settings.officer_password)
        self.uploads = Uploads(settings.corpus_dir, settings.max_upload_mb, self._sync)
        self._bot = bot
        self._store: Any = bot.store if bot is not None else None
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], Any] = {}

    # ------------------------------------------------------------------------------------------ parts

    @property
    def allowed_roots(self) -> list[Path]:
        return [self.settings.corpus_dir]

    def store(self) -> Any:
        with self._lock:
            if self._store is None:
                from assistant.factory import store_for

                self._store = store_for(self.settings)
            return self._store

    def bot(self) -> Any:
        """The assistant; NoIndexError (with the fix) until something has been ingested."""
        with self._lock:
            if self._bot is not None:
                return self._bot
        store = self.store()
        from assistant.service import Assistant

        bot = Assistant.from_settings(self.settings, store=store, today=self.today)
        with self._lock:
            self._bot = self._bot or bot
            return self._bot

    def _sync(self, paths: list[Path], progress: Callable[[int], Any]) -> Any:
        from vectorstore.indexer import Indexer

        return Indexer(self.store()).sync(paths, progress=progress)

    def _cached(self, key: str, audience: str, build: Callable[[], Any]) -> Any:
        store = self.store()
        generation = store.generation() if store.exists() else "none"
        hit = self._cache.get((key, audience))
        if hit and hit[0] == generation:
            return hit[1]
        value = build()
        self._cache[(key, audience)] = (generation, value)
        return value

    def library(self, audience: str = "public") -> LibrarySummary:
        """What the audience can search; empty when nothing is indexed."""

        def build() -> LibrarySummary:
            store = self.store()
            return summarise(store, audience) if store.exists() else LibrarySummary()

        result: LibrarySummary = self._cached("library", audience, build)
        return result

    def doc_meta(self) -> dict[str, dict[str, Any]]:
        def build() -> dict[str, dict[str, Any]]:
            store = self.store()
            if not store.exists():
                return {}
            return {d: r.meta for d, r in store.doc_records().items() if r.active_hash}

        result: dict[str, dict[str, Any]] = self._cached("docs", "all", build)
        return result

    def councils(self, audience: str) -> list[str]:
        return sorted({str(m.get("council")) for m in self.library(audience).documents if m.get("council")})

    def record(self, audience: str = "public") -> Any:
        """The inspection record the audience may see (`assistant.record.InspectionRecord`), rebuilt when the
        index changes; NoIndexError until something has been ingested."""
        from assistant.record import InspectionRecord

        def build() -> InspectionRecord:
            store = self.store()
            if not store.exists():
                raise NoIndexError()
            return InspectionRecord.from_store(store, audience)

        return self._cached("record", audience, build)

    def has_index(self) -> bool:
        return bool(self.store().exists())

    # ------------------------------------------------------------------------------------------ asking

    def check_filters(self, filters: SearchFilters | None, audience: str) -> None:
        """Unknown committees or councils are a mistake to report, not a silent "not found"."""
        if filters is None or filters.empty:
            return
        lib = self.library(audience)
        for label, given, known in (
            ("committee or body", filters.bodies, set(lib.by_body)),
            ("council", filters.councils, set(self.councils(audience))),
        ):
            unknown = [v for v in given if v not in known]
            if unknown:
                listing = ", ".join(sorted(known)[:30]) or "none indexed yet"
                raise BadFilterError(
                    f"Unknown {label}: {', '.join(map(repr, unknown))}.", f"Known: {listing}."
                )

    def ask(
        self,
        question: str,
        audience: str = "public",
        filters: SearchFilters | None = None,
        history: list[dict[str, str]] | None = None,
        surface: str = "chat",
        client: str | None = None,
        user: str = "",
    ) -> Asked:
        """Answer and log one question. Public askers are rate limited per client."""
        if audience not in ("public", "officer"):
            raise BadFilterError(f"Unknown audience {audience!r}.", "Use 'public' or 'officer'.")
        if audience == "public" and client is not None:
            wait = self.limiter.retry_after(client)
            if wait:
                raise RateLimitedError(wait)
        try:
            q = clean_question(question, self.settings.max_question_chars)
        except ValueError as exc:
            raise BadQuestionError(str(exc)) from None
        self.check_filters(filters, audience)
        bot = self.bot()
        started = time.perf_counter()
        answer = bot.ask(q, audience=audience, filters=filters, history=history or [])
        ms = (time.perf_counter() - started) * 1000
        ask_id = self.feedback.record_ask(answer, surface, audience, filters_dict(filters), ms, user)
        return Asked(answer, ask_id, ms)

    # ------------------------------------------------------------------------------------------ links

    def link_for(self, audience: str) -> LinkFor:
        """How the audience opens a citation's original: a file this server holds, else its source URL."""
        metas = self.doc_meta()

        def link(c: Citation) -> str | None:
            meta = metas.get(c.doc_id)
            if meta is not None:
                if meta.get("classification") != "open" and audience != "officer":
                    return None
                path = locate(meta, self.allowed_roots)
                if path is not None:
                    url = file_url(c.doc_id)
                    if meta.get("classification") != "open":
                        url += "?" + self.signer.sign(c.doc_id)
                    if path.suffix.lower() == ".pdf" and c.page:
                        url += f"#page={c.page}"
                    return url
            return safe_href(c.source_url)

        return link

    def original(self, doc_id: str, expires: str | None = None, sig: str | None = None) -> Original:
        return open_original(self.doc_meta().get(doc_id), self.allowed_roots, self.signer, expires, sig)

    def health(self) -> dict[str, Any]:
        try:
            if not self.has_index():
                raise NoIndexError()
            return {"status": "ok", "documents": len(self.doc_meta()), "detail": ""}
        except CouncilQAError as exc:
            return {"status": "no_index", "documents": 0, "detail": str(exc)}
