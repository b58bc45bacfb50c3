"""Papers on disk: where each goes, its metadata sidecar, and writes that are all-or-nothing.

A paper is written as `<file>` plus `<file>.meta.yaml` (the per-file sidecar `council ingest` reads). Each is
written to a temporary file in the site's hidden work folder, flushed to disk and renamed into place, so a kill
never leaves a half-written paper where ingest would read it; leftovers are removed at the start of the next run.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import yaml

META_SUFFIX = ".meta.yaml"
WORK_FOLDER = ".moderngov"  # hidden: ingest never reads inside it


def slug(text: str, limit: int = 60) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].rstrip("-") or "paper"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def meta_path(path: Path) -> Path:
    return path.with_name(path.name + META_SUFFIX)


def sidecar_text(fields: dict[str, Any]) -> str:
    body = {k: v for k, v in fields.items() if v not in ("", None, {}, [])}
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1000)


def atomic_write(path: Path, data: bytes, tmp_dir: Path) -> None:
    """`path` holds either its old content or all of `data`, whatever happens (tmp_dir: same file system)."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_paper(path: Path) -> None:
    """The paper first, then its sidecar: a sidecar without its paper is ignored by ingest."""
    path.unlink(missing_ok=True)
    meta_path(path).unlink(missing_ok=True)
    for folder in (path.parent, path.parent.parent):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            break


def clear_leftovers(tmp_dir: Path) -> int:
    """Temporary files a killed run left behind; returns how many were removed."""
    if not tmp_dir.is_dir():
        return 0
    n = 0
    for leftover in tmp_dir.glob("part-*"):
        leftover.unlink(missing_ok=True)
        n += 1
    return n
