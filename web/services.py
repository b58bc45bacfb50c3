"""What the web surfaces (chat, widget, officer area, JSON API) call: one object built from settings.

It owns the assistant (built lazily, so the server starts before anything is indexed), the feedback and audit
store, the per-client rate limit, links to original papers and officer uploads. The Gradio layouts (`web/chat.py`,
`web/officer.py`) and the routes (`web/api.py`) only translate between their formats and these calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from assistant.errors import BadFilterError, BadQuestionError, CouncilQAError, NoIndexError
from assistant.guardrails import clean_question
from assistant.settings import Settings
from vectorstore.audience import Audience
from vectorstore.catalog import Catalog, DocumentInfo, LibrarySummary
from vectorstore.filters import SearchFilters
from vectorstore.store import Store
from web.feedback import FeedbackStore
from web.files import LinkSigner, NotServable, Original, open_original
from web.ratelimit import Backoff, RateLimiter, wait_message
from web.reader import Part, paper_parts
from web.render import LinkFor
from web.sources import links, one_source_per_paper
from web.uploads import Uploads

SURFACES = ("chat", "widget", "api", "officer")
PURGE_EVERY_S = 3600.0


def clean_history(history: list[dict[str, str]] | None, turns: int = 3) -> list[dict[str, str]]:
    """The last few turns of a conversation as the answer step reads them: {"question", "answer"} each."""
    out = []
    for turn in (history or [])[-turns:]:
        question = str(turn.get("question", "") or "").strip()
        if question:
            out.append({"question": question, "answer": str(turn.get("answer", "") or "")})
    return out


def parse_audience(value: Audience | str) -> Audience:
    """The audience a request names; BadFilterError (a 400 for people) for anything else."""
    try:
        return Audience.parse(value)
    except ValueError:
        raise BadFilterError(f"Unknown audience {value!r}.", "Use 'public' or 'officer'.") from None


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
    def __init__(
        self,
        settings: Settings,
        bot: Any | None = None,
        today: dt.date | None = None,
        store: Store | None = None,
    ) -> None:
        """`bot` and `store` are built from the settings when not given (tests inject fakes here)."""
        self.settings = settings
        self.today = today
        self.feedback = FeedbackStore(settings.feedback_db)
        public = RateLimiter(
            settings.widget_rate_limit_per_min
        )  # the widget and the public API share one budget
        self.limiters = {
            "widget": public,
            "api": public,
            "chat": RateLimiter(settings.chat_rate_limit_per_min),
        }
        self.guesses = Backoff()  # wrong officer passwords and bearer tokens, per client
        self.signer = LinkSigner.from_secrets(settings.officer_token, settings.officer_password)
        self.uploads = Uploads(settings.corpus_dir, settings.max_upload_mb, self._sync)
        self._bot = bot
        self._store: Any = store if store is not None else (bot.store if bot is not None else None)
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None
        self._records: dict[str, tuple[str, Any]] = {}  # audience -> (index generation, inspection record)
        self._last_purge = -PURGE_EVERY_S

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

        bot = Assistant.from_settings(self.settings, store=store, today=self.today, catalog=self.catalog())
        with self._lock:
            self._bot = self._bot or bot
            return self._bot

    def _sync(self, paths: list[Path], progress: Callable[[int], Any]) -> Any:
        from vectorstore.indexer import Indexer

        return Indexer(self.store(), self.settings.ingest()).sync(paths, progress=progress)

    def catalog(self) -> Catalog:
        """What the index holds, shared with the assistant; empty until something is ingested."""
        with self._lock:
            if self._catalog is None:
                bot_catalog = getattr(self._bot, "catalog", None)
                self._catalog = bot_catalog if isinstance(bot_catalog, Catalog) else None
        if self._catalog is None:
            catalog = Catalog(self.store())
            with self._lock:
                self._catalog = self._catalog or catalog
        return self._catalog

    def library(self, audience: Audience) -> LibrarySummary:
        """What the audience can search; empty when nothing is indexed."""
        return self.catalog().summary(audience)

    def councils(self, audience: Audience) -> list[str]:
        return self.catalog().councils(audience)

    def has_index(self) -> bool:
        return bool(self.store().exists())

    def record(self, audience: Audience | str = Audience.PUBLIC) -> Any:
        """The inspection record the audience may see (`assistant.record.InspectionRecord`), built again when the
        index changes; NoIndexError until something has been ingested."""
        from assistant.record import InspectionRecord

        store = self.store()
        if not store.exists():
            raise NoIndexError()
        key = (str(Audience.parse(audience)), store.generation())
        with self._lock:
            cached = self._records.get(key[0])
        if cached is not None and cached[0] == key[1]:
            return cached[1]
        built = InspectionRecord.from_store(store, str(Audience.parse(audience)))
        with self._lock:
            self._records[key[0]] = (key[1], built)
        return built

    # ------------------------------------------------------------------------------------------ asking

    def check_filters(self, filters: SearchFilters | None, audience: Audience) -> None:
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
        audience: Audience | str = Audience.PUBLIC,
        filters: SearchFilters | None = None,
        history: list[dict[str, str]] | None = None,
        surface: str = "chat",
        client: str | None = None,
        user: str = "",
    ) -> Asked:
        """Answer and log one question: the audience and question are checked here, once, for every web surface.
        Public askers are rate limited per client."""
        audience = parse_audience(audience)
        limiter = self.limiters.get(surface)
        if audience == Audience.PUBLIC and client is not None and limiter is not None:
            wait = limiter.retry_after(client)
            if wait:
                raise RateLimitedError(wait)
        try:
            q = clean_question(question, self.settings.max_question_chars)
        except ValueError as exc:
            raise BadQuestionError(str(exc)) from None
        self.check_filters(filters, audience)
        bot = self.bot()
        started = time.perf_counter()
        answer = bot.ask(q, audience=audience, filters=filters, history=clean_history(history))
        answer = one_source_per_paper(answer, self.catalog())
        ms = (time.perf_counter() - started) * 1000
        self.purge_old_log()
        ask_id = self.feedback.record_ask(answer, surface, audience, filters_dict(filters), ms, user)
        return Asked(answer, ask_id, ms)

    # ------------------------------------------------------------------------------------------ links

    def link_for(self, audience: Audience) -> LinkFor:
        """How the audience opens a citation's original: the published paper, else its readable page here."""
        return links(self.catalog(), self.signer, audience)

    def paper(self, doc_id: str, expires: str | None = None, sig: str | None = None) -> DocumentInfo:
        """A paper to show as a readable page: open papers to anyone, exempt ones with an officer's signed link;
        NotServable (404, as for an unknown id) otherwise."""
        doc = self.catalog().get(doc_id)
        if doc is None or (not doc.is_open and not self.signer.verify(doc.doc_id, expires, sig)):
            raise NotServable("No such document.")
        return doc

    def paper_parts(self, doc: DocumentInfo) -> list[Part]:
        return paper_parts(self.store(), doc)

    # ------------------------------------------------------------------------------------------ feedback

    def rating_token(self, ask_id: int) -> str:
        """A token that lets the page that showed an answer rate it (and no other answer)."""
        mac = hmac.new(self.signer.secret, f"rate\0{ask_id}".encode(), hashlib.sha256).hexdigest()[:24]
        return f"{ask_id}.{mac}"

    def ask_id_of(self, token: str) -> int | None:
        ask_id, _, _mac = str(token or "").partition(".")
        if not ask_id.isdigit() or not hmac.compare_digest(self.rating_token(int(ask_id)), str(token)):
            return None
        return int(ask_id)

    def purge_old_log(self, force: bool = False) -> int:
        """Delete logged questions and feedback older than the retention setting; at most once an hour unless
        `force`. Returns how many questions were deleted."""
        now = time.monotonic()
        if not force and now - self._last_purge < PURGE_EVERY_S:
            return 0
        self._last_purge = now
        return self.feedback.purge(self.settings.log_retention_days)

    def original(self, doc_id: str, expires: str | None = None, sig: str | None = None) -> Original:
        return open_original(self.catalog().get(doc_id), self.allowed_roots, self.signer, expires, sig)

    def health(self) -> dict[str, Any]:
        try:
            if not self.has_index():
                raise NoIndexError()
            return {"status": "ok", "documents": len(self.catalog()), "detail": ""}
        except CouncilQAError as exc:
            return {"status": "no_index", "documents": 0, "detail": str(exc)}
