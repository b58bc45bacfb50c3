"""The inspection record kept beside the index, in step with it and as crash-safe.

Each version of each paper has one record file (`PaperRecord` as JSON), named by a hash of the paper's id and its
content hash and written atomically (a temporary file in the same folder, flushed to disk, then renamed over the
name). The live record is the record files of the live document versions - the content hashes the index manifest
marks active - so it changes exactly when the index does:

- an ingest writes a paper's record *before* `Store.replace_document` makes that version active, so a crash at any
  point leaves either the old version live with its old record, or the new one with its new record;
- a removed paper drops out of the manifest, and with it its record; files of versions no longer live (and any
  temporary file a crash left) are deleted by `prune` at the end of each ingest;
- a live version without a record file of the current extractor version (an index built before the record
  existed, a deleted record folder, a new extractor) is found by `missing` and derived again by the next ingest,
  which re-reads the paper but does not embed it again.

Readers (`LiveRecords`) re-read the record only when the manifest's generation changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from pathlib import Path

import ingest.inspection_record as extraction
from ingest.documents import Classification
from ingest.inspection_record import PaperRecord
from vectorstore.audience import Audience
from vectorstore.catalog import Catalog
from vectorstore.store import Store

__all__ = ["LiveRecords", "RecordStore"]

log = logging.getLogger(__name__)
_SUFFIX = ".json"
_TMP_PREFIX = ".tmp-"


class RecordStore:
    """One JSON file per paper version under `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_store(cls, store: Store) -> RecordStore:
        """The record folder of an index: beside its keyword cache, named like its collections."""
        return cls(store.config.index_dir / "record" / store.name)

    def path_for(self, doc_id: str, content_hash: str) -> Path:
        key = hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:24]
        return self.folder / f"{key}-{content_hash[:24]}{_SUFFIX}"

    # ------------------------------------------------------------ writes

    def put(self, record: PaperRecord) -> None:
        """Write one paper version's record atomically (readers see the old file or the new, never a part)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path_for(record.doc_id, record.content_hash)
        data = json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8")
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=_SUFFIX, dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(self.folder)

    def prune(self, active: dict[str, str]) -> int:
        """Delete the files of versions that are not live, and temporary files a crash left; returns how many."""
        if not self.folder.is_dir():
            return 0
        keep = {self.path_for(d, h).name for d, h in active.items()}
        removed = 0
        for path in self.folder.iterdir():
            if path.name in keep:
                continue
            if path.name.endswith(_SUFFIX) or path.name.startswith(_TMP_PREFIX):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed += 1
        return removed

    # ------------------------------------------------------------ reads

    def get(self, doc_id: str, content_hash: str) -> PaperRecord | None:
        """The record of one version; None if absent, unreadable, of another paper or of an older extractor."""
        path = self.path_for(doc_id, content_hash)
        try:
            record = PaperRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("record file %s is unreadable (%s); it will be derived again", path.name, exc)
            return None
        if (
            record.doc_id != doc_id
            or record.content_hash != content_hash
            or record.version != extraction.EXTRACTOR_VERSION
        ):
            return None
        return record

    def has(self, doc_id: str, content_hash: str) -> bool:
        return self.get(doc_id, content_hash) is not None

    def missing(self, active: dict[str, str]) -> list[str]:
        """Live documents whose record is absent or out of date."""
        return sorted(d for d, h in active.items() if not self.has(d, h))

    def live(self, active: dict[str, str]) -> list[PaperRecord]:
        """The records of the live versions, in document order (a version without a record adds nothing)."""
        out = []
        for doc_id in sorted(active):
            record = self.get(doc_id, active[doc_id])
            if record is not None:
                out.append(record)
        return out


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class LiveRecords:
    """The live paper records of a store for an audience, re-read when the store's generation changes."""

    def __init__(
        self, store: Store, records: RecordStore | None = None, catalog: Catalog | None = None
    ) -> None:
        self.store = store
        self.records = records or RecordStore.for_store(store)
        self._versions = catalog or Catalog(store)
        self._lock = threading.Lock()
        self._cached: tuple[str, list[PaperRecord]] | None = None

    def all(self) -> list[PaperRecord]:
        versions = self._versions.snapshot()
        with self._lock:
            if self._cached is None or self._cached[0] != versions.generation:
                self._cached = (versions.generation, self.records.live(versions.active))
            return self._cached[1]

    def for_audience(self, audience: Audience | str) -> list[PaperRecord]:
        """Only papers of the classifications the audience may read (the public sees open papers only)."""
        allowed = {c.value for c in Audience.parse(audience).classifications}
        return [r for r in self.all() if _classification(r.classification) in allowed]


def _classification(value: str) -> str:
    try:
        return Classification(value).value
    except ValueError:
        return Classification.EXEMPT.value  # an unknown classification is never public
