"""Officer uploads: check each file, stage it, then ingest in a background thread with progress.

Files are checked (size, type by name and by content) and copied into a hidden staging folder first; only
accepted files are moved into `<corpus>/uploads/`, so a rejected or half-copied file never reaches the corpus.
Ingestion then syncs the corpus folder (unchanged files are skipped by content hash), so an uploaded paper has the
same document id (`uploads/<name>`) as a later `council ingest data/corpus` gives it. One job runs at a time; the
chat is never blocked by it.

Classification fails closed: every upload's sidecar names one, and anything but "open" (missing, null, a value we
do not know) is filed as exempt. A file the ingest refuses (a decompression bomb, a corrupt PDF) is moved out of
the corpus into the hidden `uploads/.quarantine/<job>/`, so it is not parsed again on every sync.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.metadata import FIELDS

UPLOADS_FOLDER = "uploads"
QUARANTINE = ".quarantine"  # hidden: ingestion never looks inside
CLASSIFICATIONS = ("open", "exempt")
_TEXT_SUFFIXES = {".html", ".htm", ".md", ".markdown", ".txt", ".text"}
_MAGIC = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}
MAX_FILES_PER_JOB = 20
MAX_JOBS_KEPT = 50


@dataclass
class FileOutcome:
    name: str  # as uploaded
    status: str  # rejected | staged | added | replaced | unchanged | skipped
    detail: str = ""
    doc_id: str = ""


@dataclass
class UploadJob:
    id: str
    files: list[FileOutcome] = field(default_factory=list)
    state: str = "staged"  # staged | ingesting | done | failed
    total: int = 0
    done: int = 0
    current: str = ""
    message: str = ""
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")


def safe_name(name: str) -> str:
    """A plain file name for an upload: no folders, no hidden files, letters, digits, dot, dash, underscore."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_.")[:100] or "upload"
    suffix = re.sub(r"[^A-Za-z0-9]", "", suffix).lower()[:10]
    return f"{stem}.{suffix}" if suffix else stem


