"""What earlier syncs of a site fetched, in SQLite beside the papers (`<site folder>/.moderngov/state.sqlite3`).

`responses` keeps each listing the site answered (web service XML, pages) with its ETag / Last-Modified, so the next
run asks "changed since?" and reads the kept copy on 304. `papers` maps each paper's address to its file, its
validators and content hashes. `runs` records each run; a run without `finished_at` was interrupted. Every change
is one transaction, made after the files it describes are safely on disk, so a kill leaves no row pointing at a
half-written file.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.moderngov.fetch import Fetched, Validators

SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    url TEXT PRIMARY KEY, etag TEXT NOT NULL, last_modified TEXT NOT NULL, body BLOB NOT NULL, fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS papers (
    url TEXT PRIMARY KEY, path TEXT NOT NULL, meeting TEXT NOT NULL, committee_id TEXT NOT NULL,
    meeting_date TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL, sha256 TEXT NOT NULL,
    meta_sha256 TEXT NOT NULL, classification TEXT NOT NULL, fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, site TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
    summary TEXT
);
"""


@dataclass(frozen=True)
class PaperRow:
    url: str
    path: str  # relative to the site folder
    meeting: str  # "<committee id>/<meeting id>"
    committee_id: str
    meeting_date: str
    etag: str
    last_modified: str
    sha256: str
    meta_sha256: str
    classification: str

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SyncState:
    def __init__(self, path: Path | None, read_only: bool = False) -> None:
        """`path=None` (or a missing file when read-only): an empty state in memory, for a dry run."""
        self.read_only = read_only
        if path is None or (read_only and not path.is_file()):
            self.db = sqlite3.connect(":memory:")
        elif read_only:
            self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
        if not read_only or path is None or not path.is_file():
            self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        if not self.read_only:
            with self.db:
                self.db.execute(sql, args)

    # ------------------------------------------------------------------ listings

    def response(self, url: str) -> tuple[Validators, bytes] | None:
        row = self.db.execute(
            "SELECT etag, last_modified, body FROM responses WHERE url = ?", (url,)
        ).fetchone()
        return (Validators(row[0], row[1]), zlib.decompress(row[2])) if row else None

    def keep_response(self, fetched: Fetched, url: str) -> None:
        self._write(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
            (url, fetched.etag, fetched.last_modified, zlib.compress(fetched.body), _now()),
        )

    # ------------------------------------------------------------------ papers

    def paper(self, url: str) -> PaperRow | None:
        row = self.db.execute(
            "SELECT url, path, meeting, committee_id, meeting_date, etag, last_modified, sha256, meta_sha256, "
            "classification FROM papers WHERE url = ?",
            (url,),
        ).fetchone()
        return PaperRow(*row) if row else None

    def papers(self) -> list[PaperRow]:
        rows = self.db.execute(
            "SELECT url, path, meeting, committee_id, meeting_date, etag, last_modified, sha256, meta_sha256, "
            "classification FROM papers ORDER BY path"
        ).fetchall()
        return [PaperRow(*r) for r in rows]

    def keep_paper(self, row: PaperRow) -> None:
        self._write(
            "INSERT OR REPLACE INTO papers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.url,
                row.path,
                row.meeting,
                row.committee_id,
                row.meeting_date,
                row.etag,
                row.last_modified,
                row.sha256,
                row.meta_sha256,
                row.classification,
                _now(),
            ),
        )

    def forget_paper(self, url: str) -> None:
        self._write("DELETE FROM papers WHERE url = ?", (url,))

    # ------------------------------------------------------------------ runs

    def interrupted_run(self) -> str:
        """When the last run started, if it never finished (it was killed or crashed); else ""."""
        row = self.db.execute("SELECT started_at, finished_at FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return str(row[0]) if row and row[1] is None else ""

    def start_run(self, site: str) -> int:
        if self.read_only:
            return 0
        with self.db:
            cur = self.db.execute("INSERT INTO runs (site, started_at) VALUES (?, ?)", (site, _now()))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        self._write(
            "UPDATE runs SET finished_at = ?, summary = ? WHERE id = ?",
            (_now(), json.dumps(summary, sort_keys=True), run_id),
        )
