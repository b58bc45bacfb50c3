"""The audit log of questions asked and the thumbs up/down people give answers, in one SQLite file.

Every question answered on any surface is one `asks` row (question, answer, status, as-at line, citations);
feedback points at it. SQLite in WAL mode with `synchronous=FULL`: a committed row survives the server being
killed. A fresh connection per call and a process lock make it safe to use from Gradio's worker threads.
Officers export either table as CSV; cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.answer import Answer, Citation
from web.render import citation_label

SCHEMA = """
CREATE TABLE IF NOT EXISTS asks (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    surface TEXT NOT NULL,
    audience TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    status TEXT NOT NULL,
    as_at TEXT NOT NULL,
    citations TEXT NOT NULL,
    filters TEXT NOT NULL,
    duration_ms REAL NOT NULL DEFAULT 0,
    user TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    ask_id INTEGER NOT NULL UNIQUE REFERENCES asks(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rating INTEGER NOT NULL DEFAULT 0 CHECK (rating IN (-1, 0, 1)),
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS asks_created ON asks(created_at);
"""

MAX_COMMENT_CHARS = 2000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _citation_record(c: Citation) -> dict[str, Any]:
    d = c.to_dict()
    d.pop("passage_text", None)  # the quote is what was shown; the chunk id finds the passage
    return d


@dataclass
class AskRecord:
    id: int
    created_at: str
    surface: str
    audience: str
    question: str
    answer: str
    status: str
    as_at: str
    citations: list[dict[str, Any]]
    filters: dict[str, Any]
    duration_ms: float
    user: str
    rating: int | None = None
    comment: str = ""


# AskRecord fields read from the row as they are (the JSON columns and the comment are decoded)
_PLAIN_COLUMNS = (
    "id", "created_at", "surface", "audience", "question", "answer", "status", "as_at", "duration_ms", "user",
    "rating",
)  # fmt: skip


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # ------------------------------------------------------------------------------------------- writing

    def record_ask(
        self,
        answer: Answer,
        surface: str,
        audience: str,
        filters: dict[str, Any] | None = None,
        duration_ms: float = 0.0,
        user: str = "",
    ) -> int:
        """Log one answered question; returns the id feedback refers to."""
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO asks (created_at, surface, audience, question, answer, status, as_at, "
                "citations, filters, duration_ms, user) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    surface,
                    audience,
                    answer.question,
                    answer.text,
                    answer.status.value,
                    answer.as_at,
                    json.dumps([_citation_record(c) for c in answer.citations], ensure_ascii=False),
                    json.dumps(filters or {}, ensure_ascii=False, default=str),
                    round(duration_ms, 1),
                    user,
                ),
            )
            return int(cur.lastrowid or 0)

    def rate(self, ask_id: int, rating: int) -> None:
        """Thumbs up (1), down (-1) or taken back (0). A later rating of an answer replaces the earlier."""
        if rating not in (-1, 0, 1):
            raise ValueError("rating must be -1, 0 or 1")
        self._upsert(ask_id, "rating", rating)

    def comment(self, ask_id: int, text: str) -> str:
        """Attach (or replace) a comment on an answer. Returns the comment as stored (trimmed, capped)."""
        text = " ".join(text.split())[:MAX_COMMENT_CHARS]
        self._upsert(ask_id, "comment", text)
        return text

    def _upsert(self, ask_id: int, column: Literal["rating", "comment"], value: object) -> None:
        now = _now()
        with self._write() as db:
            if db.execute("SELECT 1 FROM asks WHERE id = ?", (ask_id,)).fetchone() is None:
                raise KeyError(f"no answer with id {ask_id}")
            db.execute(
                f"INSERT INTO feedback (ask_id, created_at, updated_at, {column}) VALUES (?, ?, ?, ?) "
                f"ON CONFLICT(ask_id) DO UPDATE SET {column} = excluded.{column}, "
                "updated_at = excluded.updated_at",
                (ask_id, now, now, value),
            )

    # ------------------------------------------------------------------------------------------- reading

    def purge(self, older_than_days: int, now: dt.datetime | None = None) -> int:
        """Delete questions (and their feedback) logged more than `older_than_days` ago, in one transaction.
        Returns how many questions were deleted."""
        if older_than_days < 1:
            raise ValueError("older_than_days must be at least 1")
        cutoff = ((now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=older_than_days)).isoformat(
            timespec="seconds"
        )
        with self._write() as db:
            db.execute(
                "DELETE FROM feedback WHERE ask_id IN (SELECT id FROM asks WHERE created_at < ?)", (cutoff,)
            )
            return int(db.execute("DELETE FROM asks WHERE created_at < ?", (cutoff,)).rowcount)

    def asks(self, limit: int = 200, with_feedback_only: bool = False) -> list[AskRecord]:
        """Newest first, each with its feedback (if any)."""
        where = "WHERE f.id IS NOT NULL" if with_feedback_only else ""
        with self._connect() as db:
            rows = db.execute(
                "SELECT a.*, f.rating AS rating, f.comment AS comment FROM asks a "
                f"LEFT JOIN feedback f ON f.ask_id = a.id {where} ORDER BY a.id DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [
            AskRecord(
                **{name: r[name] for name in _PLAIN_COLUMNS},
                citations=json.loads(r["citations"]),
                filters=json.loads(r["filters"]),
                comment=r["comment"] or "",
            )
            for r in rows
        ]

    def counts(self) -> dict[str, int]:
        with self._connect() as db:
            row = db.execute(
                "SELECT (SELECT COUNT(*) FROM asks) AS asks, "
                "(SELECT COUNT(*) FROM feedback WHERE rating = 1) AS up, "
                "(SELECT COUNT(*) FROM feedback WHERE rating = -1) AS down, "
                "(SELECT COUNT(*) FROM feedback WHERE comment != '') AS comments"
            ).fetchone()
        return {k: int(row[k]) for k in ("asks", "up", "down", "comments")}

    def export_csv(self, feedback_only: bool = True, limit: int = 100_000) -> str:
        """CSV for review: one row per answer (with feedback only, by default), citations written out."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for rec in self.asks(limit=limit, with_feedback_only=feedback_only):
            rating = {1: "up", -1: "down"}.get(rec.rating or 0, "")
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        rec.id,
                        rec.created_at,
                        rec.surface,
                        rec.audience,
                        rec.question,
                        rec.answer,
                        rec.status,
                        rec.as_at,
                        _citations_text(rec.citations),
                        rating,
                        rec.comment,
                        rec.user,
                    )
                ]
            )
        return out.getvalue()

    def write_csv(self, dest: Path, feedback_only: bool = True) -> Path:
        dest.write_text(self.export_csv(feedback_only), encoding="utf-8-sig", newline="")
        return dest


CSV_COLUMNS = [
    "id",
    "asked_at",
    "surface",
    "audience",
    "question",
    "answer",
    "status",
    "as_at",
    "citations",
    "rating",
    "comment",
    "user",
]


def _citations_text(citations: list[dict[str, Any]]) -> str:
    lines = []
    for d in citations:
        date = dt.date.fromisoformat(d["date"]) if d.get("date") else None
        c = Citation(**{**d, "date": date, "passage_text": ""})
        lines.append(f"[{c.n}] {citation_label(c)} — “{c.quote}”")
    return "\n".join(lines)


def _cell(value: object) -> str:
    """A spreadsheet must show text, not run it: formula-like cells get a leading apostrophe (OWASP)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