def check_file(path: Path, name: str, max_bytes: int) -> str:
    """Why this file cannot be accepted, or "" when it can."""
    suffix = Path(safe_name(name)).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return (
            f"type '{suffix or '(none)'}' is not accepted; use one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except OSError as exc:
        return f"could not be read ({exc.strerror or exc})"
    if size == 0:
        return "the file is empty"
    if size > max_bytes:
        return f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit"
    magic = _MAGIC.get(suffix)
    if magic and not head.startswith(magic):
        return f"the content is not a {suffix[1:].upper()} file"
    if suffix in _TEXT_SUFFIXES and b"\0" in head:
        return "the content is not text"
    return ""


def clean_fields(fields: dict[str, Any]) -> dict[str, str]:
    """The metadata an officer gave with an upload, as sidecar fields (blank ones left out), always with a
    classification: "open" only when that is what was given, otherwise "exempt" (fail closed)."""
    out = {}
    for key, value in fields.items():
        if key in FIELDS and value not in (None, "", []):
            out[key] = " ".join(str(value).split())[:300]
    out["classification"] = "open" if out.get("classification", "").lower() == "open" else "exempt"
    return out


Sync = Callable[[list[Path], Callable[[int], Any]], Any]  # (paths, progress factory) -> IngestReport


class Uploads:
    def __init__(self, corpus_dir: Path, max_upload_mb: float, sync: Sync) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.folder = self.corpus_dir / UPLOADS_FOLDER
        self.staging = self.folder / ".staging"  # hidden: ingestion never looks inside
        self.quarantine = self.folder / QUARANTINE
        self.max_bytes = int(max_upload_mb * 1_000_000)
        self._sync = sync
        self._jobs: dict[str, UploadJob] = {}
        self._lock = threading.Lock()  # one ingest at a time
        self._jobs_lock = threading.Lock()

    def job(self, job_id: str) -> UploadJob | None:
        return self._jobs.get(job_id)

    def submit(
        self, files: Sequence[tuple[Path, str]], fields: dict[str, Any] | None = None, wait: bool = False
    ) -> UploadJob:
        """Check and stage `(temp path, original name)` pairs, then ingest the accepted ones in the background."""
        job = UploadJob(id=uuid.uuid4().hex[:12])
        with self._jobs_lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                self._jobs.pop(next(iter(self._jobs)))
        if len(files) > MAX_FILES_PER_JOB:
            job.state, job.finished_at = "failed", time.time()
            job.message = f"Upload at most {MAX_FILES_PER_JOB} files at a time."
            return job
        stage = self.staging / job.id
        staged: list[tuple[Path, FileOutcome]] = []
        names: set[str] = set()
        for tmp, original in files:
            outcome = FileOutcome(name=original, status="rejected")
            job.files.append(outcome)
            reason = check_file(Path(tmp), original, self.max_bytes)
            name = safe_name(original)
            if not reason and name in names:
                reason = "another file in this upload has the same name"
            if reason:
                outcome.detail = reason
                continue
            names.add(name)
            stage.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp, stage / name)
            outcome.status, outcome.doc_id = "staged", f"{UPLOADS_FOLDER}/{name}"
            staged.append((stage / name, outcome))
        if not staged:
            job.state, job.finished_at = "failed", time.time()
            job.message = "No file was accepted."
            shutil.rmtree(stage, ignore_errors=True)
            return job
        sidecar = clean_fields(fields or {})
        thread = threading.Thread(
            target=self._run, args=(job, staged, sidecar, stage), name=f"upload-{job.id}", daemon=True
        )
        thread.start()
        if wait:
            thread.join()
        return job

    def _run(
        self, job: UploadJob, staged: list[tuple[Path, FileOutcome]], sidecar: dict[str, str], stage: Path
    ) -> None:
        with self._lock:
            try:
                job.state = "ingesting"
                job.message = "Ingesting…"
                self.folder.mkdir(parents=True, exist_ok=True)
                for path, _ in staged:
                    dest = self.folder / path.name
                    meta_file = dest.with_name(dest.name + ".meta.yaml")
                    tmp_meta = path.with_name(path.name + ".meta.yaml")  # replaces any old one whole
                    tmp_meta.write_text(yaml.safe_dump(sidecar, allow_unicode=True), encoding="utf-8")
                    os.replace(tmp_meta, meta_file)
                    os.replace(path, dest)
                report = self._sync([self.corpus_dir], lambda total: _Progress(job, total))
                _apply(report, staged)
                self._quarantine(job, staged)
                job.state = "done"
                ok = sum(o.status in ("added", "replaced", "unchanged") for _, o in staged)
                job.message = f"Finished: {ok} of {len(job.files)} file(s) in the library."
            except Exception as exc:  # shown to the officer; the index keeps its previous state
                job.state = "failed"
                job.message = f"Ingest failed: {exc}"
            finally:
                job.finished_at = time.time()
                job.current = ""
                shutil.rmtree(stage, ignore_errors=True)

    def _quarantine(self, job: UploadJob, staged: list[tuple[Path, FileOutcome]]) -> None:
        """Move the files the ingest refused out of the corpus (with their sidecars), so no sync parses them again."""
        for path, outcome in staged:
            dest = self.folder / path.name
            if outcome.status != "skipped" or not dest.exists():
                continue
            folder = self.quarantine / job.id
            folder.mkdir(parents=True, exist_ok=True)
            os.replace(dest, folder / dest.name)
            meta = dest.with_name(dest.name + ".meta.yaml")
            if meta.exists():
                os.replace(meta, folder / meta.name)
            outcome.detail = f"{outcome.detail}; moved aside to uploads/{QUARANTINE}/{job.id}/".lstrip("; ")


def _apply(report: Any, staged: list[tuple[Path, FileOutcome]]) -> None:
    by_id = {o.doc_id: o for _, o in staged}
    for status in ("added", "replaced", "unchanged"):
        for doc_id in getattr(report, status):
            if doc_id in by_id:
                by_id[doc_id].status = status
    for skipped in report.skipped:
        if skipped.path in by_id:
            by_id[skipped.path].status, by_id[skipped.path].detail = "skipped", skipped.reason
    for outcome in by_id.values():
        if outcome.status == "staged":
            outcome.status, outcome.detail = "skipped", "not found by the ingest"


class _Progress:
    """The indexer's progress protocol, writing into the job the UI polls."""

    def __init__(self, job: UploadJob, total: int) -> None:
        self.job = job
        job.total, job.done = total, 0

    def update(self, n: int = 1) -> None:
        self.job.done += n

    def set_postfix_str(self, s: str) -> None:
        self.job.current = s

    def close(self) -> None:
        self.job.current = ""
